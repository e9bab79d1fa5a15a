import type { Kysely } from 'kysely';
import type { Database, AssessmentRow, PaymentRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Page } from '../../../shared/src/api.ts';
import { CASE_OPENING_DECISIONS, type Assessment, type AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { toAssessment } from './mapping.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { nairobiHour, nairobiWeekday, ruleHit } from '../db/dialect.ts';

function joined(db: Kysely<Database>) {
  return db.selectFrom('fraud_risk_assessments as a').innerJoin('payments as p', 'p.id', 'a.payment_id').where('a.deleted_at', 'is', null);
}

// Payment columns are selected under a prefix and folded back into a payment row.
const PAYMENT_COLUMNS = [
  'id',
  'tenant_id',
  'transaction_reference',
  'payment_type',
  'local_instrumentation_code',
  'clearing_system_code',
  'payment_source',
  'amount',
  'currency',
  'amount_kes',
  'occurred_at',
  'channel',
  'country',
  'customer_ref',
  'debtor_account',
  'creditor_account',
  'ip_address',
  'device_id',
  'user_agent',
  'description',
  'created_at',
  'version',
] as const satisfies ReadonlyArray<keyof PaymentRow>;

async function selectJoined(query: ReturnType<typeof joined>): Promise<Assessment[]> {
  const rows = await query
    .selectAll('a')
    .select(PAYMENT_COLUMNS.map((c) => `p.${c} as p__${c}` as const))
    .execute();
  return rows.map((r) => {
    const record = r as unknown as Record<string, unknown>;
    const payment = Object.fromEntries(PAYMENT_COLUMNS.map((c) => [c, record[`p__${c}`]])) as unknown as PaymentRow;
    return toAssessment(r as unknown as AssessmentRow, payment);
  });
}

const SORT_COLUMNS = { createdAt: 'a.created_at', riskScore: 'a.risk_score', amount: 'a.amount_kes', processingTimeMs: 'a.processing_time_ms' } as const;

/** Seed 003's assessment views, as filters over the one list query. */
export type AssessmentView = 'all' | 'pending-review' | 'high-risk' | 'critical-risk' | 'recent';

/**
 * Who is reading and when (ARCHITECTURE.md "Tenants" and rule 3): `tenants` is the caller's
 * scope as a SQL list (TenantScope.narrow / sqlList; null = every tenant), `now` the service clock.
 */
export interface ReadScope {
  tenants: readonly string[] | null;
  now: Date;
  /** The database the filters are written for (Nairobi hour/weekday and rule hits differ; ARCHITECTURE.md rule 4). */
  dialect: DatabaseDialect;
}

/** The read scope of a caller: its tenants narrowed to the one it asked for, if any. */
export function readScope(scope: TenantScope, requestedTenant: string | undefined, now: Date, dialect: DatabaseDialect): ReadScope {
  return { tenants: scope.narrow(requestedTenant), now, dialect };
}

export function filteredAssessments(
  db: Kysely<Database>,
  query: Omit<AssessmentListQuery, 'page' | 'pageSize' | 'sort' | 'direction'>,
  view: AssessmentView,
  scope: ReadScope,
) {
  let base = joined(db);
  // The caller's tenants, narrowed to query.tenantId by the caller's scope (never widened by it).
  if (scope.tenants) base = base.where('a.tenant_id', 'in', [...scope.tenants]);
  if (query.tenantId) base = base.where('a.tenant_id', '=', query.tenantId);
  if (query.configurationId) base = base.where('a.configuration_id', '=', query.configurationId);
  if (query.paymentType) base = base.where('a.payment_type', '=', query.paymentType);
  if (query.from) base = base.where('a.created_at', '>=', new Date(query.from).toISOString());
  if (query.to) base = base.where('a.created_at', '<', new Date(query.to).toISOString());
  if (view === 'high-risk') base = base.where('a.risk_level', 'in', ['HIGH', 'CRITICAL']);
  if (view === 'critical-risk') base = base.where('a.risk_level', '=', 'CRITICAL');
  // Seed 003 fraud_risk_assessments_recent: the last 24 hours.
  if (view === 'recent') base = base.where('a.created_at', '>=', new Date(scope.now.getTime() - 86_400_000).toISOString());
  const onlyPendingReview = view === 'pending-review';
  if (query.riskLevel) base = base.where('a.risk_level', '=', query.riskLevel);
  if (query.decision) base = base.where('a.decision', '=', query.decision);
  if (query.status) base = base.where('a.status', '=', query.status);
  if (query.channel) base = base.where('a.channel', '=', query.channel);
  if (query.customerId) base = base.where('a.customer_ref', '=', query.customerId);
  // Drill-down filters (issue 15): the same expressions the dashboards group by.
  if (query.engineDecision) base = base.where('a.engine_decision', '=', query.engineDecision);
  if (query.flagged === 'true') base = base.where('a.engine_decision', '<>', 'APPROVE');
  if (query.county) base = base.where('a.customer_ref', 'in', db.selectFrom('customers').select('customer_ref').where('county', '=', query.county));
  if (query.creditorAccount) base = base.where('p.creditor_account', '=', query.creditorAccount);
  if (query.ruleId) base = base.where(ruleHit(scope.dialect, 'a.risk_factors', query.ruleId));
  if (query.hour !== undefined) base = base.where(nairobiHour(scope.dialect, 'a.created_at'), '=', query.hour);
  if (query.weekday !== undefined) base = base.where(nairobiWeekday(scope.dialect, 'a.created_at'), '=', query.weekday);
  if (onlyPendingReview) base = base.where('a.decision', 'in', [...CASE_OPENING_DECISIONS]).where('a.manual_decision', 'is', null);
  if (query.search) {
    const term = `%${query.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['a.transaction_reference']), 'like', term),
        eb(eb.fn('lower', ['a.assessment_id']), 'like', term),
        eb(eb.fn('lower', ['a.customer_ref']), 'like', term),
      ]),
    );
  }
  return base;
}

export async function listAssessments(db: Kysely<Database>, query: AssessmentListQuery, view: AssessmentView, scope: ReadScope): Promise<Page<Assessment>> {
  const base = filteredAssessments(db, query, view, scope);
  const [items, count] = await Promise.all([
    selectJoined(
      base
        .orderBy(SORT_COLUMNS[query.sort], query.direction)
        .orderBy('a.id', query.direction)
        .limit(query.pageSize)
        .offset(query.page * query.pageSize),
    ),
    base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.total), page: query.page, pageSize: query.pageSize };
}

/**
 * One assessment by row id, public id or (tenant and) transaction reference. With `tenants`, an
 * assessment of another tenant is not found (404: its existence is not revealed); without, the
 * service itself is reading (scoring, retries, replays).
 */
export async function getAssessment(
  db: Kysely<Database>,
  key: { id: string } | { reference: string; tenantId?: string },
  tenants?: readonly string[] | null,
): Promise<Assessment> {
  let query = joined(db);
  if (tenants) query = query.where('a.tenant_id', 'in', [...tenants]);
  if ('id' in key) {
    // Accept both the row UUID and the public assessment id (FRA-...).
    query = /^[0-9a-f-]{36}$/i.test(key.id) ? query.where('a.id', '=', key.id) : query.where('a.assessment_id', '=', key.id);
  } else {
    query = query.where('a.transaction_reference', '=', key.reference);
    if (key.tenantId) query = query.where('a.tenant_id', '=', key.tenantId);
  }
  const [found] = await selectJoined(query.orderBy('a.created_at', 'asc').limit(1));
  if (!found) throw notFound('assessment');
  return found;
}

export async function assessmentsForCase(db: Kysely<Database>, caseId: string): Promise<Assessment[]> {
  return selectJoined(
    joined(db)
      .where('a.id', 'in', db.selectFrom('case_assessments').select('assessment_id').where('case_id', '=', caseId))
      .orderBy('a.created_at', 'asc'),
  );
}
