// Parsing what an admin types into the rate form. Nothing here throws: a value that is not (yet)
// a rate or a date gives a message for the field, so partial typing never breaks the screen.
import { dateInputFormat } from '../lib/format.ts';

/** EAT is UTC+3 all year (Nairobi has no daylight saving). */
const EAT_OFFSET_MS = 3 * 3_600_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** KES per unit: a positive number, grouping commas allowed, at most 12 decimal places. */
export function parseRate(text: string): Parsed<number> {
  const cleaned = text.trim().replace(/,/g, '');
  if (cleaned === '') return { ok: false, message: 'Enter how many KES one unit is worth' };
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return { ok: false, message: 'Use digits and one decimal point, e.g. 129.25' };
  const decimals = cleaned.split('.')[1]?.length ?? 0;
  if (decimals > 12) return { ok: false, message: 'At most 12 decimal places' };
  const value = Number(cleaned);
  if (!(value > 0)) return { ok: false, message: 'Must be more than 0' };
  if (value > 100_000_000) return { ok: false, message: 'Must be at most 100,000,000 KES per unit' };
  return { ok: true, value };
}

/**
 * A date and time typed in the locale's order (`DD/MM/YYYY HH:mm` for en-KE) in EAT, as an ISO
 * instant. Separators may be any non-digit; the time defaults to 00:00.
 */
export function parseEatDateTime(text: string, format = dateInputFormat()): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Enter a date and time (${format})` };
  const order = format
    .split(' ')[0]!
    .split(/[^A-Z]+/)
    .filter(Boolean);
  // Digits alone are read in the format's order (`061220260100` = 06/12/2026 01:00 for en-KE).
  const numbers = /^\d{8}(\d{4})?$/.test(trimmed) ? splitDigits(trimmed, [...order, 'HH', 'mm']) : trimmed.split(/\D+/).filter((p) => p !== '');
  if (numbers.length < 3 || numbers.length > 5) return { ok: false, message: `Use ${format}` };
  const part = (token: string) => Number(numbers[order.indexOf(token)]);
  const [day, month, year] = [part('DD'), part('MM'), part('YYYY')];
  const hour = Number(numbers[3] ?? 0);
  const minute = Number(numbers[4] ?? 0);
  if (String(year).length !== 4 || year < 2000 || year > 2100) return { ok: false, message: 'Give a four-digit year between 2000 and 2100' };
  if (!(month >= 1 && month <= 12)) return { ok: false, message: 'The month must be 1–12' };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!(day >= 1 && day <= daysInMonth)) return { ok: false, message: `The day must be 1–${daysInMonth}` };
  if (!(hour >= 0 && hour <= 23) || !(minute >= 0 && minute <= 59)) return { ok: false, message: 'The time must be between 00:00 and 23:59' };
  const ms = Date.UTC(year, month - 1, day, hour, minute) - EAT_OFFSET_MS;
  return { ok: true, value: new Date(ms).toISOString() };
}

function splitDigits(digits: string, tokens: readonly string[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const token of tokens) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + token.length));
    at += token.length;
  }
  return out;
}

/** An instant as the form shows it (`05/12/2026 09:00` for en-KE), in EAT. */
export function formatEatInput(iso: string, format = dateInputFormat()): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms + EAT_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  const values: Record<string, string> = {
    DD: pad(d.getUTCDate()),
    MM: pad(d.getUTCMonth() + 1),
    YYYY: String(d.getUTCFullYear()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
  };
  return format.replace(/DD|MM|YYYY|HH|mm/g, (token) => values[token] ?? token);
}

/** A rate as people read it: enough significant digits to tell rates apart, grouped. */
export function formatRate(value: number): string {
  const digits = value >= 1000 ? 2 : value >= 1 ? 4 : 8;
  return new Intl.NumberFormat('en-KE', { maximumSignificantDigits: Math.max(6, digits), maximumFractionDigits: 10 }).format(value);
}
