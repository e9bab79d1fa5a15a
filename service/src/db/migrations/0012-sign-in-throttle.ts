import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 11 §3 (operability):
 * - sign_in_failures: failed sign-ins counted per (username, address) pair, per username and per
 *   address, with their lock and expiry (auth/sign-in-throttle.ts). In the database, so that every
 *   hub sees the same counts, a restart forgets nothing, and no amount of junk usernames can push
 *   a flooding address's row out (there is no eviction, only expiry); `known` rows remember the
 *   addresses a user signed in from, which the per-username slow-down spares.
 * - fraud_risk_assessments.claimed_by / claimed_until: a hub's lease on a queued BATCH assessment
 *   it is scoring (assessments/batch-claim.ts), so two hubs never score (and call the bank's
 *   engine for) the same payment, and a crashed hub's claims run out.
 */
export function migration0012SignInThrottle(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('key', 'varchar(420)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(10)', (c) => c.notNull())
        .addColumn('username', 'varchar(200)')
        .addColumn('address', 'varchar(100)')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', t.timestamp)
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sign_in_failures_expiry_idx').on('sign_in_failures').column('expires_at').execute();
      await db.schema.createIndex('sign_in_failures_username_idx').on('sign_in_failures').column('username').execute();
      await db.schema.createIndex('sign_in_failures_address_idx').on('sign_in_failures').column('address').execute();

      await db.schema.alterTable('fraud_risk_assessments').addColumn('claimed_by', 'varchar(100)').execute();
      await db.schema.alterTable('fraud_risk_assessments').addColumn('claimed_until', t.timestamp).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('fraud_risk_assessments').dropColumn('claimed_until').execute();
      await db.schema.alterTable('fraud_risk_assessments').dropColumn('claimed_by').execute();
      await db.schema.dropTable('sign_in_failures').execute();
    },
  };
}
