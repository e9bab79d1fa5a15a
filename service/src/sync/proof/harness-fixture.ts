import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { LoginResponse } from '../../../../shared/src/auth.ts';
import { CaseDetail, REASON_CODES, type CaseCommandName } from '../../../../shared/src/cases.ts';
import { CasePage } from '../../../../shared/src/contract/cases.ts';
import { SyncConflictList, SyncStatus } from '../../../../shared/src/sync.ts';
import { UserWithOneTimePassword } from '../../../../shared/src/users.ts';
import type { HumanRole } from '../../../../shared/src/roles.ts';
import { criticalPayment } from '../../testing/fixtures.ts';

/**
 * The proof tests' common ground (issue 12 "Proof"): a JSON client over real HTTP, a team and
 * cases made at a hub through its own API, user actions on a workstation through the
 * workstation's API, and each node's sync status and Conflicts inbox. The invariants checked
 * after healing are in invariants-fixture.ts.
 */

export const PROOF_TENANT = 'WEKEZA-KE';
export const PROOF_PASSWORD = 'Proof-User-Pass-2026!';
export const PROOF_ADMIN_PASSWORD = 'Proof-Admin-Pass-2026!';

export interface Answer {
  status: number;
  body: unknown;
}

/** One JSON call; never waits for ever (a stopped hub swallows requests). */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: response.status, body };
}

export async function login(base: string, username: string, password: string): Promise<LoginResponse> {
  const res = await api(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`sign-in of ${username} at ${base} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return LoginResponse.parse(res.body);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `ready` answers a value (not undefined), or fails naming what it waited for. */
export async function waitFor<T>(what: string, timeoutMs: number, ready: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await ready();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(everyMs);
  }
}

// --- the team and the cases, made at the hub through its API -------------------------------

export interface TeamMember {
  username: string;
  role: HumanRole;
  id: string;
}

/** The people of the proof: two analysts and a compliance officer (supervisor, four-eyes approver). */
export const PROOF_TEAM: ReadonlyArray<readonly [string, HumanRole]> = [
  ['amina.otieno', 'FRAUD_ANALYST'],
  ['brian.kamau', 'FRAUD_ANALYST'],
  ['wanjiru.njoroge', 'COMPLIANCE_OFFICER'],
];

/** Creates each user as the admin, then signs in with the one-time password and sets PROOF_PASSWORD. */
export async function createTeam(hub: string, adminToken: string, team = PROOF_TEAM): Promise<Record<string, TeamMember>> {
  const out: Record<string, TeamMember> = {};
  for (const [username, role] of team) {
    const displayName = username
      .split('.')
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join(' ');
    const created = await api(hub, 'POST', '/api/v1/users', { token: adminToken, body: { username, displayName, role, tenantIds: [PROOF_TENANT] } });
    assert.equal(created.status, 201, `creating ${username}: ${JSON.stringify(created.body)}`);
    const { user, oneTimePassword } = UserWithOneTimePassword.parse(created.body);
    const first = await login(hub, username, oneTimePassword);
    const changed = await api(hub, 'POST', '/api/v1/auth/password', {
      token: first.token,
      body: { currentPassword: oneTimePassword, newPassword: PROOF_PASSWORD },
    });
    assert.ok(changed.status >= 200 && changed.status < 300, `password change of ${username}: ${changed.status} ${JSON.stringify(changed.body)}`);
    out[username] = { username, role, id: user.id };
  }
  return out;
}

/** Opens `count` CRITICAL cases at the hub (each payment of its own customer opens one). */
export async function openCases(hub: string, adminToken: string, count: number): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const payment = criticalPayment({ tenantId: PROOF_TENANT });
    const res = await api(hub, 'POST', '/api/v1/fraud-risk/assessments', { token: adminToken, body: payment });
    assert.equal(res.status, 201, `scoring a payment at the hub: ${JSON.stringify(res.body)}`);
    refs.push(payment.transactionReference);
  }
  return refs;
}

// --- user actions on a workstation -----------------------------------------------------------

/** A case action a user made on a workstation, and what the workstation answered. */
export interface Action {
  node: string;
  actorId: string;
  command: string;
  caseId: string;
  body: Record<string, unknown>;
  status: number;
  /** Answered 2xx by the workstation: the user was told it was done. */
  acknowledged: boolean;
  /**
   * What must be true at the end: at the hub or in the node's Conflicts inbox exactly once (it was
   * acknowledged, or committed before a crash), never (refused, or killed before its commit), at
   * most once (the answer was lost: committed or not, nobody knows), or nothing checkable.
   */
  expect: 'once' | 'never' | 'at-most-once' | 'unknown';
}

let marker = 0;
/** Text no other action carries, so the hub's rows can be traced back to the action. */
export function uniqueText(prefix: string): string {
  marker += 1;
  return `${prefix} ${randomBytes(4).toString('hex')}-${marker}`;
}

interface Step {
  command: string;
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** The request a user makes for an action the case offers, on the version they see. */
export function stepFor(name: CaseCommandName, caseId: string, version: number, colleagueId: string | null): Step | null {
  const v = { expectedVersion: version };
  const at = (step: string) => `/api/v1/cases/${caseId}/${step}`;
  const decide = (action: 'APPROVE' | 'BLOCK' | 'ESCALATE'): Step => ({
    command: 'case.decide',
    method: 'POST',
    path: at('decision'),
    body: { action, reasonCode: Object.keys(REASON_CODES[action])[0]!, note: uniqueText(`Decided ${action.toLowerCase()}`), ...v },
  });
  switch (name) {
    case 'assign':
      return { command: 'case.assign', method: 'POST', path: at('assign'), body: { ...v } };
    case 'reassign':
      return colleagueId ? { command: 'case.assign', method: 'POST', path: at('assign'), body: { ...v, assigneeId: colleagueId } } : null;
    case 'release':
      return { command: 'case.release', method: 'POST', path: at('release'), body: { ...v, note: uniqueText('Back to the queue') } };
    case 'start':
      return { command: 'case.start', method: 'POST', path: at('start'), body: { ...v } };
    case 'request-info':
      return { command: 'case.request-info', method: 'POST', path: at('request-info'), body: { ...v, note: uniqueText('Asked the branch for KYC') } };
    case 'resume':
      return { command: 'case.resume', method: 'POST', path: at('resume'), body: { ...v, note: uniqueText('Documents received') } };
    case 'escalate':
      return decide('ESCALATE');
    case 'approve':
      return decide('APPROVE');
    case 'block':
      return decide('BLOCK');
    case 'approval-decide':
      return {
        command: 'case.approval',
        method: 'POST',
        path: at('approval'),
        body: { approve: version % 2 === 0, note: uniqueText('Second look done'), ...v },
      };
    case 'comment':
      return { command: 'case.comment', method: 'POST', path: at('comments'), body: { body: uniqueText('Called the customer') } };
    case 'tag':
      return { command: 'case.tag', method: 'PUT', path: at('tags'), body: { tags: [uniqueText('t').replace(/[^\w -]/g, '-')], ...v } };
    default:
      // attach needs a file; not part of these runs
      return null;
  }
}

/**
 * One user action on a node: reads the case as the node shows it (its allowed actions and
 * version), picks one with `pick`, and sends it. Null when the node shows no case.
 */
export async function act(
  node: { name: string; url: string; token: string; userId: string },
  pickCase: number,
  pickAction: number,
  colleagues: readonly string[],
): Promise<Action | null> {
  const list = await api(node.url, 'GET', '/api/v1/cases?state=OPEN&pageSize=200&sort=createdAt&direction=desc', { token: node.token });
  if (list.status !== 200) throw new Error(`${node.name}: listing cases answered ${list.status}: ${JSON.stringify(list.body)}`);
  const items = CasePage.parse(list.body).items;
  if (items.length === 0) return null;
  const chosen = items[pickCase % items.length]!;
  const detail = await api(node.url, 'GET', `/api/v1/cases/${chosen.id}`, { token: node.token });
  if (detail.status !== 200) throw new Error(`${node.name}: reading case ${chosen.id} answered ${detail.status}: ${JSON.stringify(detail.body)}`);
  const { case: c, allowedActions } = CaseDetail.parse(detail.body);
  const offered = allowedActions.filter((a) => a !== 'attach');
  const name: CaseCommandName = offered.length > 0 ? offered[pickAction % offered.length]! : 'comment';
  // Handing a case to whoever holds it already changes nothing (no version, no audit): not an action.
  const colleague = colleagues.find((id) => id !== c.assigneeId && id !== node.userId) ?? null;
  const step = stepFor(name, c.id, c.version, colleague) ?? stepFor('comment', c.id, c.version, null)!;
  // No answer at all (the node died, the connection broke) is status 0.
  const status = await api(node.url, step.method, step.path, { token: node.token, body: step.body }).then(
    (res) => res.status,
    () => 0,
  );
  const acknowledged = status >= 200 && status < 300;
  return {
    node: node.name,
    actorId: node.userId,
    command: step.command,
    caseId: c.id,
    body: step.body,
    status,
    acknowledged,
    expect: acknowledged ? 'once' : status === 0 ? 'at-most-once' : step.command === 'case.comment' ? 'never' : 'unknown',
  };
}

// --- reading a node's sync state -------------------------------------------------------------

export async function syncStatus(url: string, token: string): Promise<SyncStatus> {
  const res = await api(url, 'GET', '/api/v1/sync/status', { token, timeoutMs: 10_000 });
  if (res.status !== 200) throw new Error(`sync.status answered ${res.status}: ${JSON.stringify(res.body)}`);
  return SyncStatus.parse(res.body);
}

export async function conflicts(url: string, token: string): Promise<SyncConflictList['items']> {
  const res = await api(url, 'GET', '/api/v1/sync/conflicts', { token });
  if (res.status !== 200) throw new Error(`sync.conflict.list answered ${res.status}: ${JSON.stringify(res.body)}`);
  return SyncConflictList.parse(res.body).items;
}
