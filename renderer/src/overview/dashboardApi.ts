import { DashboardSummary } from '../../../shared/src/dashboard.ts';
import { getJson } from '../api/client.ts';

export function fetchDashboardSummary(signal?: AbortSignal) {
  return getJson('/api/v1/dashboard/summary', DashboardSummary, { signal });
}
