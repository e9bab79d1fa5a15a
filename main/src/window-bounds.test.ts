import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, findHostWorkArea, resolveInitialBounds, type Rect } from './window-bounds.ts';

const laptop: Rect = { x: 0, y: 0, width: 1366, height: 728 };
const fullHd: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('resolveInitialBounds', () => {
  it('uses the default size, centred, on first start', () => {
    assert.deepEqual(resolveInitialBounds(undefined, [fullHd], fullHd), { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT });
  });

  it('fits the default size to a small primary display', () => {
    assert.deepEqual(resolveInitialBounds(undefined, [laptop], laptop), { width: 1366, height: 728 });
  });

  it('restores a saved position that is still visible', () => {
    const saved = { x: 100, y: 80, width: 1200, height: 800, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { x: 100, y: 80, width: 1200, height: 800 });
  });

  it('restores onto a secondary display that is still connected', () => {
    const saved = { x: 2100, y: 100, width: 2000, height: 1200, maximized: true };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd, rightMonitor], fullHd), { x: 2100, y: 100, width: 2000, height: 1200 });
  });

  it('centres on the primary display when the saved monitor is gone, shrinking to fit', () => {
    const saved = { x: 2100, y: 100, width: 2000, height: 1200, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { width: 1920, height: 1040 });
  });

  it('pulls a window that hangs off the edge back inside its display', () => {
    const saved = { x: 1700, y: 900, width: 1200, height: 800, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { x: 720, y: 240, width: 1200, height: 800 });
  });

  it('does not keep a window whose title bar is above the screen', () => {
    const saved = { x: 100, y: -500, width: 1200, height: 800, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { width: 1200, height: 800 });
  });

  it('ignores non-finite saved numbers', () => {
    const saved = { x: Number.NaN, y: 10, width: Number.POSITIVE_INFINITY, height: 700, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { width: DEFAULT_WIDTH, height: 700 });
  });

  it('never goes below the minimum size on a normal display', () => {
    const saved = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    assert.deepEqual(resolveInitialBounds(saved, [fullHd], fullHd), { x: 10, y: 10, width: 1024, height: 640 });
  });
});

describe('findHostWorkArea', () => {
  it('picks the display holding most of the title bar', () => {
    const spanning: Rect = { x: 1800, y: 10, width: 1000, height: 600 };
    assert.deepEqual(findHostWorkArea(spanning, [fullHd, rightMonitor]), rightMonitor);
  });

  it('rejects a sliver that cannot be grabbed', () => {
    assert.equal(findHostWorkArea({ x: 1900, y: 10, width: 1000, height: 600 }, [fullHd]), null);
  });
});
