// Risk-event calls through the typed contract client (ARCHITECTURE.md rule 2).
import type { RiskEventCloseInput, RiskEventCreateInput, RiskEventUpdateInput } from '../../../shared/src/risk-events.ts';
import { riskEventOperations } from '../../../shared/src/contract/risk-events.ts';
import { callApi } from '../api/contract-client.ts';

export { fetchRiskEvents } from '../kris/krisApi.ts';
export const fetchRiskEvent = (id: string, signal?: AbortSignal) => callApi(riskEventOperations.get, { params: { id } }, { signal });
export const createRiskEvent = (body: RiskEventCreateInput) => callApi(riskEventOperations.create, { body });
export const updateRiskEvent = (id: string, body: RiskEventUpdateInput) => callApi(riskEventOperations.update, { params: { id }, body });
export const closeRiskEvent = (id: string, body: RiskEventCloseInput) => callApi(riskEventOperations.close, { params: { id }, body });
