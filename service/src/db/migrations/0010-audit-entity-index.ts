import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';

/**
 * Audit rows are read by entity type and by the reader's tenants (issue 10 item 10,
 * ARCHITECTURE.md "Tenants"): audit_log gets the tenant of the entity a row is about (null for
 * bank-wide data), filled in for the rows written before, and an index for the tenant-scoped
 * audit log. Reads of one entity's trail name its type and use audit_entity_idx
 * (entity_type, entity_id, occurred_at) from 0001, which a read by id alone could not.
 */
const BACKFILL: ReadonlyArray<readonly [entityTypes: string, from: string, id: string]> = [
  ["'fraud_api_toggle'", 'fraud_api_toggle_configurations t', 't.id'],
  ["'case'", 'cases t', 't.id'],
  ["'assessment'", 'fraud_risk_assessments t', 't.id'],
  ["'payment'", 'payments t', 't.id'],
  ["'configuration'", 'fraud_risk_configurations t', 't.id'],
  ["'case-comment'", 'case_comments c join cases t on t.id = c.case_id', 'c.id'],
  ["'case-attachment'", 'case_attachments c join cases t on t.id = c.case_id', 'c.id'],
  ["'configuration_version'", 'fraud_risk_configuration_versions v join fraud_risk_configurations t on t.id = v.configuration_id', 'v.id'],
];

export function migration0010AuditEntityIndex(dialect: DatabaseDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_log').addColumn('tenant_id', sql`varchar(50)`).execute();
      // UPDATE … FROM works on PostgreSQL and SQLite (3.33+) alike; ids are compared as text
      // because audit_log.entity_id is text and the ids are uuid on PostgreSQL.
      for (const [types, from, id] of BACKFILL) {
        await sql`update audit_log set tenant_id = t.tenant_id from ${sql.raw(from)} where audit_log.entity_type in (${sql.raw(types)}) and audit_log.entity_id = cast(${sql.raw(id)} as text)`.execute(
          db,
        );
      }
      const requestTenant = dialect === 'postgres' ? sql.raw(`(a.request::jsonb ->> 'tenantId')`) : sql.raw(`json_extract(a.request, '$.tenantId')`);
      await sql`update audit_log set tenant_id = ${requestTenant} from fraud_api_toggle_approvals a where audit_log.entity_type = 'fraud_api_toggle_approval' and audit_log.entity_id = cast(a.id as text)`.execute(
        db,
      );
      await db.schema.createIndex('audit_tenant_time_idx').on('audit_log').columns(['tenant_id', 'occurred_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_tenant_time_idx').execute();
      await db.schema.alterTable('audit_log').dropColumn('tenant_id').execute();
    },
  };
}
