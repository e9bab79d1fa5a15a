// The Overview's time range lives in the URL (`?range=7d`, `?range=custom&from=…&to=…`) so a view
// can be bookmarked, shared and reloaded. Anything in the URL is read defensively: a bad value
// falls back to today, never to a broken screen.
import { DashboardRangeKey, DashboardRangeQuery } from '../../../shared/src/analytics.ts';

export interface RangeState {
  range: DashboardRangeKey;
  /** Custom only: YYYY-MM-DD bank days; null when missing or not a real day. */
  from: string | null;
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day between 2000 and 2100 (2026-02-30 is not). */
export function validDay(value: string | null | undefined): string | null {
  if (!value || !DAY.test(value) || value < '2000-01-01' || value > '2100-12-31') return null;
  const date = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

export function parseRangeParams(params: URLSearchParams): RangeState {
  const key = DashboardRangeKey.safeParse(params.get('range'));
  const range = key.success ? key.data : 'today';
  if (range !== 'custom') return { range, from: null, to: null };
  return { range, from: validDay(params.get('from')), to: validDay(params.get('to')) };
}

/** Writes the range into the search parameters, keeping any others. */
export function writeRangeParams(params: URLSearchParams, state: RangeState): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ['range', 'from', 'to']) next.delete(key);
  if (state.range !== 'today') next.set('range', state.range);
  if (state.range === 'custom') {
    if (state.from) next.set('from', state.from);
    if (state.to) next.set('to', state.to);
  }
  return next;
}

/** The query to ask the service for, or the field problems that keep it from being asked. */
export function rangeQuery(
  state: RangeState,
): { query: DashboardRangeQuery; problems: null } | { query: null; problems: Partial<Record<'from' | 'to', string>> } {
  const candidate = { range: state.range, ...(state.range === 'custom' ? { from: state.from ?? undefined, to: state.to ?? undefined } : {}) };
  const parsed = DashboardRangeQuery.safeParse(candidate);
  if (parsed.success) return { query: candidate, problems: null };
  const problems: Partial<Record<'from' | 'to', string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === 'from' || field === 'to') && !problems[field]) problems[field] = issue.message;
  }
  return { query: null, problems };
}

/** Today's bank day (Nairobi) for `now`: a custom range starts from the dates people think in. */
export function bankToday(now: number): string {
  return new Date(now + 3 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
