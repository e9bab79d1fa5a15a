// This node's sync state (sync.status), shared by the top bar, the navigation badge, the
// Conflicts inbox and Settings. One poller for the whole tab: every 3 s on a workstation (the
// state changes without events when the hub goes away), every 30 s elsewhere (a hub or standalone
// node answers 'not-applicable'), and at once after live events, a reconnect, or an answer that
// said the hub is needed.
import { useSyncExternalStore } from 'react';
import { CONTRACT } from '../../../shared/src/contract/index.ts';
import type { SyncStatus } from '../../../shared/src/sync.ts';
import { toApiError } from '../api/client.ts';
import { callApi } from '../api/contract-client.ts';
import { onLiveEvent, type LiveEventName } from '../api/socket.ts';
import { noteOfflineSince, onHubUnavailable } from './hubState.ts';

const WORKSTATION_POLL_MS = 3_000;
const OTHER_POLL_MS = 30_000;
/** Events after which the counts (pending, conflicts) may have changed. */
const REFRESH_EVENTS: readonly LiveEventName[] = ['sync.applied', 'resync', 'case.updated', 'case.activity'];

export interface SyncStatusState {
  status: SyncStatus | null;
  /** The last poll failed (kept apart from status, which stays as last known). */
  error: string | null;
}

let state: SyncStatusState = { status: null, error: null };
const listeners = new Set<() => void>();
let timer: number | undefined;
let inFlight = false;
let again = false;
let unsubscribers: Array<() => void> = [];

function publish(next: SyncStatusState): void {
  state = next;
  noteOfflineSince(next.status?.mode === 'workstation' ? next.status.offlineSince : null);
  for (const listener of listeners) listener();
}

function schedule(ms: number): void {
  if (timer !== undefined) window.clearTimeout(timer);
  timer = listeners.size > 0 ? window.setTimeout(() => void poll(), ms) : undefined;
}

async function poll(): Promise<void> {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  try {
    const status = await callApi(CONTRACT.sync.status, {});
    publish({ status, error: null });
  } catch (caught) {
    publish({ status: state.status, error: toApiError(caught).message });
  } finally {
    inFlight = false;
  }
  if (again) {
    again = false;
    void poll();
    return;
  }
  schedule(state.status?.mode === 'workstation' ? WORKSTATION_POLL_MS : OTHER_POLL_MS);
}

/** Re-read the status now (after resolving a conflict, say). */
export function refreshSyncStatus(): void {
  void poll();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    let debounce: number | undefined;
    const soon = () => {
      if (debounce !== undefined) return;
      debounce = window.setTimeout(() => {
        debounce = undefined;
        void poll();
      }, 250);
    };
    unsubscribers = [...REFRESH_EVENTS.map((name) => onLiveEvent(name, soon as never)), onHubUnavailable(soon)];
    void poll();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      for (const off of unsubscribers) off();
      unsubscribers = [];
      schedule(0);
    }
  };
}

export function useSyncStatus(): SyncStatusState {
  return useSyncExternalStore(subscribe, () => state);
}
