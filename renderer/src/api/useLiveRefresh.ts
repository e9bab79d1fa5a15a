import { useEffect, useRef } from 'react';
import { onLiveEvent, type LiveEventName } from './socket.ts';

/**
 * Calls `refresh` shortly (`debounceMs`) after any of the named live events, and after a
 * reconnect. A burst of events costs one request, and refreshes never run more often than
 * `minIntervalMs`.
 */
export function useLiveRefresh(
  events: readonly LiveEventName[],
  refresh: () => void,
  { debounceMs = 150, minIntervalMs = 0, enabled = true }: { debounceMs?: number; minIntervalMs?: number; enabled?: boolean } = {},
): void {
  const refreshRef = useRef(refresh);
  useEffect(() => {
    refreshRef.current = refresh;
  });
  const eventKey = events.join('|');

  useEffect(() => {
    if (!enabled) return;
    let timer: number | undefined;
    let lastRun = 0;
    const schedule = () => {
      // Coalesce: events that arrive while a refresh is scheduled ride along with it, so a
      // steady stream of events cannot postpone the refresh forever.
      if (timer !== undefined) return;
      const wait = Math.max(debounceMs, lastRun + minIntervalMs - Date.now());
      timer = window.setTimeout(() => {
        timer = undefined;
        lastRun = Date.now();
        refreshRef.current();
      }, wait);
    };
    const names = [...(eventKey.split('|') as LiveEventName[]), 'resync' as const];
    const unsubscribers = names.map((name) => onLiveEvent(name, schedule as never));
    return () => {
      if (timer !== undefined) window.clearTimeout(timer);
      for (const off of unsubscribers) off();
    };
  }, [eventKey, debounceMs, minIntervalMs, enabled]);
}
