import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 14: consent and Open Banking (seed 002).
 * - ob_apps: partner and internal apps (OAuth clients); the client secret is sealed (SecretBox).
 * - bank_accounts: the demo's core-banking accounts the Open Banking APIs serve (a bank's own
 *   core banking would feed them); transactions are the payments the service holds.
 * - consents (+ consent_usage, consent_access_log): the consent register, the per-day counter of
 *   unattended access (one row per consent and bank day, raised atomically), one access record per
 *   checked request.
 * - oidc_store: oidc-provider's models (grants, codes, tokens, sessions), shared by every hub.
 * - ob_payments: payment initiations with their Idempotency-Key and the payment they became.
 * - webhook_subscriptions, webhook_deliveries, webhook_attempts: signed webhooks (Standard Webhooks)
 *   with their delivery log; alert channels (issue 15) use the same tables.
 */
export function migration0018OpenBanking(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  const falseValue = dialect === 'postgres' ? false : 0;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ob_apps')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('description', 'varchar(2000)', (c) => c.notNull().defaultTo(''))
        .addColumn('contact_email', 'varchar(320)')
        .addColumn('client_id', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('secret_hint', 'varchar(20)', (c) => c.notNull())
        .addColumn('previous_secret_sealed', 'text')
        .addColumn('previous_secret_expires_at', t.timestamp)
        .addColumn('redirect_uris', t.json, (c) => c.notNull())
        .addColumn('allowed_scopes', t.json, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('status_reason', 'varchar(1000)')
        .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('rotated_at', t.timestamp)
        .addColumn('last_used_at', t.timestamp)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('ob_apps_tenant_idx').on('ob_apps').columns(['tenant_id', 'status']).execute();

      await db.schema
        .createTable('bank_accounts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('customer_ref', 'varchar(100)', (c) => c.notNull())
        .addColumn('account_number', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('type', 'varchar(20)', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('opened_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('opening_balance', 'double precision', (c) => c.notNull())
        .addColumn('opening_balance_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('bank_accounts_customer_idx').on('bank_accounts').columns(['customer_ref']).execute();

      await db.schema
        .createTable('consents')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('app_id', t.id, (c) => c.notNull())
        .addColumn('customer_ref', 'varchar(100)')
        .addColumn('permissions', t.json, (c) => c.notNull())
        .addColumn('account_ids', t.json, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp)
        .addColumn('transaction_from', t.timestamp)
        .addColumn('transaction_to', t.timestamp)
        .addColumn('frequency_per_day', 'integer', (c) => c.notNull())
        .addColumn('recurring', t.bool, (c) => c.notNull().defaultTo(falseValue))
        .addColumn('status', 'varchar(30)', (c) => c.notNull())
        .addColumn('status_reason', 'varchar(60)')
        .addColumn('status_note', 'varchar(1000)')
        .addColumn('status_changed_at', t.timestamp, (c) => c.notNull())
        .addColumn('status_changed_by', 'varchar(150)', (c) => c.notNull())
        .addColumn('grant_id', 'varchar(200)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('authorised_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('consents_tenant_status_idx').on('consents').columns(['tenant_id', 'status', 'expires_at']).execute();
      await db.schema.createIndex('consents_customer_idx').on('consents').columns(['customer_ref', 'app_id']).execute();
      await db.schema.createIndex('consents_grant_idx').on('consents').columns(['grant_id']).execute();

      await db.schema
        .createTable('consent_usage')
        .addColumn('consent_id', t.id, (c) => c.notNull())
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_usage_pk', ['consent_id', 'day'])
        .execute();

      await db.schema
        .createTable('consent_access_log')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('consent_id', t.id)
        .addColumn('app_id', t.id)
        .addColumn('tenant_id', 'varchar(50)')
        .addColumn('customer_ref', 'varchar(100)')
        .addColumn('method', 'varchar(10)', (c) => c.notNull())
        .addColumn('endpoint', 'varchar(200)', (c) => c.notNull())
        .addColumn('path', 'varchar(1000)', (c) => c.notNull())
        .addColumn('decision', 'varchar(10)', (c) => c.notNull())
        .addColumn('reason', 'varchar(60)', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('customer_present', t.bool, (c) => c.notNull().defaultTo(falseValue))
        .addColumn('request_id', 'varchar(100)')
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('consent_access_consent_idx').on('consent_access_log').columns(['consent_id', 'at']).execute();
      await db.schema.createIndex('consent_access_app_idx').on('consent_access_log').columns(['app_id', 'at']).execute();

      await db.schema
        .createTable('oidc_store')
        .addColumn('model', 'varchar(40)', (c) => c.notNull())
        .addColumn('id', 'varchar(300)', (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('grant_id', 'varchar(300)')
        .addColumn('user_code', 'varchar(300)')
        .addColumn('uid', 'varchar(300)')
        .addColumn('expires_at', t.timestamp)
        .addColumn('consumed_at', t.timestamp)
        .addPrimaryKeyConstraint('oidc_store_pk', ['model', 'id'])
        .execute();
      await db.schema.createIndex('oidc_store_grant_idx').on('oidc_store').columns(['grant_id']).execute();
      await db.schema.createIndex('oidc_store_uid_idx').on('oidc_store').columns(['uid']).execute();
      await db.schema.createIndex('oidc_store_expiry_idx').on('oidc_store').columns(['expires_at']).execute();

      await db.schema
        .createTable('ob_payments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('app_id', t.id, (c) => c.notNull())
        .addColumn('consent_id', t.id, (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('payment_id', t.id)
        .addColumn('debtor_account_id', t.id, (c) => c.notNull())
        .addColumn('creditor_account', 'varchar(100)', (c) => c.notNull())
        .addColumn('creditor_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('amount', 'double precision', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('reference', 'varchar(200)', (c) => c.notNull())
        .addColumn('status', 'varchar(40)', (c) => c.notNull())
        .addColumn('status_reason', 'varchar(1000)')
        .addColumn('customer_present', t.bool, (c) => c.notNull().defaultTo(falseValue))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('ob_payments_idempotency_uq', ['app_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('ob_payments_payment_idx').on('ob_payments').columns(['payment_id']).execute();
      // An account's transactions and balance (partner API): payments by debtor or creditor account, newest first.
      await db.schema.createIndex('payments_debtor_time_idx').on('payments').columns(['debtor_account', 'occurred_at']).execute();
      await db.schema.createIndex('payments_creditor_time_idx').on('payments').columns(['creditor_account', 'occurred_at']).execute();
      // From a payment to its assessment (booked or pending, rejected left out).
      await db.schema.createIndex('assessments_payment_idx').on('fraud_risk_assessments').columns(['payment_id']).execute();

      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('owner_kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('url', 'varchar(2000)', (c) => c.notNull())
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(150)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('webhook_subscriptions_owner_idx').on('webhook_subscriptions').columns(['owner_kind', 'owner_id']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('message_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('subscription_id', t.id, (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('owner_kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('event_type', 'varchar(60)', (c) => c.notNull())
        .addColumn('entity_type', 'varchar(40)')
        .addColumn('entity_id', 'varchar(100)')
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', t.timestamp)
        .addColumn('locked_until', t.timestamp)
        .addColumn('last_attempt_at', t.timestamp)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'varchar(1000)')
        .addColumn('delivered_at', t.timestamp)
        .addColumn('replay_of', t.id)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_owner_idx').on('webhook_deliveries').columns(['owner_kind', 'owner_id', 'created_at']).execute();
      await db.schema.createIndex('webhook_deliveries_entity_idx').on('webhook_deliveries').columns(['entity_type', 'entity_id']).execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('delivery_id', t.id, (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'varchar(1000)')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('payments_debtor_time_idx').ifExists().execute();
      await db.schema.dropIndex('payments_creditor_time_idx').ifExists().execute();
      await db.schema.dropIndex('assessments_payment_idx').ifExists().execute();
      for (const table of [
        'webhook_attempts',
        'webhook_deliveries',
        'webhook_subscriptions',
        'ob_payments',
        'oidc_store',
        'consent_access_log',
        'consent_usage',
        'consents',
        'bank_accounts',
        'ob_apps',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
