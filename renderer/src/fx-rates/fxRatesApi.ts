// FX rates to KES through the typed contract client (ARCHITECTURE.md rule 2).
import { fxRateOperations } from '../../../shared/src/contract/fx-rates.ts';
import type { FxRateCorrectInput, FxRateSetInput } from '../../../shared/src/fx-rates.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchFxRateTable = (signal?: AbortSignal) => callApi(fxRateOperations.table, { query: {} }, { signal });
export const fetchFxRateHistory = (currency: string, signal?: AbortSignal) => callApi(fxRateOperations.history, { params: { currency } }, { signal });
export const setFxRate = (body: FxRateSetInput) => callApi(fxRateOperations.set, { body });
export const correctFxRate = (id: string, body: FxRateCorrectInput) => callApi(fxRateOperations.correct, { params: { id }, body });
export const deleteFxRate = (id: string, expectedVersion: number, reason?: string) =>
  callApi(fxRateOperations.remove, { params: { id }, query: { expectedVersion, ...(reason ? { reason } : {}) } });
