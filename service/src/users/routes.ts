import type { ServiceContext } from '../context.ts';
import { userOperations } from '../../../shared/src/contract/users.ts';
import { apiClientOperations } from '../../../shared/src/contract/api-clients.ts';
import { listAssignableUsers, listUsers } from './model.ts';
import { listApiClients } from './api-clients.ts';
import { UserAdministration } from './service.ts';
import type { Principal } from '../auth/principal.ts';

/**
 * Users and machine clients (ARCHITECTURE.md rule 2: declared in shared/src/contract/users.ts and
 * api-clients.ts). Each handler runs one command (through UserAdministration, which adds the
 * after-commit follow-ups) or one query. "Change password" (POST /api/v1/auth/password) is here
 * too, so that its throttle and follow-ups share this one UserAdministration.
 */
export function registerUserRoutes(ctx: ServiceContext): void {
  const admin = new UserAdministration(ctx);
  const { operations } = ctx;
  admin.trackClientUse();
  const call = (principal: Principal, requestId: string) => ({ actor: principal.actor, requestId });

  operations.implement(userOperations.list, () => listUsers(ctx.db.kysely));
  operations.implement(userOperations.assignable, ({ scope }) => listAssignableUsers(ctx.db.kysely, scope));
  operations.implement(userOperations.create, ({ principal, body, request }) => admin.create(body, call(principal, request.id)));
  operations.implement(userOperations.update, ({ principal, params, body, request }) => admin.update(params.id, body, call(principal, request.id)));
  operations.implement(userOperations.deactivate, ({ principal, params, request }) => admin.deactivate(params.id, call(principal, request.id)));
  operations.implement(userOperations.reactivate, ({ principal, params, request }) => admin.reactivate(params.id, call(principal, request.id)));
  operations.implement(userOperations.resetPassword, ({ principal, params, request }) => admin.resetPassword(params.id, call(principal, request.id)));
  operations.implement(userOperations.changePassword, ({ principal, body, request }) =>
    admin.changeOwnPassword(body, principal.sessionId, call(principal, request.id)),
  );

  operations.implement(apiClientOperations.list, () => listApiClients(ctx.db.kysely, ctx.clock.now()));
  operations.implement(apiClientOperations.create, ({ principal, body, request }) => admin.createClient(body, call(principal, request.id)));
  operations.implement(apiClientOperations.revoke, ({ principal, params, request }) => admin.revokeClient(params.id, call(principal, request.id)));
  operations.implement(apiClientOperations.rotate, ({ principal, params, body, request }) => admin.rotateClient(params.id, body, call(principal, request.id)));
}
