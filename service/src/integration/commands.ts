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
import { ingestInput, ingestWithin } from './ingest.ts';
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
export const ingestOperationalIncident = defineCommand({
  name: 'integration.operational-incident',
  input: ingestInput(OperationalIncidentInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      {
        tenantId: input.tenantId,
        source: 'HTTP',
        type: 'operational.incident',
        idempotencyKey: input.idempotencyKey,
        naturalId: input.body.incidentId,
        body: input.body,
      },
      async (result) => {
        const b = input.body;
        const event = await recordRiskEventWithin(ctx, {
          tenantId: input.tenantId,
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
        await measureMetricsWithin(ctx, input.tenantId, ['operational.incidents'], result);
      },
    ),
});

/** POST /api/integration/compliance/sync: AML cases and sanctions screenings; compliance KRIs; the sanctions backlog risk. */
export const ingestComplianceSync = defineCommand({
  name: 'integration.compliance-sync',
  input: ingestInput(ComplianceSyncInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      { tenantId: input.tenantId, source: 'HTTP', type: 'compliance.sync', idempotencyKey: input.idempotencyKey, body: input.body },
      async (result) => {
        for (const c of input.body.amlCases) await upsertAmlCaseWithin(ctx, input.tenantId, c, result.records);
        for (const s of input.body.sanctionsScreenings) await upsertScreeningWithin(ctx, input.tenantId, s, result.records);
        if (input.body.mode === 'SNAPSHOT') {
          await closeUnlistedWithin(
            ctx,
            input.tenantId,
            input.body.amlCases.map((c) => c.caseId),
            input.body.sanctionsScreenings.map((s) => s.screeningId),
            result.records,
          );
        }
        await measureMetricsWithin(ctx, input.tenantId, COMPLIANCE_METRICS, result);
        await updateSanctionsBacklogWithin(ctx, input.tenantId, result);
      },
    ),
});

/** POST /api/integration/credit/loans: loans by the bank's id; the credit model runs. */
export const ingestLoans = defineCommand({
  name: 'integration.loans',
  input: ingestInput(LoanBatchInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      { tenantId: input.tenantId, source: 'HTTP', type: 'credit.loans', idempotencyKey: input.idempotencyKey, body: input.body },
      async (result) => {
        await upsertLoansWithin(ctx, input.tenantId, input.body.loans, result.records);
        await rerunModelWithin(ctx, input.tenantId, 'CREDIT', 'integration.loans', result);
      },
    ),
});

/** POST /api/integration/liquidity/positions: the treasury position; the liquidity model runs. */
export const ingestLiquidityPosition = defineCommand({
  name: 'integration.liquidity-position',
  input: ingestInput(LiquidityPositionInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      { tenantId: input.tenantId, source: 'HTTP', type: 'liquidity.position', idempotencyKey: input.idempotencyKey, body: input.body },
      async (result) => {
        const b = input.body;
        await storeLiquidityWithin(
          ctx,
          input.tenantId,
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
        await rerunModelWithin(ctx, input.tenantId, 'LIQUIDITY', 'integration.liquidity-position', result);
      },
    ),
});

/** POST /api/integration/market/fx-positions: the FX book; the market model runs. */
export const ingestFxPositions = defineCommand({
  name: 'integration.fx-positions',
  input: ingestInput(FxPositionsInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      { tenantId: input.tenantId, source: 'HTTP', type: 'market.fx-positions', idempotencyKey: input.idempotencyKey, body: input.body },
      async (result) => {
        await storeFxPositionsWithin(ctx, input.tenantId, input.body.asOf, input.body.capital ?? null, input.body.positions, result.records);
        await rerunModelWithin(ctx, input.tenantId, 'MARKET', 'integration.fx-positions', result);
      },
    ),
});

/** POST /api/integration/transactions/outcomes: transaction outcomes; the failure-rate KRIs. */
export const ingestTransactionOutcomes = defineCommand({
  name: 'integration.transaction-outcomes',
  input: ingestInput(TransactionOutcomesInput),
  permission: 'integration:ingest',
  apply: (ctx, input) =>
    ingestWithin(
      ctx,
      { tenantId: input.tenantId, source: 'HTTP', type: 'transactions.outcomes', idempotencyKey: input.idempotencyKey, body: input.body },
      async (result) => {
        const outcomes = input.body.outcomes.map((o) => ({
          transactionId: o.transactionId,
          occurredAt: o.occurredAt,
          failed: o.status === 'FAILED',
          reason: o.reason,
        }));
        await storeOutcomesWithin(ctx, input.tenantId, outcomes, result.records);
        await measureMetricsWithin(ctx, input.tenantId, ['operational.transaction-failure-rate'], result);
      },
    ),
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
