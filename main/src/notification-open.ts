// What a click on an OS notification does (issue 15: "desktop notifications open the item"). Pure
// (no electron import) so it is unit-tested; notifications.ts and main.ts wire it to Electron.
// The window is focused in every case; it is sent the notification's in-app path only when the
// path is one (shared AppPath) and the window still shows the service, so a click can never take
// the window elsewhere: the renderer's single navigation guard receives a path, never a URL.
import { isAppPath } from '../../shared/src/desktop.ts';
import { IpcChannel } from './ipc-channels.ts';
import { isServiceUrl } from './navigation-policy.ts';

/** The parts of the main window a click uses (BrowserWindow + webContents in main.ts). */
export interface NotificationClickWindow {
  focus(): void;
  /** The URL the window shows now (null when it is gone). */
  currentUrl(): string | null;
  send(channel: typeof IpcChannel.navigate, path: string): void;
}

export type NotificationClickOutcome = 'navigated' | 'focused' | 'no-window';

export function openNotificationTarget(
  link: string | null | undefined,
  window: NotificationClickWindow | null,
  serviceOrigin: string | null,
): NotificationClickOutcome {
  if (!window) return 'no-window';
  window.focus();
  if (!link || !isAppPath(link)) return 'focused';
  // The first-run page or a crashed renderer has no router listening; a reload lands on the service root.
  if (!isServiceUrl(window.currentUrl(), serviceOrigin)) return 'focused';
  window.send(IpcChannel.navigate, link);
  return 'navigated';
}
