import { dashboardOperations } from '../../../shared/src/contract/dashboard.ts';
import { callApi } from '../api/contract-client.ts';

/** Today's figures of the tenants this user acts for (the service filters). */
export function fetchDashboardSummary(signal?: AbortSignal) {
  return callApi(dashboardOperations.summary, {}, { signal });
}
