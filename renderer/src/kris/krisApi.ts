// KRI and risk-event calls of the KRI screens, through the typed contract client (ARCHITECTURE.md rule 2).
import type { KriCreateInput, KriListQuery, KriMeasurementInput, KriUpdateInput } from '../../../shared/src/kris.ts';
import type { RiskEventListQuery } from '../../../shared/src/risk-events.ts';
import type { RiskListQuery } from '../../../shared/src/risk-register.ts';
import { kriOperations } from '../../../shared/src/contract/kris.ts';
import { riskEventOperations } from '../../../shared/src/contract/risk-events.ts';
import { riskOperations } from '../../../shared/src/contract/risks.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchKris = (query: Partial<KriListQuery>, signal?: AbortSignal) => callApi(kriOperations.list, { query }, { signal });
export const fetchKri = (id: string, signal?: AbortSignal) => callApi(kriOperations.get, { params: { id } }, { signal });
export const createKri = (body: KriCreateInput) => callApi(kriOperations.create, { body });
export const updateKri = (id: string, body: KriUpdateInput) => callApi(kriOperations.update, { params: { id }, body });
export const fetchKriMetrics = (signal?: AbortSignal) => callApi(kriOperations.metrics, {}, { signal });
export const fetchKriMeasurements = (id: string, query: { from?: string; limit?: number }, signal?: AbortSignal) =>
  callApi(kriOperations.measurements, { params: { id }, query }, { signal });
export const recordKriMeasurement = (id: string, body: KriMeasurementInput) => callApi(kriOperations.recordMeasurement, { params: { id }, body });

export const fetchRiskEvents = (query: Partial<RiskEventListQuery>, signal?: AbortSignal) => callApi(riskEventOperations.list, { query }, { signal });

/** Open risks of the register for pickers (linked risks, event's risk) and their owners. */
export const fetchRiskChoices = (query: Partial<RiskListQuery>, signal?: AbortSignal) =>
  callApi(riskOperations.list, { query: { status: 'ALL', pageSize: 200, sort: 'reference', direction: 'asc', ...query } }, { signal });
