import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 12, workstations that sync with a hub (shared/src/sync.ts, README "Workstations and sync").
 * Every node has every table (one schema), each mode uses its own:
 * - hub: `sync_mutations`, one row per workstation mutation applied or refused, written in the
 *   transaction that applied it, so a repeat is recognised even when the answer was lost.
 * - workstation: `sync_outbox` (actions waiting for the hub, written in the transaction of the local
 *   command), `sync_state` (cursor, hub sequence, cache owner…), `sync_conflicts` (the inbox) and
 *   `offline_credentials` (password verifiers for signing in offline, with the role and tenants last
 *   seen and the user's hub session, sealed).
 */
export function migration0014Sync(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      // The change feed finds the cases of a changed assessment or payment by the link table.
      await db.schema.createIndex('case_assessments_assessment_idx').on('case_assessments').column('assessment_id').execute();

      await db.schema
        .createTable('sync_mutations')
        .addColumn('mutation_id', t.id, (c) => c.primaryKey())
        .addColumn('workstation_id', t.id, (c) => c.notNull())
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('command', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('error', t.json)
        .addColumn('client_time', t.timestamp, (c) => c.notNull())
        .addColumn('applied_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_mutations_workstation_idx').on('sync_mutations').columns(['workstation_id', 'applied_at']).execute();

      await db.schema
        .createTable('sync_outbox')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('mutation_id', t.id, (c) => c.notNull().unique())
        .addColumn('command', 'varchar(100)', (c) => c.notNull())
        .addColumn('command_version', 'integer', (c) => c.notNull())
        .addColumn('input', t.json, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('actor_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('entity_type', 'varchar(50)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_outbox_status_idx').on('sync_outbox').columns(['status', 'seq']).execute();
      await db.schema.createIndex('sync_outbox_entity_idx').on('sync_outbox').columns(['entity_type', 'entity_id']).execute();

      await db.schema
        .createTable('sync_state')
        .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('value', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sync_conflicts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('mutation_id', t.id, (c) => c.notNull().unique())
        .addColumn('command', 'varchar(100)', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('entity_type', 'varchar(50)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('entity_label', 'varchar(200)', (c) => c.notNull())
        .addColumn('mine', t.json, (c) => c.notNull())
        .addColumn('theirs', t.json)
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('actor_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('resolved_at', t.timestamp)
        .addColumn('resolution', 'varchar(20)')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable('offline_credentials')
        .addColumn('user_id', t.id, (c) => c.primaryKey())
        .addColumn('username', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('role', 'varchar(40)', (c) => c.notNull())
        .addColumn('tenant_ids', t.json, (c) => c.notNull())
        .addColumn('verified_at', t.timestamp, (c) => c.notNull())
        .addColumn('offline_until', t.timestamp, (c) => c.notNull())
        .addColumn('hub_token', 'text')
        .addColumn('hub_token_expires_at', t.timestamp)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('case_assessments_assessment_idx').execute();
      for (const table of ['offline_credentials', 'sync_conflicts', 'sync_state', 'sync_outbox', 'sync_mutations']) await db.schema.dropTable(table).execute();
    },
  };
}
