import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { dbBool } from '../db/database.ts';
import type { DatabaseDialect } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { Role, roleHasPermission } from '../../../shared/src/roles.ts';
import { tenantAccessFor, tenantAllowed, type TenantAccess } from '../../../shared/src/tenants.ts';
import type { RiskOwner, RiskOwnerQuery } from '../../../shared/src/risk-register.ts';

/** The caller's tenants the owner must act for: the one asked about, or any of the caller's. */
function actsForScope(access: TenantAccess, scope: TenantScope, tenantId: string | undefined): boolean {
  if (tenantId !== undefined) return scope.allows(tenantId) && tenantAllowed(access, tenantId);
  if (access === 'ALL' || scope.isAll) return true;
  return access.some((tenant) => scope.allows(tenant));
}

/**
 * People an owner picker may offer (ARCHITECTURE.md "Tenants"): active users whose role may
 * manage or approve risks and who act for the tenant in question. Reads only the users table,
 * so a workstation answers it from its synced copy (shared/src/sync.ts LOCAL_QUERIES).
 */
export async function listRiskOwners(db: Kysely<Database>, dialect: DatabaseDialect, query: RiskOwnerQuery, scope: TenantScope): Promise<RiskOwner[]> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'username', 'role', 'tenant_ids'])
    .where('active', '=', dbBool(dialect, true))
    .orderBy('display_name')
    .orderBy('username')
    .execute();
  const owners: RiskOwner[] = [];
  for (const user of users) {
    const role = Role.safeParse(user.role);
    if (!role.success) continue;
    if (!roleHasPermission(role.data, 'risk:manage') && !roleHasPermission(role.data, 'risk:approve')) continue;
    if (!actsForScope(tenantAccessFor(role.data, tenantIdsOf(user.tenant_ids)), scope, query.tenantId)) continue;
    owners.push({ id: user.id, displayName: user.display_name, username: user.username, role: role.data });
  }
  return owners;
}
