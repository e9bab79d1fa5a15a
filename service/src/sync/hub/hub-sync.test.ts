import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { TEST_TENANT } from '../../testing/service.ts';
import { CaseSummary } from '../../../../shared/src/cases.ts';
import { commandVersions, SyncHubInfo, SyncSnapshotPage, SyncStatus } from '../../../../shared/src/sync.ts';
import { RECENTLY_CLOSED_DAYS, syncViewer } from './scope.ts';
import { readChangesPage } from './changes.ts';
import { HubReader } from './snapshot.ts';
import { principalFor } from '../../auth/principal.ts';
import { TenantScope } from '../../auth/tenant-scope.ts';
import { KNOWN_CUSTOMERS, openSocket, rowsOf, startHubFixture, TENANT_B, type HubFixture } from './hub-fixture.ts';

/** The hub's read side of sync: info, status, snapshot pages, the change feed and its socket.io nudge. */

after(stopTestPostgres);

for (const dialect of DIALECTS) {
  describe(`hub sync reads on ${dialect}`, { timeout: 240_000 }, () => {
    let f: HubFixture;
    before(async () => {
      f = await startHubFixture(dialect);
    });
    after(async () => f?.svc.stop());

    it('answers info with a stable hub id, the accepted command versions and the newest change', async () => {
      const first = SyncHubInfo.parse((await f.call(f.tokens['amina.otieno']!, 'GET', '/api/v1/sync/info')).body);
      const second = SyncHubInfo.parse((await f.call(f.tokens['bob.mwangi']!, 'GET', '/api/v1/sync/info')).body);
      assert.equal(first.hubId, second.hubId);
      assert.match(first.hubId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(first.commandVersions, commandVersions());
      assert.equal(first.offlineSignInDays, 7);
      assert.equal(first.protocolVersion, 1);
      const max = await f.svc.service.context.db.kysely
        .selectFrom('change_log')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirstOrThrow();
      assert.equal(second.hubSeq, Number(max.seq));
      assert.ok(second.hubSeq > 0);

      const status = SyncStatus.parse((await f.call(f.tokens['amina.otieno']!, 'GET', '/api/v1/sync/status')).body);
      assert.equal(status.state, 'not-applicable');
      assert.equal(status.mode, dialect === 'sqlite' ? 'standalone' : 'hub');
      assert.equal(status.hubSeq, second.hubSeq);
      assert.deepEqual((await f.call(f.tokens['amina.otieno']!, 'GET', '/api/v1/sync/conflicts')).body, { items: [] });
      assert.equal((await f.call(f.tokens['amina.otieno']!, 'POST', `/api/v1/sync/conflicts/${randomUUID()}/resolve`, { action: 'discard' })).status, 404);
    });

    it("pages the snapshot over every in-scope case exactly once, with its rows, never another tenant's", async () => {
      const token = f.tokens['amina.otieno']!;
      const seen: string[] = [];
      const tables = new Map<string, number>();
      let afterCaseId = '';
      let pages = 0;
      let firstSeq = -1;
      for (;;) {
        const res = await f.call(token, 'GET', `/api/v1/sync/snapshot?afterCaseId=${afterCaseId}&limit=3`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const page = SyncSnapshotPage.parse(res.body);
        pages += 1;
        if (firstSeq < 0) {
          firstSeq = page.snapshotSeq;
          // Reference data on the first page only, password hashes never.
          const users = rowsOf(page.rows, 'users');
          assert.ok(users.some((u) => u.id === f.ids['bob.mwangi']));
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
      assert.deepEqual(seen, [...f.casesA].sort());
      assert.equal(tables.get('fraud_risk_assessments'), 7);
      assert.equal(tables.get('payments'), 7);
      assert.equal(tables.get('customers'), 2);
      // SQLite storage form: booleans as 0/1, JSON as text, whatever the hub's database.
      const again = SyncSnapshotPage.parse((await f.call(token, 'GET', '/api/v1/sync/snapshot?limit=1')).body);
      const one = rowsOf(again.rows, 'cases')[0]!;
      assert.equal(one.is_open, 1);
      assert.equal(typeof one.tags, 'string');
      assert.equal(typeof one.amount, 'number');
      const assessment = rowsOf(again.rows, 'fraud_risk_assessments')[0]!;
      assert.ok(Array.isArray(JSON.parse(String(assessment.risk_factors))), 'JSON columns travel as JSON text');
      assert.match(String(assessment.created_at), /^\d{4}-\d\d-\d\dT/);

      // Another tenant's user sees only theirs.
      const bob = SyncSnapshotPage.parse((await f.call(f.tokens['bob.mwangi']!, 'GET', '/api/v1/sync/snapshot?limit=100')).body);
      assert.deepEqual(
        rowsOf(bob.rows, 'cases')
          .map((c) => c.id)
          .sort(),
        [...f.casesB].sort(),
      );
      assert.equal(bob.totalCases, 3);
      assert.ok(rowsOf(bob.rows, 'payments').every((p) => p.tenant_id === TENANT_B));
    });

    it('feeds current rows, and a removal to a user the case leaves, but nothing of it to another tenant', async () => {
      const amina = f.tokens['amina.otieno']!;
      const start = await f.hubSeq(amina);
      const caseId = f.casesA[0]!;
      const opened = await f.caseOf(amina, caseId);
      const assigned = CaseSummary.parse((await f.call(amina, 'POST', `/api/v1/cases/${caseId}/assign`, { expectedVersion: opened.version })).body);
      assert.equal((await f.call(amina, 'POST', `/api/v1/cases/${caseId}/comments`, { body: 'Called the customer.' })).status, 201);
      const awaiting = CaseSummary.parse(
        (
          await f.call(amina, 'POST', `/api/v1/cases/${caseId}/decision`, {
            action: 'BLOCK',
            reasonCode: 'SUSPECTED_ACCOUNT_TAKEOVER',
            note: 'Customer denies the transfer.',
            expectedVersion: assigned.version,
          })
        ).body,
      );
      const feedBeforeClose = await f.changesAfter(f.tokens['brian.kamau']!, start);
      const asBrianOpen = feedBeforeClose.changes.filter((c) => c.entityId === caseId);
      assert.equal(asBrianOpen.length, 1, 'repeats of one entity in a page are collapsed');
      assert.equal(asBrianOpen[0]!.op, 'upsert');
      // The current rows, not the change log's copy: the newest version and the comment with it.
      assert.equal(rowsOf(asBrianOpen[0]!.rows, 'cases')[0]!.version, awaiting.version);
      assert.equal(rowsOf(asBrianOpen[0]!.rows, 'case_comments').length, 1);
      // Its history travels with it, for the case timeline offline.
      const history = rowsOf(asBrianOpen[0]!.rows, 'audit_log');
      assert.ok(history.some((h) => h.command === 'case.decide' && h.entity_id === caseId));
      assert.ok(
        history.some((h) => h.entity_type === 'assessment'),
        "the payments' entries too",
      );
      assert.ok(feedBeforeClose.changes.some((c) => c.entityType === 'case-comment' && c.op === 'upsert'));

      const mid = await f.hubSeq(amina);
      const closed = await f.call(f.tokens['wanjiru.njoroge']!, 'POST', `/api/v1/cases/${caseId}/approval`, {
        approve: true,
        note: 'Confirmed takeover.',
        expectedVersion: awaiting.version,
      });
      assert.equal(closed.status, 200);
      assert.equal(CaseSummary.parse(closed.body).state, 'CLOSED');

      // Just closed and not his: Brian's workstation keeps it for RECENTLY_CLOSED_DAYS, with its
      // outcome (he may have it open); after that window the same change is a removal.
      const brianFeed = await f.changesAfter(f.tokens['brian.kamau']!, mid, 2);
      const forBrian = brianFeed.changes.filter((c) => c.entityType === 'case' && c.entityId === caseId);
      assert.deepEqual(
        forBrian.map((c) => c.op),
        ['upsert'],
      );
      assert.equal(rowsOf(forBrian[0]!.rows, 'cases')[0]!.state, 'CLOSED');
      // A day past the window, counted from when the hub closed it (not from today's date).
      const later = new Date(Date.parse(CaseSummary.parse(closed.body).closedAt!) + (RECENTLY_CLOSED_DAYS + 1) * 86_400_000);
      const brianLater = syncViewer(
        principalFor({ kind: 'user', id: f.ids['brian.kamau']!, name: 'Brian Kamau', role: 'FRAUD_ANALYST', tenants: [TEST_TENANT] }, null),
        new TenantScope([TEST_TENANT]),
        later,
      );
      const laterPage = await readChangesPage(new HubReader(f.svc.service.context.db), brianLater, { after: mid, limit: 500 });
      assert.deepEqual(
        laterPage.changes.filter((c) => c.entityType === 'case' && c.entityId === caseId).map((c) => c.op),
        ['remove'],
      );
      const aminaFeed = await f.changesAfter(amina, mid);
      const forAmina = aminaFeed.changes.find((c) => c.entityType === 'case' && c.entityId === caseId)!;
      assert.equal(forAmina.op, 'upsert');
      assert.equal(rowsOf(forAmina.rows, 'cases')[0]!.is_open, 0);
      assert.equal(rowsOf(forAmina.rows, 'cases')[0]!.state, 'CLOSED');
      assert.ok(rowsOf(forAmina.rows, 'payments').length >= 1);

      // Bob (tenant B) hears of none of it, not even removals, and the cursor still moves on.
      const bobFeed = await f.changesAfter(f.tokens['bob.mwangi']!, start);
      assert.ok(bobFeed.changes.every((c) => !f.casesA.includes(c.entityId)));
      assert.ok(bobFeed.changes.every((c) => c.entityType !== 'case-comment'));
      assert.equal(bobFeed.cursor, await f.hubSeq(amina));
      // From the start of the log, every case Bob gets is his tenant's.
      const bobAll = await f.changesAfter(f.tokens['bob.mwangi']!, 0);
      const bobCases = new Set(bobAll.changes.filter((c) => c.entityType === 'case').map((c) => c.entityId));
      assert.deepEqual([...bobCases].sort(), [...f.casesB].sort());
      assert.ok(
        bobAll.changes.some((c) => c.entityType === 'user'),
        'the user directory is reference data for everyone',
      );
      // Payments and assessments travel only with a case in scope: Bob's tenant's, never tenant A's.
      const linked = bobAll.changes.filter((c) => c.entityType === 'payment' || c.entityType === 'assessment');
      assert.equal(linked.length, 6);
      for (const c of linked) for (const t of c.rows) for (const r of t.rows) assert.equal(r.tenant_id, TENANT_B);
      const aminaAll = await f.changesAfter(amina, 0, 7);
      assert.equal(aminaAll.changes.filter((c) => c.entityType === 'payment').length, 7);
      assert.ok(aminaAll.changes.filter((c) => c.entityType === 'customer').every((c) => c.op === 'upsert'));
      assert.equal(aminaAll.changes.filter((c) => c.entityType === 'customer').length, KNOWN_CUSTOMERS.length);
    });

    it('tells every signed-in socket at once when the change log grows', { timeout: 20_000 }, async () => {
      const socket = await openSocket(f.svc.url, f.tokens['brian.kamau']!);
      try {
        const amina = f.tokens['amina.otieno']!;
        const before = await f.hubSeq(amina);
        const heard = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no sync.changed within 5 s')), 5000);
          socket.on('sync.changed', ({ seq }) => {
            if (seq <= before) return;
            clearTimeout(timer);
            resolve(seq);
          });
        });
        const sent = performance.now();
        assert.equal((await f.call(amina, 'POST', `/api/v1/cases/${f.casesA[4]!}/comments`, { body: 'Ping.' })).status, 201);
        const seq = await heard;
        assert.ok(performance.now() - sent < 2000);
        assert.equal(seq, await f.hubSeq(amina));
      } finally {
        socket.close();
      }
    });
  });
}
