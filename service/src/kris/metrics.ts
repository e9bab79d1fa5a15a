import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { OPEN_CASE_STATES } from '../../../shared/src/cases.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { RISK_MODEL_METRICS } from '../risk-models/metrics.ts';
import type { KriMetric } from './metric-types.ts';

const HOUR_MS = 3_600_000;
const pct = (value: number) => `${value.toFixed(2)} %`;
const count = (row: { n: number | string | null } | undefined) => Number(row?.n ?? 0);

/** Rows of a window that ends at `at` (inclusive) and reaches back `hours`: never reads past `at`, so a replay sees what was there then. */
const windowOf = (at: Date, hours: number) => ({ from: new Date(at.getTime() - hours * HOUR_MS).toISOString(), to: at.toISOString() });

/**
 * Metrics from the service's own data (issue 13): its cases, the assessments it scored and what
 * the bank's fraud engine answered. Each is computed for one tenant as of `at` (the injected clock).
 */
export const SERVICE_DATA_METRICS: readonly KriMetric[] = [
  {
    key: 'fraud.cases-opened',
    label: 'Fraud cases opened',
    unit: 'cases',
    direction: 'HIGHER_IS_WORSE',
    group: 'daily',
    description: 'Fraud cases the workstation opened in the 24 hours before the measurement.',
    async compute(db, tenantId, at) {
      const { from, to } = windowOf(at, 24);
      const row = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where('created_at', '>', from)
        .where('created_at', '<=', to)
        .executeTakeFirst();
      const opened = count(row);
      return { value: opened, inputs: { opened, windowFrom: from, windowTo: to }, note: `${opened} case(s) opened in the 24 h to ${to}` };
    },
  },
  {
    key: 'cases.sla-breaches',
    label: 'Cases past their SLA',
    unit: 'cases',
    direction: 'HIGHER_IS_WORSE',
    group: 'operational',
    description: 'Open cases whose SLA due time has passed at the measurement (the overview counts the same as overdue).',
    async compute(db, tenantId, at) {
      const row = await db
        .selectFrom('cases')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.sum<number | string | null>(eb.case().when('sla_due_at', '<', at.toISOString()).then(1).else(0).end()).as('overdue'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where('state', 'in', [...OPEN_CASE_STATES])
        .where('created_at', '<=', at.toISOString())
        .executeTakeFirst();
      const open = count(row);
      const overdue = Number(row?.overdue ?? 0);
      return { value: overdue, inputs: { openCases: open, pastSla: overdue, at: at.toISOString() }, note: `${overdue} of ${open} open case(s) past their SLA` };
    },
  },
  {
    key: 'payments.flagged-share',
    label: 'Share of payments flagged',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'daily',
    description: 'Payments the scoring engine did not approve outright, as a share of all payments scored in the 24 hours before the measurement.',
    async compute(db, tenantId, at) {
      const { from, to } = windowOf(at, 24);
      const row = await db
        .selectFrom('fraud_risk_assessments')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('n'),
          sql<number | string | null>`sum(case when engine_decision is not null and engine_decision <> 'APPROVE' then 1 else 0 end)`.as('flagged'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where('engine_decision', 'is not', null)
        .where('created_at', '>', from)
        .where('created_at', '<=', to)
        .executeTakeFirst();
      const scored = count(row);
      if (scored === 0) return null;
      const flagged = Number(row?.flagged ?? 0);
      const share = (100 * flagged) / scored;
      return { value: share, inputs: { scored, flagged, windowFrom: from, windowTo: to }, note: `${flagged} of ${scored} payment(s) flagged (${pct(share)})` };
    },
  },
  {
    key: 'bank-engine.error-rate',
    label: 'Bank fraud engine error rate',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'operational',
    description: "Calls to the bank's fraud engine that failed, timed out or answered nonsense, as a share of all calls in the hour before the measurement.",
    async compute(db, tenantId, at) {
      const { from, to } = windowOf(at, 1);
      const row = await db
        .selectFrom('fraud_risk_assessments')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.sum<number | string | null>(eb.case().when('error_message', 'is not', null).then(1).else(0).end()).as('failed'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where('external_api_used', 'is not', null)
        .where('created_at', '>', from)
        .where('created_at', '<=', to)
        .executeTakeFirst();
      const calls = count(row);
      if (calls === 0) return null;
      const failed = Number(row?.failed ?? 0);
      const rate = (100 * failed) / calls;
      return { value: rate, inputs: { calls, failed, windowFrom: from, windowTo: to }, note: `${failed} of ${calls} engine call(s) failed (${pct(rate)})` };
    },
  },
];

/** Every metric an automatic KRI can measure: the service's own data, then the bank's (slice C). */
export const KRI_METRICS: readonly KriMetric[] = [...SERVICE_DATA_METRICS, ...RISK_MODEL_METRICS];

export function metricByKey(key: KriMetricKey): KriMetric | undefined {
  return KRI_METRICS.find((m) => m.key === key);
}

/** A metric's value for one tenant as of `at`, or null when there is nothing to measure from. */
export async function computeMetric(db: Kysely<Database>, key: KriMetricKey, tenantId: string, at: Date) {
  const metric = metricByKey(key);
  return metric ? metric.compute(db, tenantId, at) : null;
}
