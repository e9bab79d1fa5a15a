// Kysely table types of migration 0018-open-banking (issue 14). Column conventions: see schema.ts.
import type { Selectable } from 'kysely';
import type { BoolWithDefault, Json, NullableTimestamp, OptionalTimestamp, Timestamp } from './schema.ts';

export interface ObAppsTable {
  id: string;
  tenant_id: string;
  name: string;
  /** FINTECH | MERCHANT | ENTERPRISE | COPILOT | CHANNEL (shared/src/open-banking.ts AppKind) */
  kind: string;
  description: string;
  contact_email: string | null;
  client_id: string;
  /** The client secret, sealed with the service's SecretBox (oidc-provider compares plaintext). */
  secret_sealed: string;
  /** The secret's last 4 characters, to tell keys apart. */
  secret_hint: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: OptionalTimestamp;
  redirect_uris: Json;
  allowed_scopes: Json;
  /** ACTIVE | SUSPENDED */
  status: string;
  status_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  rotated_at: OptionalTimestamp;
  last_used_at: OptionalTimestamp;
  version: number;
  deleted_at: OptionalTimestamp;
}

export interface BankAccountsTable {
  id: string;
  tenant_id: string;
  customer_ref: string;
  account_number: string;
  /** CURRENT | SAVINGS | MOBILE_WALLET | LOAN */
  type: string;
  currency: string;
  name: string;
  /** ACTIVE | DORMANT | FROZEN */
  status: string;
  opened_on: string;
  opening_balance: number;
  opening_balance_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: OptionalTimestamp;
}

export interface ConsentsTable {
  id: string;
  tenant_id: string;
  app_id: string;
  customer_ref: string | null;
  /** ObScope[] */
  permissions: Json;
  /** bank_accounts ids the customer selected */
  account_ids: Json;
  expires_at: NullableTimestamp;
  transaction_from: NullableTimestamp;
  transaction_to: NullableTimestamp;
  frequency_per_day: number;
  recurring: BoolWithDefault;
  /** AwaitingAuthorisation | Authorised | Rejected | Revoked | Expired (ConsentStatus) */
  status: string;
  status_reason: string | null;
  status_note: string | null;
  status_changed_at: Timestamp;
  /** user id, "customer:<ref>", "app:<id>" or "system" */
  status_changed_by: string;
  grant_id: string | null;
  created_at: Timestamp;
  authorised_at: NullableTimestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: OptionalTimestamp;
}

export interface ConsentUsageTable {
  consent_id: string;
  /** Bank day (Africa/Nairobi), YYYY-MM-DD */
  day: string;
  count: number;
}

export interface ConsentAccessLogTable {
  id: string;
  consent_id: string | null;
  app_id: string | null;
  tenant_id: string | null;
  customer_ref: string | null;
  method: string;
  /** The route pattern, e.g. /open-banking/v1/accounts/:id/transactions */
  endpoint: string;
  path: string;
  /** ALLOW | DENY */
  decision: string;
  /** OK or the first check that failed (ConsentCheckReason) */
  reason: string;
  status_code: number;
  customer_present: BoolWithDefault;
  request_id: string | null;
  at: Timestamp;
}

export interface OidcStoreTable {
  model: string;
  id: string;
  payload: Json;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

export interface ObPaymentsTable {
  id: string;
  tenant_id: string;
  app_id: string;
  consent_id: string;
  idempotency_key: string;
  request_hash: string;
  payment_id: string | null;
  debtor_account_id: string;
  creditor_account: string;
  creditor_name: string;
  amount: number;
  currency: string;
  reference: string;
  status: string;
  status_reason: string | null;
  customer_present: BoolWithDefault;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface WebhookSubscriptionsTable {
  id: string;
  tenant_id: string;
  /** OB_APP (issue 14) | ALERT_CHANNEL (issue 15) */
  owner_kind: string;
  owner_id: string;
  url: string;
  events: Json;
  /** The whsec_ signing secret, sealed with the SecretBox. */
  secret_sealed: string;
  /** ACTIVE | DISABLED */
  status: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: OptionalTimestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  /** The webhook-id header (msg_…); a replay keeps the original's id so receivers can deduplicate. */
  message_id: string;
  subscription_id: string;
  tenant_id: string;
  owner_kind: string;
  owner_id: string;
  event_type: string;
  entity_type: string | null;
  entity_id: string | null;
  payload: Json;
  /** PENDING | DELIVERED | FAILED (retrying) | DEAD */
  status: string;
  attempts: number;
  next_attempt_at: NullableTimestamp;
  locked_until: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  replay_of: string | null;
  created_at: Timestamp;
  version: number;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export type OpenBankingTables = {
  ob_apps: ObAppsTable;
  bank_accounts: BankAccountsTable;
  consents: ConsentsTable;
  consent_usage: ConsentUsageTable;
  consent_access_log: ConsentAccessLogTable;
  oidc_store: OidcStoreTable;
  ob_payments: ObPaymentsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
};

export type ObAppRow = Selectable<ObAppsTable>;
export type BankAccountRow = Selectable<BankAccountsTable>;
export type ConsentRow = Selectable<ConsentsTable>;
export type ConsentAccessRow = Selectable<ConsentAccessLogTable>;
export type ObPaymentRow = Selectable<ObPaymentsTable>;
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
