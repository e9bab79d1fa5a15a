// The consent register's filters live in the URL (a link or a reload lands on the same view). Any
// URL, hand-edited or not, gives a query the contract accepts: unknown values are dropped, a
// day that is not a day is ignored (the date boxes show their own error while being typed).
import { z } from 'zod';
import { ConsentStatus, ObScope, type ConsentListQuery } from '../../../shared/src/open-banking.ts';

export type ConsentTab = 'register' | 'review';

export interface ConsentParams {
  tab: ConsentTab;
  customer: string;
  appId: string | null;
  status: ConsentStatus | null;
  scope: ObScope | null;
  /** Calendar days in the bank's zone (YYYY-MM-DD): expires on or after `expiresFrom`, on or before `expiresTo`. */
  expiresFrom: string | null;
  expiresTo: string | null;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day within the service's bounds (2000–2100), else null. */
export function validDay(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = DAY.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 2000 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? value : null;
}

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Customer search as sent: one line, no control or invisible characters, at most 200 characters. */
export function cleanSearch(text: string): string {
  return text
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .trim()
    .slice(0, 200);
}

export function parseConsentParams(params: URLSearchParams): ConsentParams {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const size = Number.parseInt(params.get('pageSize') ?? '', 10);
  const appId = params.get('app');
  return {
    tab: params.get('tab') === 'review' ? 'review' : 'register',
    customer: cleanSearch(params.get('customer') ?? ''),
    appId: appId && z.uuid().safeParse(appId).success ? appId : null,
    status: pick(params.get('status'), ConsentStatus.options),
    scope: pick(params.get('scope'), ObScope.options),
    expiresFrom: validDay(params.get('expiresFrom')),
    expiresTo: validDay(params.get('expiresTo')),
    page: Number.isFinite(page) && page >= 0 && page < 100_000 ? page : 0,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** The start of a bank day (Nairobi is UTC+3 all year, no daylight saving). */
function dayStart(day: string): string {
  return `${day}T00:00:00+03:00`;
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function toConsentListQuery(p: ConsentParams): ConsentListQuery {
  const query: ConsentListQuery = { page: p.page, pageSize: p.pageSize };
  if (p.customer) query.customer = p.customer;
  if (p.appId) query.appId = p.appId;
  if (p.status) query.status = p.status;
  if (p.scope) query.scope = p.scope;
  if (p.expiresFrom) query.expiresAfter = dayStart(p.expiresFrom);
  // "Expires on or before the 10th" includes the whole 10th; 2100-12-31 has no next day in bounds.
  // An end before the start is shown as a field error; the end is not sent until it is fixed.
  if (p.expiresTo && !(p.expiresFrom && p.expiresFrom > p.expiresTo))
    query.expiresBefore = p.expiresTo >= '2100-12-31' ? '2100-12-31T23:59:59+03:00' : dayStart(nextDay(p.expiresTo));
  return query;
}

/** The URL for changed filters; a filter change goes back to the first page. */
export function withParam(params: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  if (name !== 'page' && name !== 'tab') next.delete('page');
  return next;
}
