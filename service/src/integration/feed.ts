import type { CommandContext } from '../commands/bus.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import type { IngestResult, RiskModelName } from '../../../shared/src/risk-data.ts';
import { findKrisByMetric, recordKriMeasurementWithin } from '../kris/measure.ts';
import { riskModelMetric } from '../risk-models/metrics.ts';
import { runModelWithin } from '../risk-models/run.ts';

/** The KRI metrics each model's run changes. */
export const MODEL_METRICS: Record<RiskModelName, readonly KriMetricKey[]> = {
  CREDIT: ['credit.concentration', 'credit.npl-ratio', 'credit.large-transaction-velocity'],
  LIQUIDITY: ['liquidity.lcr', 'liquidity.nsfr'],
  MARKET: ['market.fx-open-position'],
};

/**
 * Measures the automatic KRIs of the given metrics right away, in the ingesting command's
 * transaction (issue 13: "each model's result feeds its KRIs"): a breach opens its risk event and
 * notifies the owners through the KRI slice's one measurement path.
 */
export async function measureMetricsWithin(ctx: CommandContext, tenantId: string, keys: readonly KriMetricKey[], result: IngestResult): Promise<void> {
  for (const key of keys) {
    const kris = await findKrisByMetric(ctx.trx, tenantId, key);
    if (kris.length === 0) continue;
    const metric = riskModelMetric(key);
    const measured = metric ? await metric.compute(ctx.trx, tenantId, ctx.now) : null;
    if (!measured) continue;
    for (const kri of kris) {
      const measurement = await recordKriMeasurementWithin(ctx, {
        kriId: kri.id,
        value: measured.value,
        measuredAt: ctx.now.toISOString(),
        note: measured.note,
        source: 'INTEGRATION',
        inputs: measured.inputs,
      });
      result.kriMeasurements.push({ kriId: kri.id, metric: key, value: measured.value, status: measurement.measurement.status });
      if (measurement.eventId && !result.riskEventIds.includes(measurement.eventId)) result.riskEventIds.push(measurement.eventId);
    }
  }
}

/** Runs a model after its inputs changed, stores the run and measures its KRIs. */
export async function rerunModelWithin(ctx: CommandContext, tenantId: string, model: RiskModelName, trigger: string, result: IngestResult): Promise<void> {
  const run = await runModelWithin(ctx, tenantId, model, trigger);
  if (run) result.modelRuns.push({ model, runId: run.id });
  await measureMetricsWithin(ctx, tenantId, MODEL_METRICS[model], result);
}
