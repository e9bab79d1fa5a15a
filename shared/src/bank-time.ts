/**
 * The bank's time zone, one rule for screens and exports (README "Dates and time zones"): every
 * time a person reads is in the bank's zone, and says so. Screens write `06 Dec 2026, 01:00 EAT`
 * (renderer/src/lib/format.ts); exports write ISO 8601 with the zone's offset
 * (`2026-12-06T01:00:00+03:00`) under a header naming the zone (`created_at (EAT UTC+03:00)`; no comma, so plain CSV readers split it right).
 */
export const BANK_TIME_ZONE = 'Africa/Nairobi';
/** The zone's short name as people in the bank say it. */
export const BANK_ZONE_LABEL = 'EAT';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes (east positive), from the IANA database. */
export function zoneOffsetAt(instantMs: number, timeZone: string = BANK_TIME_ZONE): number {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/** `+03:00` */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-12-06T01:00:00+03:00`: ISO 8601 with the offset, in the bank's zone; '' for a missing or invalid instant. */
export function isoInBankZone(value: string | Date | null | undefined, timeZone: string = BANK_TIME_ZONE): string {
  if (value === null || value === undefined || value === '') return '';
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) return '';
  const offset = zoneOffsetAt(ms, timeZone);
  return `${new Date(ms + offset * 60_000).toISOString().slice(0, 19)}${offsetText(offset)}`;
}

/**
 * The same instant as a wall-clock Date for spreadsheets: Excel cells have no zone, so a cell shows
 * the bank's local time when the Date carries it as if it were UTC.
 */
export function bankWallClock(value: string | Date, timeZone: string = BANK_TIME_ZONE): Date {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return new Date(ms + zoneOffsetAt(ms, timeZone) * 60_000);
}

/** `EAT UTC+03:00` — what an export's time column header says after its name. */
export function bankZoneHeader(atMs: number = Date.UTC(2026, 0, 1)): string {
  return `${BANK_ZONE_LABEL} UTC${offsetText(zoneOffsetAt(atMs))}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `04 Dec 2026, 23:16 EAT` (as screens write it): an instant for people to read in messages. */
export function bankTimeText(value: string | Date, timeZone: string = BANK_TIME_ZONE): string {
  const iso = isoInBankZone(value, timeZone);
  if (!iso) return '';
  const label = timeZone === BANK_TIME_ZONE ? BANK_ZONE_LABEL : `UTC${iso.slice(19)}`;
  return `${iso.slice(8, 10)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}, ${iso.slice(11, 16)} ${label}`;
}
