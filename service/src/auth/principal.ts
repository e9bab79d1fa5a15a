import type { Permission, Role } from '../../../shared/src/roles.ts';
import { ROLE_PERMISSIONS } from '../../../shared/src/roles.ts';
import type { TenantAccess } from '../../../shared/src/tenants.ts';
import type { Actor } from '../commands/bus.ts';

/** The authenticated caller of one request. */
export interface Principal {
  actor: Actor;
  role: Role;
  permissions: ReadonlySet<Permission>;
  sessionId: string | null;
  /** The tenants the caller acts for (ARCHITECTURE.md "Tenants"). */
  tenants: TenantAccess;
  /** Signed in with a one-time password: may do nothing but change it (and sign out). */
  passwordChangeRequired: boolean;
}

export function principalFor(actor: Actor & { role: Role }, sessionId: string | null, options: { passwordChangeRequired?: boolean } = {}): Principal {
  return {
    actor,
    role: actor.role,
    permissions: new Set(ROLE_PERMISSIONS[actor.role]),
    sessionId,
    tenants: actor.tenants,
    passwordChangeRequired: options.passwordChangeRequired ?? false,
  };
}
