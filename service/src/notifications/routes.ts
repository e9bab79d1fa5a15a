import type { ServiceContext } from '../context.ts';
import { notificationOperations as ops } from '../../../shared/src/contract/notifications.ts';
import { markAllNotificationsRead, markNotificationRead } from './commands.ts';
import { listNotifications } from './queries.ts';

/** /api/v1/notifications: the caller's own (ARCHITECTURE.md rule 2). */
export function registerNotificationRoutes(ctx: ServiceContext): void {
  const { operations, db, bus } = ctx;
  operations.implement(ops.list, ({ principal, query }) => listNotifications(db.kysely, principal.actor.id, query));
  operations.implement(ops.read, ({ principal, params, request }) =>
    bus.execute(markNotificationRead, { id: params.id }, principal.actor, { requestId: request.id }),
  );
  operations.implement(ops.readAll, ({ principal, request }) => bus.execute(markAllNotificationsRead, {}, principal.actor, { requestId: request.id }));
}
