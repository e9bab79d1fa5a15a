import type { AnalyticsQuery, PivotQuery } from '../../../shared/src/analytics.ts';
import { analyticsOperations } from '../../../shared/src/contract/analytics.ts';
import { callApi } from '../api/contract-client.ts';

export function fetchPivot(query: PivotQuery, signal?: AbortSignal) {
  return callApi(analyticsOperations.pivot, { query }, { signal });
}

export function fetchRulePerformance(query: AnalyticsQuery, signal?: AbortSignal) {
  return callApi(analyticsOperations.rulePerformance, { query }, { signal });
}

export function fetchTeamPerformance(query: AnalyticsQuery, signal?: AbortSignal) {
  return callApi(analyticsOperations.teamPerformance, { query }, { signal });
}

export function fetchFalsePositiveTrend(query: AnalyticsQuery & { interval: 'day' | 'week' }, signal?: AbortSignal) {
  return callApi(analyticsOperations.falsePositiveTrend, { query }, { signal });
}
