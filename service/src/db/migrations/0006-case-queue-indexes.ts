import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';

const QUEUE_INDEXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['cases_open_created_idx', ['is_open', 'created_at']],
  ['cases_open_sla_idx', ['is_open', 'sla_due_at']],
  ['cases_open_score_idx', ['is_open', 'risk_score']],
  ['cases_queue_open_sla_idx', ['queue_id', 'is_open', 'sla_due_at']],
  ['cases_queue_open_created_idx', ['queue_id', 'is_open', 'created_at']],
  ['cases_assignee_open_sla_idx', ['assignee_id', 'is_open', 'sla_due_at']],
];

/**
 * Measured with npm run bench:cases (100,000 open cases): counting a filtered queue read every
 * row of the table to check deleted_at. The queue indexes become partial (live rows only), so
 * counts are answered from the index; a covering index serves the navigation counts; one
 * lower-case search column (customer, CIF, every linked payment reference) replaces three
 * lower() scans, with a trigram index on PostgreSQL where pg_trgm is available; tags get a GIN
 * index on PostgreSQL.
 */
export function migration0006CaseQueueIndexes(dialect: DatabaseDialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, columns] of QUEUE_INDEXES) {
        await db.schema.dropIndex(name).execute();
        await db.schema
          .createIndex(name)
          .on('cases')
          .columns([...columns])
          .where(sql.ref('deleted_at'), 'is', null)
          .execute();
      }
      await db.schema
        .createIndex('cases_counts_idx')
        .on('cases')
        .columns(['is_open', 'queue_id', 'risk_level', 'state', 'assignee_id', 'sla_paused_at', 'sla_due_at'])
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();

      await db.schema
        .alterTable('cases')
        .addColumn('search_text', sql`varchar(1000)`, (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`update cases set search_text = lower(coalesce(customer_name, '') || ' ' || customer_ref || ' ' || transaction_reference)`.execute(db);
      if (pg) {
        const trgm = await sql<{ name: string }>`select name from pg_available_extensions where name = 'pg_trgm'`.execute(db);
        if (trgm.rows.length > 0) {
          await sql`create extension if not exists pg_trgm`.execute(db);
          await sql`create index cases_search_trgm_idx on cases using gin (search_text gin_trgm_ops) where deleted_at is null`.execute(db);
        }
        await sql`create index cases_tags_gin_idx on cases using gin (tags jsonb_path_ops) where deleted_at is null`.execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      if (pg) {
        await sql`drop index if exists cases_search_trgm_idx`.execute(db);
        await sql`drop index if exists cases_tags_gin_idx`.execute(db);
      }
      await db.schema.alterTable('cases').dropColumn('search_text').execute();
      await db.schema.dropIndex('cases_counts_idx').execute();
      for (const [name, columns] of QUEUE_INDEXES) {
        await db.schema.dropIndex(name).execute();
        await db.schema
          .createIndex(name)
          .on('cases')
          .columns([...columns])
          .execute();
      }
    },
  };
}
