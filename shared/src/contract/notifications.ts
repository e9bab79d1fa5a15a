import { Notification, NotificationList, NotificationListQuery, NotificationsMarkedRead } from '../notifications.ts';
import { defineOperation, UuidParams } from './operation.ts';

const BASE = '/api/v1/notifications';

/**
 * The caller's own in-app notifications (issue 13). They belong to a user, not to a tenant's
 * records: every operation reads and writes only the caller's rows (tenant rule 'global';
 * another user's notification is 404).
 */
export const notificationOperations = {
  list: defineOperation({
    name: 'notification.list',
    kind: 'query',
    method: 'GET',
    path: BASE,
    access: 'signed-in',
    tenant: 'global',
    summary: 'Your notifications, newest first, and how many are unread.',
    query: NotificationListQuery,
    output: NotificationList,
  }),
  read: defineOperation({
    name: 'notification.read',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/:id/read`,
    access: 'signed-in',
    tenant: 'global',
    summary: 'Mark one of your notifications read.',
    params: UuidParams,
    output: Notification,
  }),
  readAll: defineOperation({
    name: 'notification.read-all',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/read-all`,
    access: 'signed-in',
    tenant: 'global',
    summary: 'Mark all your notifications read.',
    output: NotificationsMarkedRead,
  }),
} as const;
