// What the HTTP client needs to know about the hub, without importing the sync store (which
// itself calls the client): when the workstation went offline, and who to tell when an answer
// says the hub is needed. The sync status store keeps it current.
import { hubNeededSentence } from './words.ts';

let offlineSince: string | null = null;
const hubUnavailableListeners = new Set<() => void>();

export function noteOfflineSince(since: string | null): void {
  offlineSince = since;
}

/** The calm "needs the hub" sentence as of now. */
export function currentHubNeededMessage(): string {
  return hubNeededSentence(offlineSince, Date.now());
}

/** Called by the client on a 503 HUB_UNAVAILABLE: the status store re-reads the sync state. */
export function reportHubUnavailable(): void {
  for (const listener of hubUnavailableListeners) listener();
}

export function onHubUnavailable(listener: () => void): () => void {
  hubUnavailableListeners.add(listener);
  return () => hubUnavailableListeners.delete(listener);
}
