import { z } from 'zod';
import {
  ComplianceSyncInput,
  FxPositionsInput,
  IngestResult,
  LiquidityPositionInput,
  LoanBatchInput,
  OperationalIncidentInput,
  PortfolioRiskQuery,
  RiskModelName,
  TransactionOutcomesInput,
} from '../risk-data.ts';
import { CreditModelView, LiquidityModelView, MarketModelView, PortfolioRisk, RiskModelQuery, RiskModelRun, RiskModelRunInput } from '../risk-data-models.ts';
import { defineOperation } from './operation.ts';

const INGEST =
  ' Idempotent: send an `Idempotency-Key` header (else the natural id or the exact body is the key); a repeat answers the first result with `Idempotent-Replayed: true`. `tenantId` may be left out by a client that feeds one tenant.';

const ingest = <const N extends string, const P extends string, B extends z.ZodType>(name: N, path: P, summary: string, body: B) =>
  defineOperation({
    name,
    kind: 'command',
    method: 'POST',
    path,
    access: 'integration:ingest',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary: summary + INGEST,
    body,
    output: IngestResult,
  });

/**
 * Seed 000's integration endpoints for the bank's core banking system (machine clients with the
 * CORE_BANKING role, `integration:ingest`), and the risk models' results for risk users (issue 13,
 * ARCHITECTURE.md rule 2).
 */
export const integrationOperations = {
  portfolioRisk: defineOperation({
    name: 'integration.portfolio-risk',
    kind: 'query',
    method: 'GET',
    path: '/api/integration/credit/portfolio-risk',
    access: 'integration:ingest',
    tenant: 'input',
    tenantField: 'query.tenantId',
    summary: "Seed 000's loan portfolio risk: total exposure, risk-weighted assets, concentration by sector with risk level, NPL ratio, provision coverage.",
    query: PortfolioRiskQuery,
    output: PortfolioRisk,
  }),
  incident: ingest(
    'integration.operational-incident',
    '/api/integration/operational/incident',
    'Records an operational incident (seed 000 body, including its "downtime Minutes" key) as a risk event and measures the operational KRIs.',
    OperationalIncidentInput,
  ),
  complianceSync: ingest(
    'integration.compliance-sync',
    '/api/integration/compliance/sync',
    'Syncs AML cases and sanctions screenings, measures the compliance KRIs and opens or updates the sanctions-backlog risk while screenings wait for review.',
    ComplianceSyncInput,
  ),
  loans: ingest(
    'integration.loans',
    '/api/integration/credit/loans',
    "Creates or updates loans by the bank's loan id and runs the credit model.",
    LoanBatchInput,
  ),
  liquidity: ingest(
    'integration.liquidity-position',
    '/api/integration/liquidity/positions',
    'Stores a liquidity position (HQLA by level, 30-day outflows and inflows, stable funding) and runs the liquidity model (LCR, NSFR).',
    LiquidityPositionInput,
  ),
  fxPositions: ingest(
    'integration.fx-positions',
    '/api/integration/market/fx-positions',
    'Stores the FX book by currency and runs the market model (net open position).',
    FxPositionsInput,
  ),
  transactionOutcomes: ingest(
    'integration.transaction-outcomes',
    '/api/integration/transactions/outcomes',
    'Stores transaction outcomes and measures the transaction-failure-rate KRIs.',
    TransactionOutcomesInput,
  ),
} as const;

const MODELS = '/api/v1/risk-models';

export const riskModelOperations = {
  credit: defineOperation({
    name: 'risk-model.credit',
    kind: 'query',
    method: 'GET',
    path: `${MODELS}/credit`,
    access: 'risk:read',
    tenant: 'input',
    tenantField: 'query.tenantId',
    summary:
      "The credit model's latest run and history: sector concentration, NPL ratio, provision coverage, risk-weighted assets, large-transaction frequency and velocity per customer, with inputs.",
    query: RiskModelQuery,
    output: CreditModelView,
  }),
  liquidity: defineOperation({
    name: 'risk-model.liquidity',
    kind: 'query',
    method: 'GET',
    path: `${MODELS}/liquidity`,
    access: 'risk:read',
    tenant: 'input',
    tenantField: 'query.tenantId',
    summary: "The liquidity model's latest run and history: LCR with Basel haircuts and caps, NSFR, with inputs.",
    query: RiskModelQuery,
    output: LiquidityModelView,
  }),
  market: defineOperation({
    name: 'risk-model.market',
    kind: 'query',
    method: 'GET',
    path: `${MODELS}/market`,
    access: 'risk:read',
    tenant: 'input',
    tenantField: 'query.tenantId',
    summary: "The market model's latest run and history: FX net open position by currency and the shorthand aggregate, with inputs.",
    query: RiskModelQuery,
    output: MarketModelView,
  }),
  run: defineOperation({
    name: 'risk-model.run',
    kind: 'command',
    method: 'POST',
    path: `${MODELS}/runs`,
    access: 'risk:manage',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary: 'Runs a model now on the data held, stores the run and measures its KRIs (run is null when there is no data for it).',
    body: RiskModelRunInput.extend({ model: RiskModelName }),
    output: z.object({ run: RiskModelRun.nullable() }),
  }),
} as const;
