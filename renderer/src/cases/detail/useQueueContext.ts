import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { CaseSummary } from '../../../../shared/src/cases.ts';
import { fetchCases } from '../casesApi.ts';
import { parseCaseQueueParams, toCaseFilter } from '../useCaseQueueParams.ts';

/**
 * The queue a case was opened from travels in the case's URL (`/cases/{id}?from=<the queue's own
 * query>`), so "next case", "previous case" and "back to the queue" follow the analyst's view
 * (queue, filters, sort, page) after a reload or a shared link too.
 */
export function caseHref(id: string, from: string | null): string {
  return from === null ? `/cases/${id}` : `/cases/${id}?from=${encodeURIComponent(from)}`;
}

export interface QueueNeighbour {
  id: string;
  reference: string;
  href: string;
}

export interface QueueContext {
  /** Where "Case queue" goes back to: the same view. */
  queueHref: string;
  /** True when the case was opened from a queue. */
  inQueue: boolean;
  prev: QueueNeighbour | null;
  next: QueueNeighbour | null;
  /** "3 of 41" when the case is on the queue's page. */
  position: { index: number; total: number } | null;
}

function withPage(from: string, page: number): string {
  const search = new URLSearchParams(from);
  if (page > 0) search.set('page', String(page));
  else search.delete('page');
  return search.toString();
}

async function page(from: string, pageNumber: number, signal: AbortSignal): Promise<{ items: CaseSummary[]; total: number }> {
  const params = parseCaseQueueParams(new URLSearchParams(from));
  return fetchCases({ ...toCaseFilter(params), page: pageNumber, pageSize: params.pageSize }, signal);
}

export function useQueueContext(caseId: string): QueueContext {
  const [searchParams] = useSearchParams();
  const from = searchParams.get('from');
  const [state, setState] = useState<Omit<QueueContext, 'queueHref' | 'inQueue'>>({ prev: null, next: null, position: null });

  useEffect(() => {
    setState({ prev: null, next: null, position: null });
    if (from === null) return;
    const controller = new AbortController();
    const { signal } = controller;
    const params = parseCaseQueueParams(new URLSearchParams(from));
    const neighbour = (row: CaseSummary | undefined, pageNumber: number): QueueNeighbour | null =>
      row ? { id: row.id, reference: row.reference, href: caseHref(row.id, withPage(from, pageNumber)) } : null;
    (async () => {
      const current = await page(from, params.page, signal);
      const index = current.items.findIndex((c) => c.id === caseId);
      if (index < 0) {
        // The case is not on that page (any more): "next" is the top of the view.
        setState({
          prev: null,
          next: neighbour(
            current.items.find((c) => c.id !== caseId),
            params.page,
          ),
          position: null,
        });
        return;
      }
      let next = neighbour(current.items[index + 1], params.page);
      let prev = neighbour(current.items[index - 1], params.page);
      if (!next && (params.page + 1) * params.pageSize < current.total) {
        next = neighbour((await page(from, params.page + 1, signal)).items[0], params.page + 1);
      }
      if (!prev && params.page > 0) {
        const before = await page(from, params.page - 1, signal);
        prev = neighbour(before.items[before.items.length - 1], params.page - 1);
      }
      setState({ prev, next, position: { index: params.page * params.pageSize + index + 1, total: current.total } });
    })().catch(() => {
      // No neighbours when the queue cannot be read: the case page itself still works.
    });
    return () => controller.abort();
  }, [caseId, from]);

  return { ...state, inQueue: from !== null, queueHref: from === null ? '/cases' : `/cases${from ? `?${from}` : ''}` };
}
