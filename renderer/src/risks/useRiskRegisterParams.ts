// The register's filters, heat-map cell, sort and page live in the URL (`/risks?category=CREDIT&l=4&i=5`)
// so that Back from a risk returns to the same view and a view can be shared with a colleague.
// Anything in the URL that is not a valid value is ignored, never an error.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { RiskCategory, type RiskListQuery, RiskStatus } from '../../../shared/src/risk-register.ts';
import { TenantId } from '../../../shared/src/tenants.ts';

export type RiskStatusFilter = RiskStatus | 'OPEN' | 'ALL';
export type RiskSort = RiskListQuery['sort'];
export type HeatBasis = 'inherent' | 'residual';

export interface RiskRegisterParams {
  tenantId: string | null;
  category: RiskCategory | null;
  status: RiskStatusFilter;
  ownerId: string | null;
  level: string | null;
  reviewOverdue: boolean;
  search: string;
  likelihood: number | null;
  impact: number | null;
  basis: HeatBasis;
  sort: RiskSort;
  direction: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

const DEFAULTS: RiskRegisterParams = {
  tenantId: null,
  category: null,
  status: 'OPEN',
  ownerId: null,
  level: null,
  reviewOverdue: false,
  search: '',
  likelihood: null,
  impact: null,
  basis: 'residual',
  sort: 'residualScore',
  direction: 'desc',
  page: 0,
  pageSize: 50,
};
export const RISK_PAGE_SIZES = [25, 50, 100];
const SORTS: readonly string[] = ['reference', 'title', 'inherentScore', 'residualScore', 'nextReviewAt', 'updatedAt'];
const uuid = z.uuid();
const LEVEL_KEY = /^[A-Za-z0-9_-]{1,40}$/;

function step(text: string | null): number | null {
  if (text === null || !/^\d{1,2}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 10 ? n : null;
}

export function parseRiskRegisterParams(sp: URLSearchParams): RiskRegisterParams {
  const status = sp.get('status');
  const likelihood = step(sp.get('l'));
  const impact = step(sp.get('i'));
  const sort = sp.get('sort');
  const page = Number(sp.get('page') ?? 0);
  const pageSize = Number(sp.get('pageSize') ?? DEFAULTS.pageSize);
  const level = sp.get('level');
  return {
    tenantId: TenantId.safeParse(sp.get('tenant')).success ? sp.get('tenant') : null,
    category: RiskCategory.safeParse(sp.get('category')).success ? (sp.get('category') as RiskCategory) : null,
    status: status === 'OPEN' || status === 'ALL' || RiskStatus.safeParse(status).success ? (status as RiskStatusFilter) : DEFAULTS.status,
    ownerId: uuid.safeParse(sp.get('owner')).success ? sp.get('owner') : null,
    level: level && LEVEL_KEY.test(level) ? level : null,
    reviewOverdue: sp.get('overdue') === '1',
    search: (sp.get('q') ?? '').slice(0, 100),
    // A cell needs both coordinates (the API refuses one alone).
    likelihood: likelihood !== null && impact !== null ? likelihood : null,
    impact: likelihood !== null && impact !== null ? impact : null,
    basis: sp.get('basis') === 'inherent' ? 'inherent' : 'residual',
    sort: sort && SORTS.includes(sort) ? (sort as RiskSort) : DEFAULTS.sort,
    direction: sp.get('dir') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page >= 0 && page < 100_000 ? page : 0,
    pageSize: RISK_PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULTS.pageSize,
  };
}

/** The list query the API takes. */
export function toRiskListQuery(p: RiskRegisterParams) {
  return {
    tenantId: p.tenantId ?? undefined,
    category: p.category ?? undefined,
    status: p.status,
    ownerId: p.ownerId ?? undefined,
    level: p.level ?? undefined,
    reviewOverdue: p.reviewOverdue ? true : undefined,
    q: p.search.trim() || undefined,
    likelihood: p.likelihood ?? undefined,
    impact: p.impact ?? undefined,
    basis: p.basis,
    sort: p.sort,
    direction: p.direction,
    page: p.page,
    pageSize: p.pageSize,
  };
}

const FILTER_KEYS = ['tenantId', 'category', 'status', 'ownerId', 'level', 'reviewOverdue', 'search', 'likelihood', 'impact'] as const;

export function useRiskRegisterParams(): [RiskRegisterParams, (patch: Partial<RiskRegisterParams>) => void, boolean] {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => parseRiskRegisterParams(searchParams), [searchParams]);
  const update = useCallback(
    (patch: Partial<RiskRegisterParams>) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          const set = (key: string, value: string | null, fallback: string | null) => {
            if (value === null || value === fallback || value === '') next.delete(key);
            else next.set(key, value);
          };
          if ('tenantId' in patch) set('tenant', patch.tenantId ?? null, null);
          if ('category' in patch) set('category', patch.category ?? null, null);
          if ('status' in patch) set('status', patch.status ?? null, DEFAULTS.status);
          if ('ownerId' in patch) set('owner', patch.ownerId ?? null, null);
          if ('level' in patch) set('level', patch.level ?? null, null);
          if ('reviewOverdue' in patch) set('overdue', patch.reviewOverdue ? '1' : null, null);
          if ('search' in patch) set('q', patch.search ?? null, '');
          if ('likelihood' in patch || 'impact' in patch) {
            set('l', patch.likelihood != null ? String(patch.likelihood) : null, null);
            set('i', patch.impact != null ? String(patch.impact) : null, null);
          }
          if ('basis' in patch) set('basis', patch.basis ?? null, DEFAULTS.basis);
          if ('sort' in patch) set('sort', patch.sort ?? null, DEFAULTS.sort);
          if ('direction' in patch) set('dir', patch.direction ?? null, DEFAULTS.direction);
          if ('pageSize' in patch) set('pageSize', String(patch.pageSize), String(DEFAULTS.pageSize));
          // Any change of filter or sort goes back to the first page.
          set('page', String('page' in patch ? (patch.page ?? 0) : 0), '0');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );
  const filtered = FILTER_KEYS.some((key) => params[key] !== DEFAULTS[key]);
  return [params, update, filtered];
}

export const NO_RISK_FILTERS: Partial<RiskRegisterParams> = Object.fromEntries(FILTER_KEYS.map((k) => [k, DEFAULTS[k]]));
