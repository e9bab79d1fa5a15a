import type { DashboardRangeQuery, ResolvedRange } from '../../../shared/src/analytics.ts';
import type { DashboardRangeKey } from '../../../shared/src/analytics.ts';

/**
 * Bank days are Nairobi days (EAT, UTC+3 all year, no daylight saving): a day starts at 21:00 UTC
 * the evening before.
 */
const OFFSET_MS = 3 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The Nairobi day (YYYY-MM-DD) an instant falls in. */
export function bankDayOf(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight in Nairobi starting `day`, as a UTC instant. */
export function bankDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** An instant interval, end exclusive. */
export interface Interval {
  from: Date;
  to: Date;
}

/** [first day 00:00, day after last 00:00) in Nairobi. */
export function bankDaysInterval(from: string, to: string): Interval {
  return { from: bankDayStart(from), to: bankDayStart(addDays(to, 1)) };
}

const LABELS: Record<DashboardRangeKey, string> = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Custom' };

/**
 * The period shown and the one it is compared with. Today, 7 d and 30 d end now (the injected
 * clock, ARCHITECTURE.md rule 3); the previous period is the same span shifted back by the number
 * of days shown, so "today until 14:00" is compared with "yesterday until 14:00", never with a
 * whole day. A custom range is whole days; its previous period ends where it starts.
 */
export function resolveRange(query: DashboardRangeQuery, now: Date): ResolvedRange {
  const key = query.range ?? 'today';
  const today = bankDayOf(now);
  let firstDay: string;
  let end: Date;
  let days: number;
  if (key === 'custom' && query.from && query.to) {
    firstDay = query.from;
    days = daysBetween(query.from, query.to);
    end = bankDayStart(addDays(query.to, 1));
  } else {
    days = key === '7d' ? 7 : key === '30d' ? 30 : 1;
    firstDay = addDays(today, -(days - 1));
    end = now;
  }
  const from = bankDayStart(firstDay);
  const shift = days * DAY_MS;
  const label = key === 'custom' ? `${firstDay} – ${query.to}` : LABELS[key];
  return {
    key,
    label,
    from: from.toISOString(),
    to: end.toISOString(),
    previousFrom: new Date(from.getTime() - shift).toISOString(),
    previousTo: new Date(end.getTime() - shift).toISOString(),
    bucket: days === 1 ? 'hour' : 'day',
  };
}
