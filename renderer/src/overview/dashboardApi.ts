import type { DashboardExportQuery, DashboardRangeQuery } from '../../../shared/src/analytics.ts';
import { analyticsOperations } from '../../../shared/src/contract/analytics.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';

/** The Overview over a range, with the previous period and a drill target per figure (issue 15). */
export function fetchOverview(query: DashboardRangeQuery, signal?: AbortSignal) {
  return callApi(analyticsOperations.overview, { query }, { signal });
}

/** Downloads a dashboard as PDF, CSV or XLSX; resolves to the file name saved. */
export function downloadDashboard(dashboard: 'overview' | 'deep-dive', query: DashboardExportQuery): Promise<string> {
  return downloadApi(analyticsOperations.export, { params: { dashboard }, query }, `${dashboard}.${query.format}`, 120_000);
}
