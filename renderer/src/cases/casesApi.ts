import { pageOf } from '../../../shared/src/api.ts';
import {
  CaseDetail,
  CaseSummary,
  QueueCounts,
  type CaseAction,
  type CaseListQuery,
  type ReasonCode,
} from '../../../shared/src/cases.ts';
import { getJson, postJson } from '../api/client.ts';

const CasePage = pageOf(CaseSummary);

export type CaseListParams = Partial<CaseListQuery>;

export function fetchCases(params: CaseListParams, signal?: AbortSignal) {
  return getJson('/api/v1/cases', CasePage, { params: { ...params }, signal });
}

export function fetchQueueCounts(signal?: AbortSignal) {
  return getJson('/api/v1/cases/counts', QueueCounts, { signal });
}

export function fetchCase(id: string, signal?: AbortSignal) {
  return getJson(`/api/v1/cases/${encodeURIComponent(id)}`, CaseDetail, { signal });
}

export function claimCase(id: string, expectedVersion: number, assigneeId?: string) {
  return postJson(`/api/v1/cases/${encodeURIComponent(id)}/assign`, { expectedVersion, ...(assigneeId ? { assigneeId } : {}) }, CaseSummary);
}

export function decideCase(id: string, body: { action: CaseAction; reasonCode: ReasonCode; note: string; expectedVersion: number }) {
  return postJson(`/api/v1/cases/${encodeURIComponent(id)}/decision`, body, CaseSummary);
}
