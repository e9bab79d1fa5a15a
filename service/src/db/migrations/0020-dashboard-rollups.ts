import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 15: dashboards stay fast over a year of history.
 * - dashboard_daily_rollups: per closed Nairobi bank day, tenant, dimension (channel, payment type,
 *   county, merchant, rule, hour, weekday, day, decision, risk level) and key: assessments, KES
 *   value, flagged, and the closed-case outcomes of those payments. Derived data, recomputed by the
 *   rollup job (never synced: every node can recompute it).
 * - dashboard_rollup_days: which days are rolled up and when, so a day with no payments is known
 *   to be empty rather than missing, and late rows are found by comparing with computed_at.
 */
export function migration0020DashboardRollups(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dashboard_daily_rollups')
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('dimension', 'varchar(20)', (c) => c.notNull())
        .addColumn('key', 'varchar(200)', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        // Rule-per-version rows: assessments that evaluated the rule (hit or not); elsewhere = count.
        .addColumn('evaluated', 'integer', (c) => c.notNull())
        .addColumn('value_kes', 'double precision', (c) => c.notNull())
        .addColumn('flagged', 'integer', (c) => c.notNull())
        .addColumn('confirmed_fraud', 'integer', (c) => c.notNull())
        .addColumn('false_positive', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('dashboard_daily_rollups_pk', ['dimension', 'day', 'tenant_id', 'key'])
        .execute();
      await db.schema
        .createTable('dashboard_rollup_days')
        .addColumn('day', 'varchar(10)', (c) => c.primaryKey())
        .addColumn('computed_at', t.timestamp, (c) => c.notNull())
        .execute();
      // The false-positive trend and team figures read closed cases by closing time.
      await db.schema.createIndex('cases_closed_at_idx').on('cases').columns(['closed_at']).execute();
      await db.schema.createIndex('assessments_case_idx').on('fraud_risk_assessments').columns(['case_id']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('assessments_case_idx').execute();
      await db.schema.dropIndex('cases_closed_at_idx').execute();
      await db.schema.dropTable('dashboard_rollup_days').execute();
      await db.schema.dropTable('dashboard_daily_rollups').execute();
    },
  };
}
