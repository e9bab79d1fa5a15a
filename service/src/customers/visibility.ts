import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';

/** The core-banking references (CIFs) a GCID holds. */
export async function customerRefs(db: Kysely<Database>, gcid: string): Promise<string[]> {
  const rows = await db.selectFrom('customer_identifiers').select('value').where('gcid', '=', gcid).where('kind', '=', 'CUSTOMER_REF').execute();
  return rows.map((r) => r.value);
}

/**
 * Is this person a customer of the caller's tenants? One person may bank through several
 * tenants; a GCID is visible when it has a payment or a case of one of the caller's tenants
 * (ARCHITECTURE.md "Tenants": otherwise it does not exist for the caller, 404). Bank-wide
 * callers see every GCID.
 */
export async function gcidVisible(db: Kysely<Database>, gcid: string, scope: TenantScope): Promise<boolean> {
  const tenants = scope.sqlList();
  if (!tenants) return true;
  const refs = await customerRefs(db, gcid);
  if (refs.length > 0) {
    const payment = await db
      .selectFrom('payments')
      .select('id')
      .where('customer_ref', 'in', refs)
      .where('tenant_id', 'in', tenants)
      .limit(1)
      .executeTakeFirst();
    if (payment) return true;
  }
  const kase = await db
    .selectFrom('cases')
    .select('id')
    .where('customer_gcid', '=', gcid)
    .where('tenant_id', 'in', tenants)
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return kase !== undefined;
}
