import { z } from 'zod';

/**
 * What an automatic KRI measures (issue 13 "KRIs"): computed by the service on a schedule from data
 * it holds — its own cases and assessments, or what the bank's systems feed it (seed 000). The
 * service's side of each metric lives in service/src/kris/metrics.ts (service data) and
 * service/src/risk-models/metrics.ts (fed data and seed 001's models).
 */
export const KriMetricKey = z.enum([
  // From the service's own data.
  'fraud.cases-opened',
  'cases.sla-breaches',
  'payments.flagged-share',
  'bank-engine.error-rate',
  // From data the bank's systems feed (integration endpoints and the risk-events queue).
  'operational.transaction-failure-rate',
  'operational.incidents',
  'compliance.open-aml-cases',
  'compliance.sanctions-pending',
  'credit.concentration',
  'credit.npl-ratio',
  'credit.large-transaction-velocity',
  'liquidity.lcr',
  'liquidity.nsfr',
  'market.fx-open-position',
]);
export type KriMetricKey = z.infer<typeof KriMetricKey>;

/** Which of seed 000's sync schedules measures a metric's KRIs. */
export const KriScheduleGroup = z.enum(['credit', 'operational', 'compliance', 'daily']);
export type KriScheduleGroup = z.infer<typeof KriScheduleGroup>;

/** Seed 000 "Scheduled Synchronization": the default cron strings, in the bank's time zone. */
export const DEFAULT_KRI_SCHEDULES: Record<KriScheduleGroup, string> = {
  credit: '0 */6 * * *',
  operational: '0 * * * *',
  compliance: '0 */12 * * *',
  daily: '0 0 * * *',
};
