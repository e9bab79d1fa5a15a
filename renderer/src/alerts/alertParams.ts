// The inbox's filters live in the URL under the names of AlertListQuery (so a dashboard's drill
// target lands here as a link). Any URL, hand-edited or not, gives a query the contract accepts:
// unknown values are dropped, a half-typed day is ignored (the day box shows its own error).
import { z } from 'zod';
import { AlertPattern, AlertSeverity, type AlertListQuery } from '../../../shared/src/alerts.ts';
import { TenantId } from '../../../shared/src/tenants.ts';
import { cleanSearch, validDay } from '../consents/consentParams.ts';

export type StatusFilter = 'UNRESOLVED' | 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'ALL';
export const STATUS_FILTERS: readonly StatusFilter[] = ['UNRESOLVED', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'ALL'];

export interface AlertParams {
  /** UNRESOLVED when the URL says nothing: the inbox shows what still needs someone. */
  status: StatusFilter;
  severity: AlertSeverity | null;
  pattern: AlertPattern | null;
  tenantId: string | null;
  assignee: string | null;
  q: string;
  /** A bank day (YYYY-MM-DD) typed in the filter, or an instant a drill-down link carried. */
  from: string | null;
  to: string | null;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;
const INSTANT = z.iso.datetime({ offset: true });

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** A day, or an instant within the service's bounds; anything else is dropped. */
function dayOrInstant(raw: string | null): string | null {
  // A hand-written link's "+03:00" arrives as " 03:00" (a plus is a space in a query string).
  const value = raw?.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  if (!value) return null;
  if (validDay(value)) return value;
  if (!INSTANT.safeParse(value).success) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(2101, 0, 1) ? value : null;
}

export function isDay(value: string | null): value is string {
  return !!value && validDay(value) === value;
}

export function parseAlertParams(params: URLSearchParams): AlertParams {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const size = Number.parseInt(params.get('pageSize') ?? '', 10);
  const assignee = params.get('assignee');
  const tenantId = params.get('tenantId');
  return {
    status: pick(params.get('status'), STATUS_FILTERS) ?? 'UNRESOLVED',
    severity: pick(params.get('severity'), AlertSeverity.options),
    pattern: pick(params.get('pattern'), AlertPattern.options),
    tenantId: tenantId && TenantId.safeParse(tenantId).success ? tenantId.trim() : null,
    assignee: assignee === 'me' || assignee === 'none' || (assignee && z.uuid().safeParse(assignee).success) ? assignee : null,
    q: cleanSearch(params.get('q') ?? ''),
    from: dayOrInstant(params.get('from')),
    to: dayOrInstant(params.get('to')),
    page: Number.isFinite(page) && page >= 0 && page < 100_000 ? page : 0,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Bank days are Nairobi days (UTC+3 all year); "to" a day includes that whole day. */
export function toAlertListQuery(p: AlertParams): AlertListQuery {
  const query: AlertListQuery = { page: p.page, pageSize: p.pageSize };
  if (p.status !== 'ALL') query.status = p.status;
  if (p.severity) query.severity = p.severity;
  if (p.pattern) query.pattern = p.pattern;
  if (p.tenantId) query.tenantId = p.tenantId;
  if (p.assignee) query.assignee = p.assignee;
  if (p.q) query.q = p.q;
  const from = p.from && isDay(p.from) ? `${p.from}T00:00:00+03:00` : p.from;
  let to = p.to && isDay(p.to) ? (p.to >= '2100-12-31' ? '2100-12-31T23:59:59+03:00' : `${nextDay(p.to)}T00:00:00+03:00`) : p.to;
  // An end before the start is shown as a field error and not sent until it is fixed.
  if (from && to && Date.parse(to) <= Date.parse(from)) to = null;
  if (from) query.from = from;
  if (to) query.to = to;
  return query;
}

/** The URL for changed filters; a filter change goes back to the first page. */
export function withParam(params: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  if (name !== 'page') next.delete('page');
  return next;
}
