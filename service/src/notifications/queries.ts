import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { NotificationList, NotificationListQuery } from '../../../shared/src/notifications.ts';
import { toNotification } from './notify.ts';

/** The caller's own notifications, newest first, and the count of unread ones. */
export async function listNotifications(db: Kysely<Database>, userId: string, query: NotificationListQuery): Promise<NotificationList> {
  let rows = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (query.unreadOnly === 'true') rows = rows.where('read_at', 'is', null);
  const [list, unread] = await Promise.all([
    rows.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { notifications: list.map(toNotification), unread: Number(unread.n) };
}
