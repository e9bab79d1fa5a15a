import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * FX rates to KES as data (issue 11 §1): one row per currency and effective instant, synced
 * (UUID key, version, tombstone: ARCHITECTURE.md rule 5). At most one live row per currency and
 * instant (a partial unique index: deleted rows keep their instant). The reference table is not
 * inserted here but by the service through a command at start-up (rule 1: seeding goes through
 * commands, with audit rows), so a fresh database scores without the demo.
 *
 * Amounts in three- and four-decimal currencies (KWD, BHD, CLF, UYW) need four decimal places:
 * PostgreSQL's amount columns were numeric(18, 2) and rounded 1.234 KWD to 1.23. SQLite keeps
 * numbers as they are.
 */
export function migration0011FxRates(dialect: DatabaseDialect): Migration {
  const pg = dialect === 'postgres';
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fx_rates')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('currency', sql`varchar(3)`, (c) => c.notNull())
        .addColumn('kes_per_unit', sql`numeric(28, 12)`, (c) => c.notNull())
        .addColumn('effective_from', t.timestamp, (c) => c.notNull())
        .addColumn('note', sql`varchar(300)`, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('fx_rates_currency_from_unique')
        .on('fx_rates')
        .columns(['currency', 'effective_from'])
        .unique()
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();
      await sql`insert into counters (name, value) values ('fx.revision', 0)`.execute(db);
      if (pg) {
        await sql`alter table payments alter column amount type numeric(20, 4)`.execute(db);
        await sql`alter table cases alter column amount type numeric(20, 4)`.execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      if (pg) {
        await sql`alter table cases alter column amount type numeric(18, 2)`.execute(db);
        await sql`alter table payments alter column amount type numeric(18, 2)`.execute(db);
      }
      await sql`delete from counters where name = 'fx.revision'`.execute(db);
      await db.schema.dropTable('fx_rates').execute();
    },
  };
}
