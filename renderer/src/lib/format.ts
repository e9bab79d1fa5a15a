// Formatting shared by every screen: money in KES (or the original currency), times in
// Nairobi time (EAT, UTC+3, no daylight saving) and short relative ages.

const TIME_ZONE = 'Africa/Nairobi';

const numberFormats = new Map<string, Intl.NumberFormat>();
function currencyNumberFormat(currency: string): Intl.NumberFormat {
  let format = numberFormats.get(currency);
  if (!format) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en-KE', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    format = new Intl.NumberFormat('en-KE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(currency, format);
  }
  return format;
}

/** `KES 12,500,000.00` — the ISO code, a plain space and grouped digits. */
export function formatMoney(amount: number, currency = 'KES'): string {
  const sign = amount < 0 ? '−' : '';
  return `${sign}${currency} ${currencyNumberFormat(currency).format(Math.abs(amount))}`;
}

const compactFormat = new Intl.NumberFormat('en-KE', { notation: 'compact', maximumFractionDigits: 1 });
/** `KES 12.5M` for KPI tiles; pair it with the exact value in a tooltip. */
export function formatMoneyCompact(amount: number, currency = 'KES'): string {
  return `${currency} ${compactFormat.format(amount)}`;
}

const integerFormat = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 0 });
export function formatCount(value: number): string {
  return integerFormat.format(value);
}

/** Risk score 0..1 from the engine, shown as 0–100 points. */
export function scorePoints(score01: number): number {
  return Math.round(Math.max(0, Math.min(1, score01)) * 100);
}

/** Score points for a value that may already be on the 0–100 scale (case summaries). */
export function normaliseScore(score: number): number {
  return score <= 1 ? scorePoints(score) : Math.round(Math.min(100, Math.max(0, score)));
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const shortDateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, day: '2-digit', month: 'short', year: 'numeric' });
const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

function toDate(value: string | Date): Date {
  return typeof value === 'string' ? new Date(value) : value;
}

/** `22 Nov 2025, 14:05:12 EAT` */
export function formatEat(value: string | Date): string {
  return `${dateTimeFormat.format(toDate(value))} EAT`;
}
/** `22 Nov, 14:05` (EAT implied by the column header or tooltip). */
export function formatEatShort(value: string | Date): string {
  return shortDateTimeFormat.format(toDate(value));
}
/** `22 Nov 2025` — for calendar dates such as "customer since". */
export function formatDate(value: string): string {
  // A bare ISO date is a calendar day, not an instant: pin it to noon UTC so no zone shifts the day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return dateFormat.format(date);
}
/** `14:00` in EAT, for chart axes. */
export function formatEatHour(value: string | Date): string {
  return hourFormat.format(toDate(value));
}

/** `just now`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(value: string | Date, now: number = Date.now()): string {
  const seconds = Math.round((now - toDate(value).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days} d ago`;
  return formatDate(toDate(value).toISOString());
}

/**
 * `42m`, `1h 05m`, `14h`, `3d 4h`, `12d` — a duration in milliseconds (sign ignored), at most two
 * units; `coarse` keeps only the largest unit above an hour (`6h`, `3d`) for tight chips.
 */
export function formatDuration(ms: number, { coarse = false }: { coarse?: boolean } = {}): string {
  const totalMinutes = Math.max(0, Math.floor(Math.abs(ms) / 60000));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days >= 10 || (coarse && days > 0)) return `${days}d`;
  if (days > 0) return hours ? `${days}d ${hours}h` : `${days}d`;
  if (hours >= 10 || (coarse && hours > 0)) return `${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m`;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return null;
  }
})();

let flagSupport: boolean | undefined;
/**
 * Whether this system draws flag emoji in colour. Windows and many Linux desktops have no flag
 * glyphs and show two boxed letters instead, which next to the country code reads as noise.
 */
function systemDrawsFlags(): boolean {
  if (flagSupport !== undefined) return flagSupport;
  flagSupport = false;
  try {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 24;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx) {
      ctx.textBaseline = 'top';
      ctx.font = '20px sans-serif';
      ctx.fillText(String.fromCodePoint(0x1f1f0, 0x1f1ea), 0, 0);
      const pixels = ctx.getImageData(0, 0, 24, 24).data;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0, pixels[i + 3] ?? 0];
        // A coloured pixel means a real flag; tofu boxes and letters are drawn in one grey.
        if (a > 0 && (Math.abs(r - g) > 30 || Math.abs(g - b) > 30)) {
          flagSupport = true;
          break;
        }
      }
    }
  } catch {
    flagSupport = false;
  }
  return flagSupport;
}

/** 🇰🇪 from `KE` (regional-indicator symbols), or '' where the system cannot draw flags. */
export function flagEmoji(countryCode: string): string {
  if (!/^[A-Z]{2}$/.test(countryCode) || !systemDrawsFlags()) return '';
  return String.fromCodePoint(...[...countryCode].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
export function countryName(countryCode: string): string {
  try {
    return regionNames?.of(countryCode) ?? countryCode;
  } catch {
    return countryCode;
  }
}

const ACRONYMS = new Set([
  'ATM',
  'USSD',
  'RTGS',
  'SWIFT',
  'EFT',
  'EAPS',
  'KEPSS',
  'IPSL',
  'SME',
  'KYC',
  'AML',
  'SIM',
  'CIF',
  'ID',
  'IP',
  'FX',
  'MT103',
  'P2P',
  'B2B',
  'B2C',
  'C2B',
  'SLA',
  'NG',
  'KE',
  'UG',
  'TZ',
]);

/** `ACCOUNT_TAKEOVER` → `Account takeover`; known acronyms stay upper-case (`RTGS`, `SME`). */
export function humanise(code: string): string {
  const words = code
    .replace(/[_.:-]+/g, ' ')
    .trim()
    .split(/\s+/);
  return words
    .map((word, i) => {
      const upper = word.toUpperCase();
      if (ACRONYMS.has(upper)) return upper;
      const lower = word.toLowerCase();
      return i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(' ');
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** `🇳🇬 Nigeria`, or just `Nigeria` where flags cannot be drawn. */
export function withFlag(countryCode: string, text: string): string {
  const flag = flagEmoji(countryCode);
  return flag ? `${flag} ${text}` : text;
}
