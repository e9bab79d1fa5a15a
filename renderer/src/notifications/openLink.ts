// Issue 15 "desktop notifications open the item": every way a notification is opened — the bell,
// the toast, an OS notification clicked in the desktop app (main → preload → onDesktopNavigate)
// or in a browser tab (the Notification API) — goes through openInApp, the one navigation guard:
// only an in-app path (shared AppPath) is followed, never another origin or scheme.
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { isAppPath } from '../../../shared/src/desktop.ts';
import { onDesktopNavigate } from '../desktop.ts';

/** The link as an in-app path, or null when it is none (no link, another origin, a scheme). */
export function safeAppPath(link: string | null | undefined): string | null {
  return link && isAppPath(link) ? link : null;
}

export type Navigate = (path: string) => void;

/** Follows a notification's link when it is an in-app path; answers whether it navigated. */
export function openInApp(link: string | null | undefined, navigate: Navigate): boolean {
  const path = safeAppPath(link);
  if (!path) return false;
  navigate(path);
  return true;
}

/** Subscribes the window to the desktop shell's "open this" (a clicked OS notification). */
export function useDesktopNavigation(): void {
  const navigate = useNavigate();
  useEffect(() => onDesktopNavigate((path) => void openInApp(path, navigate)), [navigate]);
}

export type BrowserNotificationState = 'unsupported' | NotificationPermission;

export function browserNotificationState(): BrowserNotificationState {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification.permission : 'unsupported';
}

/** Asks the browser (needs a click: browsers refuse a prompt without a user gesture). */
export async function askForBrowserNotifications(): Promise<BrowserNotificationState> {
  if (browserNotificationState() === 'unsupported') return 'unsupported';
  try {
    return await window.Notification.requestPermission();
  } catch {
    return browserNotificationState();
  }
}

/**
 * A browser tab's OS notification (when the user allowed them): a click focuses the tab and opens
 * the item through the guard. The tag makes a repeat of the same notification replace, not stack.
 */
export function showBrowserNotification(item: { id: string; title: string; body: string; link: string | null }, navigate: Navigate): boolean {
  if (browserNotificationState() !== 'granted') return false;
  try {
    const shown = new window.Notification(item.title.slice(0, 120), { body: item.body.slice(0, 500), tag: item.id });
    shown.onclick = () => {
      window.focus();
      openInApp(item.link, navigate);
      shown.close();
    };
    return true;
  } catch {
    // Some browsers (Android Chrome) allow notifications only from a service worker.
    return false;
  }
}
