// Pure window-geometry logic (no electron import, unit-tested): decides where the main window
// opens so a size/position saved on a monitor that is now unplugged never leaves the window
// off-screen or larger than the screen.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
  maximized: boolean;
}

export interface InitialBounds {
  /** Absent x/y means "let Electron centre the window on the primary display". */
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_WIDTH = 1440;
export const DEFAULT_HEIGHT = 900;
// Fits a 1366x768 laptop (still common on bank desks) with a taskbar.
export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 640;

// How much of the window's top strip (where the title bar is) must lie on a display for the
// user to be able to grab and move it.
const TITLE_STRIP_HEIGHT = 32;
const MIN_GRAB_WIDTH = 96;
const MIN_GRAB_HEIGHT = 16;

function isFiniteNumber(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/** The work area on which the window's title strip is reachable, or null if none. */
export function findHostWorkArea(bounds: Rect, workAreas: readonly Rect[]): Rect | null {
  const strip: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: TITLE_STRIP_HEIGHT };
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(strip, area);
    if (o.width >= Math.min(MIN_GRAB_WIDTH, bounds.width) && o.height >= MIN_GRAB_HEIGHT && o.width * o.height > bestArea) {
      best = area;
      bestArea = o.width * o.height;
    }
  }
  return best;
}

/**
 * Bounds for the new window. A saved position is kept only if its title bar is on a current
 * display; the size is then shrunk to fit that display and the window moved fully inside it.
 * Otherwise the saved (or default) size is fitted to the primary display and centred.
 */
export function resolveInitialBounds(saved: SavedWindowState | undefined, workAreas: readonly Rect[], primaryWorkArea: Rect): InitialBounds {
  const wantedWidth = saved && isFiniteNumber(saved.width) ? Math.round(saved.width) : DEFAULT_WIDTH;
  const wantedHeight = saved && isFiniteNumber(saved.height) ? Math.round(saved.height) : DEFAULT_HEIGHT;

  if (saved && isFiniteNumber(saved.x) && isFiniteNumber(saved.y)) {
    const candidate: Rect = { x: Math.round(saved.x), y: Math.round(saved.y), width: wantedWidth, height: wantedHeight };
    const host = findHostWorkArea(candidate, workAreas);
    if (host) {
      const width = clamp(wantedWidth, Math.min(MIN_WIDTH, host.width), host.width);
      const height = clamp(wantedHeight, Math.min(MIN_HEIGHT, host.height), host.height);
      return {
        x: clamp(candidate.x, host.x, host.x + host.width - width),
        y: clamp(candidate.y, host.y, host.y + host.height - height),
        width,
        height,
      };
    }
  }
  return {
    width: clamp(wantedWidth, Math.min(MIN_WIDTH, primaryWorkArea.width), primaryWorkArea.width),
    height: clamp(wantedHeight, Math.min(MIN_HEIGHT, primaryWorkArea.height), primaryWorkArea.height),
  };
}
