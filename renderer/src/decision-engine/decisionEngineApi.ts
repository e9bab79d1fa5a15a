// Calls of the decision engine screen (configurations, versions, drafts, backtests, the bank engine
// test, assessment actions, statistics, health and the anomaly model), through the typed client
// derived from the contract (ARCHITECTURE.md rule 2): no hand-written URLs, answers checked against
// the operations' output schemas. Deciding a payment is cases/PaymentDecision.tsx (one command).
import type { AssessmentListQuery } from '../../../shared/src/assessments.ts';
import type { AnomalyModelInfo, ConfigurationInput } from '../../../shared/src/decision-engine.ts';
import { assessmentOperations as assessments } from '../../../shared/src/contract/assessments.ts';
import { decisionEngineOperations as engine } from '../../../shared/src/contract/decision-engine.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';

// --- configurations ---------------------------------------------------------------------------

export interface ConfigurationListParams {
  enabled?: 'true' | 'false';
  search?: string;
  tenantId?: string;
}

export function fetchConfigurations(params: ConfigurationListParams, signal?: AbortSignal) {
  return callApi(engine.listConfigurations, { query: params }, { signal });
}

export function fetchConfiguration(id: string, signal?: AbortSignal) {
  return callApi(engine.getConfiguration, { params: { id } }, { signal });
}

export function createConfiguration(input: ConfigurationInput, asDraft: boolean) {
  return callApi(engine.createConfiguration, { body: { ...input, asDraft } });
}

/** Publishes the body as a new version straight away (no backtest). */
export function updateConfiguration(id: string, input: ConfigurationInput, changeNote: string, expectedRowVersion: number) {
  return callApi(engine.updateConfiguration, { params: { id }, body: { ...input, changeNote, expectedRowVersion } });
}

export function deleteConfiguration(id: string, expectedRowVersion: number): Promise<void> {
  return callApi(engine.deleteConfiguration, { params: { id }, query: { expectedRowVersion } });
}

export function testBankApi(id: string, useDraft: boolean) {
  // The call may retry against a slow engine: allow for the configured timeouts and retries.
  return callApi(engine.testBankApi, { params: { id }, body: { useDraft } }, { timeout: 90_000 });
}

// --- versions and drafts ----------------------------------------------------------------------

export function fetchVersions(id: string, signal?: AbortSignal) {
  return callApi(engine.listVersions, { params: { id } }, { signal });
}

export function fetchVersion(id: string, versionNumber: number, signal?: AbortSignal) {
  return callApi(engine.getVersion, { params: { id, versionNumber } }, { signal });
}

export function saveDraft(id: string, input: ConfigurationInput) {
  return callApi(engine.saveDraft, { params: { id }, body: input });
}

export function discardDraft(id: string): Promise<void> {
  return callApi(engine.discardDraft, { params: { id } });
}

/** The change note is required (the service answers 400 naming changeNote without one). */
export function publishDraft(id: string, body: { expectedRowVersion: number; backtestId?: string; changeNote: string }) {
  return callApi(engine.publishDraft, { params: { id }, body });
}

// --- backtests --------------------------------------------------------------------------------

export function startBacktest(id: string, body: { days: number; versionNumber?: number }) {
  return callApi(engine.startBacktest, { params: { id }, body });
}

export function fetchBacktest(backtestId: string, signal?: AbortSignal) {
  return callApi(engine.getBacktest, { params: { id: backtestId } }, { signal });
}

export function cancelBacktest(backtestId: string) {
  return callApi(engine.cancelBacktest, { params: { id: backtestId } });
}

// --- assessments ------------------------------------------------------------------------------

export type AssessmentQuery = Partial<AssessmentListQuery>;

export function fetchAssessments(params: AssessmentQuery, signal?: AbortSignal) {
  return callApi(assessments.list, { query: params }, { signal });
}

export function fetchAssessment(id: string, signal?: AbortSignal) {
  return callApi(assessments.get, { params: { id } }, { signal });
}

export function retryAssessment(id: string) {
  return callApi(assessments.retry, { params: { id } }, { timeout: 60_000 });
}

export function cancelAssessment(id: string, reason: string) {
  return callApi(assessments.cancel, { params: { id }, body: { reason } });
}

/**
 * Downloads the CSV export for the given filters with the session token and hands it to the
 * browser as a file (the service names it; the name here is the fallback).
 */
export function downloadAssessmentsCsv(params: Omit<AssessmentQuery, 'page' | 'pageSize'>): Promise<string> {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return downloadApi(assessments.export, { query: params }, `assessments-${stamp}.csv`);
}

// --- statistics, health, anomaly model --------------------------------------------------------

export function fetchStatistics(params: { from?: string; to?: string; tenantId?: string }, signal?: AbortSignal) {
  return callApi(engine.statistics, { query: params }, { signal });
}

export function fetchMetrics(signal?: AbortSignal) {
  return callApi(engine.metrics, {}, { signal });
}

export function fetchHealth(signal?: AbortSignal) {
  return callApi(engine.health, {}, { signal });
}

/** The active anomaly model, or null before one is trained. */
export async function fetchAnomalyModel(signal?: AbortSignal): Promise<AnomalyModelInfo | null> {
  return (await callApi(engine.getAnomalyModel, {}, { signal })) ?? null;
}

export function trainAnomalyModel(body: { days: number; trees: number; subsampleSize: number }) {
  return callApi(engine.trainAnomalyModel, { body }, { timeout: 300_000 });
}
