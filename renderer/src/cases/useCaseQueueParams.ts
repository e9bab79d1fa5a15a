import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import { CaseListQuery, CaseState, SlaFilter, type CaseFilter } from '../../../shared/src/cases.ts';
import { Channel } from '../../../shared/src/payments.ts';

export type CaseStateFilter = CaseState | 'OPEN' | 'ALL';
/** 'everyone' = no assignee filter; otherwise the API's value (me, unassigned or a user id). */
export type AssigneeFilter = 'everyone' | 'me' | 'unassigned' | (string & {});
export type CaseSortField = CaseListQuery['sort'];

export interface CaseQueueParams {
  state: CaseStateFilter;
  queueId: string | null;
  riskLevel: RiskLevel | null;
  assignee: AssigneeFilter;
  sla: SlaFilter | null;
  tag: string;
  channel: Channel | null;
  minAmountKes: number | null;
  search: string;
  page: number;
  pageSize: number;
  sort: CaseSortField;
  direction: 'asc' | 'desc';
}

const DEFAULTS: CaseQueueParams = {
  state: 'OPEN',
  queueId: null,
  riskLevel: null,
  assignee: 'everyone',
  sla: null,
  tag: '',
  channel: null,
  minAmountKes: null,
  search: '',
  page: 0,
  pageSize: 50,
  // Most urgent first: overdue, then soonest due (issue 11; service/src/cases/queries.ts `ordered`).
  sort: 'urgency',
  direction: 'desc',
};
const SORTS: readonly CaseSortField[] = CaseListQuery.shape.sort.unwrap().options;
// The MIT data grid pages at most 100 rows; the API would take 500.
const PAGE_SIZES = [25, 50, 100];
const uuid = z.uuid();

/** The filter part only: what "Clear filters" resets and what a saved view replaces. */
export const NO_FILTERS: Pick<CaseQueueParams, 'state' | 'queueId' | 'riskLevel' | 'assignee' | 'sla' | 'tag' | 'channel' | 'minAmountKes' | 'search'> = {
  state: DEFAULTS.state,
  queueId: null,
  riskLevel: null,
  assignee: 'everyone',
  sla: null,
  tag: '',
  channel: null,
  minAmountKes: null,
  search: '',
};

export function parseCaseQueueParams(searchParams: URLSearchParams): CaseQueueParams {
  const state = searchParams.get('state');
  const queueId = searchParams.get('queueId');
  const risk = searchParams.get('risk');
  const assignee = searchParams.get('assignee');
  const sla = searchParams.get('sla');
  const channel = searchParams.get('channel');
  const minAmount = Number(searchParams.get('minAmountKes') ?? NaN);
  const sort = searchParams.get('sort');
  const page = Number(searchParams.get('page') ?? 0);
  const pageSize = Number(searchParams.get('pageSize') ?? DEFAULTS.pageSize);
  return {
    state: state === 'OPEN' || state === 'ALL' || CaseState.safeParse(state).success ? (state as CaseStateFilter) : DEFAULTS.state,
    queueId: uuid.safeParse(queueId).success ? queueId : null,
    riskLevel: RiskLevel.safeParse(risk).success ? (risk as RiskLevel) : null,
    assignee: assignee === 'me' || assignee === 'unassigned' || uuid.safeParse(assignee).success ? (assignee as string) : 'everyone',
    sla: SlaFilter.safeParse(sla).success ? (sla as SlaFilter) : null,
    tag: (searchParams.get('tag') ?? '').slice(0, 40),
    channel: Channel.safeParse(channel).success ? (channel as Channel) : null,
    minAmountKes: Number.isFinite(minAmount) && minAmount > 0 ? minAmount : null,
    search: (searchParams.get('q') ?? '').slice(0, 100),
    page: Number.isInteger(page) && page >= 0 ? page : 0,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULTS.pageSize,
    sort: sort && (SORTS as readonly string[]).includes(sort) ? (sort as CaseSortField) : DEFAULTS.sort,
    direction: searchParams.get('dir') === 'asc' ? 'asc' : 'desc',
  };
}

/** The list filter as the API and saved views take it (no paging). */
export function toCaseFilter(params: CaseQueueParams): CaseFilter {
  return {
    state: params.state,
    queueId: params.queueId ?? undefined,
    riskLevel: params.riskLevel ?? undefined,
    assignee: params.assignee === 'everyone' ? undefined : params.assignee,
    sla: params.sla ?? undefined,
    tag: params.tag.trim() || undefined,
    channel: params.channel ?? undefined,
    minAmountKes: params.minAmountKes ?? undefined,
    search: params.search.trim() || undefined,
    sort: params.sort,
    direction: params.direction,
  };
}

/** A saved view's filter as a full patch (everything it does not name goes back to its default). */
export function fromCaseFilter(filter: CaseFilter): Partial<CaseQueueParams> {
  return {
    ...NO_FILTERS,
    state: filter.state,
    queueId: filter.queueId ?? null,
    riskLevel: filter.riskLevel ?? filter.riskLevels?.[0] ?? null,
    assignee: filter.assignee ?? 'everyone',
    sla: filter.sla ?? null,
    tag: filter.tag ?? '',
    channel: filter.channel ?? null,
    minAmountKes: filter.minAmountKes ?? null,
    search: filter.search ?? '',
    sort: filter.sort,
    direction: filter.direction,
  };
}

/**
 * The queue's filters, sort and page live in the URL (`/cases?queueId=…&risk=CRITICAL`) so that
 * Back from a case returns to the same view, the navigation can link straight to a queue and a
 * view can be shared with a colleague.
 */
export function useCaseQueueParams(): [CaseQueueParams, (patch: Partial<CaseQueueParams>) => void, boolean] {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => parseCaseQueueParams(searchParams), [searchParams]);

  const update = useCallback(
    (patch: Partial<CaseQueueParams>) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          const set = (key: string, value: string | null, fallback: string | null) => {
            if (value === null || value === fallback || value === '') next.delete(key);
            else next.set(key, value);
          };
          if ('state' in patch) set('state', patch.state ?? null, DEFAULTS.state);
          if ('queueId' in patch) set('queueId', patch.queueId ?? null, null);
          if ('riskLevel' in patch) set('risk', patch.riskLevel ?? null, null);
          if ('assignee' in patch) set('assignee', patch.assignee ?? null, DEFAULTS.assignee);
          if ('sla' in patch) set('sla', patch.sla ?? null, null);
          if ('tag' in patch) set('tag', patch.tag?.trim() ?? null, '');
          if ('channel' in patch) set('channel', patch.channel ?? null, null);
          if ('minAmountKes' in patch) set('minAmountKes', patch.minAmountKes ? String(patch.minAmountKes) : null, null);
          if ('search' in patch) set('q', patch.search?.trim() ?? null, '');
          if ('sort' in patch) set('sort', patch.sort ?? null, DEFAULTS.sort);
          if ('direction' in patch) set('dir', patch.direction ?? null, DEFAULTS.direction);
          if ('pageSize' in patch) set('pageSize', String(patch.pageSize), String(DEFAULTS.pageSize));
          // Any change of filter or sort goes back to the first page.
          const page = 'page' in patch ? (patch.page ?? 0) : 0;
          set('page', String(page), '0');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  // The queue is where the user is, not a filter on it: "Clear filters" keeps it.
  const filtered = (Object.keys(NO_FILTERS) as (keyof typeof NO_FILTERS)[]).some((key) => key !== 'queueId' && params[key] !== NO_FILTERS[key]);
  return [params, update, filtered];
}

export const CASE_PAGE_SIZES = PAGE_SIZES;
