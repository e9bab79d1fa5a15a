// Calls of the fraud API toggles screen (seed 003 FraudApiToggleConfiguration), through the typed
// client derived from the contract (shared/src/contract/toggles.ts, ARCHITECTURE.md rule 2).
// Writes may answer 202 with a four-eyes approval request instead of the configuration:
// `WriteOutcome` says which.
import type {
  ToggleActionRequest,
  ToggleApproval,
  ToggleAuditEntry,
  ToggleCheckQuery,
  ToggleConfiguration,
  ToggleInput,
  ToggleSettings,
  ToggleWriteAnswer,
} from '../../../shared/src/toggles.ts';
import { toggleOperations as ops } from '../../../shared/src/contract/toggles.ts';
import { callApi } from '../api/contract-client.ts';

export type { ToggleAuditEntry };
export type StateFilter = 'effective' | 'future' | 'expired' | 'all';

export type WriteOutcome = { kind: 'saved'; configuration: ToggleConfiguration } | { kind: 'pending'; approval: ToggleApproval };

function outcome(answer: ToggleWriteAnswer): WriteOutcome {
  return 'pendingApproval' in answer ? { kind: 'pending', approval: answer.pendingApproval } : { kind: 'saved', configuration: answer };
}

/** The list for a state filter; "all" includes inactive configurations. A tenant narrows any of them. */
export async function fetchToggles(filter: StateFilter, tenantId: string, signal?: AbortSignal): Promise<ToggleConfiguration[]> {
  if (filter === 'all') return callApi(ops.list, { query: { tenantId: tenantId || undefined, includeInactive: 'true' } }, { signal });
  const rows = await callApi(ops[filter], {}, { signal });
  return tenantId ? rows.filter((r) => r.tenantId === tenantId) : rows;
}

/** Every tenant that has a configuration the user may see (for the tenant filter and the form's suggestions). */
export function fetchAllToggles(signal?: AbortSignal) {
  return callApi(ops.list, { query: { includeInactive: 'true' } }, { signal });
}

export function fetchToggle(id: string, signal?: AbortSignal) {
  return callApi(ops.get, { params: { id } }, { signal });
}

export function fetchToggleAudit(id: string, signal?: AbortSignal) {
  return callApi(ops.audit, { params: { id } }, { signal });
}

export async function createToggle(input: ToggleInput, schedule: boolean): Promise<WriteOutcome> {
  return outcome(await callApi(schedule ? ops.schedule : ops.create, { body: input }));
}

export async function updateToggle(id: string, input: ToggleInput, expectedRowVersion: number): Promise<WriteOutcome> {
  return outcome(await callApi(ops.update, { params: { id }, body: { ...input, expectedRowVersion } }));
}

export async function deleteToggle(id: string, expectedRowVersion: number, reason: string): Promise<void> {
  await callApi(ops.remove, { params: { id }, query: { expectedRowVersion, reason: reason || undefined } });
}

export async function setToggleState(action: 'enable' | 'disable', body: ToggleActionRequest): Promise<WriteOutcome> {
  return outcome(await callApi(ops[action], { body }));
}

export function checkToggle(query: ToggleCheckQuery, signal?: AbortSignal) {
  return callApi(ops.check, { query }, { signal });
}

export function fetchPendingApprovals(signal?: AbortSignal) {
  return callApi(ops.approvals, { query: { status: 'PENDING' } }, { signal });
}

export function decideApproval(id: string, approve: boolean, note: string) {
  return callApi(approve ? ops.approve : ops.reject, { params: { id }, body: { note } });
}

export function fetchToggleSettings(signal?: AbortSignal) {
  return callApi(ops.settings, {}, { signal });
}

export function saveToggleSettings(settings: ToggleSettings): Promise<ToggleSettings> {
  return callApi(ops.updateSettings, { body: settings });
}

export function fetchToggleStatistics(signal?: AbortSignal) {
  return callApi(ops.statistics, {}, { signal });
}
