import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 11 §3: backtests are stored (decision-engine/backtest-store.ts), so any hub can show
 * them, a configuration lists its earlier ones, and they survive a restart. A running backtest
 * holds a lease (`lease_until`, renewed as it progresses); one whose hub stopped is marked FAILED
 * once the lease has run out. `cancel_requested` lets any hub stop a backtest another hub runs.
 */
export function migration0013StoredBacktests(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('backtests')
        .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
        .addColumn('configuration_id', t.id, (c) => c.notNull().references('fraud_risk_configurations.id'))
        .addColumn('version_number', 'integer', (c) => c.notNull())
        .addColumn('days', 'integer', (c) => c.notNull())
        .addColumn('window_end', t.timestamp, (c) => c.notNull())
        .addColumn('requested_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('requested_by_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('result', t.json)
        .addColumn('error', 'text')
        .addColumn('cancel_requested', t.bool, (c) => c.notNull().defaultTo(dialect === 'postgres' ? false : 0))
        .addColumn('lease_until', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('backtests_configuration_idx').on('backtests').columns(['configuration_id', 'created_at']).execute();
      await db.schema.createIndex('backtests_status_idx').on('backtests').column('status').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('backtests').execute();
    },
  };
}
