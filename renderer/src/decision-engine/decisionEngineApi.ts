// REST calls of the decision engine screen (configurations, versions, drafts, backtests, the bank
// engine test, assessment actions, statistics, health and the anomaly model). All go through the
// shared axios client, so the session token and the error mapping are the same as everywhere else.
import { z } from 'zod';
import { pageOf } from '../../../shared/src/api.ts';
import { Assessment, type AssessmentListQuery, type Decision } from '../../../shared/src/assessments.ts';
import {
  AnomalyModelInfo,
  Backtest,
  BankApiTestResult,
  ConfigurationVersion,
  FraudRiskConfiguration,
  FraudRiskHealth,
  FraudRiskMetrics,
  FraudRiskStatistics,
  type ConfigurationInput,
} from '../../../shared/src/decision-engine.ts';
import { conform, downloadFile, getJson, http, postJson } from '../api/client.ts';

const BASE = '/api/v1/fraud-risk';
const CONFIGS = `${BASE}/configurations`;

function configUrl(id: string, suffix = ''): string {
  return `${CONFIGS}/${encodeURIComponent(id)}${suffix}`;
}

async function putJson<S extends z.ZodType>(url: string, body: unknown, schema: S): Promise<z.infer<S>> {
  const response = await http.put<unknown>(url, body, { headers: { 'Content-Type': 'application/json' } });
  return conform(schema, response.data, `PUT ${url}`);
}

// --- configurations ---------------------------------------------------------------------------

export interface ConfigurationListParams {
  enabled?: 'true' | 'false';
  search?: string;
  tenantId?: string;
}

export function fetchConfigurations(params: ConfigurationListParams, signal?: AbortSignal) {
  return getJson(CONFIGS, z.array(FraudRiskConfiguration), { params: { ...params }, signal });
}

export function fetchConfiguration(id: string, signal?: AbortSignal) {
  return getJson(configUrl(id), FraudRiskConfiguration, { signal });
}

export function createConfiguration(input: ConfigurationInput, asDraft: boolean) {
  return postJson(CONFIGS, { ...input, asDraft }, FraudRiskConfiguration);
}

/** Publishes the body as a new version straight away (no backtest). */
export function updateConfiguration(id: string, input: ConfigurationInput, expectedRowVersion: number) {
  return putJson(configUrl(id), { ...input, expectedRowVersion }, FraudRiskConfiguration);
}

export async function deleteConfiguration(id: string, expectedRowVersion: number): Promise<void> {
  await http.delete(configUrl(id), { params: { expectedRowVersion } });
}

export function testBankApi(id: string, useDraft: boolean) {
  // The call may retry against a slow engine: allow for the configured timeouts and retries.
  return postJson(configUrl(id, '/test-api'), { useDraft }, BankApiTestResult, { timeout: 90_000 });
}

// --- versions and drafts ----------------------------------------------------------------------

export function fetchVersions(id: string, signal?: AbortSignal) {
  return getJson(configUrl(id, '/versions'), z.array(ConfigurationVersion), { signal });
}

export function fetchVersion(id: string, versionNumber: number, signal?: AbortSignal) {
  return getJson(configUrl(id, `/versions/${versionNumber}`), ConfigurationVersion, { signal });
}

export function saveDraft(id: string, input: ConfigurationInput) {
  return putJson(configUrl(id, '/draft'), input, ConfigurationVersion);
}

export async function discardDraft(id: string): Promise<void> {
  await http.delete(configUrl(id, '/draft'));
}

export function publishDraft(id: string, body: { expectedRowVersion: number; backtestId?: string; changeNote?: string }) {
  return postJson(configUrl(id, '/draft/publish'), body, FraudRiskConfiguration);
}

// --- backtests --------------------------------------------------------------------------------

export function startBacktest(id: string, body: { days: number; versionNumber?: number }) {
  return postJson(configUrl(id, '/backtests'), body, Backtest);
}

export function fetchBacktest(backtestId: string, signal?: AbortSignal) {
  return getJson(`${BASE}/backtests/${encodeURIComponent(backtestId)}`, Backtest, { signal });
}

export function cancelBacktest(backtestId: string) {
  return postJson(`${BASE}/backtests/${encodeURIComponent(backtestId)}/cancel`, {}, Backtest);
}

// --- assessments ------------------------------------------------------------------------------

const AssessmentPage = pageOf(Assessment);
export type AssessmentQuery = Partial<AssessmentListQuery>;

export function fetchAssessments(params: AssessmentQuery, signal?: AbortSignal) {
  return getJson(`${BASE}/assessments`, AssessmentPage, { params: { ...params }, signal });
}

export function fetchAssessment(id: string, signal?: AbortSignal) {
  return getJson(`${BASE}/assessments/${encodeURIComponent(id)}`, Assessment, { signal });
}

export function retryAssessment(id: string) {
  return postJson(`${BASE}/assessments/${encodeURIComponent(id)}/retry`, {}, Assessment, { timeout: 60_000 });
}

export function cancelAssessment(id: string, reason: string) {
  return postJson(`${BASE}/assessments/${encodeURIComponent(id)}/cancel`, { reason }, Assessment);
}

export function decideAssessment(id: string, body: { decision: Decision; reason: string; expectedVersion?: number }) {
  return putJson(`${BASE}/assessments/${encodeURIComponent(id)}/decision`, body, Assessment);
}

/**
 * Downloads the CSV export for the given filters through the axios client (so the session token
 * is sent) and hands it to the browser as a file.
 */
export async function downloadAssessmentsCsv(params: Omit<AssessmentQuery, 'page' | 'pageSize'>): Promise<string> {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return downloadFile(`${BASE}/assessments/export.csv`, { ...params }, `assessments-${stamp}.csv`);
}

// --- statistics, health, anomaly model --------------------------------------------------------

export function fetchStatistics(params: { from?: string; to?: string; tenantId?: string }, signal?: AbortSignal) {
  return getJson(`${BASE}/statistics`, FraudRiskStatistics, { params: { ...params }, signal });
}

export function fetchMetrics(signal?: AbortSignal) {
  return getJson(`${BASE}/metrics`, FraudRiskMetrics, { signal });
}

export function fetchHealth(signal?: AbortSignal) {
  return getJson(`${BASE}/health`, FraudRiskHealth, { signal });
}

export async function fetchAnomalyModel(signal?: AbortSignal): Promise<AnomalyModelInfo | null> {
  // No model yet is `null` (or an empty 204 answer).
  const model = await getJson(`${BASE}/anomaly-model`, AnomalyModelInfo.nullable(), { signal });
  return model || null;
}

export function trainAnomalyModel(body: { days: number; trees: number; subsampleSize: number }) {
  return postJson(`${BASE}/anomaly-model/train`, body, AnomalyModelInfo, { timeout: 300_000 });
}
