// The signed-in user's notifications through the typed contract client (ARCHITECTURE.md rule 2).
import { notificationOperations } from '../../../shared/src/contract/notifications.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchNotifications = (signal?: AbortSignal) => callApi(notificationOperations.list, { query: { limit: 50 } }, { signal });
export const markNotificationRead = (id: string) => callApi(notificationOperations.read, { params: { id } });
export const markAllNotificationsRead = () => callApi(notificationOperations.readAll, {});
