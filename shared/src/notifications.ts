import { z } from 'zod';

/**
 * In-app notifications (issue 13: a KRI breach notifies the risk's owner in-app and by an OS
 * notification). One row per recipient; pushed live to the user's sockets as `notification.created`.
 */

/** What the notification is about, dotted lower case, e.g. "kri.breach", "kri.stale", "risk-acceptance.expired". */
export const NotificationKind = z
  .string()
  .max(60)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'dotted lower-case words, e.g. "kri.breach"');
export type NotificationKind = z.infer<typeof NotificationKind>;

export const Notification = z.object({
  id: z.uuid(),
  tenantId: z.string().nullable(),
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  /** Where the renderer opens it, e.g. "/kris/<id>". */
  link: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationListQuery = z.object({
  unreadOnly: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.number().int() });
export type NotificationList = z.infer<typeof NotificationList>;

export const NotificationsMarkedRead = z.object({ updated: z.number().int() });
