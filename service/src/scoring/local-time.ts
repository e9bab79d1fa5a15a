/**
 * Wall-clock time of an instant in a time zone. Intl is slow (microseconds per call), so the
 * zone's UTC offset is computed once per zone and UTC quarter-hour and cached. Offsets change on
 * a quarter-hour of UTC, not always on the hour: zones with half- and quarter-hour offsets
 * (Australia/Adelaide +10:30, Asia/Kathmandu +5:45) change theirs at :30 or :45 UTC, so an hourly
 * cache was an hour wrong for up to 45 minutes after such a change.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
/** Every offset in use since 1980 is a multiple of 15 minutes, so every change falls on one. */
const BUCKET_MS = 15 * 60_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Minutes to add to UTC to get local time in the zone at this instant. */
export function zoneOffsetMinutes(instantMs: number, timeZone: string): number {
  const bucket = Math.floor(instantMs / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const probe = bucket * BUCKET_MS;
  const parts = formatterFor(timeZone).formatToParts(new Date(probe));
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const localAsUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'));
  const offset = Math.round((localAsUtc - probe) / 60_000);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export interface LocalTime {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

export function localTime(instantMs: number, timeZone: string): LocalTime {
  const local = new Date(instantMs + zoneOffsetMinutes(instantMs, timeZone) * 60_000);
  return { hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: local.getUTCDay() };
}
