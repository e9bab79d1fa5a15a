import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { listAssignableUsers } from './users.ts';

export function registerUserRoutes(ctx: ServiceContext): void {
  addRoute(ctx.app, ctx.authenticator, {
    method: 'GET',
    url: '/api/v1/users',
    access: 'case:work',
    handler: () => listAssignableUsers(ctx.db.kysely),
  });
}
