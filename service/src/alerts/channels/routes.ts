import type { ServiceContext } from '../../context.ts';
import { alertChannelOperations as ops } from '../../../../shared/src/contract/alerts.ts';
import { alertChannelCommands } from './commands.ts';
import { getAlertChannel, listAlertChannelDeliveries, listAlertChannels } from './queries.ts';

/** /api/v1/alert-channels: channels, their test send and delivery log, built from the contract (ARCHITECTURE.md rule 2). */
export function registerAlertChannelRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const commands = alertChannelCommands(ctx.secrets);
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(ops.list, ({ scope }) => listAlertChannels(db.kysely, scope, clock.now()));
  operations.implement(ops.get, ({ params, scope }) => getAlertChannel(db.kysely, params.id, scope, clock.now()));
  operations.implement(ops.create, ({ body, principal, request }) => bus.execute(commands.create, body, principal.actor, meta(request)));
  operations.implement(ops.update, ({ params, body, principal, request }) =>
    bus.execute(commands.update, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.remove, async ({ params, principal, request }) => {
    await bus.execute(commands.remove, { id: params.id }, principal.actor, meta(request));
  });
  operations.implement(ops.test, ({ params, principal, request }) => bus.execute(commands.test, { id: params.id }, principal.actor, meta(request)));
  operations.implement(ops.deliveries, ({ params, query, scope }) => listAlertChannelDeliveries(db.kysely, params.id, query, scope));
}
