import type { KriMetric } from '../kris/metric-types.ts';

/** Metrics computed from data the bank's systems feed and from seed 001's risk models (filled in by the risk-models slice). */
export const RISK_MODEL_METRICS: readonly KriMetric[] = [];
