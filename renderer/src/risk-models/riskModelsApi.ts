// Seed 001's risk-model calls, through the typed contract client (ARCHITECTURE.md rule 2).
import type { RiskModelName } from '../../../shared/src/risk-data.ts';
import { riskModelOperations } from '../../../shared/src/contract/integration.ts';
import { callApi } from '../api/contract-client.ts';

/** Runs kept for the trend charts (the service allows up to 100). */
export const HISTORY_LIMIT = 60;

export const fetchCreditModel = (tenantId: string, signal?: AbortSignal) =>
  callApi(riskModelOperations.credit, { query: { tenantId, limit: HISTORY_LIMIT } }, { signal });
export const fetchLiquidityModel = (tenantId: string, signal?: AbortSignal) =>
  callApi(riskModelOperations.liquidity, { query: { tenantId, limit: HISTORY_LIMIT } }, { signal });
export const fetchMarketModel = (tenantId: string, signal?: AbortSignal) =>
  callApi(riskModelOperations.market, { query: { tenantId, limit: HISTORY_LIMIT } }, { signal });

export const runRiskModel = (tenantId: string, model: RiskModelName) => callApi(riskModelOperations.run, { body: { tenantId, model } });
