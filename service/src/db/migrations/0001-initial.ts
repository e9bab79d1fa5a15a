import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * The first schema: users and sessions, machine clients, service secrets, customers, payments,
 * seed 003's fraud_risk_assessments, cases, the audit log and the change log.
 * Synced rows have UUID keys, a version and a tombstone column (deleted_at).
 */
export function migration0001Initial(dialect: DatabaseDialect): Migration {
  const t = {
    ...columnTypes(dialect),
    money: sql`numeric(18, 2)`,
    score: sql`numeric(5, 4)`,
  };

  function withSyncColumns<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
    return table.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).addColumn('deleted_at', t.timestamp);
  }

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('username', sql`varchar(64)`, (c) => c.notNull().unique())
        .addColumn('display_name', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('role', sql`varchar(40)`, (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .addColumn('user_agent', sql`varchar(512)`)
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_clients')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('client_id', sql`varchar(100)`, (c) => c.notNull().unique())
        .addColumn('secret_hash', sql`varchar(64)`, (c) => c.notNull().unique())
        .addColumn('key_prefix', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('role', sql`varchar(40)`, (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('service_secrets')
        .addColumn('name', sql`varchar(100)`, (c) => c.primaryKey())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', sql`varchar(100)`, (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      // Created up front so that concurrent first writers never race to create them.
      await sql`insert into counters (name, value) values ('change_log.seq', 0), ('case.reference', 0)`.execute(db);

      await withSyncColumns(
        db.schema
          .createTable('customers')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('customer_ref', sql`varchar(64)`, (c) => c.notNull().unique())
          .addColumn('full_name', sql`varchar(200)`, (c) => c.notNull())
          .addColumn('national_id', sql`varchar(32)`, (c) => c.notNull())
          .addColumn('phone', sql`varchar(32)`, (c) => c.notNull())
          .addColumn('email', sql`varchar(200)`)
          .addColumn('county', sql`varchar(64)`, (c) => c.notNull())
          .addColumn('segment', sql`varchar(32)`, (c) => c.notNull())
          .addColumn('kyc_status', sql`varchar(20)`, (c) => c.notNull())
          .addColumn('risk_rating', sql`varchar(20)`, (c) => c.notNull())
          .addColumn('customer_since', sql`varchar(10)`, (c) => c.notNull())
          .addColumn('accounts', t.json, (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex('customers_national_id_idx').on('customers').column('national_id').execute();
      await db.schema.createIndex('customers_phone_idx').on('customers').column('phone').execute();

      await db.schema
        .createTable('payments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('transaction_reference', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('payment_type', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('local_instrumentation_code', sql`varchar(50)`)
        .addColumn('clearing_system_code', sql`varchar(50)`)
        .addColumn('payment_source', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('currency', sql`varchar(3)`, (c) => c.notNull())
        .addColumn('amount_kes', t.money, (c) => c.notNull())
        .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
        .addColumn('channel', sql`varchar(16)`, (c) => c.notNull())
        .addColumn('country', sql`varchar(2)`, (c) => c.notNull())
        .addColumn('customer_ref', sql`varchar(64)`, (c) => c.notNull())
        .addColumn('debtor_account', sql`varchar(64)`, (c) => c.notNull())
        .addColumn('creditor_account', sql`varchar(64)`, (c) => c.notNull())
        .addColumn('ip_address', sql`varchar(45)`)
        .addColumn('device_id', sql`varchar(128)`)
        .addColumn('user_agent', sql`varchar(512)`)
        .addColumn('description', sql`varchar(500)`)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('payments_tenant_reference_unique', ['tenant_id', 'transaction_reference'])
        .execute();
      await db.schema.createIndex('payments_customer_time_idx').on('payments').columns(['customer_ref', 'occurred_at']).execute();

      await withSyncColumns(
        db.schema
          .createTable('fraud_risk_assessments')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('assessment_id', sql`varchar(100)`, (c) => c.notNull().unique())
          .addColumn('transaction_reference', sql`varchar(100)`, (c) => c.notNull())
          .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
          .addColumn('payment_type', sql`varchar(50)`)
          .addColumn('local_instrumentation_code', sql`varchar(50)`)
          .addColumn('clearing_system_code', sql`varchar(50)`)
          .addColumn('payment_source', sql`varchar(20)`, (c) => c.notNull().check(sql`payment_source in ('BANK_CLIENT', 'CLEARING_SYSTEM', 'BOTH')`))
          .addColumn('risk_assessment_type', sql`varchar(50)`, (c) =>
            c.notNull().check(sql`risk_assessment_type in ('REAL_TIME', 'BATCH', 'HYBRID', 'CUSTOM')`),
          )
          .addColumn('configuration_id', t.id)
          .addColumn('external_api_used', sql`varchar(100)`)
          .addColumn('risk_score', t.score)
          .addColumn('risk_level', sql`varchar(20)`, (c) => c.check(sql`risk_level in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')`))
          .addColumn('decision', sql`varchar(20)`, (c) => c.check(sql`decision in ('APPROVE', 'REJECT', 'MANUAL_REVIEW', 'HOLD', 'ESCALATE')`))
          .addColumn('decision_reason', sql`varchar(500)`)
          // What the engine decided, kept when an analyst's decision replaces decision/decision_reason.
          .addColumn('engine_decision', sql`varchar(20)`)
          .addColumn('engine_decision_reason', sql`varchar(500)`)
          .addColumn('external_api_request', t.json)
          .addColumn('external_api_response', t.json)
          .addColumn('risk_factors', t.json)
          .addColumn('assessment_details', t.json)
          .addColumn('processing_time_ms', 'bigint')
          .addColumn('external_api_response_time_ms', 'bigint')
          .addColumn('status', sql`varchar(20)`, (c) =>
            c.notNull().check(sql`status in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'ERROR', 'TIMEOUT', 'CANCELLED')`),
          )
          .addColumn('error_message', sql`varchar(1000)`)
          .addColumn('retry_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('assessed_at', t.timestamp)
          .addColumn('expires_at', t.timestamp)
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addColumn('payment_id', t.id, (c) => c.notNull().references('payments.id'))
          .addColumn('customer_ref', sql`varchar(64)`, (c) => c.notNull())
          .addColumn('amount_kes', t.money, (c) => c.notNull())
          .addColumn('channel', sql`varchar(16)`, (c) => c.notNull())
          .addColumn('case_id', t.id)
          .addColumn('manual_decision', t.json)
          // One assessment per payment: a repeated reference returns the first assessment.
          .addUniqueConstraint('assessments_tenant_reference_unique', ['tenant_id', 'transaction_reference']),
      ).execute();
      for (const [name, columns] of [
        ['assessments_created_idx', ['created_at']],
        ['assessments_level_created_idx', ['risk_level', 'created_at']],
        ['assessments_decision_created_idx', ['decision', 'created_at']],
        ['assessments_customer_idx', ['customer_ref', 'created_at']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('fraud_risk_assessments')
          .columns([...columns])
          .execute();
      }

      await withSyncColumns(
        db.schema
          .createTable('cases')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('reference', sql`varchar(32)`, (c) => c.notNull().unique())
          .addColumn('state', sql`varchar(24)`, (c) => c.notNull())
          .addColumn('queue', sql`varchar(64)`, (c) => c.notNull())
          .addColumn('risk_level', sql`varchar(20)`, (c) => c.notNull())
          .addColumn('risk_score', t.score, (c) => c.notNull())
          .addColumn('opening_decision', sql`varchar(20)`, (c) => c.notNull())
          .addColumn('customer_ref', sql`varchar(64)`, (c) => c.notNull())
          .addColumn('customer_name', sql`varchar(200)`)
          .addColumn('amount', t.money, (c) => c.notNull())
          .addColumn('currency', sql`varchar(3)`, (c) => c.notNull())
          .addColumn('amount_kes', t.money, (c) => c.notNull())
          .addColumn('channel', sql`varchar(16)`, (c) => c.notNull())
          .addColumn('transaction_reference', sql`varchar(100)`, (c) => c.notNull())
          .addColumn('assignee_id', t.id)
          .addColumn('assignee_name', sql`varchar(120)`)
          .addColumn('outcome', sql`varchar(20)`)
          .addColumn('reason_code', sql`varchar(64)`)
          .addColumn('decision_note', sql`varchar(2000)`)
          .addColumn('sla_due_at', t.timestamp, (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addColumn('closed_at', t.timestamp),
      ).execute();
      for (const [name, columns] of [
        ['cases_state_created_idx', ['state', 'created_at']],
        ['cases_state_level_idx', ['state', 'risk_level', 'created_at']],
        ['cases_assignee_state_idx', ['assignee_id', 'state']],
        ['cases_state_sla_idx', ['state', 'sla_due_at']],
        ['cases_customer_idx', ['customer_ref']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('cases')
          .columns([...columns])
          .execute();
      }

      await db.schema
        .createTable('case_assessments')
        .addColumn('case_id', t.id, (c) => c.notNull().references('cases.id'))
        .addColumn('assessment_id', t.id, (c) => c.notNull().references('fraud_risk_assessments.id'))
        .addColumn('linked_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('case_assessments_pk', ['case_id', 'assessment_id'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('actor_name', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('actor_role', sql`varchar(40)`, (c) => c.notNull())
        .addColumn('command', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('entity_type', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('entity_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('before', t.json)
        .addColumn('after', t.json)
        .addColumn('request_id', sql`varchar(100)`)
        .execute();
      await db.schema.createIndex('audit_entity_idx').on('audit_log').columns(['entity_type', 'entity_id', 'occurred_at']).execute();
      await db.schema.createIndex('audit_time_idx').on('audit_log').column('occurred_at').execute();
      await db.schema.createIndex('audit_actor_idx').on('audit_log').columns(['actor_id', 'occurred_at']).execute();

      await db.schema
        .createTable('change_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('entity_type', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('entity_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('operation', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data', t.json)
        .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
        .addColumn('command', sql`varchar(100)`, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'change_log',
        'audit_log',
        'case_assessments',
        'cases',
        'fraud_risk_assessments',
        'payments',
        'customers',
        'counters',
        'service_secrets',
        'api_clients',
        'sessions',
        'users',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
