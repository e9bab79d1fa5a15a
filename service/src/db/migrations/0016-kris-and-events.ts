import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 13: KRIs, their measurements, risk events, in-app notifications and scheduled job runs.
 * Synced rows (ARCHITECTURE.md rule 5) have UUID ids, a version and a `deleted_at` tombstone.
 * `kri_risks.risk_id` and `risk_events.risk_id` name rows of `risks` (0015) without a foreign key:
 * a workstation may hold a KRI before the risk it links to has been pulled.
 */
export function migration0016KrisAndEvents(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  const falsy = dialect === 'postgres' ? false : 0;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('kris')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('unit', 'varchar(40)', (c) => c.notNull())
        .addColumn('direction', 'varchar(20)', (c) => c.notNull())
        .addColumn('threshold_warning', 'double precision', (c) => c.notNull())
        .addColumn('threshold_critical', 'double precision', (c) => c.notNull())
        .addColumn('frequency', 'varchar(20)', (c) => c.notNull())
        .addColumn('grace_hours', 'integer', (c) => c.notNull())
        .addColumn('data_source', 'varchar(200)', (c) => c.notNull())
        .addColumn('measurement', 'varchar(20)', (c) => c.notNull())
        .addColumn('metric', 'varchar(60)')
        .addColumn('schedule', 'varchar(100)')
        .addColumn('owner_id', 'varchar(100)')
        .addColumn('last_value', 'double precision')
        .addColumn('last_measured_at', t.timestamp)
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        // Set by the staleness check when it notified the owners; cleared by the next measurement.
        .addColumn('stale_flagged_at', t.timestamp)
        .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('kris_tenant_idx').on('kris').columns(['tenant_id', 'status']).execute();
      await db.schema.createIndex('kris_metric_idx').on('kris').columns(['metric', 'tenant_id']).execute();

      await db.schema
        .createTable('kri_risks')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('kri_id', t.id, (c) => c.notNull().references('kris.id'))
        .addColumn('risk_id', t.id, (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('kri_risks_kri_idx').on('kri_risks').column('kri_id').execute();
      await db.schema.createIndex('kri_risks_risk_idx').on('kri_risks').column('risk_id').execute();

      await db.schema
        .createTable('kri_measurements')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('kri_id', t.id, (c) => c.notNull().references('kris.id'))
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('measured_at', t.timestamp, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('source', 'varchar(20)', (c) => c.notNull())
        .addColumn('inputs', t.json)
        .addColumn('recorded_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('recorded_by_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
        .addColumn('backfill', t.bool, (c) => c.notNull().defaultTo(falsy))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('kri_measurements_kri_idx').on('kri_measurements').columns(['kri_id', 'measured_at']).execute();

      await db.schema
        .createTable('risk_events')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('risk_id', t.id)
        .addColumn('kri_id', t.id, (c) => c.references('kris.id'))
        .addColumn('kri_measurement_id', t.id)
        .addColumn('type', 'varchar(20)', (c) => c.notNull())
        .addColumn('severity', 'varchar(20)', (c) => c.notNull())
        .addColumn('source', 'varchar(20)', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
        .addColumn('financial_impact', 'numeric(24, 4)')
        .addColumn('currency', 'varchar(3)')
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('external_id', 'varchar(200)')
        .addColumn('details', t.json)
        .addColumn('closed_at', t.timestamp)
        .addColumn('closed_by', 'varchar(200)')
        .addColumn('close_note', 'text')
        .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      // Idempotency of machine-recorded events: one event per (tenant, source, external id); NULLs never clash.
      await db.schema.createIndex('risk_events_external_uq').on('risk_events').columns(['tenant_id', 'source', 'external_id']).unique().execute();
      await db.schema.createIndex('risk_events_tenant_idx').on('risk_events').columns(['tenant_id', 'occurred_at']).execute();
      await db.schema.createIndex('risk_events_kri_idx').on('risk_events').columns(['kri_id', 'status']).execute();
      await db.schema.createIndex('risk_events_risk_idx').on('risk_events').column('risk_id').execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(50)')
        .addColumn('kind', 'varchar(60)', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('link', 'varchar(500)')
        .addColumn('entity_type', 'varchar(60)')
        .addColumn('entity_id', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('read_at', t.timestamp)
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

      await db.schema
        .createTable('scheduled_job_runs')
        .addColumn('job', 'varchar(100)', (c) => c.notNull())
        .addColumn('slot', 'varchar(40)', (c) => c.notNull())
        .addColumn('hub', 'varchar(100)', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .addColumn('outcome', 'text')
        .addPrimaryKeyConstraint('scheduled_job_runs_pk', ['job', 'slot'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['scheduled_job_runs', 'notifications', 'risk_events', 'kri_measurements', 'kri_risks', 'kris']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
