import { useSyncExternalStore } from 'react';

// One shared clock for every countdown and relative age on screen, so a queue of 50 rows
// does not run 50 timers. It ticks every 15 s, which is finer than any label we show.
const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: number | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    timer = window.setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot(): number {
  // Before the first subscriber the clock is idle: read the time (to the second, so two reads
  // in one render agree) instead of returning the module-load time.
  if (timer === undefined) now = Math.floor(Date.now() / 1000) * 1000;
  return now;
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
