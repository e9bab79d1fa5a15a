import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * The decision engine: seed 003 fraud_risk_configurations (every column) with their versions and
 * drafts, the anomaly model, and the configuration version each assessment used.
 * The seed's `version` column is the configuration's version label ("3.0"), so the sync/concurrency
 * counter of these rows is `row_version`.
 */
export function migration0002DecisionEngine(dialect: DatabaseDialect): Migration {
  const pg = dialect === 'postgres';
  const t = {
    ...columnTypes(dialect),
  };
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fraud_risk_configurations')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('configuration_name', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('payment_type', sql`varchar(50)`)
        .addColumn('local_instrumentation_code', sql`varchar(50)`)
        .addColumn('clearing_system_code', sql`varchar(50)`)
        .addColumn('payment_source', sql`varchar(20)`, (c) => c.notNull().check(sql`payment_source in ('BANK_CLIENT', 'CLEARING_SYSTEM', 'BOTH')`))
        .addColumn('risk_assessment_type', sql`varchar(50)`, (c) => c.notNull().check(sql`risk_assessment_type in ('REAL_TIME', 'BATCH', 'HYBRID', 'CUSTOM')`))
        .addColumn('bank_fraud_api_config', t.json)
        .addColumn('risk_rules', t.json)
        .addColumn('decision_criteria', t.json)
        .addColumn('thresholds', t.json)
        .addColumn('timeout_config', t.json)
        .addColumn('retry_config', t.json)
        .addColumn('circuit_breaker_config', t.json)
        .addColumn('fallback_config', t.json)
        .addColumn('monitoring_config', t.json)
        .addColumn('alerting_config', t.json)
        .addColumn('is_enabled', t.bool, (c) => c.notNull().defaultTo(pg ? sql`true` : 1))
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('version', sql`varchar(20)`, (c) => c.notNull().defaultTo('1.0'))
        .addColumn('description', sql`varchar(1000)`)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(100)`)
        .addColumn('updated_by', sql`varchar(100)`)
        .addColumn('version_number', 'integer', (c) => c.notNull())
        // AES-GCM sealed credentials of the bank engine (never the plain text, never returned).
        .addColumn('bank_api_credentials', 'text')
        .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('fraud_risk_configurations_tenant_idx').on('fraud_risk_configurations').columns(['tenant_id', 'is_enabled']).execute();

      await db.schema
        .createTable('fraud_risk_configuration_versions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('configuration_id', t.id, (c) => c.notNull().references('fraud_risk_configurations.id'))
        .addColumn('version_number', 'integer', (c) => c.notNull())
        .addColumn('version', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('status', sql`varchar(20)`, (c) => c.notNull().check(sql`status in ('DRAFT', 'PUBLISHED', 'SUPERSEDED', 'DISCARDED')`))
        .addColumn('body', t.json, (c) => c.notNull())
        .addColumn('bank_api_credentials', 'text')
        .addColumn('change_note', sql`varchar(500)`)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(100)`)
        .addColumn('published_at', t.timestamp)
        .addColumn('published_by', sql`varchar(100)`)
        .addColumn('backtest_id', sql`varchar(64)`)
        .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('configuration_versions_number_unique', ['configuration_id', 'version_number'])
        .execute();

      await db.schema
        .createTable('anomaly_models')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('trained_at', t.timestamp, (c) => c.notNull())
        .addColumn('trained_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('sample_size', 'integer', (c) => c.notNull())
        .addColumn('trees', 'integer', (c) => c.notNull())
        .addColumn('subsample_size', 'integer', (c) => c.notNull())
        .addColumn('features', t.json, (c) => c.notNull())
        .addColumn('share_above_threshold', sql`numeric(6, 5)`, (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();

      await db.schema.alterTable('fraud_risk_assessments').addColumn('configuration_version', sql`varchar(20)`).execute();
      await db.schema.createIndex('assessments_configuration_idx').on('fraud_risk_assessments').columns(['configuration_id', 'created_at']).execute();
      await db.schema.createIndex('assessments_status_idx').on('fraud_risk_assessments').columns(['status', 'created_at']).execute();
      // Backtests, model training and the velocity warm-up read payments by time.
      await db.schema.createIndex('payments_occurred_idx').on('payments').column('occurred_at').execute();
      await sql`insert into counters (name, value) values ('configuration.revision', 0)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('anomaly_models').execute();
      await db.schema.dropTable('fraud_risk_configuration_versions').execute();
      await db.schema.dropTable('fraud_risk_configurations').execute();
    },
  };
}
