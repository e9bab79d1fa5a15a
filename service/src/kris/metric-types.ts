import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { KriMetricKey, KriScheduleGroup } from '../../../shared/src/kri-metrics.ts';

/** What one automatic measurement found: the value, and the inputs it was computed from (shown to users). */
export interface KriMetricResult {
  value: number;
  /** Every input of the computation, by name (e.g. { hqla: 120, netOutflows: 100 }): stored with the measurement. */
  inputs: Record<string, unknown>;
  /** One line for the measurement's note, e.g. "Largest sector: Real Estate (30.0 %)". */
  note: string;
}

/**
 * One automatic KRI metric (issue 13): computed as of `at` (the injected clock's instant, ARCHITECTURE.md
 * rule 3) for one tenant, from data the service holds. Null when there is no data to measure from
 * (the KRI then goes stale rather than showing a made-up zero).
 */
export interface KriMetric {
  key: KriMetricKey;
  label: string;
  unit: string;
  direction: 'HIGHER_IS_WORSE' | 'HIGHER_IS_BETTER';
  group: KriScheduleGroup;
  description: string;
  compute(db: Kysely<Database>, tenantId: string, at: Date): Promise<KriMetricResult | null>;
}
