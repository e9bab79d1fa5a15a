import type { CommandContext } from '../commands/bus.ts';
import { toJson } from '../db/database.ts';
import type { RiskModelName } from '../../../shared/src/risk-data.ts';
import type { RiskModelRun } from '../../../shared/src/risk-data-models.ts';
import { computeCredit } from './credit.ts';
import { computeLiquidity } from './liquidity.ts';
import { computeMarket } from './market.ts';
import { loadCreditInputs, loadLiquidityInputs, loadMarketInputs } from './load.ts';

export const MODEL_RUN_ENTITY = 'risk_model_run';

/** The model's inputs as of the command's time and its result, or null when the bank sent nothing it can run on. */
async function evaluate(ctx: CommandContext, tenantId: string, model: RiskModelName): Promise<{ inputs: unknown; result: unknown } | null> {
  if (model === 'CREDIT') {
    const loaded = await loadCreditInputs(ctx.trx, tenantId, ctx.now);
    return loaded ? { inputs: loaded.inputs, result: computeCredit(loaded.inputs, loaded.customers) } : null;
  }
  if (model === 'LIQUIDITY') {
    const inputs = await loadLiquidityInputs(ctx.trx, tenantId, ctx.now);
    return inputs ? { inputs, result: computeLiquidity(inputs) } : null;
  }
  const inputs = await loadMarketInputs(ctx.trx, tenantId, ctx.now);
  return inputs ? { inputs, result: computeMarket(inputs) } : null;
}

/**
 * Runs one of seed 001's models inside the caller's command and stores the run with its inputs
 * (issue 13: "real computations with their inputs shown"), audited and change-logged.
 */
export async function runModelWithin(ctx: CommandContext, tenantId: string, model: RiskModelName, trigger: string): Promise<RiskModelRun | null> {
  const evaluated = await evaluate(ctx, tenantId, model);
  if (!evaluated) return null;
  const run = { id: ctx.newId(), tenantId, model, runAt: ctx.now.toISOString(), trigger: trigger.slice(0, 200), ...evaluated } as RiskModelRun;
  await ctx.trx
    .insertInto('risk_model_runs')
    .values({
      id: run.id,
      tenant_id: tenantId,
      model,
      run_at: run.runAt,
      trigger: run.trigger,
      inputs: toJson(run.inputs),
      result: toJson(run.result),
      version: 1,
      deleted_at: null,
    })
    .execute();
  ctx.audit({ entityType: MODEL_RUN_ENTITY, entityId: run.id, before: null, after: { model, trigger: run.trigger, result: run.result }, tenantId });
  ctx.change({ entityType: MODEL_RUN_ENTITY, entityId: run.id, operation: 'upsert', version: 1, data: { ...run } });
  return run;
}
