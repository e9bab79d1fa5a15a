// Sandboxed preload: gives the service's UI a small, typed `window.wekezaDesktop` API. It is
// built only from ipcRenderer.invoke calls on fixed channels; ipcRenderer itself is never
// exposed, and main validates every payload and the sender's origin again.
//
// Why `require` with a narrow local type instead of `import { … } from 'electron'`: the DOM-only
// renderer project type-imports WekezaDesktopApi from this file, and a static electron import
// would pull electron.d.ts (which references all of @types/node) into the renderer's program.
// preload-contract.ts proves at compile time that Electron's real API satisfies the narrow type.
// At runtime a sandboxed preload has exactly this `require`, limited to a few modules.
import type { DeploymentChoice, DeploymentChoiceResult, DesktopBootstrap, DesktopNotification, ThemePreference } from '../../shared/src/desktop.ts';
import { IpcChannel } from './ipc-channels.ts';

/** The part of Electron's renderer-side module this preload uses. */
export interface ElectronPreloadModule {
  contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  };
}

declare const require: (id: 'electron') => ElectronPreloadModule;

const { contextBridge, ipcRenderer } = require('electron');

const api = {
  /** Service URL, mode, versions and theme preference for the UI to start with. */
  bootstrap(): Promise<DesktopBootstrap> {
    // Main builds the value with DesktopBootstrap.parse, so the cast only restores the type.
    return ipcRenderer.invoke(IpcChannel.bootstrap) as Promise<DesktopBootstrap>;
  },
  /** Persists the theme preference and applies it to native UI (menus, dialogs, title bar). */
  async setTheme(theme: ThemePreference): Promise<void> {
    await ipcRenderer.invoke(IpcChannel.setTheme, theme);
  },
  /**
   * Shows an OS notification; clicking it brings the workstation window to the front and, when it
   * has a link, asks the UI to open it (see onNavigate).
   */
  async notify(notification: DesktopNotification): Promise<void> {
    await ipcRenderer.invoke(IpcChannel.notify, notification);
  },
  /**
   * Issue 15: main asks the UI to open an in-app path (a notification was clicked). Only a string
   * path reaches the callback (the renderer's navigation guard checks it again); the Electron
   * event object never does. Returns the unsubscribe function.
   */
  onNavigate(callback: (path: string) => void): () => void {
    const listener = (_event: unknown, path: unknown) => {
      if (typeof path === 'string' && path.startsWith('/') && path.length <= 500) callback(path);
    };
    ipcRenderer.on(IpcChannel.navigate, listener);
    return () => {
      ipcRenderer.removeListener(IpcChannel.navigate, listener);
    };
  },
  /**
   * How this computer runs the service: the first-run choice, or an admin's switch in Settings.
   * Main validates it (a workstation's hub must answer /health as a hub), saves it, restarts the
   * service and reloads the window on it; a refusal comes back as `{ ok: false, message }`.
   */
  chooseDeployment(choice: DeploymentChoice): Promise<DeploymentChoiceResult> {
    return ipcRenderer.invoke(IpcChannel.chooseDeployment, choice) as Promise<DeploymentChoiceResult>;
  },
};

/** What `window.wekezaDesktop` offers; the renderer derives its types from this. */
export type WekezaDesktopApi = typeof api;

contextBridge.exposeInMainWorld('wekezaDesktop', api);
