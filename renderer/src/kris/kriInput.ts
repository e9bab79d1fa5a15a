// What people type into KRI and risk-event forms: numbers pasted from spreadsheets and e-mails
// ("1 200", "2,5", "1,200.50", "12 %"), read without ever throwing. A value that is not (yet) a
// number gives a message for the field, so half-typed input never breaks the form.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Grouping characters people paste: spaces (incl. no-break and thin spaces), apostrophes, underscores. */
const GROUPING = /[\s\u00a0\u202f\u2009'’_]/g;

/**
 * A decimal number as typed in Kenya or pasted from a European sheet. Comma rules: with both a
 * comma and a point, the last one is the decimal mark; a comma alone is a grouping comma when it
 * groups exactly three digits ("1,200", "12,500,000"), otherwise a decimal comma ("2,5").
 */
export function parseDecimal(text: string, { allowNegative = true, label = 'a number' }: { allowNegative?: boolean; label?: string } = {}): Parsed<number> {
  let cleaned = text.trim().replace(GROUPING, '').replace(/[−–]/g, '-');
  // A trailing unit the user copied along ("12%", "KES 1,200") is not part of the number.
  cleaned = cleaned.replace(/%$/, '').replace(/^[A-Za-z]{3}(?=[-\d.,])/, '');
  if (cleaned === '') return { ok: false, message: `Enter ${label}` };
  const lastComma = cleaned.lastIndexOf(',');
  const lastPoint = cleaned.lastIndexOf('.');
  if (lastComma >= 0 && lastPoint >= 0) {
    const decimalMark = lastComma > lastPoint ? ',' : '.';
    const grouping = decimalMark === ',' ? '.' : ',';
    cleaned = cleaned.split(grouping).join('');
    if (decimalMark === ',') cleaned = cleaned.replace(',', '.');
  } else if (lastComma >= 0) {
    cleaned = /^-?\d{1,3}(,\d{3})+$/.test(cleaned) ? cleaned.replace(/,/g, '') : cleaned.replace(',', '.');
  }
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return { ok: false, message: `Use digits and one decimal mark, e.g. 2.5 or 1 200` };
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return { ok: false, message: 'That number is too large' };
  if (!allowNegative && value < 0) return { ok: false, message: 'Must not be negative' };
  if (Math.abs(value) > 1e15) return { ok: false, message: 'Must be at most 1,000,000,000,000,000' };
  return { ok: true, value };
}

/** A number as the screens show it: grouped, up to 4 decimals (KRI values are ratios, counts and amounts). */
export function formatKriValue(value: number | null | undefined, unit?: string | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 2 : 4;
  const text = new Intl.NumberFormat('en-KE', { maximumFractionDigits: digits }).format(value);
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}
