import type { Permission, Role } from '../../../shared/src/roles.ts';
import { ROLE_PERMISSIONS } from '../../../shared/src/roles.ts';
import type { Actor } from '../commands/bus.ts';

/** The authenticated caller of one request. */
export interface Principal {
  actor: Actor;
  role: Role;
  permissions: ReadonlySet<Permission>;
  sessionId: string | null;
}

export function principalFor(actor: Actor & { role: Role }, sessionId: string | null): Principal {
  return { actor, role: actor.role, permissions: new Set(ROLE_PERMISSIONS[actor.role]), sessionId };
}
