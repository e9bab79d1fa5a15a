import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 13: data the bank's systems feed (seed 000) and what the risk models (seed 001) made of it.
 * - integration_inbox: one row per accepted delivery (HTTP Idempotency-Key / natural id, or an AMQP
 *   eventId), with the answer given; a repeat answers the stored one (nothing is applied twice).
 * - loans, liquidity_positions, fx_positions, aml_cases, sanctions_screenings, transaction_outcomes:
 *   the models' inputs, keyed by the bank's own ids per tenant.
 * - risk_model_runs: every model run with the inputs it used and its result (shown to users).
 * - integration_risk_links: the one open register risk an integration keeps per tenant (the
 *   sanctions review backlog), so a repeat updates it instead of opening another.
 * Amounts are double precision (ratios, not ledgers: the bank's books stay in core banking).
 */
export function migration0017RiskData(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  const falseValue = dialect === 'postgres' ? false : 0;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('integration_inbox')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('source', 'varchar(10)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('type', 'varchar(60)', (c) => c.notNull())
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('received_at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('result', t.json, (c) => c.notNull())
        .addUniqueConstraint('integration_inbox_key_uq', ['tenant_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('integration_inbox_received_idx').on('integration_inbox').columns(['tenant_id', 'received_at']).execute();

      await db.schema
        .createTable('loans')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('loan_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('customer_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('sector', 'varchar(100)', (c) => c.notNull())
        .addColumn('outstanding_balance', 'double precision', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('days_past_due', 'integer', (c) => c.notNull())
        .addColumn('collateral_value', 'double precision', (c) => c.notNull())
        .addColumn('provision_amount', 'double precision', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('disbursed_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('loans_loan_uq', ['tenant_id', 'loan_id'])
        .execute();

      await db.schema
        .createTable('liquidity_positions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('as_of', t.timestamp, (c) => c.notNull())
        .addColumn('hqla_level1', 'double precision', (c) => c.notNull())
        .addColumn('hqla_level2a', 'double precision', (c) => c.notNull())
        .addColumn('hqla_level2b', 'double precision', (c) => c.notNull())
        .addColumn('outflows_30d', 'double precision', (c) => c.notNull())
        .addColumn('inflows_30d', 'double precision', (c) => c.notNull())
        .addColumn('available_stable_funding', 'double precision')
        .addColumn('required_stable_funding', 'double precision')
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('liquidity_positions_as_of_uq', ['tenant_id', 'as_of'])
        .execute();

      await db.schema
        .createTable('fx_positions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('as_of', t.timestamp, (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('long_position', 'double precision', (c) => c.notNull())
        .addColumn('short_position', 'double precision', (c) => c.notNull())
        .addColumn('capital', 'double precision')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('fx_positions_currency_uq', ['tenant_id', 'as_of', 'currency'])
        .execute();

      await db.schema
        .createTable('aml_cases')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('case_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(50)', (c) => c.notNull())
        .addColumn('open', t.bool, (c) => c.notNull().defaultTo(falseValue))
        .addColumn('risk_score', 'double precision')
        .addColumn('assigned_to', 'varchar(200)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('aml_cases_case_uq', ['tenant_id', 'case_id'])
        .execute();

      await db.schema
        .createTable('sanctions_screenings')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('screening_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('match_count', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(50)', (c) => c.notNull())
        .addColumn('pending', t.bool, (c) => c.notNull().defaultTo(falseValue))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('sanctions_screenings_uq', ['tenant_id', 'screening_id'])
        .execute();

      await db.schema
        .createTable('transaction_outcomes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('transaction_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
        .addColumn('failed', t.bool, (c) => c.notNull())
        .addColumn('reason', 'varchar(500)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .addUniqueConstraint('transaction_outcomes_uq', ['tenant_id', 'transaction_id'])
        .execute();
      await db.schema.createIndex('transaction_outcomes_time_idx').on('transaction_outcomes').columns(['tenant_id', 'occurred_at']).execute();

      await db.schema
        .createTable('risk_model_runs')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('model', 'varchar(20)', (c) => c.notNull())
        .addColumn('run_at', t.timestamp, (c) => c.notNull())
        .addColumn('trigger', 'varchar(200)', (c) => c.notNull())
        .addColumn('inputs', t.json, (c) => c.notNull())
        .addColumn('result', t.json, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('risk_model_runs_idx').on('risk_model_runs').columns(['tenant_id', 'model', 'run_at']).execute();

      await db.schema
        .createTable('integration_risk_links')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('purpose', 'varchar(60)', (c) => c.notNull())
        .addColumn('risk_id', t.id, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('integration_risk_links_uq', ['tenant_id', 'purpose'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'integration_risk_links',
        'risk_model_runs',
        'transaction_outcomes',
        'sanctions_screenings',
        'aml_cases',
        'fx_positions',
        'liquidity_positions',
        'loans',
        'integration_inbox',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
