import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/** Issue 13: KRIs, measurements, risk events, in-app notifications and scheduled job runs. */
export function migration0016KrisAndEvents(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  void t;
  return {
    async up(_db: Kysely<unknown>) {},
    async down(_db: Kysely<unknown>) {},
  };
}
