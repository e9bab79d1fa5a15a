import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { KriMetric, KriMetricResult } from '../kris/metric-types.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { computeCredit } from './credit.ts';
import { computeLiquidity } from './liquidity.ts';
import { computeMarket } from './market.ts';
import { loadCreditInputs, loadLiquidityInputs, loadMarketInputs } from './load.ts';
import { INCIDENT_TYPES } from '../integration/incident-types.ts';

const HOUR_MS = 3_600_000;
/** Operational metrics look back one day (seed 000's failure-rate KRI is measured daily). */
const OPERATIONAL_WINDOW_HOURS = 24;
const isTrue = (column: string) => sql<boolean>`${sql.ref(column)} = ${sql.lit(true)}`;
const pct = (value: number) => `${value.toFixed(2)} %`;

async function credit(db: Kysely<Database>, tenantId: string, at: Date) {
  const loaded = await loadCreditInputs(db, tenantId, at);
  return loaded ? { inputs: loaded.inputs, result: computeCredit(loaded.inputs, loaded.customers) } : null;
}

/** The KRI metrics fed by the bank's systems and seed 001's models (issue 13); their KRIs are measured on ingestion and on schedule. */
export const RISK_MODEL_METRICS: readonly KriMetric[] = [
  {
    key: 'operational.transaction-failure-rate',
    label: 'Transaction failure rate',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'operational',
    description: 'Failed transactions as a share of all transaction outcomes core banking reported in the last 24 hours (seed 000: warning 2 %, critical 5 %).',
    async compute(db, tenantId, at) {
      const from = new Date(at.getTime() - OPERATIONAL_WINDOW_HOURS * HOUR_MS).toISOString();
      const row = await db
        .selectFrom('transaction_outcomes')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('total'),
          sql<number | string>`sum(case when ${isTrue('failed')} then 1 else 0 end)`.as('failed'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where('occurred_at', '>', from)
        .where('occurred_at', '<=', at.toISOString())
        .executeTakeFirst();
      const total = Number(row?.total ?? 0);
      if (total === 0) return null;
      const failed = Number(row?.failed ?? 0);
      const value = (failed / total) * 100;
      return {
        value,
        inputs: { failed, total, windowHours: OPERATIONAL_WINDOW_HOURS, from, to: at.toISOString() },
        note: `${failed} of ${total} transactions failed in ${OPERATIONAL_WINDOW_HOURS} h (${pct(value)})`,
      };
    },
  },
  {
    key: 'operational.incidents',
    label: 'Operational incidents reported',
    unit: 'incidents',
    direction: 'HIGHER_IS_WORSE',
    group: 'operational',
    description:
      'Incidents core banking reported in the last 24 hours (the incident endpoint and the SystemOutage, ProcessException and FraudDetected events).',
    async compute(db, tenantId, at) {
      const from = new Date(at.getTime() - OPERATIONAL_WINDOW_HOURS * HOUR_MS).toISOString();
      const row = await db
        .selectFrom('integration_inbox')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('type', 'in', [...INCIDENT_TYPES])
        .where('received_at', '>', from)
        .where('received_at', '<=', at.toISOString())
        .executeTakeFirst();
      const value = Number(row?.n ?? 0);
      // Zero incidents is a reading only once core banking reports to this tenant at all.
      if (value === 0 && !(await db.selectFrom('integration_inbox').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst())) return null;
      return {
        value,
        inputs: { incidents: value, windowHours: OPERATIONAL_WINDOW_HOURS, from, to: at.toISOString() },
        note: `${value} incident(s) reported in ${OPERATIONAL_WINDOW_HOURS} h`,
      };
    },
  },
  {
    key: 'compliance.open-aml-cases',
    label: 'Open AML cases',
    unit: 'cases',
    direction: 'HIGHER_IS_WORSE',
    group: 'compliance',
    description: 'AML cases the bank\'s AML system reports open (seed 000 "Open AML Cases").',
    async compute(db, tenantId) {
      const rows = await db
        .selectFrom('aml_cases')
        .select(['risk_score'])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where(isTrue('open'))
        .execute();
      const known = await db
        .selectFrom('aml_cases')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (Number(known?.n ?? 0) === 0) return null;
      const high = rows.filter((r) => r.risk_score !== null && Number(r.risk_score) >= 70).length;
      return {
        value: rows.length,
        inputs: { openCases: rows.length, highRiskCases: high, highRiskScoreFrom: 70 },
        note: `${rows.length} open AML case(s), ${high} with a risk score of 70 or more`,
      };
    },
  },
  {
    key: 'compliance.sanctions-pending',
    label: 'Sanctions screenings pending review',
    unit: 'screenings',
    direction: 'HIGHER_IS_WORSE',
    group: 'compliance',
    description: 'Sanctions screenings with matches that wait for a reviewer (seed 000: a backlog opens a compliance risk).',
    async compute(db, tenantId) {
      const rows = await db
        .selectFrom('sanctions_screenings')
        .select(['match_count'])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .where(isTrue('pending'))
        .execute();
      const known = await db
        .selectFrom('sanctions_screenings')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (Number(known?.n ?? 0) === 0) return null;
      const matches = rows.reduce((sum, r) => sum + Number(r.match_count), 0);
      return {
        value: rows.length,
        inputs: { pendingScreenings: rows.length, pendingMatches: matches },
        note: `${rows.length} screening(s) with ${matches} match(es) pending review`,
      };
    },
  },
  {
    key: 'credit.concentration',
    label: 'Credit concentration (largest sector share)',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'credit',
    description: 'The largest sector\'s share of the outstanding loan balance (seed 000 "Credit Concentration Ratio").',
    async compute(db, tenantId, at) {
      const run = await credit(db, tenantId, at);
      if (!run?.result.largestSector) return null;
      const { sector, percentage } = run.result.largestSector;
      return {
        value: percentage,
        inputs: { totalExposure: run.result.totalExposure, sectors: run.inputs.sectors.map((s) => ({ sector: s.sector, balance: s.balance })) },
        note: `Largest sector: ${sector} (${pct(percentage)})`,
      };
    },
  },
  {
    key: 'credit.npl-ratio',
    label: 'Non-performing loan ratio',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'credit',
    description: 'Balance of loans 90 or more days past due (or defaulted) over the outstanding balance.',
    async compute(db, tenantId, at) {
      const run = await credit(db, tenantId, at);
      if (!run || run.result.totalExposure <= 0) return null;
      const { nplBalance, totalExposure, nplRatio } = run.result;
      return { value: nplRatio, inputs: { nplBalance, totalExposure, pastDueDays: 90 }, note: `NPL ${pct(nplRatio)} (${nplBalance} of ${totalExposure})` };
    },
  },
  {
    key: 'credit.large-transaction-velocity',
    label: 'Large-transaction velocity (highest per customer)',
    unit: 'payments / 24 h',
    direction: 'HIGHER_IS_WORSE',
    group: 'credit',
    description: "The most payments above 10 M KES one customer made in the last 24 hours (seed 001's credit model).",
    async compute(db, tenantId, at) {
      const run = await credit(db, tenantId, at);
      if (!run) return null;
      const top = run.result.largeTransactions.customers[0];
      const value = run.result.largeTransactions.maxVelocity;
      return {
        value,
        inputs: { ...run.inputs.largeTransaction, topCustomers: run.result.largeTransactions.customers.slice(0, 5) },
        note: top && value > 0 ? `${top.customerRef}: ${value} large payment(s) in 24 h` : 'No customer made a large payment in 24 h',
      };
    },
  },
  {
    key: 'liquidity.lcr',
    label: 'Liquidity coverage ratio',
    unit: '%',
    direction: 'HIGHER_IS_BETTER',
    group: 'daily',
    description: 'HQLA after Basel haircuts and caps over net 30-day stress outflows (minimum 100 %).',
    async compute(db, tenantId, at) {
      const inputs = await loadLiquidityInputs(db, tenantId, at);
      if (!inputs) return null;
      const result = computeLiquidity(inputs);
      return {
        value: result.lcr,
        inputs: { ...inputs, hqla: result.hqla, netOutflows: result.netOutflows },
        note: `LCR ${pct(result.lcr)} (HQLA ${result.hqla} / net outflows ${result.netOutflows})`,
      };
    },
  },
  {
    key: 'liquidity.nsfr',
    label: 'Net stable funding ratio',
    unit: '%',
    direction: 'HIGHER_IS_BETTER',
    group: 'daily',
    description: 'Available over required stable funding (minimum 100 %), when treasury sends both.',
    async compute(db, tenantId, at) {
      const inputs = await loadLiquidityInputs(db, tenantId, at);
      const nsfr = inputs ? computeLiquidity(inputs).nsfr : null;
      if (!inputs || nsfr === null) return null;
      return {
        value: nsfr,
        inputs: { asOf: inputs.asOf, availableStableFunding: inputs.availableStableFunding, requiredStableFunding: inputs.requiredStableFunding },
        note: `NSFR ${pct(nsfr)}`,
      };
    },
  },
  {
    key: 'market.fx-open-position',
    label: 'FX net open position (share of core capital)',
    unit: '%',
    direction: 'HIGHER_IS_WORSE',
    group: 'daily',
    description: 'Aggregate FX net open position by the shorthand method as a share of core capital (needs the capital with the positions).',
    async compute(db, tenantId, at) {
      const inputs = await loadMarketInputs(db, tenantId, at);
      if (!inputs) return null;
      const result = computeMarket(inputs);
      if (result.shareOfCapital === null) return null;
      return {
        value: result.shareOfCapital,
        inputs: { asOf: inputs.asOf, capital: inputs.capital, aggregateOpenPosition: result.aggregateOpenPosition, byCurrency: result.byCurrency },
        note: `Open position ${result.aggregateOpenPosition} = ${pct(result.shareOfCapital)} of capital${result.largestCurrency ? `; largest ${result.largestCurrency}` : ''}`,
      };
    },
  },
];

/** The model metrics by key. */
export function riskModelMetric(key: KriMetricKey): KriMetric | undefined {
  return RISK_MODEL_METRICS.find((m) => m.key === key);
}

export type { KriMetricResult };
