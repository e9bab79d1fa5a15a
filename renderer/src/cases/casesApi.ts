import { z } from 'zod';
import { pageOf } from '../../../shared/src/api.ts';
import {
  BulkResult,
  CaseAttachment,
  CaseComment,
  CaseDetail,
  CaseSummary,
  FourEyesSettingsView,
  QueueCounts,
  SavedFilter,
  type CaseAction,
  type CaseAttachmentUpload,
  type CaseFilter,
  type CaseListQuery,
  type FourEyesSettings,
  type ReasonCode,
} from '../../../shared/src/cases.ts';
import { CaseQueue, type CaseQueueInput } from '../../../shared/src/queues.ts';
import { deleteJson, downloadFile, getJson, postJson, putJson } from '../api/client.ts';

const CasePage = pageOf(CaseSummary);
const enc = encodeURIComponent;

export type CaseListParams = Partial<CaseListQuery>;

/** Query parameters as the service reads them (lists joined with commas, empty values left out). */
export function caseQueryParams(params: Partial<CaseFilter> & { page?: number; pageSize?: number }): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    out[key] = Array.isArray(value) ? value.join(',') : (value as string | number);
  }
  return out;
}

export function fetchCases(params: CaseListParams, signal?: AbortSignal) {
  return getJson('/api/v1/cases', CasePage, { params: caseQueryParams(params), signal });
}

export function fetchQueueCounts(signal?: AbortSignal) {
  return getJson('/api/v1/cases/counts', QueueCounts, { signal });
}

export function fetchCase(id: string, signal?: AbortSignal) {
  return getJson(`/api/v1/cases/${enc(id)}`, CaseDetail, { signal });
}

/** Take the most urgent unassigned case of a queue (404 → nothing left). */
export function claimNextCase(queueId?: string) {
  return postJson('/api/v1/cases/claim-next', queueId ? { queueId } : {}, CaseSummary);
}

export function claimCase(id: string, expectedVersion: number, assigneeId?: string) {
  return postJson(`/api/v1/cases/${enc(id)}/assign`, { expectedVersion, ...(assigneeId ? { assigneeId } : {}) }, CaseSummary);
}

export function releaseCase(id: string, expectedVersion: number, note?: string) {
  return postJson(`/api/v1/cases/${enc(id)}/release`, { expectedVersion, ...(note ? { note } : {}) }, CaseSummary);
}

export function startCase(id: string, expectedVersion: number) {
  return postJson(`/api/v1/cases/${enc(id)}/start`, { expectedVersion }, CaseSummary);
}

export function requestInfo(id: string, expectedVersion: number, note: string) {
  return postJson(`/api/v1/cases/${enc(id)}/request-info`, { expectedVersion, note }, CaseSummary);
}

export function resumeCase(id: string, expectedVersion: number, note?: string) {
  return postJson(`/api/v1/cases/${enc(id)}/resume`, { expectedVersion, ...(note ? { note } : {}) }, CaseSummary);
}

/** Approve, block or escalate. A block above the limit or a CRITICAL close comes back AWAITING_APPROVAL. */
export function decideCase(id: string, body: { action: CaseAction; reasonCode: ReasonCode; note: string; expectedVersion: number }) {
  return postJson(`/api/v1/cases/${enc(id)}/decision`, body, CaseSummary);
}

/** The second approver confirms (approve: true) or sends back (false) a four-eyes decision. */
export function decideApproval(id: string, body: { approve: boolean; note: string; expectedVersion: number }) {
  return postJson(`/api/v1/cases/${enc(id)}/approval`, body, CaseSummary);
}

export function setCaseTags(id: string, tags: string[], expectedVersion: number) {
  return putJson(`/api/v1/cases/${enc(id)}/tags`, { tags, expectedVersion }, CaseSummary);
}

export function addComment(id: string, body: string) {
  return postJson(`/api/v1/cases/${enc(id)}/comments`, { body }, CaseComment);
}

export function uploadAttachment(id: string, upload: CaseAttachmentUpload) {
  return postJson(`/api/v1/cases/${enc(id)}/attachments`, upload, CaseAttachment);
}

/** Downloads go through the HTTP client (they need the session token), then save as a blob. */
export async function downloadAttachment(caseId: string, attachment: CaseAttachment): Promise<void> {
  await downloadFile(`/api/v1/cases/${enc(caseId)}/attachments/${enc(attachment.id)}`, {}, attachment.fileName);
}

export function bulkAssign(caseIds: string[], assigneeId?: string) {
  return postJson('/api/v1/cases/bulk/assign', { caseIds, ...(assigneeId ? { assigneeId } : {}) }, BulkResult);
}

export function bulkCloseFalsePositive(caseIds: string[], note: string, reasonCode: string = 'FALSE_POSITIVE_RULE') {
  return postJson('/api/v1/cases/bulk/close-false-positive', { caseIds, note, reasonCode }, BulkResult);
}

export function fetchSavedFilters(signal?: AbortSignal) {
  return getJson('/api/v1/cases/saved-filters', z.array(SavedFilter), { signal });
}

export function saveFilter(input: { name: string; filter: CaseFilter; shared: boolean }) {
  return postJson('/api/v1/cases/saved-filters', input, SavedFilter);
}

export function deleteSavedFilter(id: string) {
  return deleteJson(`/api/v1/cases/saved-filters/${enc(id)}`);
}

export const Assignee = z.object({ id: z.uuid(), displayName: z.string(), role: z.string(), canApprove: z.boolean(), openCases: z.number().int() });
export type Assignee = z.infer<typeof Assignee>;

/** Users who can work cases, with their open-case load (for assign menus). */
export function fetchAssignees(signal?: AbortSignal) {
  return getJson('/api/v1/cases/assignees', z.array(Assignee), { signal });
}

export function fetchQueues(signal?: AbortSignal) {
  return getJson('/api/v1/case-queues', z.array(CaseQueue), { signal });
}

export function createQueue(input: CaseQueueInput) {
  return postJson('/api/v1/case-queues', input, CaseQueue);
}

export function updateQueue(id: string, input: CaseQueueInput & { expectedVersion: number }) {
  return putJson(`/api/v1/case-queues/${enc(id)}`, input, CaseQueue);
}

export function deleteQueue(id: string, expectedVersion: number) {
  return deleteJson(`/api/v1/case-queues/${enc(id)}?expectedVersion=${expectedVersion}`);
}

export function fetchFourEyes(signal?: AbortSignal) {
  return getJson('/api/v1/cases/settings/four-eyes', FourEyesSettingsView, { signal });
}

export function updateFourEyes(settings: FourEyesSettings & { expectedVersion: number }) {
  return putJson('/api/v1/cases/settings/four-eyes', settings, FourEyesSettingsView);
}

/** Export the filtered queue (all pages, up to 100,000 rows) as CSV or XLSX. */
export async function exportCases(filter: Partial<CaseFilter>, format: 'csv' | 'xlsx'): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  await downloadFile(`/api/v1/cases/export.${format}`, caseQueryParams(filter), `cases-${stamp}.${format}`, 300_000);
}
