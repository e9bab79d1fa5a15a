import { RECENTLY_CLOSED_DAYS } from '../hub/scope.ts';
import assert from 'node:assert/strict';
import { CaseDetail } from '../../../../shared/src/cases.ts';
import { CasePage } from '../../../../shared/src/contract/cases.ts';
import { api, conflicts, PROOF_TENANT, syncStatus, waitFor, type Action } from './harness-fixture.ts';

/**
 * The proof tests' invariants (issue 12 "Proof"), checked after healing against the hub's database
 * (read with plain SQL, PostgreSQL or SQLite) and the workstations' own HTTP answers.
 */

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

/**
 * The hub's cases in a user's sync scope (service/src/sync/hub/scope.ts: open, assigned to them, or
 * closed in the last RECENTLY_CLOSED_DAYS; their tenant). These hubs run on the system clock.
 */
async function hubScope(sql: HubSql, userId: string): Promise<Map<string, HubCase>> {
  if (!UUID.test(userId)) throw new Error(`not a UUID: ${userId}`);
  const rows = await sql(
    `select id, version, state, assignee_id, outcome, is_open, closed_at from cases where deleted_at is null and tenant_id = '${PROOF_TENANT}'`,
  );
  const closedSince = Date.now() - RECENTLY_CLOSED_DAYS * 86_400_000;
  const out = new Map<string, HubCase>();
  for (const r of rows) {
    const recentlyClosed = r.closed_at !== null && r.closed_at !== undefined && new Date(r.closed_at as string).getTime() > closedSince;
    if (!truthy(r.is_open) && r.assignee_id !== userId && !recentlyClosed) continue;
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

/**
 * The action's own text in the audit row, where the command keeps it (tags, notes): so that a row
 * of another action on the same version can never be taken for this one.
 */
function carriesMarker(a: Action, after: Record<string, unknown> | null): boolean {
  const tags = a.body.tags as string[] | undefined;
  // A decision waiting for four-eyes keeps its note in the approval request: look anywhere in the row.
  const marker = typeof a.body.note === 'string' ? a.body.note : tags?.[0]?.toLowerCase();
  return marker === undefined || JSON.stringify(after ?? {}).includes(marker);
}

/** Other acknowledged actions that send exactly the same request by the same person on the same case. */
function acknowledgedTwins(actions: readonly Action[], a: Action): number {
  const same = (x: Action) => x !== a && x.acknowledged && x.node === a.node && x.actorId === a.actorId && x.command === a.command && x.caseId === a.caseId;
  return actions.filter((x) => same(x) && JSON.stringify(x.body) === JSON.stringify(a.body)).length;
}

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
  const audits = await sql(
    `select entity_id, command, actor_id, "before", "after" from audit_log where entity_type = 'case' and entity_id in ${idList(caseIds)}`,
  );
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
              r.entity_id === a.caseId &&
              r.command === a.command &&
              r.actor_id === a.actorId &&
              Number(json(r.before)?.version) === a.body.expectedVersion &&
              carriesMarker(a, json(r.after)),
          ).length;
    if (a.expect === 'unknown') continue;
    const inInbox = (inbox.get(a.node) ?? []).filter(
      (c) => c.entityId === a.caseId && c.command === a.command && Object.entries(a.body).every(([k, v]) => JSON.stringify(c.mine[k]) === JSON.stringify(v)),
    ).length;
    // An action without its own text (assign, start) that was killed and then tried again by the
    // same person on the same version matches the retry's hub row or Conflicts entry too: each
    // acknowledged twin owns one of them.
    const twins = a.expect === 'once' ? 0 : acknowledgedTwins(actions, a);
    const twinsAtHub = Math.min(twins, atHub);
    const ownRows = atHub - twinsAtHub;
    const recorded = Math.max(0, inInbox - (twins - twinsAtHub));
    const found = ownRows + recorded;
    const kept = a.expect === 'once' ? found === 1 : a.expect === 'never' ? found === 0 : found <= 1;
    if (!kept) {
      const trail = audits
        .filter((r) => r.entity_id === a.caseId)
        .map((r) => `  ${String(r.command)} by ${String(r.actor_id)} from v${String(json(r.before)?.version)}: ${JSON.stringify(json(r.after)).slice(0, 300)}`);
      const tried = actions.filter((x) => x.caseId === a.caseId).map((x) => `  ${x.node} ${x.command} ${JSON.stringify(x.body)} → ${x.status}`);
      const inboxed = (inbox.get(a.node) ?? [])
        .filter((c) => c.entityId === a.caseId)
        .map((c) => `  ${c.kind} ${c.command} ${JSON.stringify(c.mine)}: ${c.message}`);
      trail.push(' what was tried on it:', ...tried, ` ${a.node}'s Conflicts inbox for it:`, ...inboxed);
      problems.push(
        `expected ${a.expect}; at the hub ${ownRows}×, in the Conflicts inbox ${recorded}× (${atHub}× and ${inInbox}× with ${twins} acknowledged twins): ${describe}\n the hub's audit of the case:\n${trail.join('\n')}`,
      );
    }
    applied += ownRows;
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
  const odd = [...new Set([...seen.keys(), ...expected.keys()])].filter((id) => seen.has(id) !== expected.has(id));
  if (odd.length > 0) {
    const rows = await sql(`select id, version, state, assignee_id, is_open from cases where id in ${idList(odd)}`);
    const detail = odd.map((id) => `  ${id}: cached ${JSON.stringify(seen.get(id) ?? null)}, hub ${JSON.stringify(rows.find((r) => r.id === id) ?? null)}`);
    assert.fail(`${node.name}: the cached cases are not the hub's cases of ${node.userId}'s scope:\n${detail.join('\n')}`);
  }
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
