import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Db } from '../../db/database.ts';
import { CommandBus, derivedId, type Actor } from '../../commands/bus.ts';
import { ManualClock } from '../../clock.ts';
import { ServiceError } from '../../errors.ts';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../../testing/service.ts';
import { createTestDatabase, type Dialect } from '../../testing/databases.ts';
import { startService } from '../../app.ts';
import type { LoginResponse } from '../../../../shared/src/auth.ts';
import { criticalPayment } from '../../testing/fixtures.ts';
import { HubLink, waitFor as waitUntil } from '../../testing/workstation.ts';
import { CaseDetail, CaseSummary } from '../../../../shared/src/cases.ts';
import { pageOf } from '../../../../shared/src/api.ts';
import { commandVersions, type SyncStatus } from '../../../../shared/src/sync.ts';
import { outboxAfterApply } from './outbox.ts';
import { WorkstationSync } from './engine.ts';
import { HubClient, HubError } from './hub-client.ts';
import { defineResolveConflict, listConflicts } from './conflicts.ts';
import type { HubCredentials, UserAccessChange } from './types.ts';

after(stopTestPostgres);

const CasePage = pageOf(CaseSummary);
/** Two analysts and the risk manager who sets the four-eyes limits (each member costs a password hash). */
const TEAM = CASE_TEAM.filter(([username]) => ['amina.otieno', 'brian.kamau', 'faith.wambui'].includes(username));

/** The hub sessions a workstation holds, as the shell's sign-in keeps them (here: tokens from signing in at the hub). */
class SessionsHeld implements HubCredentials {
  readonly tokens = new Map<string, string>();
  readonly invalidated: string[] = [];
  constructor(public ownerId: string | null) {}
  async tokenFor(userId: string) {
    return this.tokens.get(userId) ?? null;
  }
  async owner() {
    return this.ownerId;
  }
  async invalidate(userId: string) {
    this.invalidated.push(userId);
    this.tokens.delete(userId);
  }
}

/** The engine's own waits are short: 10 s, polled every 50 ms. */
const waitFor = <T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000) => waitUntil(what, check, timeoutMs, 50);

for (const dialect of DIALECTS) {
  describe(`workstation sync engine against a ${dialect} hub`, { timeout: 180_000 }, () => {
    let hub: TestService;
    let adminToken: string;
    let ids: Record<string, string> = {};
    let tokens: Record<string, string> = {};
    let dir: string;
    let ws: Db;
    let wsBus: CommandBus;
    let engine: WorkstationSync;
    const link = new HubLink();
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    let credentials: SessionsHeld;
    const applied: string[][] = [];
    const accessChanges: UserAccessChange[] = [];
    let caseA: CaseSummary;
    let caseB: CaseSummary;

    const hubCase = async (id: string) => CaseDetail.parse((await hub.request('GET', `/api/v1/cases/${id}`, { token: tokens['amina.otieno'] })).body);
    const localCase = (id: string) => ws.kysely.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    const outbox = () => ws.kysely.selectFrom('sync_outbox').selectAll().orderBy('seq').execute();
    const actor = (username: string, name: string, role: Actor['role']): Actor => ({ kind: 'user', id: ids[username]!, name, role, tenants: ['WEKEZA-KE'] });
    const openCase = async () => {
      const payment = criticalPayment();
      assert.equal((await hub.request('POST', '/api/v1/fraud-risk/assessments', { token: adminToken, body: payment })).status, 201);
      const page = CasePage.parse((await hub.request('GET', `/api/v1/cases?search=${payment.transactionReference}`, { token: tokens['amina.otieno'] })).body);
      assert.ok(page.items[0], 'the payment opened a case');
      return page.items[0];
    };
    /** Cut the workstation off: the shell's forwarder would report it, so the engine goes offline at once. */
    const partition = async () => {
      link.up = false;
      engine.reportUnreachable('test partition');
      await waitFor('offline', async () => !engine.isOnline());
    };

    before(async () => {
      hub = await startTestService(dialect);
      adminToken = (await hub.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(hub, TEAM));
      // Neither four-eyes rule in the way: an analyst's approval closes the case.
      const fourEyes = (await hub.request('GET', '/api/v1/cases/settings/four-eyes', { token: tokens['faith.wambui'] })).body as { version: number };
      const relaxed = await hub.request('PUT', '/api/v1/cases/settings/four-eyes', {
        token: tokens['faith.wambui'],
        body: { blockAboveKes: 1e12, closeCritical: false, expectedVersion: fourEyes.version },
      });
      assert.equal(relaxed.status, 200);
      caseA = await openCase();
      caseB = await openCase();

      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-ws-engine-'));
      ws = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'cache.sqlite') });
      wsBus = new CommandBus(ws, clock, { afterApply: outboxAfterApply });
      credentials = new SessionsHeld(ids['amina.otieno']!);
      credentials.tokens.set(ids['amina.otieno']!, tokens['amina.otieno']!);
      credentials.tokens.set(ids['brian.kamau']!, tokens['brian.kamau']!);
      engine = new WorkstationSync({
        db: ws,
        bus: wsBus,
        clock,
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        hubUrl: hub.url,
        workstationId: '0196a3b2-0000-7000-8000-00000000a001',
        credentials,
        transport: link.transport,
        onApplied: (tables) => applied.push(tables),
        onUserAccessChanged: (change) => accessChanges.push(change),
        // Small pages: the snapshot and the feed take several pages even with a few cases.
        timing: { snapshotPageSize: 1, changesPageSize: 3 },
      });
      engine.start();
    });

    after(async () => {
      await engine?.stop();
      await ws?.close();
      await hub?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('takes the snapshot in pages, then follows the change feed', async () => {
      const status = await waitFor('the first sync', async () => {
        const s = await engine.status();
        return s.online && s.initialSync === null && s.state !== 'initial-sync' ? s : null;
      });
      assert.equal(status.mode, 'workstation');
      assert.equal(status.cacheOwner, ids['amina.otieno']);
      assert.equal(status.hubUrl, hub.url);
      assert.ok(status.lastPulledSeq > 0, 'the cursor moved past the snapshot');
      assert.ok(status.hubSeq >= status.lastPulledSeq);
      assert.equal(status.pendingMutations, 0);
      assert.equal(status.conflicts, 0);
      assert.deepEqual(status.versionSkew, []);
      assert.ok(status.lastSyncAt);
      for (const c of [caseA, caseB]) assert.equal((await localCase(c.id))?.reference, c.reference);
      assert.ok(applied.filter((tables) => tables.includes('cases')).length >= 2, 'one snapshot page per case');
      const users = await ws.kysely.selectFrom('users').select(['id', 'password_hash']).execute();
      assert.ok(users.some((u) => u.id === ids['amina.otieno']));
      assert.ok(
        users.every((u) => u.password_hash === ''),
        'password hashes never reach a workstation',
      );
      assert.ok(applied.some((tables) => tables.includes('cases')));

      // A colleague's comment at the hub arrives through the feed (announced over socket.io).
      const said = await hub.request('POST', `/api/v1/cases/${caseA.id}/comments`, { token: tokens['brian.kamau'], body: { body: 'Customer called in.' } });
      assert.equal(said.status, 201, JSON.stringify(said.body));
      const commentId = (said.body as { id: string }).id;
      await waitFor(
        'the hub comment in the cache',
        () => ws.kysely.selectFrom('case_comments').select('id').where('id', '=', commentId).executeTakeFirst(),
        5_000,
      );
      const after = await engine.status();
      assert.ok(after.lastPulledSeq > status.lastPulledSeq);
    });

    it('queues offline actions with their commands and sends each to the hub exactly once when it is back', async () => {
      await partition();
      const amina = actor('amina.otieno', 'Amina Otieno', 'FRAUD_ANALYST');
      const v0 = Number((await localCase(caseA.id))!.version);
      await wsBus.executeByName('case.assign', { caseId: caseA.id, expectedVersion: v0 }, amina);
      clock.advance(60_000);
      await wsBus.executeByName('case.comment', { caseId: caseA.id, body: 'Reviewed offline.' }, amina);
      clock.advance(60_000);
      const v1 = Number((await localCase(caseA.id))!.version);
      await wsBus.executeByName(
        'case.decide',
        { caseId: caseA.id, action: 'APPROVE', reasonCode: 'VERIFIED_WITH_CUSTOMER', note: 'Called the customer back.', expectedVersion: v1 },
        amina,
      );
      // Each action committed together with its outbox entry.
      const queued = await outbox();
      assert.deepEqual(
        queued.map((e) => [e.command, e.status, e.entity_id, e.actor_id]),
        [
          ['case.assign', 'pending', caseA.id, amina.id],
          ['case.comment', 'pending', caseA.id, amina.id],
          ['case.decide', 'pending', caseA.id, amina.id],
        ],
      );
      const commentMutation = queued[1]!.mutation_id;
      const localComment = await ws.kysely.selectFrom('case_comments').selectAll().where('id', '=', derivedId(commentMutation, 0)).executeTakeFirst();
      assert.equal(localComment?.body, 'Reviewed offline.');
      assert.equal((await localCase(caseA.id))?.state, 'CLOSED');
      // An action refused locally leaves no entry behind (it rolled back with its transaction).
      await assert.rejects(wsBus.executeByName('case.release', { caseId: caseA.id, expectedVersion: v1 }, amina));
      assert.equal((await outbox()).length, 3);
      const offline = await engine.status();
      assert.equal(offline.online, false);
      assert.equal(offline.state, 'offline');
      assert.ok(offline.offlineSince);
      assert.equal(offline.pendingMutations, 3);

      const healedAt = performance.now();
      link.up = true;
      await waitFor('the outbox to drain', async () => (await outbox()).length === 0, 10_000);
      assert.ok(performance.now() - healedAt < 10_000, 'drained within 10 s of healing');

      const atHub = await hubCase(caseA.id);
      assert.equal(atHub.case.state, 'CLOSED');
      assert.equal(atHub.case.assigneeName, 'Amina Otieno');
      assert.deepEqual(
        atHub.comments.filter((c) => c.body === 'Reviewed offline.').map((c) => c.id),
        [derivedId(commentMutation, 0)],
        'the offline comment is one comment with the same id on both sides',
      );
      // Sending the same entries again changes nothing: the hub knows them.
      const again = await new HubClient(hub.url).push(tokens['amina.otieno']!, {
        workstationId: '0196a3b2-0000-7000-8000-00000000a001',
        mutations: queued.map((e) => ({
          mutationId: e.mutation_id,
          command: e.command,
          commandVersion: e.command_version,
          input: JSON.parse(String(e.input)) as Record<string, unknown>,
          clientTime: new Date(String(e.created_at)).toISOString(),
        })),
      });
      assert.deepEqual(
        again.results.map((r) => r.status),
        ['duplicate', 'duplicate', 'duplicate'],
      );
      assert.equal((await hubCase(caseA.id)).comments.filter((c) => c.body === 'Reviewed offline.').length, 1);
    });

    it('turns a stale decision into a conflict, rolls it back locally, does not block the next action, and re-applies on request', async () => {
      const amina = actor('amina.otieno', 'Amina Otieno', 'FRAUD_ANALYST');
      const claimed = await hub.request('POST', `/api/v1/cases/${caseB.id}/assign`, {
        token: tokens['amina.otieno'],
        body: { expectedVersion: caseB.version },
      });
      assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
      const vClaimed = CaseSummary.parse(claimed.body).version;
      await waitFor('the claim in the cache', async () => Number((await localCase(caseB.id))?.version) === vClaimed);

      await partition();
      clock.advance(60_000);
      await wsBus.executeByName(
        'case.decide',
        { caseId: caseB.id, action: 'APPROVE', reasonCode: 'VERIFIED_WITH_CUSTOMER', note: 'Looks fine offline.', expectedVersion: vClaimed },
        amina,
      );
      clock.advance(60_000);
      await wsBus.executeByName('case.comment', { caseId: caseB.id, body: 'Second look offline.' }, amina);
      const [decision, comment] = await outbox();
      // Meanwhile at the hub the case moved on.
      const tagged = await hub.request('PUT', `/api/v1/cases/${caseB.id}/tags`, {
        token: tokens['amina.otieno'],
        body: { tags: ['mule-ring'], expectedVersion: vClaimed },
      });
      assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
      const vTagged = CaseSummary.parse(tagged.body).version;

      link.up = true;
      await waitFor('the outbox to settle', async () => {
        const rows = await outbox();
        return rows.length === 1 && rows[0]!.status === 'rejected';
      });
      // The refused decision is in the inbox with both sides.
      const inbox = await listConflicts(ws.kysely);
      assert.equal(inbox.items.length, 1);
      const conflict = inbox.items[0]!;
      assert.equal(conflict.mutationId, decision!.mutation_id);
      assert.equal(conflict.kind, 'conflict');
      assert.equal(conflict.command, 'case.decide');
      assert.equal(conflict.label, 'Decision');
      assert.equal(conflict.entityLabel, caseB.reference);
      assert.equal(conflict.mine.action, 'APPROVE');
      assert.equal(conflict.theirs?.state, 'ASSIGNED');
      assert.equal(conflict.theirs?.version, vTagged);
      assert.equal(conflict.actorId, amina.id);
      assert.equal(conflict.resolvedAt, null);
      // Rolled back locally to the hub's case, with the comment that came after it kept.
      const local = await localCase(caseB.id);
      assert.equal(local?.state, 'ASSIGNED');
      assert.equal(Number(local?.version), vTagged);
      assert.deepEqual(JSON.parse(String(local?.tags)), ['mule-ring']);
      assert.ok(await ws.kysely.selectFrom('case_comments').select('id').where('id', '=', derivedId(comment!.mutation_id, 0)).executeTakeFirst());
      // The refusal did not block the comment behind it.
      assert.ok((await hubCase(caseB.id)).comments.some((c) => c.id === derivedId(comment!.mutation_id, 0)));
      const status: SyncStatus = await engine.status();
      assert.equal(status.rejectedMutations, 1);
      assert.equal(status.conflicts, 1);
      assert.equal(status.pendingMutations, 0);

      const resolve = defineResolveConflict(wsBus);
      // Only the person who acted may resolve it.
      await assert.rejects(
        wsBus.execute(resolve, { id: conflict.id, action: 'reapply' }, actor('brian.kamau', 'Brian Kamau', 'FRAUD_ANALYST')),
        (error: unknown) => error instanceof ServiceError && error.status === 403,
      );
      clock.advance(60_000);
      const resolved = await wsBus.execute(resolve, { id: conflict.id, action: 'reapply' }, amina);
      assert.equal(resolved.resolution, 'reapplied');
      assert.ok(resolved.resolvedAt);
      assert.equal((await localCase(caseB.id))?.state, 'CLOSED');
      engine.kick();
      await waitFor('the re-applied decision to reach the hub', async () => (await outbox()).length === 0);
      const atHub = await hubCase(caseB.id);
      assert.equal(atHub.case.state, 'CLOSED');
      assert.deepEqual(atHub.case.tags, ['mule-ring']);
      await assert.rejects(
        wsBus.execute(resolve, { id: conflict.id, action: 'discard' }, amina),
        (error: unknown) => error instanceof ServiceError && error.status === 409,
      );
      const done = await engine.status();
      assert.equal(done.conflicts, 0);
      assert.equal(done.rejectedMutations, 0);
    });

    it('lets a user whose hub session ended wait without holding up the others', async () => {
      const brian = actor('brian.kamau', 'Brian Kamau', 'FRAUD_ANALYST');
      const amina = actor('amina.otieno', 'Amina Otieno', 'FRAUD_ANALYST');
      // Brian's hub session ended (the hub answers 401): it is forgotten and his entry waits.
      credentials.tokens.set(brian.id, 'not-a-session-token');
      await wsBus.executeByName('case.comment', { caseId: caseA.id, body: 'Brian, no session.' }, brian);
      await waitFor('the ended session to be forgotten', async () => credentials.invalidated.includes(brian.id));
      await wsBus.executeByName('case.comment', { caseId: caseA.id, body: 'Amina, after Brian.' }, amina);
      await waitFor('Amina’s comment at the hub', async () => (await hubCase(caseA.id)).comments.some((c) => c.body === 'Amina, after Brian.'));
      const waiting = await outbox();
      assert.deepEqual(
        waiting.map((e) => [e.actor_id, e.status]),
        [[brian.id, 'pending']],
      );
      credentials.tokens.set(brian.id, tokens['brian.kamau']!);
      engine.kick();
      await waitFor('Brian’s comment at the hub once he has a session', async () =>
        (await hubCase(caseA.id)).comments.some((c) => c.body === 'Brian, no session.'),
      );
      await waitFor('the outbox to drain', async () => (await outbox()).length === 0);
    });

    it('tells an unreachable hub, an ended session and a refused request apart', async () => {
      const client = new HubClient(hub.url);
      const failure = async (call: Promise<unknown>) => {
        try {
          await call;
        } catch (error) {
          return error instanceof HubError ? [error.failure, error.status] : ['not a HubError', null];
        }
        return ['answered', null];
      };
      assert.deepEqual(await failure(client.info('not-a-session-token')), ['unauthorized', 401]);
      assert.deepEqual(await failure(client.changes(tokens['amina.otieno']!, { limit: 0 })), ['refused', 400]);
      // Nothing listens on port 9 of loopback (discard): refused connection.
      assert.deepEqual(await failure(new HubClient('http://127.0.0.1:9').info(tokens['amina.otieno']!)), ['unreachable', null]);
      // A hub that never answers is given up on (here after 200 ms), not waited for.
      const silent = await failure(new HubClient(hub.url, () => new Promise<Response>(() => {}), 200).info(tokens['amina.otieno']!));
      assert.deepEqual(silent, ['unreachable', null]);
      assert.equal((await client.info(tokens['amina.otieno']!)).protocolVersion, 1);
    });

    it('tells the shell when the hub deactivates a user', async () => {
      assert.equal(accessChanges.length, 0, 'no access change so far');
      const deactivated = await hub.request('POST', `/api/v1/users/${ids['brian.kamau']}/deactivate`, { token: adminToken });
      assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
      const change = await waitFor('the access change', async () => accessChanges.find((c) => c.userId === ids['brian.kamau']));
      assert.deepEqual(change, { userId: ids['brian.kamau'], deactivated: true, rightsChanged: false });
      const local = await ws.kysely.selectFrom('users').select('active').where('id', '=', ids['brian.kamau']!).executeTakeFirst();
      assert.equal(Number(local?.active), 0);
    });
  });
}

/** A hub that accepts other command versions than this build (startTestService has no such option). */
async function startSkewedHub(dialect: Dialect, syncCommandVersions: Record<string, number>): Promise<TestService> {
  const database = await createTestDatabase(dialect);
  const service = await startService({
    mode: dialect === 'sqlite' ? 'standalone' : 'hub',
    host: '127.0.0.1',
    port: 0,
    dataDir: database.dataDir,
    database: database.target,
    rendererDir: null,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    env: { WEKEZA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
    checkResponses: true,
    syncCommandVersions,
  });
  const request: TestService['request'] = async (method, route, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${service.url}${route}`, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
  };
  return {
    service,
    database,
    url: service.url,
    request,
    async login(username, password) {
      const res = await request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status}`);
      return res.body as LoginResponse;
    },
    async stop() {
      await service.close();
      await database.drop();
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`workstation sync engine against a ${dialect} hub with other command versions`, { timeout: 120_000 }, () => {
    let hub: TestService;
    let dir: string;
    let ws: Db;
    let engine: WorkstationSync;
    let ids: Record<string, string> = {};
    let tokens: Record<string, string> = {};

    before(async () => {
      // This hub takes case.comment@2: the workstation's comments (version 1) must wait, never be dropped.
      hub = await startSkewedHub(dialect, { ...commandVersions(), 'case.comment': 2 });
      const adminToken = (await hub.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(hub, TEAM));
      for (let i = 0; i < 2; i++) {
        assert.equal((await hub.request('POST', '/api/v1/fraud-risk/assessments', { token: adminToken, body: criticalPayment() })).status, 201);
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-ws-skew-'));
      ws = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'cache.sqlite') });
      const credentials = new SessionsHeld(ids['amina.otieno']!);
      credentials.tokens.set(ids['amina.otieno']!, tokens['amina.otieno']!);
      credentials.tokens.set(ids['brian.kamau']!, tokens['brian.kamau']!);
      engine = new WorkstationSync({
        db: ws,
        bus: new CommandBus(ws, new ManualClock('2026-03-02T09:00:00.000Z'), { afterApply: outboxAfterApply }),
        clock: new ManualClock('2026-03-02T09:00:00.000Z'),
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        hubUrl: hub.url,
        workstationId: '0196a3b2-0000-7000-8000-00000000a002',
        credentials,
        onApplied: () => {},
        onUserAccessChanged: () => {},
      });
      engine.start();
    });

    after(async () => {
      await engine?.stop();
      await ws?.close();
      await hub?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the actions the hub cannot take, says what to update, and sends the rest', async () => {
      const status = await waitFor('the first sync', async () => {
        const s = await engine.status();
        return s.online && s.initialSync === null && s.versionSkew.length > 0 ? s : null;
      });
      assert.deepEqual(status.versionSkew, [{ command: 'case.comment', workstationVersion: 1, hubVersion: 2, update: 'workstation' }]);
      const cases = await ws.kysely.selectFrom('cases').select(['id', 'version']).orderBy('id').execute();
      assert.equal(cases.length, 2);
      const [mine, brians] = cases as [{ id: string; version: number }, { id: string; version: number }];
      const bus = new CommandBus(ws, new ManualClock('2026-03-02T10:00:00.000Z'), { afterApply: outboxAfterApply });
      const amina: Actor = { kind: 'user', id: ids['amina.otieno']!, name: 'Amina Otieno', role: 'FRAUD_ANALYST', tenants: ['WEKEZA-KE'] };
      const brian: Actor = { kind: 'user', id: ids['brian.kamau']!, name: 'Brian Kamau', role: 'FRAUD_ANALYST', tenants: ['WEKEZA-KE'] };
      // Amina's comment cannot go; her tag behind it waits too (her actions keep their order).
      await bus.executeByName('case.comment', { caseId: mine.id, body: 'Needs the new version.' }, amina);
      await bus.executeByName('case.tag', { caseId: mine.id, tags: ['held'], expectedVersion: Number(mine.version) }, amina);
      // Brian's tag does not depend on them.
      await bus.executeByName('case.tag', { caseId: brians.id, tags: ['sent'], expectedVersion: Number(brians.version) }, brian);
      engine.kick();
      await waitFor('Brian’s tag at the hub', async () => {
        const detail = CaseDetail.parse((await hub.request('GET', `/api/v1/cases/${brians.id}`, { token: tokens['brian.kamau'] })).body);
        return detail.case.tags.includes('sent');
      });
      // Another round changes nothing for Amina's: they are kept, not dropped nor refused.
      engine.kick();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const left = await ws.kysely.selectFrom('sync_outbox').select(['command', 'status', 'actor_id']).orderBy('seq').execute();
      assert.deepEqual(left, [
        { command: 'case.comment', status: 'pending', actor_id: amina.id },
        { command: 'case.tag', status: 'pending', actor_id: amina.id },
      ]);
      const atHub = CaseDetail.parse((await hub.request('GET', `/api/v1/cases/${mine.id}`, { token: tokens['amina.otieno'] })).body);
      assert.deepEqual(atHub.case.tags, []);
      assert.equal((await engine.status()).pendingMutations, 2);
    });
  });
}
