import type { CommandContext } from '../commands/bus.ts';
import { toIso, toIsoOrNull } from '../db/database.ts';
import type { NotificationRow } from '../db/schema-kris.ts';
import { NotificationKind, type Notification } from '../../../shared/src/notifications.ts';

const ENTITY = 'notification';

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    entityType: row.entity_type,
    entityId: row.entity_id,
    createdAt: toIso(row.created_at),
    readAt: toIsoOrNull(row.read_at),
  };
}

export interface NotifyInput {
  userId: string;
  tenantId: string | null;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

/**
 * Writes one user's in-app notification inside the caller's command (ARCHITECTURE.md rule 1) and
 * pushes it after commit to that user's sockets only (`notification.created`, realtime/socket.ts
 * userRoom); the renderer raises the OS notification from it.
 */
export async function notifyWithin(ctx: CommandContext, input: NotifyInput): Promise<Notification> {
  // A kind the renderer cannot read is the calling slice's bug: refused here, not stored.
  NotificationKind.parse(input.kind);
  const row = {
    id: ctx.newId(),
    user_id: input.userId,
    tenant_id: input.tenantId,
    kind: input.kind,
    title: input.title.slice(0, 300),
    body: input.body,
    link: input.link ?? null,
    entity_type: input.entityType ?? null,
    entity_id: input.entityId ?? null,
    created_at: ctx.now.toISOString(),
    read_at: null,
    version: 1,
  } satisfies NotificationRow;
  await ctx.trx.insertInto('notifications').values(row).execute();
  const notification = toNotification(row);
  ctx.audit({ entityType: ENTITY, entityId: row.id, before: null, after: { ...notification, userId: input.userId }, tenantId: input.tenantId });
  ctx.announce({ event: 'notification.created', payload: notification, audience: 'risk:read', tenantId: input.tenantId, userId: input.userId });
  return notification;
}

/** Notifies each user once (owners of a KRI and of its risks may be the same person). */
export async function notifyEachWithin(ctx: CommandContext, userIds: Iterable<string | null | undefined>, input: Omit<NotifyInput, 'userId'>): Promise<number> {
  const once = new Set<string>();
  for (const id of userIds) if (id) once.add(id);
  for (const userId of once) await notifyWithin(ctx, { ...input, userId });
  return once.size;
}
