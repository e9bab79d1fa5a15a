// Electron main process: one instance, starts the local service, opens one hardened window on
// it, and stops the service on the way out. Each concern lives in its own module.
import { app, type BrowserWindow, clipboard, dialog, nativeTheme, type MessageBoxOptions } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentChoice, DeploymentChoiceResult, DesktopBootstrap, ThemePreference } from '../../shared/src/desktop.ts';
import { installApplicationMenu } from './app-menu.ts';
import { checkHub, serviceLaunch, type ServiceLaunch } from './deployment.ts';
import { registerIpcHandlers } from './ipc.ts';
import { createMainWindow, focusWindow, windowBackground } from './main-window.ts';
import { MasterKeyError } from './master-key.ts';
import { showNotification } from './notifications.ts';
import { openNotificationTarget, type NotificationClickWindow } from './notification-open.ts';
import { prepareMasterKey, type MasterKeySetup } from './secret-store.ts';
import { forkUtilityProcess } from './service-fork.ts';
import { ServiceStartError, startService, type RunningService } from './service-process.ts';
import { openDeploymentStore, openPreferences, type DeploymentStore, type Preferences } from './settings.ts';
import { installContentSecurityPolicy, installPermissionHandlers, installWebContentsGuards } from './web-security.ts';

const APP_ID = 'africa.wekeza.riskworkstation';
const SERVICE_READY_TIMEOUT_MS = 60_000;
const SERVICE_STOP_TIMEOUT_MS = 5_000;
const RENDERER_RELOAD_WINDOW_MS = 60_000;

// dist/main/main.cjs sits next to preload.cjs; the service and assets are found from there
// (inside app.asar when packaged).
const paths = {
  service: join(__dirname, '..', 'service', 'index.mjs'),
  preload: join(__dirname, 'preload.cjs'),
  icon: join(__dirname, '..', '..', 'assets', 'icon.png'),
};

let service: RunningService | null = null;
let mainWindow: BrowserWindow | null = null;
let preferences: Preferences | null = null;
let deployments: DeploymentStore | null = null;
let launch: ServiceLaunch | null = null;
let restarting = false;
let keySetup: MasterKeySetup | null = null;
let shuttingDown = false;
// Dialogs that must wait until the window is visible (so it cannot cover them).
const pendingDialogs: Array<() => Promise<void>> = [];

const dataFolder = (): string => launch?.dataDir ?? join(app.getPath('userData'), 'data');
const serviceOrigin = (): string | null => service?.origin ?? null;

/** The main window as a notification click sees it (notification-open.ts), or null when it is gone. */
function windowForNotifications(): NotificationClickWindow | null {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return null;
  return {
    focus: () => focusWindow(win),
    currentUrl: () => (win.webContents.isDestroyed() ? null : win.webContents.getURL()),
    send: (channel, path) => win.webContents.send(channel, path),
  };
}

function formatTail(lines: string[]): string {
  return lines.length > 0 ? `\n\nLast messages from the service:\n${lines.join('\n')}` : '';
}

/** Shows a blocking error and quits; used whenever the app cannot do its job safely. */
async function failAndQuit(message: string, detail: string): Promise<void> {
  console.error(`[main] ${message}\n${detail}`);
  // A one-time password that was not shown yet must not be lost with the window.
  for (const show of pendingDialogs.splice(0)) await show();
  if (!shuttingDown) {
    await dialog.showMessageBox({ type: 'error', title: 'Wekeza Risk Workstation', message, detail, buttons: ['Quit'] });
  }
  app.quit();
}

/** The one-time admin password is printed once by the service; show it once, over the window. */
function showAdminPassword(username: string, password: string): void {
  const options: MessageBoxOptions = {
    type: 'info',
    title: 'Administrator account created',
    message: 'Write down the administrator sign-in. It is shown only this once.',
    detail: `User name: ${username}\nPassword: ${password}\n\nIt is a one-time password: when you sign in with it, you choose your own password before anything else.`,
    buttons: ['Copy password', 'OK'],
    defaultId: 1,
    noLink: true,
  };
  const show = async (): Promise<void> => {
    const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const { response } = await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    if (response === 0) clipboard.writeText(password);
  };
  // The password arrives before the window exists; show it once the window is visible so the
  // window cannot cover it.
  if (mainWindow?.isVisible()) void show();
  else pendingDialogs.push(show);
}

function bootstrapInfo(): DesktopBootstrap {
  if (!service || !preferences) throw new Error('The desktop shell is not ready yet.');
  return {
    serviceUrl: service.url,
    mode: service.mode,
    appVersion: app.getVersion(),
    platform: process.platform,
    theme: preferences.theme(),
    firstRun: launch?.setup ?? false,
    deployment: deployments?.deployment() ?? null,
  };
}

function applyTheme(theme: ThemePreference): void {
  nativeTheme.themeSource = theme;
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setBackgroundColor(windowBackground());
}

/**
 * Starts the service the saved deployment asks for (deployment.ts serviceLaunch): on first run an
 * empty standalone service in a setup folder, only to show "Set up this computer". False when it
 * failed (the user has been told and the app quits).
 */
async function launchService(): Promise<boolean> {
  launch = serviceLaunch(deployments?.deployment() ?? null, app.getPath('userData'));
  const current = launch;
  mkdirSync(current.dataDir, { recursive: true, mode: 0o700 });
  try {
    keySetup = await prepareMasterKey(current.dataDir);
  } catch (error) {
    const detail = error instanceof MasterKeyError ? error.message : `Unexpected error: ${String(error)}`;
    await failAndQuit('The encryption key of this workstation could not be unlocked.', detail);
    return false;
  }

  try {
    service = await startService({
      fork: forkUtilityProcess,
      servicePath: paths.service,
      args: current.args,
      masterKey: keySetup.resolution.kind === 'safe-storage' ? keySetup.resolution.key : undefined,
      readyTimeoutMs: SERVICE_READY_TIMEOUT_MS,
      // The setup service's administrator is never used (nothing is signed in before the choice).
      onAdminPassword: ({ username, password }) => {
        if (!current.setup) showAdminPassword(username, password);
      },
    });
  } catch (error) {
    const tail = error instanceof ServiceStartError ? error.stderrTail : [];
    await failAndQuit('The local Wekeza service could not be started.', `${error instanceof Error ? error.message : String(error)}${formatTail(tail)}`);
    return false;
  }
  const running = service;
  running.onUnexpectedExit((code, tail) => {
    if (shuttingDown || restarting || service !== running) return;
    void failAndQuit('The local Wekeza service stopped unexpectedly.', `Exit code ${code}. Unsaved work in the window may be lost.${formatTail(tail)}`);
  });
  installContentSecurityPolicy(running.url, running.origin);
  return true;
}

function describeChoice(choice: DeploymentChoice): string {
  switch (choice.kind) {
    case 'workstation':
      return `a workstation of the hub at ${choice.hubUrl}`;
    case 'standalone-demo':
      return 'standalone with demo data (evaluation)';
    case 'standalone-empty':
      return 'standalone, starting empty on this computer';
  }
}

/**
 * The renderer's deployment choice (already zod-validated by ipc.ts). A workstation's hub must
 * answer /health as a hub. After first run, switching also needs a yes in a native dialog: the
 * page cannot click that, so a script in the page alone cannot re-point this computer.
 */
async function chooseDeployment(choice: DeploymentChoice): Promise<DeploymentChoiceResult> {
  if (!deployments || restarting) return { ok: false, message: 'The service is restarting; try again in a moment.' };
  if (choice.kind === 'workstation') {
    const hub = await checkHub(choice.hubUrl, fetch);
    if (!hub.ok) return hub;
  }
  if (!launch?.setup) {
    const options: MessageBoxOptions = {
      type: 'question',
      title: 'Switch how this computer runs',
      message: `Run this computer as ${describeChoice(choice)}?`,
      detail: 'The local service restarts and everyone signs in again. Data of the current mode stays in its folder and comes back if you switch back.',
      buttons: ['Switch', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    };
    const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const { response } = await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    if (response !== 0) return { ok: false, message: 'Not switched.' };
  }
  deployments.setDeployment(choice);
  // Answer first, then restart: the page that asked is replaced by the new service's page.
  setTimeout(() => void restartService(), 100);
  return { ok: true };
}

async function restartService(): Promise<void> {
  restarting = true;
  const old = service;
  service = null;
  try {
    await old?.stop(SERVICE_STOP_TIMEOUT_MS);
    if (!(await launchService()) || !service) return;
    const next: RunningService = service;
    if (mainWindow && !mainWindow.isDestroyed()) {
      await mainWindow.loadURL(next.url).catch((error: unknown) => console.error(`[main] could not load ${next.url}: ${String(error)}`));
    }
    for (const show of pendingDialogs.splice(0)) void show();
  } finally {
    restarting = false;
  }
}

async function startUp(): Promise<void> {
  preferences = openPreferences();
  nativeTheme.themeSource = preferences.theme();
  installPermissionHandlers(serviceOrigin);
  installApplicationMenu(() => ({
    appVersion: app.getVersion(),
    serviceMode: service?.mode ?? null,
    serviceUrl: service?.url ?? null,
    dataFolder: dataFolder(),
    secretStorage: keySetup?.protection.label ?? 'not initialised',
    secretStorageWeak: keySetup?.protection.weak ?? false,
    versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
    platform: process.platform,
    arch: process.arch,
  }));

  deployments = openDeploymentStore();
  if (!(await launchService())) return;
  registerIpcHandlers({
    serviceOrigin,
    bootstrap: bootstrapInfo,
    setTheme: (theme) => {
      preferences?.setTheme(theme);
      applyTheme(theme);
    },
    notify: (notification) =>
      showNotification(notification, (link) => {
        // Issue 15: the click opens the item in the window (the renderer navigates; see notification-open.ts).
        openNotificationTarget(link, windowForNotifications(), serviceOrigin());
      }),
    chooseDeployment,
  });

  if (!service) return;
  mainWindow = createMainWindow({ url: service.url, preloadPath: paths.preload, iconPath: paths.icon, preferences });
  mainWindow.once('show', () => {
    for (const show of pendingDialogs.splice(0)) void show();
  });
  let lastRendererCrash = 0;
  mainWindow.webContents.on('render-process-gone', (_event, details) => {
    console.error(`[main] the window's renderer process is gone: ${details.reason} (exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit' || !mainWindow || mainWindow.isDestroyed()) return;
    // Reload once; a renderer that keeps crashing needs a person, not a reload loop.
    const now = Date.now();
    if (now - lastRendererCrash > RENDERER_RELOAD_WINDOW_MS) {
      lastRendererCrash = now;
      mainWindow.reload();
    } else {
      void failAndQuit('The workstation window keeps crashing.', `Reason: ${details.reason} (exit code ${details.exitCode}).`);
    }
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder and its service; it is focused via 'second-instance'.
  app.quit();
} else {
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID); // needed for Windows toasts
  installWebContentsGuards(serviceOrigin);

  app.on('second-instance', () => focusWindow(mainWindow));

  // Quitting waits for the service to stop, so its database is closed cleanly.
  app.on('before-quit', (event) => {
    shuttingDown = true;
    const running = service;
    if (running?.running) {
      event.preventDefault();
      service = null;
      void running.stop(SERVICE_STOP_TIMEOUT_MS).finally(() => app.quit());
    }
  });
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(startUp)
    .catch((error: unknown) =>
      failAndQuit('Wekeza Risk Workstation could not start.', error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
}
