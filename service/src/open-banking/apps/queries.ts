import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { DatabaseDialect } from '../../db/database.ts';
import { likeEscape, utcHour } from '../../db/dialect.ts';
import type { TenantScope } from '../../auth/tenant-scope.ts';
import { notFound, validationFailed } from '../../errors.ts';
import type { Page } from '../../../../shared/src/api.ts';
import { isoInBankZone } from '../../../../shared/src/bank-time.ts';
import type { AppListQuery, AppUsage, AppUsageQuery, ObAppView } from '../../../../shared/src/open-banking.ts';
import { toObAppViews } from './store.ts';

const DAY_MS = 86_400_000;
/** The usage charts' default range and the longest one answered. */
const DEFAULT_USAGE_DAYS = 30;
const MAX_USAGE_DAYS = 366;

/** Apps of the caller's tenants (rule 'list'), by name. */
export async function listObApps(db: Kysely<Database>, query: z.output<typeof AppListQuery>, scope: TenantScope, now: Date): Promise<Page<ObAppView>> {
  let rows = db.selectFrom('ob_apps').where('deleted_at', 'is', null);
  const tenants = scope.narrow(query.tenantId);
  if (tenants) rows = rows.where('tenant_id', 'in', tenants);
  if (query.status) rows = rows.where('status', '=', query.status);
  if (query.kind) rows = rows.where('kind', '=', query.kind);
  if (query.search) {
    const pattern = `%${likeEscape(query.search.toLowerCase())}%`;
    rows = rows.where((eb) => eb.or([sql<boolean>`lower(name) like ${pattern} escape '\\'`, sql<boolean>`lower(client_id) like ${pattern} escape '\\'`]));
  }
  const total = await rows.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const page = await rows
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(query.pageSize)
    .offset(query.page * query.pageSize)
    .execute();
  return { items: await toObAppViews(db, page, now), total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

export async function getObApp(db: Kysely<Database>, id: string, scope: TenantScope, now: Date): Promise<ObAppView> {
  const row = await db.selectFrom('ob_apps').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('app');
  scope.assertVisible(row.tenant_id, 'app');
  const [view] = await toObAppViews(db, [row], now);
  return view!;
}

/** The bank day (Africa/Nairobi) of an instant: the day the usage charts put a call in. */
function bankDay(at: Date | string): string {
  return isoInBankZone(at).slice(0, 10);
}

/**
 * Calls per bank day from the access records (one per checked request, written by the consent
 * check and by the partner authenticator's refusals): allowed, denied, throttled (429
 * FREQUENCY_LIMIT); by endpoint and by refusal reason. Aggregated by UTC hour in SQL (one
 * dialect-neutral bucket), then hours are put in bank days here.
 */
export async function obAppUsage(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  id: string,
  query: z.output<typeof AppUsageQuery>,
  scope: TenantScope,
  now: Date,
): Promise<AppUsage> {
  await getObApp(db, id, scope, now);
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_USAGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw validationFailed([{ path: 'query.from', message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * DAY_MS)
    throw validationFailed([{ path: 'query.from', message: `at most ${MAX_USAGE_DAYS} days before to` }]);
  const hour = utcHour(dialect, 'at');
  const rows = await db
    .selectFrom('consent_access_log')
    .select((eb) => [hour.as('hour'), 'decision', 'reason', 'endpoint', eb.fn.countAll<number | string>().as('n')])
    .where('app_id', '=', id)
    .where('at', '>=', from.toISOString())
    .where('at', '<', to.toISOString())
    .groupBy([hour, 'decision', 'reason', 'endpoint'])
    .execute();
  const days = new Map<string, { day: string; allowed: number; denied: number; throttled: number }>();
  // Every day of the range, calls or not: the charts show quiet days as zero.
  for (let t = from.getTime(); bankDay(new Date(t)) <= bankDay(to); t += DAY_MS) {
    const day = bankDay(new Date(t));
    days.set(day, { day, allowed: 0, denied: 0, throttled: 0 });
  }
  const byEndpoint = new Map<string, number>();
  const byReason = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    // A UTC hour lies within one bank day (the bank's offset is whole hours).
    const day = bankDay(`${r.hour}:00:00Z`);
    const bucket = days.get(day) ?? { day, allowed: 0, denied: 0, throttled: 0 };
    days.set(day, bucket);
    if (r.decision === 'ALLOW') bucket.allowed += n;
    else if (r.reason === 'FREQUENCY_LIMIT') bucket.throttled += n;
    else bucket.denied += n;
    byEndpoint.set(r.endpoint, (byEndpoint.get(r.endpoint) ?? 0) + n);
    if (r.decision !== 'ALLOW') byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + n);
    total += n;
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    appId: id,
    from: from.toISOString(),
    to: to.toISOString(),
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    byEndpoint: sorted(byEndpoint).map(([endpoint, calls]) => ({ endpoint, calls })),
    byReason: sorted(byReason).map(([reason, calls]) => ({ reason, calls })),
    total,
  };
}
