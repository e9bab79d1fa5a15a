import { z } from 'zod';
import { defineCommand } from '../commands/bus.ts';
import { notFound } from '../errors.ts';
import { toNotification } from './notify.ts';

/**
 * Marking notifications read. A notification belongs to its user: another user's is not found
 * (404), whatever the caller's permissions.
 */
export const markNotificationRead = defineCommand({
  name: 'notification.read',
  input: z.object({ id: z.uuid() }),
  permission: 'signed-in',
  async apply(ctx, input) {
    const row = await ctx.trx.selectFrom('notifications').selectAll().where('id', '=', input.id).where('user_id', '=', ctx.actor.id).executeTakeFirst();
    if (!row) throw notFound('notification');
    if (row.read_at !== null) return toNotification(row);
    const changes = { read_at: ctx.now.toISOString(), version: row.version + 1 };
    await ctx.trx.updateTable('notifications').set(changes).where('id', '=', row.id).execute();
    const after = toNotification({ ...row, ...changes });
    ctx.audit({ entityType: 'notification', entityId: row.id, before: { readAt: null }, after: { readAt: after.readAt }, tenantId: row.tenant_id });
    return after;
  },
});

export const markAllNotificationsRead = defineCommand({
  name: 'notification.read-all',
  input: z.object({}),
  permission: 'signed-in',
  async apply(ctx) {
    const result = await ctx.trx
      .updateTable('notifications')
      .set((eb) => ({ read_at: ctx.now.toISOString(), version: eb('version', '+', 1) }))
      .where('user_id', '=', ctx.actor.id)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    const updated = Number(result.numUpdatedRows);
    if (updated > 0) ctx.audit({ entityType: 'notification', entityId: ctx.actor.id, before: null, after: { markedRead: updated } });
    return { updated };
  },
});
