import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { toBool, toIso } from '../db/database.ts';
import type { ConsentRow } from '../db/schema-open-banking.ts';
import { jsonArrayContains, likeEscape } from '../db/dialect.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';
import type { Page } from '../../../shared/src/api.ts';
import {
  ConsentCheckReason,
  type ConsentAccessEntry,
  type ConsentAccessQuery,
  type ConsentListQuery,
  type ConsentReviewItem,
  type ConsentReviewQuery,
  type ConsentReviewReason,
  type ConsentStatus,
  type ConsentView,
} from '../../../shared/src/open-banking.ts';
import { bankDay, bankDayStart, toConsentView, toConsentViews } from './mapping.ts';

/** Read from the hub's database, or a workstation's synced cache (LOCAL_QUERIES in shared/src/sync.ts). */
export interface ConsentReader {
  db: Kysely<Database>;
  dialect: DatabaseDialect;
}

/** Unattended use at or above this percentage of frequencyPerDay puts a consent in the review queue. */
export const NEAR_LIMIT_PERCENT = 75;

type ConsentsEb = ExpressionBuilder<Database, 'consents'>;

/**
 * The effective status as SQL (the same rule as effectiveStatus): an Authorised row past its
 * expiry is Expired, so filters and counts agree with what each consent shows.
 */
export function effectiveStatusIs(eb: ConsentsEb, status: ConsentStatus, now: Date): Expression<SqlBool> {
  const at = now.toISOString();
  if (status === 'Authorised') {
    return eb.and([eb('consents.status', '=', 'Authorised'), eb.or([eb('consents.expires_at', 'is', null), eb('consents.expires_at', '>', at)])]);
  }
  if (status === 'Expired') {
    return eb.or([
      eb('consents.status', '=', 'Expired'),
      eb.and([eb('consents.status', '=', 'Authorised'), eb('consents.expires_at', 'is not', null), eb('consents.expires_at', '<=', at)]),
    ]);
  }
  return eb('consents.status', '=', status);
}

/** The consent register: filters on customer (reference or name), app, effective status, scope and expiry. */
export async function listConsents(reader: ConsentReader, query: z.output<typeof ConsentListQuery>, scope: TenantScope, now: Date): Promise<Page<ConsentView>> {
  const { db, dialect } = reader;
  let rows = db.selectFrom('consents').where('consents.deleted_at', 'is', null);
  const tenants = scope.narrow(query.tenantId);
  if (tenants) rows = rows.where('consents.tenant_id', 'in', tenants);
  if (query.appId) rows = rows.where('consents.app_id', '=', query.appId);
  if (query.status) {
    const status = query.status;
    rows = rows.where((eb) => effectiveStatusIs(eb, status, now));
  }
  if (query.scope) rows = rows.where(jsonArrayContains(dialect, 'consents.permissions', query.scope));
  if (query.expiresAfter) rows = rows.where('consents.expires_at', '>=', toIso(query.expiresAfter));
  if (query.expiresBefore) rows = rows.where('consents.expires_at', '<', toIso(query.expiresBefore));
  if (query.customer) {
    const pattern = `%${likeEscape(query.customer.toLowerCase())}%`;
    rows = rows.where((eb) =>
      eb.or([
        eb(sql<string>`lower(consents.customer_ref)`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(
          'consents.customer_ref',
          'in',
          eb
            .selectFrom('customers')
            .select('customers.customer_ref')
            .where(sql<string>`lower(customers.full_name)`, 'like', sql<string>`${pattern} escape '\\'`),
        ),
      ]),
    );
  }
  const [count, page] = await Promise.all([
    rows.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    rows
      .selectAll('consents')
      .orderBy('consents.created_at', 'desc')
      .orderBy('consents.id', 'desc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
  ]);
  return { items: await toConsentViews(db, page, now), total: Number(count.n), page: query.page, pageSize: query.pageSize };
}

async function visibleConsent(db: Kysely<Database>, id: string, scope: TenantScope): Promise<ConsentRow> {
  const row = await db.selectFrom('consents').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('consent');
  scope.assertVisible(row.tenant_id, 'consent');
  return row;
}

export async function getConsent(reader: ConsentReader, id: string, scope: TenantScope, now: Date): Promise<ConsentView> {
  return toConsentView(reader.db, await visibleConsent(reader.db, id, scope), now);
}

/** Every checked request under the consent, newest first (hub only: the access log is not synced). */
export async function consentAccessLog(
  reader: ConsentReader,
  id: string,
  query: z.output<typeof ConsentAccessQuery>,
  scope: TenantScope,
): Promise<Page<ConsentAccessEntry>> {
  await visibleConsent(reader.db, id, scope);
  let rows = reader.db.selectFrom('consent_access_log').where('consent_id', '=', id);
  if (query.decision) rows = rows.where('decision', '=', query.decision);
  const [count, page] = await Promise.all([
    rows.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    rows
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
  ]);
  return {
    items: page.map((r) => ({
      id: r.id,
      consentId: r.consent_id,
      appId: r.app_id,
      customerRef: r.customer_ref,
      method: r.method,
      endpoint: r.endpoint,
      path: r.path,
      decision: r.decision === 'ALLOW' ? 'ALLOW' : 'DENY',
      reason: ConsentCheckReason.catch('CONSENT_NOT_AUTHORISED').parse(r.reason),
      statusCode: r.status_code,
      customerPresent: toBool(r.customer_present),
      at: toIso(r.at),
    })),
    total: Number(count.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * Consents a compliance officer should look at (issue 14): live ones expiring within N days, live
 * ones whose unattended use today reached 75% of their daily limit, live ones of a suspended app,
 * and any with refused calls today (the access log is the hub's: a workstation lists the first three).
 */
export async function reviewConsents(
  reader: ConsentReader,
  query: z.output<typeof ConsentReviewQuery>,
  scope: TenantScope,
  now: Date,
): Promise<ConsentReviewItem[]> {
  const { db } = reader;
  const tenants = scope.narrow(query.tenantId);
  const live = () => {
    let q = db.selectFrom('consents').where('consents.deleted_at', 'is', null);
    if (tenants) q = q.where('consents.tenant_id', 'in', tenants);
    return q.where((eb) => effectiveStatusIs(eb, 'Authorised', now));
  };
  const horizon = new Date(now.getTime() + query.expiringWithinDays * 86_400_000).toISOString();
  const dayStart = bankDayStart(now).toISOString();
  const [expiring, nearLimit, suspended, refused] = await Promise.all([
    live().select('consents.id').where('consents.expires_at', 'is not', null).where('consents.expires_at', '<=', horizon).execute(),
    live()
      .innerJoin('consent_usage', 'consent_usage.consent_id', 'consents.id')
      .select(['consents.id', 'consent_usage.count', 'consents.frequency_per_day'])
      .where('consent_usage.day', '=', bankDay(now))
      // Integer arithmetic (PostgreSQL binds a parameter beside an integer column as an integer).
      .where(sql<boolean>`consent_usage.count * 100 >= consents.frequency_per_day * ${sql.lit(NEAR_LIMIT_PERCENT)}`)
      .execute(),
    live().innerJoin('ob_apps', 'ob_apps.id', 'consents.app_id').select('consents.id').where('ob_apps.status', '=', 'SUSPENDED').execute(),
    (() => {
      let q = db
        .selectFrom('consent_access_log')
        .select(['consent_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('decision', '=', 'DENY')
        .where('consent_id', 'is not', null)
        .where('at', '>=', dayStart);
      if (tenants) q = q.where('tenant_id', 'in', tenants);
      return q.groupBy('consent_id').execute();
    })(),
  ]);
  const reasons = new Map<string, Array<{ reason: ConsentReviewReason; detail: string }>>();
  const add = (id: string, reason: ConsentReviewReason, detail: string) => reasons.set(id, [...(reasons.get(id) ?? []), { reason, detail }]);
  for (const { id } of expiring) add(id, 'EXPIRING_SOON', `expires within ${query.expiringWithinDays} days`);
  for (const r of nearLimit) add(r.id, 'NEAR_FREQUENCY_LIMIT', `${Number(r.count)} of ${r.frequency_per_day} unattended calls used today`);
  for (const { id } of suspended) add(id, 'APP_SUSPENDED', 'the app is suspended');
  for (const r of refused) if (r.consent_id) add(r.consent_id, 'REFUSED_CALLS', `${Number(r.n)} refused calls today`);
  if (reasons.size === 0) return [];
  let rows = db
    .selectFrom('consents')
    .selectAll()
    .where('id', 'in', [...reasons.keys()])
    .where('deleted_at', 'is', null);
  if (tenants) rows = rows.where('tenant_id', 'in', tenants);
  const views = await toConsentViews(db, await rows.execute(), now);
  // Most reasons first, then the soonest expiry.
  return views
    .map((consent) => ({ consent, reasons: reasons.get(consent.id) ?? [] }))
    .sort(
      (a, b) =>
        b.reasons.length - a.reasons.length ||
        (a.consent.expiresAt ?? '9999').localeCompare(b.consent.expiresAt ?? '9999') ||
        a.consent.id.localeCompare(b.consent.id),
    );
}
