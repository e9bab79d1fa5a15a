import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';

const TENANT_INDEXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  // Tenant-scoped queue pages: the open cases of the caller's tenants by SLA.
  ['cases_tenant_open_sla_idx', ['tenant_id', 'is_open', 'sla_due_at']],
  // Tenant-scoped navigation counts, answered from the index like cases_counts_idx (0006).
  ['cases_tenant_counts_idx', ['tenant_id', 'is_open', 'queue_id', 'risk_level', 'state', 'assignee_id', 'sla_paused_at', 'sla_due_at']],
];

/**
 * Cases carry their payment's tenant (ARCHITECTURE.md "Tenants"): lists, counts, exports and
 * claim-next are filtered by it, and another tenant's case answers 404. The column exists since
 * 0005; cases it left without one (no linked payment at the time) take their first linked
 * payment's tenant, and tenant-led indexes keep scoped queue pages and counts fast.
 */
export function migration0009CaseTenant(_dialect: DatabaseDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`update cases set tenant_id = (select a.tenant_id from case_assessments ca join fraud_risk_assessments a on a.id = ca.assessment_id
        where ca.case_id = cases.id order by ca.linked_at limit 1) where tenant_id is null`.execute(db);
      for (const [name, columns] of TENANT_INDEXES) {
        await db.schema
          .createIndex(name)
          .on('cases')
          .columns([...columns])
          .where(sql.ref('deleted_at'), 'is', null)
          .execute();
      }
    },
    async down(db: Kysely<unknown>) {
      for (const [name] of TENANT_INDEXES) await db.schema.dropIndex(name).execute();
    },
  };
}
