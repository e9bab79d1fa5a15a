import { createContext, useCallback, useContext } from 'react';
import type { QueueCounts } from '../../../shared/src/cases.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { fetchQueueCounts } from './casesApi.ts';

/** Open / unassigned / mine / overdue counts, kept live. Null while unknown or not allowed. */
export function useQueueCounts(enabled: boolean): QueueCounts | null {
  const fetcher = useCallback((signal: AbortSignal) => (enabled ? fetchQueueCounts(signal) : Promise.resolve(null)), [enabled]);
  const { data, refetch } = useApiQuery(`counts:${enabled}`, fetcher);
  // A queue added, renamed or re-routed changes the navigation's list, not only the numbers.
  useLiveRefresh(['case.opened', 'case.updated', 'queue.changed'], () => refetch({ silent: true }), { debounceMs: 300, enabled });
  return data ?? null;
}

/** The shell fetches the counts once (for the nav badge) and shares them with the pages. */
export const QueueCountsContext = createContext<QueueCounts | null>(null);

export function useSharedQueueCounts(): QueueCounts | null {
  return useContext(QueueCountsContext);
}
