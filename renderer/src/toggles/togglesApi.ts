// REST calls of the fraud API toggles screen (seed 003 FraudApiToggleConfiguration). Everything
// goes through the shared axios client (session token, error mapping). Writes may answer 202 with
// a four-eyes approval request instead of the configuration: `WriteOutcome` says which.
import { z } from 'zod';
import {
  ToggleApproval,
  ToggleConfiguration,
  ToggleResolution,
  ToggleSettings,
  ToggleStatistics,
  type ToggleActionRequest,
  type ToggleCheckQuery,
  type ToggleInput,
} from '../../../shared/src/toggles.ts';
import { conform, getJson, http, postJson } from '../api/client.ts';

const BASE = '/api/v1/fraud-api-toggle';
const CONFIGS = `${BASE}/configurations`;

export type StateFilter = 'effective' | 'future' | 'expired' | 'all';

export type WriteOutcome = { kind: 'saved'; configuration: ToggleConfiguration } | { kind: 'pending'; approval: ToggleApproval };

const PendingAnswer = z.object({ pendingApproval: ToggleApproval });

function outcome(status: number, data: unknown, what: string): WriteOutcome {
  if (status === 202) return { kind: 'pending', approval: conform(PendingAnswer, data, what).pendingApproval };
  return { kind: 'saved', configuration: conform(ToggleConfiguration, data, what) };
}

function configUrl(id: string, suffix = ''): string {
  return `${CONFIGS}/${encodeURIComponent(id)}${suffix}`;
}

/** The list for a state filter; "all" includes inactive configurations. A tenant narrows any of them. */
export async function fetchToggles(filter: StateFilter, tenantId: string, signal?: AbortSignal): Promise<ToggleConfiguration[]> {
  const list = z.array(ToggleConfiguration);
  if (filter === 'all') return getJson(CONFIGS, list, { params: { tenantId, includeInactive: true }, signal });
  const rows = await getJson(`${CONFIGS}/${filter}`, list, { signal });
  return tenantId ? rows.filter((r) => r.tenantId === tenantId) : rows;
}

/** Every tenant that has a configuration (for the tenant filter and the form's suggestions). */
export function fetchAllToggles(signal?: AbortSignal) {
  return getJson(CONFIGS, z.array(ToggleConfiguration), { params: { includeInactive: true }, signal });
}

export function fetchToggle(id: string, signal?: AbortSignal) {
  return getJson(configUrl(id), ToggleConfiguration, { signal });
}

export const ToggleAuditEntry = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  command: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type ToggleAuditEntry = z.infer<typeof ToggleAuditEntry>;

export function fetchToggleAudit(id: string, signal?: AbortSignal) {
  return getJson(configUrl(id, '/audit'), z.array(ToggleAuditEntry), { signal });
}

export async function createToggle(input: ToggleInput, schedule: boolean): Promise<WriteOutcome> {
  const url = schedule ? `${CONFIGS}/schedule` : CONFIGS;
  const response = await http.post<unknown>(url, input, { headers: { 'Content-Type': 'application/json' } });
  return outcome(response.status, response.data, `POST ${url}`);
}

export async function updateToggle(id: string, input: ToggleInput, expectedRowVersion: number): Promise<WriteOutcome> {
  const url = configUrl(id);
  const response = await http.put<unknown>(url, { ...input, expectedRowVersion }, { headers: { 'Content-Type': 'application/json' } });
  return outcome(response.status, response.data, `PUT ${url}`);
}

export async function deleteToggle(id: string, expectedRowVersion: number, reason: string): Promise<void> {
  await http.delete(configUrl(id), { params: { expectedRowVersion, reason: reason || undefined } });
}

export async function setToggleState(action: 'enable' | 'disable', body: ToggleActionRequest): Promise<WriteOutcome> {
  const url = `${BASE}/${action}`;
  const response = await http.post<unknown>(url, body, { headers: { 'Content-Type': 'application/json' } });
  return outcome(response.status, response.data, `POST ${url}`);
}

export function checkToggle(query: ToggleCheckQuery, signal?: AbortSignal) {
  return getJson(`${BASE}/check`, ToggleResolution, { params: { ...query }, signal });
}

export function fetchPendingApprovals(signal?: AbortSignal) {
  return getJson(`${BASE}/approvals`, z.array(ToggleApproval), { params: { status: 'PENDING' }, signal });
}

export function decideApproval(id: string, approve: boolean, note: string) {
  return postJson(`${BASE}/approvals/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`, { note }, ToggleApproval);
}

export function fetchToggleSettings(signal?: AbortSignal) {
  return getJson(`${BASE}/settings`, ToggleSettings, { signal });
}

export async function saveToggleSettings(settings: ToggleSettings): Promise<ToggleSettings> {
  const url = `${BASE}/settings`;
  const response = await http.put<unknown>(url, settings, { headers: { 'Content-Type': 'application/json' } });
  return conform(ToggleSettings, response.data, `PUT ${url}`);
}

export function fetchToggleStatistics(signal?: AbortSignal) {
  return getJson(`${BASE}/statistics`, ToggleStatistics, { signal });
}
