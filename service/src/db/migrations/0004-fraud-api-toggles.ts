import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Seed 003 fraud_api_toggle_configurations (every column), the four-eyes approvals of
 * tenant-level disables, and a small settings table for switches such as that four-eyes rule.
 */
export function migration0004FraudApiToggles(dialect: DatabaseDialect): Migration {
  const pg = dialect === 'postgres';
  const t = {
    ...columnTypes(dialect),
  };
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fraud_api_toggle_configurations')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('payment_type', sql`varchar(50)`)
        .addColumn('local_instrumentation_code', sql`varchar(50)`)
        .addColumn('clearing_system_code', sql`varchar(50)`)
        .addColumn('is_enabled', t.bool, (c) => c.notNull())
        .addColumn('enabled_reason', sql`varchar(500)`)
        .addColumn('disabled_reason', sql`varchar(500)`)
        .addColumn('effective_from', t.timestamp)
        .addColumn('effective_until', t.timestamp)
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
        .addColumn('is_active', t.bool, (c) => c.notNull().defaultTo(pg ? sql`true` : 1))
        .addColumn('created_by', sql`varchar(100)`)
        .addColumn('updated_by', sql`varchar(100)`)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('disabled_behaviour', sql`varchar(20)`, (c) => c.notNull().defaultTo('APPROVE'))
        .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('fraud_api_toggles_tenant_idx').on('fraud_api_toggle_configurations').columns(['tenant_id', 'is_active']).execute();

      await db.schema
        .createTable('fraud_api_toggle_approvals')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('status', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('request', t.json, (c) => c.notNull())
        .addColumn('requested_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('requested_by_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('requested_at', t.timestamp, (c) => c.notNull())
        .addColumn('decided_by', sql`varchar(120)`)
        .addColumn('decided_at', t.timestamp)
        .addColumn('decision_note', sql`varchar(500)`)
        .addColumn('result_configuration_id', t.id)
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('name', sql`varchar(100)`, (c) => c.primaryKey())
        .addColumn('value', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await sql`insert into counters (name, value) values ('toggle.revision', 0)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('settings').execute();
      await db.schema.dropTable('fraud_api_toggle_approvals').execute();
      await db.schema.dropTable('fraud_api_toggle_configurations').execute();
    },
  };
}
