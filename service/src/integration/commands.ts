import { defineCommand } from '../commands/bus.ts';
import {
  ComplianceSyncInput,
  FxPositionsInput,
  LiquidityPositionInput,
  LoanBatchInput,
  OperationalIncidentInput,
  TransactionOutcomesInput,
} from '../../../shared/src/risk-data.ts';
import { RiskModelName } from '../../../shared/src/risk-data.ts';
import { RiskModelRunInput } from '../../../shared/src/risk-data-models.ts';
import type { RiskModelRun } from '../../../shared/src/risk-data-models.ts';
import { recordRiskEventWithin } from '../risk-events/record.ts';
import { runModelWithin } from '../risk-models/run.ts';
import { updateSanctionsBacklogWithin } from './backlog.ts';
import { MODEL_METRICS, measureMetricsWithin, rerunModelWithin } from './feed.ts';
import { defineHttpIngest } from './ingest.ts';
import {
  closeUnlistedWithin,
  storeFxPositionsWithin,
  storeLiquidityWithin,
  storeOutcomesWithin,
  upsertAmlCaseWithin,
  upsertLoansWithin,
  upsertScreeningWithin,
} from './store.ts';
import { assertActsFor } from './inbox.ts';

/**
 * Seed 000's integration endpoints as commands (ARCHITECTURE.md rule 1): each delivery is checked
 * against the client's tenants, applied once (integration inbox), audited, and the KRIs its data
 * feeds are measured in the same transaction.
 */

export const COMPLIANCE_METRICS = ['compliance.open-aml-cases', 'compliance.sanctions-pending'] as const;

/** POST /api/integration/operational/incident: a risk event, and the operational incident KRIs. */
export const ingestOperationalIncident = defineHttpIngest({
  name: 'integration.operational-incident',
  body: OperationalIncidentInput,
  type: 'operational.incident',
  naturalId: (b) => b.incidentId,
  async apply(ctx, tenantId, b, result) {
    const event = await recordRiskEventWithin(ctx, {
      tenantId,
      type: 'INCIDENT',
      severity: b.severity,
      source: 'INTEGRATION',
      title: `${b.incidentType}${b.affectedSystem ? `: ${b.affectedSystem}` : ''}`,
      description: b.description,
      occurredAt: b.occurredAt ?? ctx.now.toISOString(),
      financialImpact: b.financialImpact ?? null,
      currency: b.financialImpact === undefined ? null : b.currency,
      externalId: b.incidentId ?? result.idempotencyKey,
      details: { incidentType: b.incidentType, affectedSystem: b.affectedSystem ?? null, downtimeMinutes: b.downtimeMinutes },
    });
    result.riskEventIds.push(event.id);
    result.records.created += 1;
    await measureMetricsWithin(ctx, tenantId, ['operational.incidents'], result);
  },
});

/** POST /api/integration/compliance/sync: AML cases and sanctions screenings; compliance KRIs; the sanctions backlog risk. */
export const ingestComplianceSync = defineHttpIngest({
  name: 'integration.compliance-sync',
  body: ComplianceSyncInput,
  type: 'compliance.sync',
  async apply(ctx, tenantId, b, result) {
    for (const c of b.amlCases) await upsertAmlCaseWithin(ctx, tenantId, c, result.records);
    for (const s of b.sanctionsScreenings) await upsertScreeningWithin(ctx, tenantId, s, result.records);
    if (b.mode === 'SNAPSHOT') {
      await closeUnlistedWithin(
        ctx,
        tenantId,
        b.amlCases.map((c) => c.caseId),
        b.sanctionsScreenings.map((s) => s.screeningId),
        result.records,
      );
    }
    await measureMetricsWithin(ctx, tenantId, COMPLIANCE_METRICS, result);
    await updateSanctionsBacklogWithin(ctx, tenantId, result);
  },
});

/** POST /api/integration/credit/loans: loans by the bank's id; the credit model runs. */
export const ingestLoans = defineHttpIngest({
  name: 'integration.loans',
  body: LoanBatchInput,
  type: 'credit.loans',
  async apply(ctx, tenantId, b, result) {
    await upsertLoansWithin(ctx, tenantId, b.loans, result.records);
    await rerunModelWithin(ctx, tenantId, 'CREDIT', 'integration.loans', result);
  },
});

/** POST /api/integration/liquidity/positions: the treasury position; the liquidity model runs. */
export const ingestLiquidityPosition = defineHttpIngest({
  name: 'integration.liquidity-position',
  body: LiquidityPositionInput,
  type: 'liquidity.position',
  async apply(ctx, tenantId, b, result) {
    await storeLiquidityWithin(
      ctx,
      tenantId,
      {
        asOf: b.asOf,
        currency: b.currency,
        level1: b.hqla.level1,
        level2a: b.hqla.level2a,
        level2b: b.hqla.level2b,
        outflows30d: b.outflows30d,
        inflows30d: b.inflows30d,
        availableStableFunding: b.availableStableFunding ?? null,
        requiredStableFunding: b.requiredStableFunding ?? null,
      },
      result.records,
    );
    await rerunModelWithin(ctx, tenantId, 'LIQUIDITY', 'integration.liquidity-position', result);
  },
});

/** POST /api/integration/market/fx-positions: the FX book; the market model runs. */
export const ingestFxPositions = defineHttpIngest({
  name: 'integration.fx-positions',
  body: FxPositionsInput,
  type: 'market.fx-positions',
  async apply(ctx, tenantId, b, result) {
    await storeFxPositionsWithin(ctx, tenantId, b.asOf, b.capital ?? null, b.positions, result.records);
    await rerunModelWithin(ctx, tenantId, 'MARKET', 'integration.fx-positions', result);
  },
});

/** POST /api/integration/transactions/outcomes: transaction outcomes; the failure-rate KRIs. */
export const ingestTransactionOutcomes = defineHttpIngest({
  name: 'integration.transaction-outcomes',
  body: TransactionOutcomesInput,
  type: 'transactions.outcomes',
  async apply(ctx, tenantId, b, result) {
    const outcomes = b.outcomes.map((o) => ({ transactionId: o.transactionId, occurredAt: o.occurredAt, failed: o.status === 'FAILED', reason: o.reason }));
    await storeOutcomesWithin(ctx, tenantId, outcomes, result.records);
    await measureMetricsWithin(ctx, tenantId, ['operational.transaction-failure-rate'], result);
  },
});

/** A risk manager runs a model now on the data held (e.g. after payments changed the large-transaction figures). */
export const runRiskModel = defineCommand({
  name: 'risk-model.run',
  input: RiskModelRunInput.extend({ model: RiskModelName }),
  permission: 'risk:manage',
  async apply(ctx, input): Promise<RiskModelRun | null> {
    assertActsFor(ctx, input.tenantId);
    const run = await runModelWithin(ctx, input.tenantId, input.model, `run by ${ctx.actor.name}`);
    const ignored = {
      ingestionId: '',
      type: '',
      tenantId: input.tenantId,
      idempotencyKey: '',
      receivedAt: '',
      records: { created: 0, updated: 0, unchanged: 0 },
      riskEventIds: [],
      riskIds: [],
      modelRuns: [],
      kriMeasurements: [],
      notes: [],
    };
    if (run) await measureMetricsWithin(ctx, input.tenantId, MODEL_METRICS[input.model], ignored);
    return run;
  },
});
