import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Issue 15 dashboards: "cases opened" in a range is read by creation time over every state, open or
 * closed; without this index PostgreSQL scanned the whole cases table for it (bench:dashboards).
 */
export function migration0022CaseCreatedIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('cases_created_at_idx').on('cases').columns(['created_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('cases_created_at_idx').execute();
    },
  };
}
