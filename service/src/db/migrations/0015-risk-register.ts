import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

const TABLES = [
  'risk_acceptances',
  'treatment_actions',
  'risk_treatments',
  'control_tests',
  'risk_controls',
  'controls',
  'risk_assessments',
  'risks',
  'risk_matrix_versions',
] as const;

/**
 * Issue 13: the risk register — matrix versions, risks, assessments, controls, control tests,
 * treatments, acceptances. Every row syncs (ARCHITECTURE.md rule 5): UUID id, version, and a
 * deleted_at tombstone. Scores are stored as likelihood, impact, score and level key; the level's
 * name and colour come from the matrix version the risk was assessed on (assessments also keep a
 * frozen copy of it, so an old score is reproducible after the matrix changes).
 */
export function migration0015RiskRegister(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  type Builder = CreateTableBuilder<string, string>;
  const audited = (b: Builder) =>
    b
      .addColumn('created_by', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_by', sql`varchar(200)`, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull());
  const synced = (b: Builder) => b.addColumn('version', 'integer', (c) => c.notNull()).addColumn('deleted_at', t.timestamp);
  const score = (b: Builder, prefix: string, required: boolean) =>
    b
      .addColumn(`${prefix}_likelihood`, 'integer', (c) => (required ? c.notNull() : c))
      .addColumn(`${prefix}_impact`, 'integer', (c) => (required ? c.notNull() : c))
      .addColumn(`${prefix}_score`, 'integer', (c) => (required ? c.notNull() : c))
      .addColumn(`${prefix}_level`, sql`varchar(40)`, (c) => (required ? c.notNull() : c));
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('risk_matrix_versions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('version_number', 'integer', (c) => c.notNull().unique())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('note', sql`varchar(500)`, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .$call(synced)
        .execute();

      let risks: Builder = db.schema
        .createTable('risks')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('reference', sql`varchar(20)`, (c) => c.notNull().unique())
        .addColumn('title', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('category', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('business_unit', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('causes', 'text', (c) => c.notNull())
        .addColumn('consequences', 'text', (c) => c.notNull())
        .addColumn('status', sql`varchar(20)`, (c) => c.notNull());
      for (const prefix of ['inherent', 'current', 'residual']) risks = score(risks, prefix, false);
      await risks
        .addColumn('residual_explanation', t.json)
        .addColumn('matrix_version_id', t.id)
        .addColumn('last_assessed_at', t.timestamp)
        .addColumn('next_review_at', t.timestamp)
        .$call(audited)
        .$call(synced)
        .execute();
      await db.schema.createIndex('risks_tenant_status_idx').on('risks').columns(['tenant_id', 'status']).execute();
      await db.schema.createIndex('risks_residual_cell_idx').on('risks').columns(['tenant_id', 'residual_likelihood', 'residual_impact']).execute();
      await db.schema.createIndex('risks_next_review_idx').on('risks').column('next_review_at').execute();

      let assessments: Builder = db.schema
        .createTable('risk_assessments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('risk_id', t.id, (c) => c.notNull().references('risks.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('matrix_version_id', t.id, (c) => c.notNull().references('risk_matrix_versions.id'))
        .addColumn('matrix_version_number', 'integer', (c) => c.notNull())
        .addColumn('matrix', t.json, (c) => c.notNull());
      assessments = score(score(assessments, 'inherent', true), 'current', false);
      await score(assessments, 'residual', true)
        .addColumn('residual_explanation', t.json, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('assessed_by', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('assessed_by_name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('assessed_at', t.timestamp, (c) => c.notNull())
        .$call(synced)
        .execute();
      await db.schema.createIndex('risk_assessments_risk_idx').on('risk_assessments').columns(['risk_id', 'assessed_at']).execute();

      await db.schema
        .createTable('controls')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('reference', sql`varchar(20)`, (c) => c.notNull().unique())
        .addColumn('name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('frequency', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('effectiveness', sql`varchar(30)`, (c) => c.notNull())
        .addColumn('last_tested_at', t.timestamp)
        .addColumn('last_test_result', sql`varchar(10)`)
        .addColumn('next_test_due', sql`varchar(10)`)
        .$call(audited)
        .$call(synced)
        .execute();
      await db.schema.createIndex('controls_tenant_idx').on('controls').columns(['tenant_id', 'next_test_due']).execute();

      await db.schema
        .createTable('risk_controls')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('risk_id', t.id, (c) => c.notNull().references('risks.id'))
        .addColumn('control_id', t.id, (c) => c.notNull().references('controls.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('created_by', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .$call(synced)
        .execute();
      // One link row per pair: unlinking tombstones it, linking again revives it.
      await db.schema.createIndex('risk_controls_pair_idx').unique().on('risk_controls').columns(['risk_id', 'control_id']).execute();
      await db.schema.createIndex('risk_controls_control_idx').on('risk_controls').column('control_id').execute();

      await db.schema
        .createTable('control_tests')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('control_id', t.id, (c) => c.notNull().references('controls.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('tester_id', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('tester_name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('tested_at', t.timestamp, (c) => c.notNull())
        .addColumn('result', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        // Evidence content lives once per SHA-256 in attachment_blobs, like case attachments.
        .addColumn('evidence_sha256', sql`varchar(64)`, (c) => c.references('attachment_blobs.sha256'))
        .addColumn('evidence_name', sql`varchar(200)`)
        .addColumn('evidence_content_type', sql`varchar(120)`)
        .addColumn('evidence_size_bytes', 'integer')
        .addColumn('next_test_date', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .$call(synced)
        .execute();
      await db.schema.createIndex('control_tests_control_idx').on('control_tests').columns(['control_id', 'tested_at']).execute();

      await db.schema
        .createTable('risk_treatments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('risk_id', t.id, (c) => c.notNull().references('risks.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('strategy', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('title', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('due_date', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('status', sql`varchar(20)`, (c) => c.notNull())
        .$call(audited)
        .$call(synced)
        .execute();
      await db.schema.createIndex('risk_treatments_risk_idx').on('risk_treatments').column('risk_id').execute();

      await db.schema
        .createTable('treatment_actions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('treatment_id', t.id, (c) => c.notNull().references('risk_treatments.id'))
        .addColumn('risk_id', t.id, (c) => c.notNull().references('risks.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('title', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull())
        .addColumn('due_date', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('status', sql`varchar(10)`, (c) => c.notNull())
        .addColumn('completed_at', t.timestamp)
        .$call(audited)
        .$call(synced)
        .execute();
      await db.schema.createIndex('treatment_actions_treatment_idx').on('treatment_actions').column('treatment_id').execute();

      await db.schema
        .createTable('risk_acceptances')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('risk_id', t.id, (c) => c.notNull().references('risks.id'))
        .addColumn('tenant_id', sql`varchar(50)`, (c) => c.notNull())
        .addColumn('status', sql`varchar(20)`, (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('requested_by', sql`varchar(100)`, (c) => c.notNull())
        .addColumn('requested_by_name', sql`varchar(200)`, (c) => c.notNull())
        .addColumn('requested_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('decided_by', sql`varchar(100)`)
        .addColumn('decided_by_name', sql`varchar(200)`)
        .addColumn('decided_at', t.timestamp)
        .addColumn('decision_note', 'text')
        .addColumn('expired_at', t.timestamp)
        .$call(synced)
        .execute();
      await db.schema.createIndex('risk_acceptances_risk_idx').on('risk_acceptances').column('risk_id').execute();
      // The expiry job's scan: approved acceptances by expiry.
      await db.schema.createIndex('risk_acceptances_due_idx').on('risk_acceptances').columns(['status', 'expires_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of TABLES) await db.schema.dropTable(table).execute();
    },
  };
}
