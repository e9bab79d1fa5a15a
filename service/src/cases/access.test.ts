import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, TEST_TENANT, type TestService, type TestTeamMember } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { BulkResult, CaseDetail, CaseSummary, QueueCounts, SavedFilter } from '../../../shared/src/cases.ts';
import { Assignee, CasePage } from '../../../shared/src/contract/cases.ts';
import { Customer360Risk, Customer360Transaction, CustomerResolveResult } from '../../../shared/src/customer360.ts';
import { pageOf } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';

after(stopTestPostgres);

/**
 * Who sees and does what (ARCHITECTURE.md "Tenants"; issue 10 item 12): a case carries its
 * payment's tenant, another tenant's case is not found (404) whatever one does to it, and lists,
 * counts, exports, claim-next, assign menus and Customer 360 count only the caller's tenants.
 * Saved views are created and deleted by those who work cases.
 */

const TENANT_B = 'BANK-B';
const TEAM: TestTeamMember[] = [
  ['amina.otieno', 'FRAUD_ANALYST'],
  ['bob.mwangi', 'FRAUD_ANALYST', [TENANT_B]],
  ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [TEST_TENANT]],
  ['grace.achieng', 'AUDITOR'],
];
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

for (const dialect of DIALECTS) {
  describe(`tenants and saved views on ${dialect}`, { timeout: 180_000 }, () => {
    let svc: TestService;
    let adminToken: string;
    let tokens: Record<string, string> = {};
    let ids: Record<string, string> = {};
    before(async () => {
      svc = await startTestService(dialect);
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, TEAM));
    });
    after(async () => svc?.stop());

    const call = (who: string, method: string, path: string, body?: unknown) =>
      svc.request(method, path, { token: who === 'admin' ? adminToken : tokens[who], body });
    const assess = async (payment = criticalPayment()) => {
      const res = await call('admin', 'POST', '/api/v1/fraud-risk/assessments', payment);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Assessment.parse(
        (await call('admin', 'GET', `/api/v1/fraud-risk/assessments/transaction/${payment.transactionReference}?tenantId=${payment.tenantId}`)).body,
      );
    };
    const caseOf = async (a: Assessment) => CaseDetail.parse((await call('admin', 'GET', `/api/v1/cases/${a.caseId}`)).body).case;
    const list = async (who: string, query = 'state=ALL&pageSize=500') => CasePage.parse((await call(who, 'GET', `/api/v1/cases?${query}`)).body);

    it("answers 404 for anything done to another tenant's case, and never half-does a bulk action", async () => {
      const mineA = await caseOf(await assess());
      const paymentB = await assess(criticalPayment({ tenantId: TENANT_B }));
      const caseB = await caseOf(paymentB);
      assert.equal(caseB.tenantId, TENANT_B);
      assert.equal((await call('bob.mwangi', 'GET', `/api/v1/cases/${caseB.id}`)).status, 200);

      const v = { expectedVersion: caseB.version };
      const attempts: Array<[string, string, string, unknown?]> = [
        ['amina.otieno', 'GET', `/api/v1/cases/${caseB.id}`],
        ['amina.otieno', 'POST', `/api/v1/cases/${caseB.id}/assign`, v],
        [
          'amina.otieno',
          'POST',
          `/api/v1/cases/${caseB.id}/decision`,
          { action: 'APPROVE', reasonCode: 'KNOWN_BENEFICIARY', note: 'Known beneficiary.', ...v },
        ],
        ['amina.otieno', 'POST', `/api/v1/cases/${caseB.id}/comments`, { body: 'Looking at it.' }],
        ['amina.otieno', 'PUT', `/api/v1/cases/${caseB.id}/tags`, { tags: ['mule'], ...v }],
        ['amina.otieno', 'GET', `/api/v1/cases/${caseB.id}/attachments/00000000-0000-4000-8000-000000000000`],
        ['amina.otieno', 'PUT', `/api/v1/fraud-risk/assessments/${paymentB.id}/decision`, { decision: 'APPROVE', reason: 'Known beneficiary.' }],
        ['wanjiru.njoroge', 'POST', `/api/v1/cases/${caseB.id}/assign`, { ...v, assigneeId: ids['amina.otieno'] }],
        ['wanjiru.njoroge', 'POST', `/api/v1/cases/${caseB.id}/approval`, { approve: true, note: 'Confirmed by phone.', ...v }],
        ['wanjiru.njoroge', 'POST', '/api/v1/cases/bulk/assign', { caseIds: [mineA.id, caseB.id] }],
        ['wanjiru.njoroge', 'POST', '/api/v1/cases/bulk/close-false-positive', { caseIds: [mineA.id, caseB.id], note: 'Rule fired on salary.' }],
      ];
      for (const [who, method, path, body] of attempts) {
        const res = await call(who, method, path, body);
        assert.equal(res.status, 404, `${who} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.ok(!JSON.stringify(res.body).includes(caseB.reference), 'the answer does not reveal the case');
      }
      assert.equal((await caseOf(paymentB)).version, caseB.version, "tenant B's case is untouched");
      const caseA = CaseDetail.parse((await call('admin', 'GET', `/api/v1/cases/${mineA.id}`)).body).case;
      assert.equal(caseA.version, mineA.version, 'nothing of the refused bulk actions was done');
      // Within its tenants the same bulk action works.
      assert.equal(BulkResult.parse((await call('wanjiru.njoroge', 'POST', '/api/v1/cases/bulk/assign', { caseIds: [mineA.id] })).body).updated.length, 1);
    });

    it("keeps another tenant's cases out of lists, counts, exports, claim-next, assign menus and live events", async () => {
      const socket = await new Promise<ClientSocket>((resolve, reject) => {
        const s: ClientSocket = connect(svc.url, { auth: { token: tokens['amina.otieno'] }, transports: ['websocket'], reconnection: false, forceNew: true });
        s.on('connect', () => resolve(s));
        s.on('connect_error', reject);
      });
      const heard: string[] = [];
      socket.on('case.opened', (c) => heard.push(c.transactionReference));
      const paymentB = criticalPayment({ tenantId: TENANT_B });
      const paymentA = criticalPayment();
      try {
        await assess(paymentB);
        await assess(paymentA);
        for (let i = 0; i < 100 && !heard.includes(paymentA.transactionReference); i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(heard, [paymentA.transactionReference], "Amina hears her tenant's new case, not tenant B's");
      } finally {
        socket.disconnect();
      }

      const amina = await list('amina.otieno');
      const bob = await list('bob.mwangi');
      const all = await list('grace.achieng');
      assert.ok(amina.items.length > 0 && amina.items.every((c) => c.tenantId === TEST_TENANT));
      assert.ok(bob.items.length > 0 && bob.items.every((c) => c.tenantId === TENANT_B));
      assert.equal(all.total, amina.total + bob.total);
      assert.equal((await list('amina.otieno', `state=ALL&search=${paymentB.transactionReference}`)).total, 0);

      const counts = (who: string) => call(who, 'GET', '/api/v1/cases/counts').then((r) => QueueCounts.parse(r.body));
      const openOf = async (who: string) => (await list(who, 'state=OPEN&pageSize=500')).total;
      assert.equal((await counts('amina.otieno')).open, await openOf('amina.otieno'));
      assert.equal((await counts('bob.mwangi')).open, await openOf('bob.mwangi'));
      assert.equal((await counts('grace.achieng')).open, (await openOf('amina.otieno')) + (await openOf('bob.mwangi')));

      const csv = await call('amina.otieno', 'GET', '/api/v1/cases/export.csv?state=ALL');
      assert.equal(csv.status, 200);
      assert.ok(String(csv.body).includes(paymentA.transactionReference));
      assert.ok(!String(csv.body).includes(paymentB.transactionReference) && !String(csv.body).includes(TENANT_B));

      // Amina claims until her tenant's queue is empty: never tenant B's case.
      for (let i = 0; i < 50; i++) {
        const claimed = await call('amina.otieno', 'POST', '/api/v1/cases/claim-next', {});
        if (claimed.status === 404) break;
        assert.equal(claimed.status, 200);
        assert.equal(CaseSummary.parse(claimed.body).tenantId, TEST_TENANT);
      }
      const bobClaims = CaseSummary.parse((await call('bob.mwangi', 'POST', '/api/v1/cases/claim-next', {})).body);
      assert.equal(bobClaims.tenantId, TENANT_B);

      const menu = Assignee.array().parse((await call('wanjiru.njoroge', 'GET', '/api/v1/cases/assignees')).body);
      assert.ok(menu.some((u) => u.id === ids['amina.otieno']) && !menu.some((u) => u.id === ids['bob.mwangi']));
      const fresh = CaseDetail.parse((await call('wanjiru.njoroge', 'GET', `/api/v1/cases/${(await assess()).caseId}`)).body).case;
      const toBob = await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${fresh.id}/assign`, {
        expectedVersion: fresh.version,
        assigneeId: ids['bob.mwangi'],
      });
      assert.equal(toBob.status, 400, 'a case is only assigned to someone acting for its tenant');
      assert.match(JSON.stringify(toBob.body), /does not act for tenant WEKEZA-KE/);
    });

    it("shows a person's payments and cases of the caller's tenants only; another tenant's payment never joins a case", async () => {
      const person = { customerId: 'CIF-BOTH-0001', deviceId: 'dev-both-0001', debtorAccount: '0120099990001' };
      const inA = await assess(criticalPayment({ ...person }));
      const inB = await assess(criticalPayment({ ...person, tenantId: TENANT_B }));
      const caseA = await caseOf(inA);
      const caseB = await caseOf(inB);
      assert.notEqual(caseA.id, caseB.id, 'a payment of tenant B opens its own case');
      assert.equal(caseA.customerGcid, caseB.customerGcid, 'the same person');
      assert.equal((await caseOf(inA)).paymentCount, 1);
      const gcid = caseA.customerGcid!;

      const Transactions = pageOf(Customer360Transaction);
      const refs = async (who: string) =>
        Transactions.parse((await call(who, 'GET', `/api/v1/customer/${gcid}/transactions?days=3650`)).body).items.map((t) => t.transactionReference);
      assert.deepEqual(await refs('amina.otieno'), [inA.transactionReference]);
      assert.deepEqual(await refs('bob.mwangi'), [inB.transactionReference]);
      assert.deepEqual((await refs('grace.achieng')).sort(), [inA.transactionReference, inB.transactionReference].sort());
      const risk = Customer360Risk.parse((await call('amina.otieno', 'GET', `/api/v1/customer/${gcid}/risk`)).body);
      assert.equal(risk.payments.total, 1);
      assert.deepEqual(
        risk.pastCases.map((c) => c.id),
        [caseA.id],
      );
      const accounts = await call('amina.otieno', 'GET', `/api/v1/customer/${gcid}/accounts`);
      assert.ok(!JSON.stringify(accounts.body).includes(inB.transactionReference));
      assert.equal(
        (accounts.body as Array<{ accountNumber: string; paymentCount: number }>).find((a) => a.accountNumber === person.debtorAccount)?.paymentCount,
        1,
      );

      // A customer of tenant B only does not exist for Amina.
      const onlyB = await caseOf(await assess(criticalPayment({ tenantId: TENANT_B, customerId: 'CIF-ONLYB-0001' })));
      for (const path of ['', '/accounts', '/transactions', '/risk']) {
        assert.equal((await call('amina.otieno', 'GET', `/api/v1/customer/${onlyB.customerGcid}${path}`)).status, 404, path);
      }
      assert.equal(CustomerResolveResult.parse((await call('amina.otieno', 'GET', '/api/v1/customer/resolve?customerRef=CIF-ONLYB-0001')).body).gcid, null);
      assert.equal(
        CustomerResolveResult.parse((await call('bob.mwangi', 'GET', '/api/v1/customer/resolve?customerRef=CIF-ONLYB-0001')).body).gcid,
        onlyB.customerGcid,
      );
      const merge = await call('wanjiru.njoroge', 'POST', '/api/v1/customer/merge', {
        survivorGcid: gcid,
        mergedGcid: onlyB.customerGcid,
        reason: 'Same national ID on file.',
      });
      assert.equal(merge.status, 404);
    });

    it('lets only those who work cases save or delete views; supervisors may remove a colleague’s shared view', async () => {
      const view = { name: 'Overdue criticals', filter: { state: 'OPEN', riskLevels: ['CRITICAL'], sla: 'overdue' }, shared: true };
      assert.equal((await call('grace.achieng', 'POST', '/api/v1/cases/saved-filters', view)).status, 403, 'a read-only role publishes no view');
      const shared = SavedFilter.parse((await call('amina.otieno', 'POST', '/api/v1/cases/saved-filters', view)).body);
      const mine = SavedFilter.parse((await call('amina.otieno', 'POST', '/api/v1/cases/saved-filters', { ...view, name: 'Only mine', shared: false })).body);
      const seen = SavedFilter.array().parse((await call('grace.achieng', 'GET', '/api/v1/cases/saved-filters')).body);
      assert.ok(seen.some((f) => f.id === shared.id) && !seen.some((f) => f.id === mine.id), 'read-only roles use shared views');
      assert.equal((await call('grace.achieng', 'DELETE', `/api/v1/cases/saved-filters/${shared.id}`)).status, 403);
      assert.equal(
        (await call('bob.mwangi', 'DELETE', `/api/v1/cases/saved-filters/${shared.id}`)).status,
        403,
        "an analyst does not delete a colleague's view",
      );
      assert.equal(
        (await call('wanjiru.njoroge', 'DELETE', `/api/v1/cases/saved-filters/${mine.id}`)).status,
        404,
        "someone's private view does not exist for others",
      );
      assert.equal((await call('wanjiru.njoroge', 'DELETE', `/api/v1/cases/saved-filters/${shared.id}`)).status, 204);
      assert.equal((await call('amina.otieno', 'DELETE', `/api/v1/cases/saved-filters/${mine.id}`)).status, 204);
    });
  });
}
