// The Electron preload exposes `window.wekezaDesktop`; in a plain browser tab it is absent and
// every caller must cope with that (theme falls back to localStorage, notifications to a toast).
// Only the preload's *type* is imported (main/src/preload.ts is written to be type-importable
// from this DOM-only project); no main-process code reaches the bundle.
import type { DesktopBootstrap, DesktopNotification, ThemePreference } from '../../shared/src/desktop.ts';

declare global {
  interface Window {
    wekezaDesktop?: import('../../main/src/preload.ts').WekezaDesktopApi;
  }
}

export type DesktopBridge = NonNullable<Window['wekezaDesktop']>;

export function desktop(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.wekezaDesktop;
}

let bootstrapPromise: Promise<DesktopBootstrap | null> | undefined;
/** What the shell told us at start-up, or null in a browser tab (or if the bridge failed). */
export function desktopBootstrap(): Promise<DesktopBootstrap | null> {
  bootstrapPromise ??= (async () => {
    const bridge = desktop();
    if (!bridge) return null;
    try {
      return await bridge.bootstrap();
    } catch (error) {
      console.warn('wekezaDesktop.bootstrap failed; continuing as a browser tab', error);
      return null;
    }
  })();
  return bootstrapPromise;
}

export function desktopNotify(notification: DesktopNotification): boolean {
  const bridge = desktop();
  if (!bridge) return false;
  try {
    void Promise.resolve(bridge.notify(notification)).catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 15: main asks the window to open an in-app path (an OS notification was clicked). The
 * callback is the renderer's one navigation guard (notifications/openLink.ts); in a browser tab,
 * or a shell without the channel, nothing subscribes and the unsubscribe does nothing.
 */
export function onDesktopNavigate(callback: (path: string) => void): () => void {
  const bridge = desktop();
  if (!bridge || typeof bridge.onNavigate !== 'function') return () => undefined;
  try {
    return bridge.onNavigate(callback);
  } catch {
    return () => undefined;
  }
}

export function desktopSetTheme(theme: ThemePreference): void {
  const bridge = desktop();
  if (!bridge) return;
  try {
    void Promise.resolve(bridge.setTheme(theme)).catch(() => undefined);
  } catch {
    // The shell remembers the theme only as a convenience; localStorage still has it.
  }
}
