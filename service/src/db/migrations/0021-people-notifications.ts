import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 15 "people notified of what concerns them":
 * - case_queues.sla_escalation: the queue's SLA warning point and what a breach does (QueueSlaEscalation
 *   JSON; null = the defaults: warn at 80 %, notify only).
 * - case_sla_notices: which SLA notice (warning / breached) was sent for which SLA deadline of a case,
 *   so each goes out once per case per deadline even when the job runs again or on another hub
 *   (primary key). A new deadline (the case moved to an escalation queue) gets its own notices.
 */
export function migration0021PeopleNotifications(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('case_queues').addColumn('sla_escalation', t.json).execute();
      await db.schema
        .createTable('case_sla_notices')
        .addColumn('case_id', t.id, (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('sla_due_at', t.timestamp, (c) => c.notNull())
        .addColumn('notified_at', t.timestamp, (c) => c.notNull())
        .addColumn('recipients', 'integer', (c) => c.notNull())
        .addColumn('escalated_to', 'varchar(64)')
        .addPrimaryKeyConstraint('case_sla_notices_pk', ['case_id', 'kind', 'sla_due_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('case_sla_notices').ifExists().execute();
      await db.schema.alterTable('case_queues').dropColumn('sla_escalation').execute();
    },
  };
}
