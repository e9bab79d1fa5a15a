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

/**
 * Dates and times, one rule for every screen: the user's locale (default en-KE: `06 Dec 2026,
 * 01:00 EAT`), always in the bank's zone with its name shown, 24-hour clock. Typed dates use the
 * locale's day/month/year order (`DD/MM/YYYY HH:mm` for en-KE) — see `dateInputFormat()`. A value
 * that is not a date never throws (Intl throws "Invalid time value"): it reads `invalid date`.
 */
export const BANK_TIME_ZONE = TIME_ZONE;
/** The zone's short name, written after every time the UI shows (`01:00 EAT`). */
export const BANK_ZONE_LABEL = 'EAT';
export const DEFAULT_LOCALE = 'en-KE';
const LOCALE_KEY = 'wekeza.locale';
export const INVALID_DATE_TEXT = 'invalid date';

/** A supported BCP 47 locale, or the default. */
export function resolveLocale(candidate: string | null | undefined): string {
  if (!candidate) return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([candidate])[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function storedLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) ?? null;
  } catch {
    return null;
  }
}

let locale = resolveLocale(storedLocale());
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The locale every date on screen is written in. */
export function appLocale(): string {
  return locale;
}

/** Changes the locale for this user (kept in this browser); null goes back to the default. */
export function setAppLocale(next: string | null): void {
  locale = resolveLocale(next);
  dateFormats.clear();
  try {
    if (next) globalThis.localStorage?.setItem(LOCALE_KEY, locale);
    else globalThis.localStorage?.removeItem(LOCALE_KEY);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

const STYLES = {
  dateTime: { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  dateTimeMinutes: { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  short: { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' },
  date: { day: '2-digit', month: 'short', year: 'numeric' },
  dayMonth: { day: '2-digit', month: 'short' },
  hour: { hour: '2-digit', minute: '2-digit' },
  numericDate: { day: '2-digit', month: '2-digit', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

function dateFormatFor(style: keyof typeof STYLES): Intl.DateTimeFormat {
  let format = dateFormats.get(style);
  if (!format) {
    // hourCycle h23 rather than hour12:false: some locales then print 24:00 for midnight.
    format = new Intl.DateTimeFormat(locale, { ...STYLES[style], timeZone: TIME_ZONE, hourCycle: 'h23' });
    dateFormats.set(style, format);
  }
  return format;
}

/** The instant, or null when the value is not one (never throws). */
export function toValidDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function toDate(value: string | Date): Date {
  return typeof value === 'string' ? new Date(value) : value;
}

function formatWith(style: keyof typeof STYLES, value: string | Date): string {
  const date = toValidDate(value);
  return date ? dateFormatFor(style).format(date) : INVALID_DATE_TEXT;
}

/** `22 Nov 2025, 14:05:12 EAT` */
export function formatEat(value: string | Date): string {
  const date = toValidDate(value);
  return date ? `${dateFormatFor('dateTime').format(date)} ${BANK_ZONE_LABEL}` : INVALID_DATE_TEXT;
}
/** `22 Nov 2025, 14:05 EAT` — for times set to the minute (schedules, confirmations). */
export function formatEatMinutes(value: string | Date): string {
  const date = toValidDate(value);
  return date ? `${dateFormatFor('dateTimeMinutes').format(date)} ${BANK_ZONE_LABEL}` : INVALID_DATE_TEXT;
}
/** `22 Nov, 14:05` (EAT named by the column header or tooltip). */
export function formatEatShort(value: string | Date): string {
  return formatWith('short', value);
}
/** `22 Nov` in EAT, for chart axes over days. */
export function formatEatDay(value: string | Date): string {
  return formatWith('dayMonth', value);
}
/** `22 Nov 2025` — for calendar dates such as "customer since". */
export function formatDate(value: string): string {
  // A bare ISO date is a calendar day, not an instant: pin it to noon UTC so no zone shifts the day.
  return formatWith('date', /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
}
/** `14:00` in EAT, for chart axes. */
export function formatEatHour(value: string | Date): string {
  return formatWith('hour', value);
}

/**
 * How a person types a date and time in this locale, as a Day.js / MUI pickers format:
 * `DD/MM/YYYY HH:mm` for en-KE, `MM/DD/YYYY HH:mm` for en-US. Always a 24-hour clock.
 */
export function dateInputFormat(): string {
  const tokens: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = { day: 'DD', month: 'MM', year: 'YYYY' };
  const parts = dateFormatFor('numericDate').formatToParts(new Date(Date.UTC(2026, 11, 6, 12)));
  const date = parts.map((part) => (part.type === 'literal' ? part.value : (tokens[part.type] ?? ''))).join('');
  return /DD/.test(date) && /MM/.test(date) && /YYYY/.test(date) ? `${date} HH:mm` : 'DD/MM/YYYY HH:mm';
}

/** `just now`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(value: string | Date, now: number = Date.now()): string {
  if (!toValidDate(value)) return INVALID_DATE_TEXT;
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
