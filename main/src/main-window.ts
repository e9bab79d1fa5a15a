// The workstation window: hardened webPreferences, restored placement, shown only when painted.
import { app, BrowserWindow, nativeTheme, screen } from 'electron';
import type { Preferences } from './settings.ts';
import { MIN_HEIGHT, MIN_WIDTH, resolveInitialBounds } from './window-bounds.ts';

export interface MainWindowOptions {
  url: string;
  preloadPath: string;
  iconPath: string;
  preferences: Preferences;
}

// Painted before the UI loads; matches light/dark so the window does not flash white.
export function windowBackground(): string {
  return nativeTheme.shouldUseDarkColors ? '#121212' : '#ffffff';
}

const SAVE_DELAY_MS = 1000;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = options.preferences.windowState();
  const bounds = resolveInitialBounds(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );

  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Wekeza Risk Workstation',
    icon: options.iconPath,
    backgroundColor: windowBackground(),
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: options.preloadPath,
      spellcheck: false,
      // No DevTools at all in installed builds (the menu item is hidden too).
      devTools: !app.isPackaged,
    },
  });

  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });

  // The page's <title> must not rename the window: users and screen recorders rely on it.
  win.on('page-title-updated', (event) => event.preventDefault());

  let saveTimer: NodeJS.Timeout | undefined;
  const saveState = (): void => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    // Normal bounds are the un-maximised size, which is what to restore to after un-maximising.
    const normal = win.getNormalBounds();
    options.preferences.setWindowState({ x: normal.x, y: normal.y, width: normal.width, height: normal.height, maximized: win.isMaximized() });
  };
  const saveSoon = (): void => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, SAVE_DELAY_MS);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', saveState);

  void win.loadURL(options.url).catch((error: unknown) => {
    console.error(`[main] could not load ${options.url}: ${String(error)}`);
  });
  return win;
}

/** Brings the window to the front (second instance started, notification clicked). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
