import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import { CaseListQuery, CaseState } from '../../../shared/src/cases.ts';

export type CaseStateFilter = CaseState | 'OPEN';
export type AssigneeFilter = 'everyone' | 'me' | 'unassigned';
export type CaseSortField = CaseListQuery['sort'];

export interface CaseQueueParams {
  state: CaseStateFilter;
  riskLevel: RiskLevel | null;
  assignee: AssigneeFilter;
  search: string;
  page: number;
  pageSize: number;
  sort: CaseSortField;
  direction: 'asc' | 'desc';
}

const DEFAULTS: CaseQueueParams = {
  state: 'OPEN',
  riskLevel: null,
  assignee: 'everyone',
  search: '',
  page: 0,
  pageSize: 50,
  sort: 'createdAt',
  direction: 'desc',
};
const SORTS: readonly CaseSortField[] = ['createdAt', 'riskScore', 'amountKes', 'slaDueAt', 'reference'];
const PAGE_SIZES = [25, 50, 100];

/**
 * The queue's filters, sort and page live in the URL (`/cases?state=OPEN&risk=CRITICAL`) so that
 * Back from a case returns to the same view and a view can be shared with a colleague.
 */
export function useCaseQueueParams(): [CaseQueueParams, (patch: Partial<CaseQueueParams>) => void, boolean] {
  const [searchParams, setSearchParams] = useSearchParams();

  const params = useMemo<CaseQueueParams>(() => {
    const state = searchParams.get('state');
    const risk = searchParams.get('risk');
    const assignee = searchParams.get('assignee');
    const sort = searchParams.get('sort') as CaseSortField | null;
    const page = Number(searchParams.get('page') ?? 0);
    const pageSize = Number(searchParams.get('pageSize') ?? DEFAULTS.pageSize);
    return {
      state: state === 'OPEN' || CaseState.safeParse(state).success ? (state as CaseStateFilter) : DEFAULTS.state,
      riskLevel: RiskLevel.safeParse(risk).success ? (risk as RiskLevel) : null,
      assignee: assignee === 'me' || assignee === 'unassigned' ? assignee : 'everyone',
      search: searchParams.get('q') ?? '',
      page: Number.isInteger(page) && page >= 0 ? page : 0,
      pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULTS.pageSize,
      sort: sort && SORTS.includes(sort) ? sort : DEFAULTS.sort,
      direction: searchParams.get('dir') === 'asc' ? 'asc' : 'desc',
    };
  }, [searchParams]);

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
          if ('riskLevel' in patch) set('risk', patch.riskLevel ?? null, null);
          if ('assignee' in patch) set('assignee', patch.assignee ?? null, DEFAULTS.assignee);
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

  const filtered = params.state !== DEFAULTS.state || params.riskLevel !== null || params.assignee !== 'everyone' || params.search !== '';
  return [params, update, filtered];
}

export const CASE_PAGE_SIZES = PAGE_SIZES;
