// OS notifications requested by the UI (new case assigned, alert escalated, ...).
import { Notification } from 'electron';
import type { DesktopNotification } from '../../shared/src/desktop.ts';

// Notifications that are still on screen. Holding a reference keeps them from being garbage
// collected, which would silently drop their click handler.
const live = new Set<Notification>();

/** `onClick` gets the notification's link (validated again where it is used: notification-open.ts). */
export function showNotification(content: DesktopNotification, onClick: (link: string | null) => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: content.title, body: content.body });
  const release = (): void => {
    live.delete(notification);
  };
  notification.on('click', () => {
    release();
    onClick(content.link ?? null);
  });
  notification.on('close', release);
  notification.on('failed', (_event, error) => {
    release();
    console.warn(`[main] notification failed: ${error}`);
  });
  live.add(notification);
  notification.show();
}
