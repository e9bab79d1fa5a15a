import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';

/**
 * Processing times in milliseconds with three decimals: local rules decide in well under a
 * millisecond, and whole milliseconds showed every assessment as "0 ms". SQLite columns already
 * keep the fraction (REAL values in an INTEGER-affinity column stay REAL).
 */
export function migration0003SubMillisecondTimes(dialect: DatabaseDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`alter table fraud_risk_assessments alter column processing_time_ms type numeric(14, 3), alter column external_api_response_time_ms type numeric(14, 3)`.execute(
        db,
      );
    },
  };
}
