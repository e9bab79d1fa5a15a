// Calls of the case screens (queue, case detail, queues and four-eyes settings), through the typed
// client derived from the contract (shared/src/contract/cases.ts, ARCHITECTURE.md rule 2).
import type { CaseAction, CaseAttachment, CaseAttachmentUpload, CaseFilter, CaseListQuery, FourEyesSettings, ReasonCode } from '../../../shared/src/cases.ts';
import type { CaseQueueInput } from '../../../shared/src/queues.ts';
import { caseOperations as ops, type Assignee } from '../../../shared/src/contract/cases.ts';
import { callApi, downloadApi } from '../api/contract-client.ts';

export type { Assignee };
export type CaseListParams = Partial<CaseListQuery>;

export function fetchCases(params: CaseListParams, signal?: AbortSignal) {
  return callApi(ops.list, { query: params }, { signal });
}

export function fetchQueueCounts(signal?: AbortSignal) {
  return callApi(ops.counts, {}, { signal });
}

export function fetchCase(id: string, signal?: AbortSignal) {
  return callApi(ops.get, { params: { id } }, { signal });
}

/** Take the most urgent unassigned case of a queue (404 → nothing left). */
export function claimNextCase(queueId?: string) {
  return callApi(ops.claimNext, { body: queueId ? { queueId } : {} });
}

export function claimCase(id: string, expectedVersion: number, assigneeId?: string) {
  return callApi(ops.assign, { params: { id }, body: { expectedVersion, ...(assigneeId ? { assigneeId } : {}) } });
}

export function releaseCase(id: string, expectedVersion: number, note?: string) {
  return callApi(ops.release, { params: { id }, body: { expectedVersion, ...(note ? { note } : {}) } });
}

export function startCase(id: string, expectedVersion: number) {
  return callApi(ops.start, { params: { id }, body: { expectedVersion } });
}

export function requestInfo(id: string, expectedVersion: number, note: string) {
  return callApi(ops.requestInfo, { params: { id }, body: { expectedVersion, note } });
}

export function resumeCase(id: string, expectedVersion: number, note?: string) {
  return callApi(ops.resume, { params: { id }, body: { expectedVersion, ...(note ? { note } : {}) } });
}

/** Approve, block or escalate. A block above the limit or a CRITICAL close comes back AWAITING_APPROVAL. */
export function decideCase(id: string, body: { action: CaseAction; reasonCode: ReasonCode; note: string; expectedVersion: number }) {
  return callApi(ops.decide, { params: { id }, body });
}

/** The second approver confirms (approve: true) or sends back (false) a four-eyes decision. */
export function decideApproval(id: string, body: { approve: boolean; note: string; expectedVersion: number }) {
  return callApi(ops.approval, { params: { id }, body });
}

export function setCaseTags(id: string, tags: string[], expectedVersion: number) {
  return callApi(ops.tag, { params: { id }, body: { tags, expectedVersion } });
}

export function addComment(id: string, body: string) {
  return callApi(ops.comment, { params: { id }, body: { body } });
}

export function uploadAttachment(id: string, upload: CaseAttachmentUpload) {
  return callApi(ops.attach, { params: { id }, body: upload });
}

/** Downloads go through the HTTP client (they need the session token), then save as a blob. */
export async function downloadAttachment(caseId: string, attachment: CaseAttachment): Promise<void> {
  await downloadApi(ops.attachment, { params: { id: caseId, attachmentId: attachment.id } }, attachment.fileName);
}

export function bulkAssign(caseIds: string[], assigneeId?: string) {
  return callApi(ops.bulkAssign, { body: { caseIds, ...(assigneeId ? { assigneeId } : {}) } });
}

export function bulkCloseFalsePositive(
  caseIds: string[],
  note: string,
  reasonCode: 'FALSE_POSITIVE_RULE' | 'VERIFIED_WITH_CUSTOMER' | 'KNOWN_BENEFICIARY' | 'BUSINESS_PATTERN_EXPLAINED' = 'FALSE_POSITIVE_RULE',
) {
  return callApi(ops.bulkCloseFalsePositive, { body: { caseIds, note, reasonCode } });
}

export function fetchSavedFilters(signal?: AbortSignal) {
  return callApi(ops.savedFilters, {}, { signal });
}

export function saveFilter(input: { name: string; filter: CaseFilter; shared: boolean }) {
  return callApi(ops.saveFilter, { body: input });
}

export function deleteSavedFilter(id: string) {
  return callApi(ops.deleteFilter, { params: { id } });
}

/** Users who can work cases of your tenants, with their open-case load (for assign menus). */
export function fetchAssignees(signal?: AbortSignal): Promise<Assignee[]> {
  return callApi(ops.assignees, {}, { signal });
}

export function fetchQueues(signal?: AbortSignal) {
  return callApi(ops.queues, {}, { signal });
}

export function createQueue(input: CaseQueueInput) {
  return callApi(ops.createQueue, { body: input });
}

export function updateQueue(id: string, input: CaseQueueInput & { expectedVersion: number }) {
  return callApi(ops.updateQueue, { params: { id }, body: input });
}

export function deleteQueue(id: string, expectedVersion: number) {
  return callApi(ops.deleteQueue, { params: { id }, query: { expectedVersion } });
}

export function fetchFourEyes(signal?: AbortSignal) {
  return callApi(ops.fourEyes, {}, { signal });
}

export function updateFourEyes(settings: FourEyesSettings & { expectedVersion: number }) {
  return callApi(ops.updateFourEyes, { body: settings });
}

/** Export the filtered queue (all pages, up to 100,000 rows) as CSV or XLSX. */
export async function exportCases(filter: Partial<CaseFilter>, format: 'csv' | 'xlsx'): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  await downloadApi(format === 'csv' ? ops.exportCsv : ops.exportXlsx, { query: filter }, `cases-${stamp}.${format}`, 300_000);
}
