import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, isCancelled, toApiError } from './client.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  /**
   * True while a fetch the user should see is in flight: the first load, a change of inputs
   * (page, filter, sort) or a plain refetch(). Background refreshes (`silent`) leave it false.
   */
  loading: boolean;
  /** True while any request is in flight, including background refreshes. */
  fetching: boolean;
  /** Fetch again with the same inputs; `silent` keeps the screen as it is until the answer arrives. */
  refetch: (options?: { silent?: boolean }) => void;
}

/**
 * Fetches whenever `key` changes and on refetch(). An answer that arrives after a newer request
 * started is dropped (the older request is aborted), and the previous data stays on screen while
 * the next page or filter loads, so grids do not flash empty.
 */
export function useApiQuery<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [fetching, setFetching] = useState(true);
  const [tick, setTick] = useState(0);
  const silentNext = useRef(false);
  const fetcherRef = useRef(fetcher);
  useEffect(() => {
    fetcherRef.current = fetcher;
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the fetcher is read through a ref; `key` and `tick` are what start a new fetch.
  useEffect(() => {
    const controller = new AbortController();
    const silent = silentNext.current;
    silentNext.current = false;
    setFetching(true);
    if (!silent) setLoading(true);
    fetcherRef
      .current(controller.signal)
      .then((result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted || isCancelled(caught)) return;
        setError(toApiError(caught));
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        setLoading(false);
        setFetching(false);
      });
    return () => controller.abort();
  }, [key, tick]);

  const refetch = useCallback((options?: { silent?: boolean }) => {
    silentNext.current = !!options?.silent;
    setTick((t) => t + 1);
  }, []);

  return { data, error, loading, fetching, refetch };
}
