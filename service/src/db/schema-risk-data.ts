// Kysely table types of migration 0017-risk-data (issue 13). Column conventions: see schema.ts.
import type { Selectable } from 'kysely';
import type { Bool, BoolWithDefault, Json, NullableTimestamp, Timestamp } from './schema.ts';

/** One accepted delivery from the bank's systems (HTTP or the risk-events queue) and the answer given. */
export interface IntegrationInboxTable {
  id: string;
  tenant_id: string;
  /** HTTP | AMQP */
  source: string;
  /** Idempotency-Key header, a natural id ("loans:<hash>") or the queue message's eventId. */
  idempotency_key: string;
  type: string;
  /** SHA-256 of the canonical request: the same key with another request is refused (409). */
  request_hash: string;
  received_at: Timestamp;
  actor_id: string;
  result: Json;
}

export interface LoansTable {
  id: string;
  tenant_id: string;
  loan_id: string;
  customer_id: string;
  sector: string;
  outstanding_balance: number;
  currency: string;
  days_past_due: number;
  collateral_value: number;
  provision_amount: number;
  /** ACTIVE | DEFAULTED | CLOSED | WRITTEN_OFF */
  status: string;
  disbursed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface LiquidityPositionsTable {
  id: string;
  tenant_id: string;
  as_of: Timestamp;
  hqla_level1: number;
  hqla_level2a: number;
  hqla_level2b: number;
  outflows_30d: number;
  inflows_30d: number;
  available_stable_funding: number | null;
  required_stable_funding: number | null;
  currency: string;
  created_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface FxPositionsTable {
  id: string;
  tenant_id: string;
  as_of: Timestamp;
  currency: string;
  /** In the reporting currency (KES) equivalent. */
  long_position: number;
  short_position: number;
  /** Core capital the open position is compared with (the same on every row of one snapshot). */
  capital: number | null;
  created_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface AmlCasesTable {
  id: string;
  tenant_id: string;
  case_id: string;
  status: string;
  open: BoolWithDefault;
  risk_score: number | null;
  assigned_to: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface SanctionsScreeningsTable {
  id: string;
  tenant_id: string;
  screening_id: string;
  match_count: number;
  status: string;
  pending: BoolWithDefault;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface TransactionOutcomesTable {
  id: string;
  tenant_id: string;
  transaction_id: string;
  occurred_at: Timestamp;
  failed: Bool;
  reason: string | null;
  created_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface RiskModelRunsTable {
  id: string;
  tenant_id: string;
  /** CREDIT | LIQUIDITY | MARKET */
  model: string;
  run_at: Timestamp;
  /** What caused the run, e.g. "integration.loans" or "risk-model.run by Faith Wambui". */
  trigger: string;
  inputs: Json;
  result: Json;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface IntegrationRiskLinksTable {
  id: string;
  tenant_id: string;
  /** e.g. "sanctions-backlog" */
  purpose: string;
  risk_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export type RiskDataTables = {
  integration_inbox: IntegrationInboxTable;
  loans: LoansTable;
  liquidity_positions: LiquidityPositionsTable;
  fx_positions: FxPositionsTable;
  aml_cases: AmlCasesTable;
  sanctions_screenings: SanctionsScreeningsTable;
  transaction_outcomes: TransactionOutcomesTable;
  risk_model_runs: RiskModelRunsTable;
  integration_risk_links: IntegrationRiskLinksTable;
};

export type LoanRow = Selectable<LoansTable>;
export type LiquidityPositionRow = Selectable<LiquidityPositionsTable>;
export type FxPositionRow = Selectable<FxPositionsTable>;
export type RiskModelRunRow = Selectable<RiskModelRunsTable>;
