import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, TEST_TENANT, type TestService, type TestTeamMember } from '../../testing/service.ts';
import { criticalPayment } from '../../testing/fixtures.ts';
import { derivedId, SYSTEM_ACTOR } from '../../commands/bus.ts';
import { upsertCustomer } from '../../customers/customers.ts';
import type { Customer } from '../../../../shared/src/customers.ts';
import { CaseDetail, CaseSummary } from '../../../../shared/src/cases.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/src/events.ts';
import {
  commandVersions,
  SyncChangesPage,
  SyncHubInfo,
  SyncPushResponse,
  SyncSnapshotPage,
  SyncStatus,
  type SyncChange,
  type SyncMutation,
  type SyncTableRows,
} from '../../../../shared/src/sync.ts';

after(stopTestPostgres);

const TENANT_B = 'BANK-B';
const TEAM: TestTeamMember[] = [
  ['amina.otieno', 'FRAUD_ANALYST'],
  ['brian.kamau', 'FRAUD_ANALYST'],
  ['bob.mwangi', 'FRAUD_ANALYST', [TENANT_B]],
  ['wanjiru.njoroge', 'COMPLIANCE_OFFICER'],
];
const WORKSTATION = randomUUID();
const KNOWN_CUSTOMERS = ['CIF-SYNC-0001', 'CIF-SYNC-0002'];

function coreRecord(customerRef: string, nationalId: string): Omit<Customer, 'id'> {
  return {
    customerRef,
    fullName: `Customer ${customerRef}`,
    nationalId,
    phone: `+2547000000${nationalId.slice(-2)}`,
    email: null,
    county: 'Nairobi',
    segment: 'RETAIL',
    kycStatus: 'VERIFIED',
    riskRating: 'LOW',
    customerSince: '2019-05-01',
    accounts: [{ accountNumber: `01200000${nationalId}`, type: 'CURRENT', openedOn: '2019-05-01', status: 'ACTIVE' }],
  };
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function openSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (error) => reject(error));
  });
}

const rowsOf = (tables: readonly SyncTableRows[], table: SyncTableRows['table']) => tables.find((t) => t.table === table)?.rows ?? [];

for (const dialect of DIALECTS) {
  describe(`hub sync on ${dialect}`, { timeout: 240_000 }, () => {
    let svc: TestService;
    let adminToken: string;
    let tokens: Record<string, string> = {};
    let ids: Record<string, string> = {};
    const casesA: string[] = [];
    const casesB: string[] = [];

    const call = async (token: string, method: string, path: string, body?: unknown) =>
      svc.request(method, path, { token, ...(body === undefined ? {} : { body }) });
    const caseOf = async (token: string, caseId: string) => CaseDetail.parse((await call(token, 'GET', `/api/v1/cases/${caseId}`)).body).case;
    const hubSeq = async (token: string) => SyncHubInfo.parse((await call(token, 'GET', '/api/v1/sync/info')).body).hubSeq;
    const changesAfter = async (token: string, after: number, limit = 500) => {
      const out: SyncChange[] = [];
      let cursor = after;
      for (;;) {
        const res = await call(token, 'GET', `/api/v1/sync/changes?after=${cursor}&limit=${limit}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const page = SyncChangesPage.parse(res.body);
        out.push(...page.changes);
        assert.ok(page.nextCursor >= cursor && page.nextCursor <= page.hubSeq);
        cursor = page.nextCursor;
        if (!page.hasMore) return { changes: out, cursor };
      }
    };
    const push = async (token: string, mutations: SyncMutation[]) => {
      const res = await call(token, 'POST', '/api/v1/sync/push', { workstationId: WORKSTATION, mutations });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return SyncPushResponse.parse(res.body);
    };
    const mutation = (command: string, input: Record<string, unknown>, version = 1): SyncMutation => ({
      mutationId: randomUUID(),
      command,
      commandVersion: version,
      input,
      clientTime: '2026-11-20T09:00:00.000Z',
    });

    before(async () => {
      svc = await startTestService(dialect);
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, TEAM));
      // Two customers the core banking system knows (their rows travel with their cases).
      for (const [i, ref] of KNOWN_CUSTOMERS.entries()) {
        await svc.service.context.bus.execute(upsertCustomer, coreRecord(ref, `3000000${i}`), SYSTEM_ACTOR);
      }
      for (let i = 0; i < 7; i++) {
        const res = await call(adminToken, 'POST', '/api/v1/fraud-risk/assessments', criticalPayment(i < 2 ? { customerId: KNOWN_CUSTOMERS[i]! } : {}));
        assert.equal(res.status, 201);
      }
      for (let i = 0; i < 3; i++) {
        const res = await call(adminToken, 'POST', '/api/v1/fraud-risk/assessments', criticalPayment({ tenantId: TENANT_B }));
        assert.equal(res.status, 201);
      }
      const cases = await svc.service.context.db.kysely.selectFrom('cases').select(['id', 'tenant_id']).execute();
      for (const c of cases) (c.tenant_id === TENANT_B ? casesB : casesA).push(c.id);
      assert.equal(casesA.length, 7);
      assert.equal(casesB.length, 3);
    });
    after(async () => svc?.stop());

    it('answers info with a stable hub id, the accepted command versions and the newest change', async () => {
      const first = SyncHubInfo.parse((await call(tokens['amina.otieno']!, 'GET', '/api/v1/sync/info')).body);
      const second = SyncHubInfo.parse((await call(tokens['bob.mwangi']!, 'GET', '/api/v1/sync/info')).body);
      assert.equal(first.hubId, second.hubId);
      assert.match(first.hubId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(first.commandVersions, commandVersions());
      assert.equal(first.offlineSignInDays, 7);
      assert.equal(first.protocolVersion, 1);
      const max = await svc.service.context.db.kysely
        .selectFrom('change_log')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirstOrThrow();
      assert.equal(second.hubSeq, Number(max.seq));
      assert.ok(second.hubSeq > 0);

      const status = SyncStatus.parse((await call(tokens['amina.otieno']!, 'GET', '/api/v1/sync/status')).body);
      assert.equal(status.state, 'not-applicable');
      assert.equal(status.mode, dialect === 'sqlite' ? 'standalone' : 'hub');
      assert.equal(status.hubSeq, second.hubSeq);
      assert.deepEqual((await call(tokens['amina.otieno']!, 'GET', '/api/v1/sync/conflicts')).body, { items: [] });
      assert.equal((await call(tokens['amina.otieno']!, 'POST', `/api/v1/sync/conflicts/${randomUUID()}/resolve`, { action: 'discard' })).status, 404);
    });

    it("pages the snapshot over every in-scope case exactly once, with its rows, never another tenant's", async () => {
      const token = tokens['amina.otieno']!;
      const seen: string[] = [];
      const tables = new Map<string, number>();
      let afterCaseId = '';
      let pages = 0;
      let firstSeq = -1;
      for (;;) {
        const res = await call(token, 'GET', `/api/v1/sync/snapshot?afterCaseId=${afterCaseId}&limit=3`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const page = SyncSnapshotPage.parse(res.body);
        pages += 1;
        if (firstSeq < 0) {
          firstSeq = page.snapshotSeq;
          // Reference data on the first page only, password hashes never.
          const users = rowsOf(page.rows, 'users');
          assert.ok(users.some((u) => u.id === ids['bob.mwangi']));
          assert.ok(users.every((u) => u.password_hash === '' && u.password_history === '[]'));
          assert.ok(rowsOf(page.rows, 'case_queues').length > 0);
        } else {
          assert.equal(rowsOf(page.rows, 'users').length, 0);
        }
        assert.equal(page.totalCases, 7);
        const cases = rowsOf(page.rows, 'cases');
        for (const c of cases) {
          assert.equal(c.tenant_id, TEST_TENANT);
          assert.ok(rowsOf(page.rows, 'case_assessments').some((l) => l.case_id === c.id));
          const customers = rowsOf(page.rows, 'customers').filter((cu) => cu.customer_ref === c.customer_ref);
          assert.equal(customers.length, KNOWN_CUSTOMERS.includes(String(c.customer_ref)) ? 1 : 0);
          seen.push(String(c.id));
        }
        for (const t of page.rows) tables.set(t.table, (tables.get(t.table) ?? 0) + t.rows.length);
        if (!page.hasMore) break;
        afterCaseId = page.lastCaseId!;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...casesA].sort());
      assert.equal(tables.get('fraud_risk_assessments'), 7);
      assert.equal(tables.get('payments'), 7);
      assert.equal(tables.get('customers'), 2);
      // SQLite storage form: booleans as 0/1, JSON as text, whatever the hub's database.
      const again = SyncSnapshotPage.parse((await call(token, 'GET', '/api/v1/sync/snapshot?limit=1')).body);
      const one = rowsOf(again.rows, 'cases')[0]!;
      assert.equal(one.is_open, 1);
      assert.equal(typeof one.tags, 'string');
      assert.equal(typeof one.amount, 'number');

      // Another tenant's user sees only theirs.
      const bob = SyncSnapshotPage.parse((await call(tokens['bob.mwangi']!, 'GET', '/api/v1/sync/snapshot?limit=100')).body);
      assert.deepEqual(
        rowsOf(bob.rows, 'cases')
          .map((c) => c.id)
          .sort(),
        [...casesB].sort(),
      );
      assert.equal(bob.totalCases, 3);
      assert.ok(rowsOf(bob.rows, 'payments').every((p) => p.tenant_id === TENANT_B));
    });

    it('feeds current rows, and a removal to a user the case leaves, but nothing of it to another tenant', async () => {
      const amina = tokens['amina.otieno']!;
      const start = await hubSeq(amina);
      const caseId = casesA[0]!;
      const opened = await caseOf(amina, caseId);
      const assigned = CaseSummary.parse((await call(amina, 'POST', `/api/v1/cases/${caseId}/assign`, { expectedVersion: opened.version })).body);
      assert.equal((await call(amina, 'POST', `/api/v1/cases/${caseId}/comments`, { body: 'Called the customer.' })).status, 201);
      const awaiting = CaseSummary.parse(
        (
          await call(amina, 'POST', `/api/v1/cases/${caseId}/decision`, {
            action: 'BLOCK',
            reasonCode: 'SUSPECTED_ACCOUNT_TAKEOVER',
            note: 'Customer denies the transfer.',
            expectedVersion: assigned.version,
          })
        ).body,
      );
      const feedBeforeClose = await changesAfter(tokens['brian.kamau']!, start);
      const asBrianOpen = feedBeforeClose.changes.filter((c) => c.entityId === caseId);
      assert.equal(asBrianOpen.length, 1, 'repeats of one entity in a page are collapsed');
      assert.equal(asBrianOpen[0]!.op, 'upsert');
      // The current rows, not the change log's copy: the newest version and the comment with it.
      assert.equal(rowsOf(asBrianOpen[0]!.rows, 'cases')[0]!.version, awaiting.version);
      assert.equal(rowsOf(asBrianOpen[0]!.rows, 'case_comments').length, 1);
      assert.ok(feedBeforeClose.changes.some((c) => c.entityType === 'case-comment' && c.op === 'upsert'));

      const mid = await hubSeq(amina);
      const closed = await call(tokens['wanjiru.njoroge']!, 'POST', `/api/v1/cases/${caseId}/approval`, {
        approve: true,
        note: 'Confirmed takeover.',
        expectedVersion: awaiting.version,
      });
      assert.equal(closed.status, 200);
      assert.equal(CaseSummary.parse(closed.body).state, 'CLOSED');

      // Closed and not his: Brian's workstation drops it. Still Amina's: hers keeps it, current.
      const brianFeed = await changesAfter(tokens['brian.kamau']!, mid, 2);
      const forBrian = brianFeed.changes.filter((c) => c.entityType === 'case' && c.entityId === caseId);
      assert.deepEqual(
        forBrian.map((c) => c.op),
        ['remove'],
      );
      const aminaFeed = await changesAfter(amina, mid);
      const forAmina = aminaFeed.changes.find((c) => c.entityType === 'case' && c.entityId === caseId)!;
      assert.equal(forAmina.op, 'upsert');
      assert.equal(rowsOf(forAmina.rows, 'cases')[0]!.is_open, 0);
      assert.equal(rowsOf(forAmina.rows, 'cases')[0]!.state, 'CLOSED');
      assert.ok(rowsOf(forAmina.rows, 'payments').length >= 1);

      // Bob (tenant B) hears of none of it, not even removals, and the cursor still moves on.
      const bobFeed = await changesAfter(tokens['bob.mwangi']!, start);
      assert.ok(bobFeed.changes.every((c) => !casesA.includes(c.entityId)));
      assert.ok(bobFeed.changes.every((c) => c.entityType !== 'case-comment'));
      assert.equal(bobFeed.cursor, await hubSeq(amina));
      // From the start of the log, every case Bob gets is his tenant's.
      const bobAll = await changesAfter(tokens['bob.mwangi']!, 0);
      const bobCases = new Set(bobAll.changes.filter((c) => c.entityType === 'case').map((c) => c.entityId));
      assert.deepEqual([...bobCases].sort(), [...casesB].sort());
      assert.ok(
        bobAll.changes.some((c) => c.entityType === 'user'),
        'the user directory is reference data for everyone',
      );
    });

    it('applies a batch in order: a repeat is a duplicate, a stale version is rejected with the current rows, the rest still applies', async () => {
      const amina = tokens['amina.otieno']!;
      const caseId = casesA[1]!;
      const before = await caseOf(amina, caseId);
      const assign = mutation('case.assign', { caseId, expectedVersion: before.version });
      const stale = mutation('case.tag', { caseId, tags: ['offline'], expectedVersion: before.version });
      const comment = mutation('case.comment', { caseId, body: 'Reviewed offline.' });
      const first = await push(amina, [assign, stale, comment]);
      assert.equal(first.stoppedAt, null);
      assert.deepEqual(
        first.results.map((r) => r.status),
        ['applied', 'rejected', 'applied'],
      );
      const refused = first.results[1]!;
      assert.equal(refused.error?.status, 409);
      assert.equal(refused.error?.code, 'CONFLICT');
      assert.equal(rowsOf(refused.current ?? [], 'cases')[0]!.version, before.version + 1);
      assert.equal(rowsOf(refused.current ?? [], 'cases')[0]!.assignee_id, ids['amina.otieno']);

      // The comment has the id the workstation gave it offline (derived from the mutation id).
      const { kysely } = svc.service.context.db;
      const comments = await kysely.selectFrom('case_comments').selectAll().where('case_id', '=', caseId).execute();
      assert.deepEqual(
        comments.map((c) => c.id),
        [derivedId(comment.mutationId, 0)],
      );

      // The same batch again (the answer was lost): nothing runs twice.
      const again = await push(amina, [assign, stale, comment]);
      assert.deepEqual(
        again.results.map((r) => r.status),
        ['duplicate', 'duplicate', 'duplicate'],
      );
      assert.equal(again.results[1]!.error?.status, 409, 'a repeated refusal says what the hub said');
      assert.equal(again.results[0]!.error, null);
      const audits = await kysely
        .selectFrom('audit_log')
        .select(['command'])
        .where('entity_id', '=', caseId)
        .where('command', 'in', ['case.assign', 'case.comment', 'case.tag'])
        .execute();
      assert.deepEqual(audits.map((a) => a.command).sort(), ['case.assign', 'case.comment']);
      const recorded = await kysely
        .selectFrom('sync_mutations')
        .select(['mutation_id', 'status', 'user_id'])
        .where('mutation_id', 'in', [assign.mutationId, stale.mutationId, comment.mutationId])
        .execute();
      assert.deepEqual(recorded.map((r) => `${r.status}:${r.user_id}`).sort(), [
        `applied:${ids['amina.otieno']}`,
        `applied:${ids['amina.otieno']}`,
        `rejected:${ids['amina.otieno']}`,
      ]);
    });

    it('refuses commands a workstation may not run, and versions this hub does not accept', async () => {
      const amina = tokens['amina.otieno']!;
      const caseId = casesA[2]!;
      const notSyncable = mutation('user.create', { username: 'mallory', displayName: 'M', role: 'RISK_MANAGER', tenantIds: [], password: 'x' });
      const skewed = mutation('case.comment', { caseId, body: 'From a newer workstation.' }, 2);
      const fine = mutation('case.comment', { caseId, body: 'From this version.' });
      const res = await push(amina, [notSyncable, skewed, fine]);
      assert.deepEqual(
        res.results.map((r) => [r.status, r.error?.status ?? null, r.error?.code ?? null]),
        [
          ['rejected', 400, 'BAD_REQUEST'],
          ['rejected', 426, 'VERSION_SKEW'],
          ['applied', null, null],
        ],
      );
      const { kysely } = svc.service.context.db;
      assert.equal((await kysely.selectFrom('users').select('id').where('username', '=', 'mallory').execute()).length, 0);
      assert.equal((await kysely.selectFrom('case_comments').select('id').where('case_id', '=', caseId).execute()).length, 1);
    });

    it('acts as the token says: the payload cannot name another actor or reach another tenant', async () => {
      const amina = tokens['amina.otieno']!;
      const caseId = casesA[3]!;
      const before = await caseOf(amina, caseId);
      const res = await push(amina, [
        mutation('case.assign', { caseId, expectedVersion: before.version, actor: { id: ids['brian.kamau'], role: 'RISK_MANAGER' } }),
        mutation('case.comment', { caseId, body: 'Who wrote this?', authorId: ids['brian.kamau'], authorName: 'Brian Kamau' }),
      ]);
      assert.deepEqual(
        res.results.map((r) => r.status),
        ['applied', 'applied'],
      );
      const after = await caseOf(amina, caseId);
      assert.equal(after.assigneeId, ids['amina.otieno']);
      const { kysely } = svc.service.context.db;
      const [written] = await kysely.selectFrom('case_comments').selectAll().where('case_id', '=', caseId).execute();
      assert.equal(written?.author_id, ids['amina.otieno']);

      // Bob acts for tenant B: tenant A's case does not exist for him (404), and nothing of it comes back.
      const bob = await push(tokens['bob.mwangi']!, [mutation('case.comment', { caseId, body: 'Not my tenant.' })]);
      assert.equal(bob.results[0]!.status, 'rejected');
      assert.equal(bob.results[0]!.error?.status, 404);
      assert.deepEqual(bob.results[0]!.current, []);
      assert.equal((await kysely.selectFrom('case_comments').select('id').where('case_id', '=', caseId).execute()).length, 1);
    });

    it('tells every signed-in socket at once when the change log grows', { timeout: 20_000 }, async () => {
      const socket = await openSocket(svc.url, tokens['brian.kamau']!);
      try {
        const amina = tokens['amina.otieno']!;
        const before = await hubSeq(amina);
        const heard = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no sync.changed within 5 s')), 5000);
          socket.on('sync.changed', ({ seq }) => {
            if (seq <= before) return;
            clearTimeout(timer);
            resolve(seq);
          });
        });
        const sent = performance.now();
        assert.equal((await call(amina, 'POST', `/api/v1/cases/${casesA[4]!}/comments`, { body: 'Ping.' })).status, 201);
        const seq = await heard;
        assert.ok(performance.now() - sent < 2000);
        assert.equal(seq, await hubSeq(amina));
      } finally {
        socket.close();
      }
    });
  });
}
