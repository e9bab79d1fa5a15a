import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromJson, toIso } from '../db/database.ts';
import type { RiskModelName } from '../../../shared/src/risk-data.ts';
import type { PortfolioRisk, RiskModelRun } from '../../../shared/src/risk-data-models.ts';
import { computeCredit, creditInputs } from '../risk-models/credit.ts';
import { loadCreditLoans } from '../risk-models/load.ts';

/** Seed 000 Example 1, computed from the loans held now (payments are not part of this answer). */
export async function portfolioRisk(db: Kysely<Database>, tenantId: string, at: Date): Promise<PortfolioRisk> {
  const loans = await loadCreditLoans(db, tenantId);
  const { inputs } = creditInputs(loans, [], at);
  const result = computeCredit(inputs, []);
  return {
    tenantId,
    asOf: at.toISOString(),
    currency: 'KES',
    totalExposure: result.totalExposure,
    riskWeightedAssets: result.riskWeightedAssets,
    concentrationRisks: result.concentrationRisks,
    nplRatio: result.nplRatio,
    provisionCoverage: result.provisionCoverage,
    loanCount: result.loanCount,
  };
}

/** A model's stored runs for a tenant, newest first (the first is the latest). */
export async function modelRuns<R extends RiskModelRun>(
  db: Kysely<Database>,
  tenantId: string,
  model: RiskModelName,
  limit: number,
): Promise<{ tenantId: string; latest: R | null; history: R[] }> {
  const rows = await db
    .selectFrom('risk_model_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('model', '=', model)
    .where('deleted_at', 'is', null)
    .orderBy('run_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const runs = rows.map(
    (r) =>
      ({
        id: r.id,
        tenantId: r.tenant_id,
        model: r.model,
        runAt: toIso(r.run_at),
        trigger: r.trigger,
        inputs: fromJson(r.inputs),
        result: fromJson(r.result),
      }) as R,
  );
  return { tenantId, latest: runs[0] ?? null, history: runs };
}
