/**
 * Wall-clock time of an instant in a time zone. Intl is slow (microseconds per call), so the
 * zone's UTC offset is computed once per zone and UTC hour and cached: offsets only change on
 * the hour (and Africa/Nairobi never changes at all).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const HOUR_MS = 3_600_000;

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
  const hourKey = Math.floor(instantMs / HOUR_MS);
  const key = `${timeZone}|${hourKey}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const probe = hourKey * HOUR_MS;
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
