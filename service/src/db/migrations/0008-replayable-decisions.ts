import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Decisions are replayable (ARCHITECTURE.md rule 3): each assessment keeps the facts its rules
 * read (`scoring_facts`: velocity windows, device history, account opening date, FX rate, anomaly
 * model), and a fingerprint of the payment's content so that a reused transaction reference with
 * different content is refused instead of answered with another payment's assessment. Rows from
 * before this migration keep null in both (replays recompute their facts; repeats compare with
 * the stored payment).
 */
export function migration0008ReplayableDecisions(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('fraud_risk_assessments').addColumn('scoring_facts', t.json).execute();
      await db.schema.alterTable('fraud_risk_assessments').addColumn('content_fingerprint', sql`varchar(64)`).execute();
    },
  };
}
