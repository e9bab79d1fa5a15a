import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { dbBool, type DatabaseDialect } from '../db/database.ts';
import type { Actor } from '../commands/bus.ts';
import { conflict, ServiceError, validationFailed } from '../errors.ts';
import type { Role } from '../../../shared/src/roles.ts';
import { BANK_WIDE_ROLES, tenantAccessFor, type TenantAccess } from '../../../shared/src/tenants.ts';

/** The role that holds user:manage; the service never lets the last active one go. */
export const ADMIN_ROLE: Role = 'RISK_MANAGER';

/** Does `actor` act for every tenant `target` acts for? */
export function covers(actor: TenantAccess, target: TenantAccess): boolean {
  if (actor === 'ALL') return true;
  if (target === 'ALL') return false;
  return target.every((tenant) => actor.includes(tenant));
}

/**
 * An administrator restricted to some tenants grants only tenants it holds (ARCHITECTURE.md
 * "Tenants"): an empty list with a bank-wide role means every tenant, which only an
 * administrator of every tenant may give.
 */
export function assertCanGrant(actor: Actor, role: Role, tenantIds: readonly string[], field = 'body.tenantIds'): void {
  const granted = tenantAccessFor(role, tenantIds);
  if (covers(actor.tenants, granted)) return;
  const message =
    granted === 'ALL'
      ? 'only an administrator of every tenant can give every tenant: name the tenants'
      : `you do not act for ${granted.filter((t) => actor.tenants === 'ALL' || !actor.tenants.includes(t)).join(', ')}`;
  throw new ServiceError(403, 'FORBIDDEN', message, [{ path: field, message }]);
}

/** An administrator restricted to some tenants manages only users and clients within them. */
export function assertManages(actor: Actor, target: TenantAccess, what: string): void {
  if (!covers(actor.tenants, target)) throw new ServiceError(403, 'FORBIDDEN', `this ${what} acts for tenants you do not act for`);
}

/** Only bank-wide roles may act for every tenant; a user of any other role needs one or more. */
export function assertTenantsFitRole(role: Role, tenantIds: readonly string[]): void {
  if (tenantIds.length === 0 && !BANK_WIDE_ROLES.includes(role)) {
    throw validationFailed([{ path: 'body.tenantIds', message: 'this role acts for named tenants only: choose at least one' }]);
  }
}

/** Refuses to leave the bank without an active administrator (deactivation or demotion). */
export async function assertNotLastAdmin(trx: Transaction<Database>, dialect: DatabaseDialect, userId: string, action: string): Promise<void> {
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', ADMIN_ROLE)
    .where('active', '=', dbBool(dialect, true))
    .where('id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw conflict(`this is the last active risk manager (admin): ${action} would leave nobody to manage users`);
}
