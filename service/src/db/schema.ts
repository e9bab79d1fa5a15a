import type { ColumnType, Generated, Selectable } from 'kysely';
// Issue 13's tables, one file per slice.
import type { RiskRegisterTables } from './schema-risk-register.ts';
import type { KriTables } from './schema-kris.ts';
import type { RiskDataTables } from './schema-risk-data.ts';
// Issue 14's tables.
import type { OpenBankingTables } from './schema-open-banking.ts';
import type { AlertingTables } from './schema-alerting.ts';
import type { DashboardTables } from './schema-dashboards.ts';
import type { PeopleTables } from './schema-people.ts';

/**
 * Column types that differ by driver are normalised by the row mappers, not here:
 * timestamps are written as ISO strings and read as Date (pg) or string (SQLite);
 * JSON is written as text and read as object (pg jsonb) or string (SQLite);
 * booleans are boolean (pg) or 0/1 (SQLite); numerics are string (pg) or number (SQLite).
 */
export type Timestamp = ColumnType<Date | string, string, string>;
export type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;
export type Json = ColumnType<unknown, string, string>;
export type NullableJson = ColumnType<unknown, string | null, string | null>;
export type Bool = ColumnType<boolean | number, boolean | number, boolean | number>;
/** Columns a migration gave a default: optional on insert. */
export type JsonWithDefault = ColumnType<unknown, string | undefined, string>;
export type BoolWithDefault = ColumnType<boolean | number, boolean | number | undefined, boolean | number>;
export type NumberWithDefault = ColumnType<number, number | undefined, number>;
export type OptionalTimestamp = ColumnType<Date | string | null, string | null | undefined, string | null>;
export type Numeric = ColumnType<number | string, number, number>;
export type NullableNumeric = ColumnType<number | string | null, number | null, number | null>;
export type BigSeq = ColumnType<number | string, number, number>;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  active: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  /** JSON array of tenant ids; [] = every tenant (bank-wide roles only). */
  tenant_ids: JsonWithDefault;
  password_change_required: BoolWithDefault;
  /** JSON array of the last few password hashes, so a password is not reused. */
  password_history: JsonWithDefault;
  password_changed_at: OptionalTimestamp;
  deactivated_at: OptionalTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  user_agent: string | null;
}

export interface ApiClientsTable {
  id: string;
  name: string;
  client_id: string;
  /** sha256 of the API key / client secret; both are 256-bit random, so a fast hash is enough. */
  secret_hash: string;
  key_prefix: string;
  role: string;
  active: Bool;
  created_at: Timestamp;
  created_by: string;
  revoked_at: NullableTimestamp;
  tenant_ids: JsonWithDefault;
  last_used_at: OptionalTimestamp;
  /** The key before the last rotation, honoured until previous_secret_expires_at. */
  previous_secret_hash: ColumnType<string | null, string | null | undefined, string | null>;
  previous_secret_expires_at: OptionalTimestamp;
  rotated_at: OptionalTimestamp;
  version: NumberWithDefault;
}

export interface ServiceSecretsTable {
  name: string;
  /** AES-256-GCM ciphertext under the master key (see auth/secret-box.ts). */
  ciphertext: string;
  created_at: Timestamp;
}

export interface CountersTable {
  name: string;
  value: BigSeq;
}

export interface CustomersTable {
  id: string;
  customer_ref: string;
  full_name: string;
  national_id: string;
  phone: string;
  email: string | null;
  county: string;
  segment: string;
  kyc_status: string;
  risk_rating: string;
  customer_since: string;
  accounts: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface PaymentsTable {
  id: string;
  tenant_id: string;
  transaction_reference: string;
  payment_type: string;
  local_instrumentation_code: string | null;
  clearing_system_code: string | null;
  payment_source: string;
  amount: Numeric;
  currency: string;
  amount_kes: Numeric;
  occurred_at: Timestamp;
  channel: string;
  country: string;
  customer_ref: string;
  debtor_account: string;
  creditor_account: string;
  ip_address: string | null;
  device_id: string | null;
  user_agent: string | null;
  description: string | null;
  created_at: Timestamp;
  version: number;
}

/** Seed 003 fraud_risk_assessments, every column, plus links to the payment and its case. */
export interface AssessmentsTable {
  id: string;
  assessment_id: string;
  transaction_reference: string;
  tenant_id: string;
  payment_type: string | null;
  local_instrumentation_code: string | null;
  clearing_system_code: string | null;
  payment_source: string;
  risk_assessment_type: string;
  configuration_id: string | null;
  configuration_version: string | null;
  external_api_used: string | null;
  risk_score: NullableNumeric;
  risk_level: string | null;
  decision: string | null;
  decision_reason: string | null;
  engine_decision: string | null;
  engine_decision_reason: string | null;
  external_api_request: NullableJson;
  external_api_response: NullableJson;
  risk_factors: NullableJson;
  assessment_details: NullableJson;
  processing_time_ms: NullableNumeric;
  external_api_response_time_ms: NullableNumeric;
  status: string;
  error_message: string | null;
  retry_count: number;
  assessed_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  payment_id: string;
  customer_ref: string;
  amount_kes: Numeric;
  channel: string;
  case_id: string | null;
  manual_decision: NullableJson;
  version: number;
  deleted_at: NullableTimestamp;
  /** The facts the decision used (ScoringFactsSnapshot JSON); null on rows from before 0008. */
  scoring_facts: ColumnType<unknown, string | null | undefined, string | null>;
  /** sha256 of the payment's content: a repeated reference with other content is a conflict. */
  content_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
  /** The hub scoring this queued BATCH assessment, and until when its claim holds (0012). */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: OptionalTimestamp;
}

export interface CasesTable {
  id: string;
  reference: string;
  state: string;
  queue: string;
  risk_level: string;
  risk_score: Numeric;
  opening_decision: string;
  customer_ref: string;
  customer_name: string | null;
  amount: Numeric;
  currency: string;
  amount_kes: Numeric;
  channel: string;
  transaction_reference: string;
  assignee_id: string | null;
  assignee_name: string | null;
  outcome: string | null;
  reason_code: string | null;
  decision_note: string | null;
  sla_due_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
  version: number;
  deleted_at: NullableTimestamp;
  queue_id: string | null;
  customer_gcid: string | null;
  tenant_id: string | null;
  payment_type: string | null;
  reason_codes: Json;
  tags: Json;
  payment_count: number;
  total_amount_kes: Numeric;
  sla_paused_at: NullableTimestamp;
  escalated_at: NullableTimestamp;
  approval_request: NullableJson;
  is_open: Bool;
  /** Lower-case customer name, CIF and every linked payment reference, for the queue search. */
  search_text: string;
}

export interface CaseQueuesTable {
  id: string;
  name: string;
  description: string;
  kind: string;
  priority: number;
  routing: Json;
  sla: Json;
  active: Bool;
  is_default: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string;
  version: number;
  deleted_at: NullableTimestamp;
  /** QueueSlaEscalation JSON (0021); null = the defaults. */
  sla_escalation: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface CaseCommentsTable {
  id: string;
  case_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: Timestamp;
  version: number;
}

export interface AttachmentBlobsTable {
  sha256: string;
  size_bytes: number;
  content: Buffer;
  created_at: Timestamp;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  description: string | null;
  uploaded_by_id: string;
  uploaded_by_name: string;
  uploaded_at: Timestamp;
  version: number;
}

export interface SavedFiltersTable {
  id: string;
  owner_id: string;
  owner_name: string;
  name: string;
  filter: Json;
  shared: Bool;
  created_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface GlobalCustomersTable {
  gcid: string;
  display_name: string;
  merged_into: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface CustomerIdentifiersTable {
  id: string;
  gcid: string;
  kind: string;
  value: string;
  source: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  version: number;
}

export interface CaseAssessmentsTable {
  case_id: string;
  assessment_id: string;
  linked_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  occurred_at: Timestamp;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  command: string;
  entity_type: string;
  entity_id: string;
  before: NullableJson;
  after: NullableJson;
  request_id: string | null;
  /** The entity's tenant (migration 0010); null for bank-wide data and rows whose tenant is unknown. */
  tenant_id: string | null;
}

/** Ordered log of synced-row changes; `seq` is strictly increasing in commit order (see commands/bus.ts). */
export interface ChangeLogTable {
  seq: BigSeq;
  entity_type: string;
  entity_id: string;
  operation: string;
  version: number;
  data: NullableJson;
  occurred_at: Timestamp;
  command: string;
}

/** Seed 003 fraud_risk_configurations, every column: the published version of each configuration. */
export interface ConfigurationsTable {
  id: string;
  configuration_name: string;
  tenant_id: string;
  payment_type: string | null;
  local_instrumentation_code: string | null;
  clearing_system_code: string | null;
  payment_source: string;
  risk_assessment_type: string;
  bank_fraud_api_config: NullableJson;
  risk_rules: NullableJson;
  decision_criteria: NullableJson;
  thresholds: NullableJson;
  timeout_config: NullableJson;
  retry_config: NullableJson;
  circuit_breaker_config: NullableJson;
  fallback_config: NullableJson;
  monitoring_config: NullableJson;
  alerting_config: NullableJson;
  is_enabled: Bool;
  priority: number;
  version: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string | null;
  updated_by: string | null;
  version_number: number;
  bank_api_credentials: string | null;
  row_version: number;
  deleted_at: NullableTimestamp;
}

export interface ConfigurationVersionsTable {
  id: string;
  configuration_id: string;
  version_number: number;
  version: string;
  status: string;
  body: Json;
  bank_api_credentials: string | null;
  change_note: string | null;
  created_at: Timestamp;
  created_by: string | null;
  published_at: NullableTimestamp;
  published_by: string | null;
  backtest_id: string | null;
  row_version: number;
  deleted_at: NullableTimestamp;
}

export interface AnomalyModelsTable {
  id: string;
  trained_at: Timestamp;
  trained_by: string;
  sample_size: number;
  trees: number;
  subsample_size: number;
  features: Json;
  share_above_threshold: Numeric;
  model: string;
  active: Bool;
  version: number;
  deleted_at: NullableTimestamp;
}

/** Seed 003 fraud_api_toggle_configurations, every column, plus behaviour, concurrency and tombstone. */
export interface ToggleConfigurationsTable {
  id: string;
  tenant_id: string;
  payment_type: string | null;
  local_instrumentation_code: string | null;
  clearing_system_code: string | null;
  is_enabled: Bool;
  enabled_reason: string | null;
  disabled_reason: string | null;
  effective_from: NullableTimestamp;
  effective_until: NullableTimestamp;
  priority: number;
  is_active: Bool;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_behaviour: string;
  row_version: number;
  deleted_at: NullableTimestamp;
}

export interface ToggleApprovalsTable {
  id: string;
  status: string;
  request: Json;
  requested_by: string;
  requested_by_id: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  result_configuration_id: string | null;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface SettingsTable {
  name: string;
  value: Json;
  updated_at: Timestamp;
  updated_by: string;
  version: number;
}

/** FX rates to KES (migration 0011); kes_per_unit is numeric (string on pg). */
export interface FxRatesTable {
  id: string;
  currency: string;
  kes_per_unit: Numeric;
  effective_from: Timestamp;
  note: string;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

/** Failed sign-ins per (username, address), username or address, and known good pairs (0012). */
export interface SignInFailuresTable {
  key: string;
  kind: 'pair' | 'user' | 'address' | 'known';
  username: string | null;
  address: string | null;
  failures: number;
  locked_until: NullableTimestamp;
  expires_at: Timestamp;
  updated_at: Timestamp;
}

/** Stored backtests (0013): one row each, its result as JSON once it finished. */
export interface BacktestsTable {
  id: string;
  configuration_id: string;
  version_number: number;
  days: number;
  window_end: Timestamp;
  requested_by: string;
  requested_by_id: string;
  status: string;
  progress: number;
  processed: number;
  total: number;
  result: NullableJson;
  error: string | null;
  cancel_requested: Bool;
  lease_until: NullableTimestamp;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** Hub: a workstation mutation applied or refused (0014); a repeat of its id is skipped. */
export interface SyncMutationsTable {
  mutation_id: string;
  workstation_id: string;
  user_id: string;
  command: string;
  status: string;
  error: NullableJson;
  client_time: Timestamp;
  applied_at: Timestamp;
}

/** Workstation: actions waiting for the hub, in the order they were taken (0014). */
export interface SyncOutboxTable {
  seq: Generated<number>;
  mutation_id: string;
  command: string;
  command_version: number;
  input: Json;
  actor_id: string;
  actor_name: string;
  entity_type: string;
  entity_id: string;
  /** pending: to be sent; rejected: refused by the hub (see sync_conflicts). Applied ones are deleted. */
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: Timestamp;
}

export interface SyncStateTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface SyncConflictsTable {
  id: string;
  mutation_id: string;
  command: string;
  kind: string;
  entity_type: string;
  entity_id: string;
  entity_label: string;
  mine: Json;
  theirs: NullableJson;
  message: string;
  actor_id: string;
  actor_name: string;
  created_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolution: string | null;
  version: ColumnType<number, number | undefined, number>;
}

/** Workstation: who may sign in offline, until when, as what (0014). */
export interface OfflineCredentialsTable {
  user_id: string;
  username: string;
  verifier: string;
  display_name: string;
  role: string;
  tenant_ids: Json;
  verified_at: Timestamp;
  offline_until: Timestamp;
  /** The user's hub session token, sealed with the master key (auth/secret-box.ts). */
  hub_token: string | null;
  hub_token_expires_at: NullableTimestamp;
}

export interface Database extends RiskRegisterTables, KriTables, RiskDataTables, OpenBankingTables, AlertingTables, PeopleTables, DashboardTables {
  fraud_api_toggle_configurations: ToggleConfigurationsTable;
  fraud_api_toggle_approvals: ToggleApprovalsTable;
  settings: SettingsTable;
  fraud_risk_configurations: ConfigurationsTable;
  fraud_risk_configuration_versions: ConfigurationVersionsTable;
  anomaly_models: AnomalyModelsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_clients: ApiClientsTable;
  service_secrets: ServiceSecretsTable;
  counters: CountersTable;
  customers: CustomersTable;
  payments: PaymentsTable;
  fraud_risk_assessments: AssessmentsTable;
  cases: CasesTable;
  case_assessments: CaseAssessmentsTable;
  case_queues: CaseQueuesTable;
  case_comments: CaseCommentsTable;
  attachment_blobs: AttachmentBlobsTable;
  case_attachments: CaseAttachmentsTable;
  saved_filters: SavedFiltersTable;
  global_customers: GlobalCustomersTable;
  customer_identifiers: CustomerIdentifiersTable;
  audit_log: AuditLogTable;
  change_log: ChangeLogTable;
  fx_rates: FxRatesTable;
  sign_in_failures: SignInFailuresTable;
  backtests: BacktestsTable;
  sync_mutations: SyncMutationsTable;
  sync_outbox: SyncOutboxTable;
  sync_state: SyncStateTable;
  sync_conflicts: SyncConflictsTable;
  offline_credentials: OfflineCredentialsTable;
}

export type UserRow = Selectable<UsersTable>;
export type CaseRow = Selectable<CasesTable>;
export type CaseQueueRow = Selectable<CaseQueuesTable>;
export type CaseCommentRow = Selectable<CaseCommentsTable>;
export type CaseAttachmentRow = Selectable<CaseAttachmentsTable>;
export type SavedFilterRow = Selectable<SavedFiltersTable>;
export type GlobalCustomerRow = Selectable<GlobalCustomersTable>;
export type AssessmentRow = Selectable<AssessmentsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type ConfigurationRow = Selectable<ConfigurationsTable>;
export type ConfigurationVersionRow = Selectable<ConfigurationVersionsTable>;
export type AnomalyModelRow = Selectable<AnomalyModelsTable>;
export type ToggleConfigurationRow = Selectable<ToggleConfigurationsTable>;
export type ToggleApprovalRow = Selectable<ToggleApprovalsTable>;
export type FxRateRow = Selectable<FxRatesTable>;
