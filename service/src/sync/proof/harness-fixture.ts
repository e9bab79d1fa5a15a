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
 * workstation's API, and the invariants checked after healing — against the hub's database
 * (read with plain SQL) and the workstations' own answers.
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

// --- the hub's side, read with plain SQL ------------------------------------------------------

/** Runs one read-only statement on the hub's database (PostgreSQL or SQLite) and answers its rows. */
export type HubSql = (text: string) => Promise<Array<Record<string, unknown>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function idList(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a UUID: ${id}`);
  // An empty list still has to parse as uuids on PostgreSQL.
  return ids.length === 0 ? "('00000000-0000-0000-0000-000000000000')" : `(${ids.map((id) => `'${id}'`).join(',')})`;
}
const json = (value: unknown): Record<string, unknown> | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? (JSON.parse(value) as Record<string, unknown>)
      : (value as Record<string, unknown>);
const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 't';

export async function hubSeq(sql: HubSql): Promise<number> {
  const [row] = await sql('select max(seq) as seq from change_log');
  return Number(row?.seq ?? 0);
}

interface HubCase {
  id: string;
  version: number;
  state: string;
  assigneeId: string | null;
  outcome: string | null;
}

/** The hub's cases in a user's sync scope (service/src/sync/hub/scope.ts: open, or assigned to them; their tenant). */
async function hubScope(sql: HubSql, userId: string): Promise<Map<string, HubCase>> {
  if (!UUID.test(userId)) throw new Error(`not a UUID: ${userId}`);
  const rows = await sql(`select id, version, state, assignee_id, outcome, is_open from cases where deleted_at is null and tenant_id = '${PROOF_TENANT}'`);
  const out = new Map<string, HubCase>();
  for (const r of rows) {
    if (!truthy(r.is_open) && r.assignee_id !== userId) continue;
    out.set(String(r.id), {
      id: String(r.id),
      version: Number(r.version),
      state: String(r.state),
      assigneeId: (r.assignee_id as string | null) ?? null,
      outcome: (r.outcome as string | null) ?? null,
    });
  }
  return out;
}

// --- the invariants ---------------------------------------------------------------------------

export interface NodeView {
  name: string;
  url: string;
  token: string;
  userId: string;
}

/**
 * Every acknowledged action is at the hub exactly once or in its node's Conflicts inbox (never
 * both, never neither); an action refused or killed before its commit left no trace; one whose
 * answer was lost is there at most once (Action.expect). A comment is found by its unique text; a
 * versioned action counts as applied only when the hub's audit row shows it was
 * applied on the very version the user saw: anything else would have overwritten a colleague's
 * change without a conflict record.
 */
export async function checkActions(sql: HubSql, nodes: readonly NodeView[], actions: readonly Action[]): Promise<{ applied: number; conflicts: number }> {
  const caseIds = [...new Set(actions.map((a) => a.caseId))];
  const audits = await sql(`select entity_id, command, actor_id, before from audit_log where entity_type = 'case' and entity_id in ${idList(caseIds)}`);
  const comments = await sql(`select case_id, body from case_comments where case_id in ${idList(caseIds)}`);
  const inbox = new Map<string, Awaited<ReturnType<typeof conflicts>>>();
  for (const node of nodes) inbox.set(node.name, await conflicts(node.url, node.token));
  let applied = 0;
  let conflicted = 0;
  const problems: string[] = [];
  for (const a of actions) {
    const describe = `${a.node} ${a.command} ${JSON.stringify(a.body)} on ${a.caseId} (answered ${a.status})`;
    const atHub =
      a.command === 'case.comment'
        ? comments.filter((c) => c.case_id === a.caseId && c.body === a.body.body).length
        : audits.filter(
            (r) =>
              r.entity_id === a.caseId && r.command === a.command && r.actor_id === a.actorId && Number(json(r.before)?.version) === a.body.expectedVersion,
          ).length;
    if (a.expect === 'unknown') continue;
    const recorded = (inbox.get(a.node) ?? []).filter(
      (c) => c.entityId === a.caseId && c.command === a.command && Object.entries(a.body).every(([k, v]) => JSON.stringify(c.mine[k]) === JSON.stringify(v)),
    ).length;
    const found = atHub + recorded;
    const kept = a.expect === 'once' ? found === 1 : a.expect === 'never' ? found === 0 : found <= 1;
    if (!kept) problems.push(`expected ${a.expect}; at the hub ${atHub}×, in the Conflicts inbox ${recorded}×: ${describe}`);
    applied += atHub;
    conflicted += recorded;
  }
  assert.deepEqual(problems, [], `broken promises:\n${problems.join('\n')}`);
  return { applied, conflicts: conflicted };
}

/** A node's cache holds exactly the hub's cases of its user's scope: same versions, states, assignees, outcomes and comments. */
export async function checkConverged(sql: HubSql, node: NodeView): Promise<number> {
  const expected = await hubScope(sql, node.userId);
  const list = await api(node.url, 'GET', '/api/v1/cases?state=ALL&pageSize=500&sort=reference', { token: node.token });
  assert.equal(list.status, 200, `${node.name}: case.list answered ${list.status}`);
  const local = CasePage.parse(list.body).items;
  const seen = new Map(local.map((c) => [c.id, { id: c.id, version: c.version, state: c.state, assigneeId: c.assigneeId, outcome: c.outcome }]));
  assert.deepEqual([...seen.keys()].sort(), [...expected.keys()].sort(), `${node.name}: the cached cases are not the hub's cases of ${node.userId}'s scope`);
  for (const [id, hubCase] of expected) assert.deepEqual(seen.get(id), hubCase, `${node.name}: case ${id} differs from the hub`);
  const ids = [...expected.keys()];
  const hubComments = await sql(`select id, case_id, body from case_comments where case_id in ${idList(ids)}`);
  for (const id of ids) {
    const detail = await api(node.url, 'GET', `/api/v1/cases/${id}`, { token: node.token });
    assert.equal(detail.status, 200, `${node.name}: case.get ${id} answered ${detail.status}: ${JSON.stringify(detail.body)}`);
    const mine = CaseDetail.parse(detail.body)
      .comments.map((c) => `${c.id} ${c.body}`)
      .sort();
    const theirs = hubComments
      .filter((c) => c.case_id === id)
      .map((c) => `${String(c.id)} ${String(c.body)}`)
      .sort();
    assert.deepEqual(mine, theirs, `${node.name}: the comments of case ${id} differ from the hub's`);
  }
  return ids.length;
}

/**
 * Waits until every node has sent all it holds and pulled all the hub has: no pending mutation,
 * cursor at the hub's newest change, twice in a row (a push makes new changes to pull).
 */
export async function waitDrained(sql: HubSql, nodes: readonly NodeView[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  let calm = 0;
  let last = '';
  try {
    await waitFor(
      'the workstations to drain their outboxes and catch up with the hub',
      timeoutMs,
      async () => {
        const seq = await hubSeq(sql);
        let done = true;
        const seen: string[] = [`hub seq ${seq}`];
        for (const node of nodes) {
          const s = await syncStatus(node.url, node.token);
          seen.push(`${node.name}: ${JSON.stringify(s)}`);
          if (s.pendingMutations > 0 || s.lastPulledSeq < seq || s.state === 'initial-sync') done = false;
        }
        last = seen.join('\n');
        calm = done ? calm + 1 : 0;
        return calm >= 2 ? true : undefined;
      },
      150,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nlast seen:\n${last}`);
  }
  return (performance.now() - started) / 1000;
}
