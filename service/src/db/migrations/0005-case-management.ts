import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/** Well-known ids of the queues every database starts with, so hubs and workstations agree on them. */
export const SEEDED_QUEUE_IDS = {
  priority: '6f1d2a30-5b7e-4c1a-9a41-000000000001',
  general: '6f1d2a30-5b7e-4c1a-9a41-000000000002',
  escalations: '6f1d2a30-5b7e-4c1a-9a41-000000000003',
} as const;

/**
 * Issue 5, case management: queues with routing and SLA, the new case columns (queue id, GCID,
 * four-eyes request, SLA pause, tags, reason codes, joined payments, an is_open flag that the
 * queue indexes lead with), append-only comments, content-addressed attachments, saved filters,
 * and seed 004's global customer ids with their identifiers.
 */
export function migration0005CaseManagement(dialect: DatabaseDialect): Migration {
  const pg = dialect === 'postgres';
  const t = { ...columnTypes(dialect), money: sql`numeric(18, 2)` };
  const yes = pg ? sql`true` : sql`1`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_queues')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', sql`varchar(64)`, (c) => c.notNull())
        .addColumn('description', sql`varchar(500)`, (c) => c.notNull().defaultTo(''))
        .addColumn('kind', sql`varchar(16)`, (c) => c.notNull().check(sql`kind in ('STANDARD', 'ESCALATION')`))
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('routing', t.json, (c) => c.notNull())
        .addColumn('sla', t.json, (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('is_default', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      // A live queue's name is unique (deleted ones keep theirs as tombstones).
      await sql`create unique index case_queues_name_unique on case_queues (name) where deleted_at is null`.execute(db);

      const now = new Date().toISOString();
      const seeded = [
        {
          id: SEEDED_QUEUE_IDS.priority,
          name: 'Priority review',
          description: 'High and critical risk payments: decide within the hour for critical.',
          kind: 'STANDARD',
          priority: 10,
          routing: { riskLevels: ['CRITICAL', 'HIGH'], tenants: [], paymentTypes: [], channels: [], minAmountKes: null },
          sla: { CRITICAL: 60, HIGH: 240, MEDIUM: 1440, LOW: 2880 },
          isDefault: false,
        },
        {
          id: SEEDED_QUEUE_IDS.general,
          name: 'General review',
          description: 'Everything no other queue takes.',
          kind: 'STANDARD',
          priority: 1000,
          routing: { riskLevels: [], tenants: [], paymentTypes: [], channels: [], minAmountKes: null },
          sla: { CRITICAL: 60, HIGH: 240, MEDIUM: 1440, LOW: 2880 },
          isDefault: true,
        },
        {
          id: SEEDED_QUEUE_IDS.escalations,
          name: 'Escalations',
          description: 'Escalated cases for compliance officers and risk managers.',
          kind: 'ESCALATION',
          priority: 10,
          routing: { riskLevels: [], tenants: [], paymentTypes: [], channels: [], minAmountKes: null },
          sla: { CRITICAL: 120, HIGH: 480, MEDIUM: 1440, LOW: 2880 },
          isDefault: false,
        },
      ];
      for (const q of seeded) {
        await sql`insert into case_queues (id, name, description, kind, priority, routing, sla, active, is_default, created_at, updated_at, updated_by, version)
          values (${q.id}, ${q.name}, ${q.description}, ${q.kind}, ${q.priority}, ${JSON.stringify(q.routing)}, ${JSON.stringify(q.sla)}, ${yes}, ${q.isDefault ? yes : pg ? sql`false` : sql`0`}, ${now}, ${now}, ${'Wekeza service'}, 1)`.execute(
          db,
        );
      }

      await db.schema.alterTable('cases').addColumn('queue_id', t.id).execute();
      await db.schema.alterTable('cases').addColumn('customer_gcid', t.id).execute();
      await db.schema.alterTable('cases').addColumn('tenant_id', sql`varchar(50)`).execute();
      await db.schema.alterTable('cases').addColumn('payment_type', sql`varchar(50)`).execute();
      await db.schema
        .alterTable('cases')
        .addColumn('reason_codes', t.json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('cases')
        .addColumn('tags', t.json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('cases')
        .addColumn('payment_count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('cases')
        .addColumn('total_amount_kes', t.money, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('cases').addColumn('sla_paused_at', t.timestamp).execute();
      await db.schema.alterTable('cases').addColumn('escalated_at', t.timestamp).execute();
      await db.schema.alterTable('cases').addColumn('approval_request', t.json).execute();
      await db.schema
        .alterTable('cases')
        .addColumn('is_open', t.bool, (c) => c.notNull().defaultTo(yes))
        .execute();

      // Cases from before this migration: queue by name, totals from their own payment.
      await sql`update cases set queue_id = ${SEEDED_QUEUE_IDS.priority} where queue = 'Priority review'`.execute(db);
      await sql`update cases set queue_id = ${SEEDED_QUEUE_IDS.general} where queue_id is null`.execute(db);
      await sql`update cases set total_amount_kes = amount_kes, is_open = ${pg ? sql`state <> 'CLOSED'` : sql`case when state = 'CLOSED' then 0 else 1 end`}`.execute(
        db,
      );
      await sql`update cases set reason_codes = ${pg ? sql`jsonb_build_array(reason_code)` : sql`json_array(reason_code)`} where reason_code is not null`.execute(
        db,
      );
      await sql`update cases set tenant_id = (select a.tenant_id from case_assessments ca join fraud_risk_assessments a on a.id = ca.assessment_id where ca.case_id = cases.id limit 1),
        payment_type = (select a.payment_type from case_assessments ca join fraud_risk_assessments a on a.id = ca.assessment_id where ca.case_id = cases.id limit 1)`.execute(
        db,
      );

      // The queue screens: open cases of a queue by SLA or age, mine, per customer.
      for (const [name, columns] of [
        ['cases_open_created_idx', ['is_open', 'created_at']],
        ['cases_open_sla_idx', ['is_open', 'sla_due_at']],
        ['cases_open_score_idx', ['is_open', 'risk_score']],
        ['cases_queue_open_sla_idx', ['queue_id', 'is_open', 'sla_due_at']],
        ['cases_queue_open_created_idx', ['queue_id', 'is_open', 'created_at']],
        ['cases_assignee_open_sla_idx', ['assignee_id', 'is_open', 'sla_due_at']],
        ['cases_gcid_open_idx', ['customer_gcid', 'is_open']],
        ['cases_state_updated_idx', ['state', 'updated_at']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .on('cases')
          .columns([...columns])
          .execute();
      }
      // The old per-state indexes are covered by the is_open ones and the state/updated one.
      await db.schema.dropIndex('cases_state_level_idx').execute();

      await db.schema
        .createTable('case_comments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('case_id', t.id, (c) => c.notNull().references('cases.id'))
        .addColumn('author_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('author_name', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('body', sql`varchar(4000)`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('case_comments_case_idx').on('case_comments').columns(['case_id', 'created_at']).execute();

      await db.schema
        .createTable('attachment_blobs')
        .addColumn('sha256', sql`varchar(64)`, (c) => c.primaryKey())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('content', pg ? sql`bytea` : sql`blob`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('case_attachments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('case_id', t.id, (c) => c.notNull().references('cases.id'))
        .addColumn('file_name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('content_type', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', sql`varchar(64)`, (c) => c.notNull().references('attachment_blobs.sha256'))
        .addColumn('description', sql`varchar(500)`)
        .addColumn('uploaded_by_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('uploaded_by_name', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('uploaded_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('case_attachments_case_idx').on('case_attachments').columns(['case_id', 'uploaded_at']).execute();

      await db.schema
        .createTable('saved_filters')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('owner_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('owner_name', sql`varchar(120)`, (c) => c.notNull())
        .addColumn('name', sql`varchar(80)`, (c) => c.notNull())
        .addColumn('filter', t.json, (c) => c.notNull())
        .addColumn('shared', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('saved_filters_owner_idx').on('saved_filters').columns(['owner_id']).execute();

      await db.schema
        .createTable('global_customers')
        .addColumn('gcid', t.id, (c) => c.primaryKey())
        .addColumn('display_name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('merged_into', t.id)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('global_customers_merged_idx').on('global_customers').columns(['merged_into']).execute();
      await db.schema
        .createTable('customer_identifiers')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('gcid', t.id, (c) => c.notNull().references('global_customers.gcid'))
        .addColumn('kind', sql`varchar(16)`, (c) => c.notNull())
        .addColumn('value', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('source', sql`varchar(40)`, (c) => c.notNull())
        .addColumn('first_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('customer_identifiers_kind_value_unique', ['kind', 'value'])
        .execute();
      await db.schema.createIndex('customer_identifiers_gcid_idx').on('customer_identifiers').columns(['gcid']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'customer_identifiers',
        'global_customers',
        'saved_filters',
        'case_attachments',
        'attachment_blobs',
        'case_comments',
        'case_queues',
      ]) {
        await db.schema.dropTable(table).execute();
      }
      for (const name of [
        'cases_open_created_idx',
        'cases_open_sla_idx',
        'cases_open_score_idx',
        'cases_queue_open_sla_idx',
        'cases_queue_open_created_idx',
        'cases_assignee_open_sla_idx',
        'cases_gcid_open_idx',
        'cases_state_updated_idx',
      ]) {
        await db.schema.dropIndex(name).execute();
      }
      await db.schema.createIndex('cases_state_level_idx').on('cases').columns(['state', 'risk_level', 'created_at']).execute();
      for (const column of [
        'queue_id',
        'customer_gcid',
        'tenant_id',
        'payment_type',
        'reason_codes',
        'tags',
        'payment_count',
        'total_amount_kes',
        'sla_paused_at',
        'escalated_at',
        'approval_request',
        'is_open',
      ]) {
        await db.schema.alterTable('cases').dropColumn(column).execute();
      }
    },
  };
}
