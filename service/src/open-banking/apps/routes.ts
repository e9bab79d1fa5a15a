import type { ServiceContext } from '../../context.ts';
import { obAppOperations as ops } from '../../../../shared/src/contract/open-banking-admin.ts';
import { obAppCommands } from './commands.ts';
import { getObApp, listObApps, obAppUsage } from './queries.ts';

/** /api/v1/open-banking/apps, built from the contract (ARCHITECTURE.md rule 2). */
export function registerObAppRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const commands = obAppCommands(ctx.secrets);
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(ops.list, ({ query, scope }) => listObApps(db.kysely, query, scope, clock.now()));
  operations.implement(ops.get, ({ params, scope }) => getObApp(db.kysely, params.id, scope, clock.now()));
  operations.implement(ops.register, ({ body, principal, request }) => bus.execute(commands.register, body, principal.actor, meta(request)));
  operations.implement(ops.update, ({ params, body, principal, request }) =>
    bus.execute(commands.update, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.suspend, ({ params, body, principal, request }) =>
    bus.execute(commands.suspend, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.reinstate, ({ params, body, principal, request }) =>
    bus.execute(commands.reinstate, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.rotate, ({ params, body, principal, request }) =>
    bus.execute(commands.rotate, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.usage, ({ params, query, scope }) => obAppUsage(db.kysely, db.dialect, params.id, query, scope, clock.now()));
}
