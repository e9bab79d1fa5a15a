import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { CaseDetail, CaseSummary, decisionStake } from '../../../shared/src/cases.ts';
import { Customer360Risk } from '../../../shared/src/customer360.ts';
import { pageOf } from '../../../shared/src/api.ts';

after(stopTestPostgres);

const CasePage = pageOf(CaseSummary);

/**
 * Issue 11: the queue puts the most urgent cases first by default (overdue, then soonest due);
 * a case's read model carries what is at stake in all its payments; the case page and Customer
 * 360 show the same customer risk.
 */
for (const dialect of DIALECTS) {
  describe(`queue order, stake and customer risk on ${dialect}`, { timeout: 120_000 }, () => {
    let svc: TestService;
    let admin: string;
    let tokens: Record<string, string> = {};
    const clock = new ManualClock('2026-11-20T06:00:00Z');

    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const assess = (payment: ReturnType<typeof criticalPayment>) =>
      ok(svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: payment }), 201);
    const caseFor = async (customerId: string) => {
      const page = CasePage.parse(await ok(svc.request('GET', `/api/v1/cases?search=${customerId.toLowerCase()}`, { token: admin })));
      assert.equal(page.items.length, 1, `one open case for ${customerId}`);
      return page.items[0]!;
    };

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ tokens } = await addTestTeam(svc, CASE_TEAM));
    });
    after(async () => svc?.stop());

    it('lists overdue cases first by default, then the soonest due, newest-first only when asked', async () => {
      // Critical cases are due within an hour. A opens at 06:00, B at 06:30; at 08:30 both are
      // overdue (A the longest) and C opens, due 09:30.
      const a = criticalPayment();
      await assess(a);
      clock.advance(30 * 60_000);
      const b = criticalPayment();
      await assess(b);
      clock.advance(2 * 3_600_000);
      const c = criticalPayment();
      await assess(c);
      const [caseA, caseB, caseC] = [await caseFor(a.customerId), await caseFor(b.customerId), await caseFor(c.customerId)];
      const order = (page: { items: CaseSummary[] }) => page.items.map((x) => x.id).filter((id) => [caseA.id, caseB.id, caseC.id].includes(id));
      const byDefault = CasePage.parse(await ok(svc.request('GET', '/api/v1/cases', { token: tokens['amina.otieno'] })));
      assert.deepEqual(order(byDefault), [caseA.id, caseB.id, caseC.id], 'overdue first (longest overdue on top), then due soonest');
      assert.ok(Date.parse(byDefault.items[0]!.slaDueAt) < clock.now().getTime(), 'the top of the queue is overdue');
      const newest = CasePage.parse(await ok(svc.request('GET', '/api/v1/cases?sort=createdAt&direction=desc', { token: tokens['amina.otieno'] })));
      assert.deepEqual(order(newest), [caseC.id, caseB.id, caseA.id]);
      const leastUrgent = CasePage.parse(await ok(svc.request('GET', '/api/v1/cases?sort=urgency&direction=asc', { token: tokens['amina.otieno'] })));
      assert.deepEqual(order(leastUrgent), [caseC.id, caseB.id, caseA.id]);
      // A paused case (waiting for information) has no running clock: it goes after the running ones.
      const claimed = CaseSummary.parse(
        await ok(svc.request('POST', `/api/v1/cases/${caseA.id}/assign`, { token: tokens['amina.otieno'], body: { expectedVersion: caseA.version } })),
      );
      const started = CaseSummary.parse(
        await ok(svc.request('POST', `/api/v1/cases/${caseA.id}/start`, { token: tokens['amina.otieno'], body: { expectedVersion: claimed.version } })),
      );
      await ok(
        svc.request('POST', `/api/v1/cases/${caseA.id}/request-info`, {
          token: tokens['amina.otieno'],
          body: { expectedVersion: started.version, note: 'Called the customer; waiting for a call-back.' },
        }),
      );
      const afterPause = CasePage.parse(await ok(svc.request('GET', '/api/v1/cases', { token: tokens['amina.otieno'] })));
      assert.deepEqual(order(afterPause), [caseB.id, caseC.id, caseA.id]);
    });

    it('carries every linked payment and their KES total in the case, and says so in the decision text', async () => {
      const first = criticalPayment({ amount: 15_450, currency: 'KES' });
      await assess(first);
      for (const amount of [4_000_000, 6_000_000]) {
        await assess(criticalPayment({ customerId: first.customerId, deviceId: first.deviceId, amount }));
      }
      const summary = await caseFor(first.customerId);
      assert.equal(summary.paymentCount, 3);
      assert.equal(summary.totalAmountKes, 10_015_450);
      assert.equal(summary.amountKes, 15_450, 'the opening payment stays on record');
      assert.equal(decisionStake(summary, 'BLOCK'), 'Blocks 3 payments totalling KES 10,015,450: all will be rejected and the case closed.');
      // And it is true: blocking (past four-eyes) rejects every linked payment.
      const mine = CaseSummary.parse(
        await ok(svc.request('POST', `/api/v1/cases/${summary.id}/assign`, { token: tokens['amina.otieno'], body: { expectedVersion: summary.version } })),
      );
      const waiting = CaseSummary.parse(
        await ok(
          svc.request('POST', `/api/v1/cases/${summary.id}/decision`, {
            token: tokens['amina.otieno'],
            body: { action: 'BLOCK', reasonCode: 'MULE_ACCOUNT', note: 'Beneficiary is a known mule.', expectedVersion: mine.version },
          }),
        ),
      );
      assert.equal(waiting.state, 'AWAITING_APPROVAL', 'KES 10M is above the four-eyes limit');
      await ok(
        svc.request('POST', `/api/v1/cases/${summary.id}/approval`, {
          token: tokens['wanjiru.njoroge'],
          body: { approve: true, note: 'Agreed, block all.', expectedVersion: waiting.version },
        }),
      );
      const detail = CaseDetail.parse(await ok(svc.request('GET', `/api/v1/cases/${summary.id}`, { token: admin })));
      assert.equal(detail.assessments.length, 3);
      assert.deepEqual(
        detail.assessments.map((x) => x.decision),
        ['REJECT', 'REJECT', 'REJECT'],
      );
    });

    it('shows the same customer risk on the case and in Customer 360', async () => {
      const payment = criticalPayment();
      await assess(payment);
      const summary = await caseFor(payment.customerId);
      assert.ok(summary.customerGcid, 'the case knows the person');
      const detail = CaseDetail.parse(await ok(svc.request('GET', `/api/v1/cases/${summary.id}`, { token: tokens['amina.otieno'] })));
      const c360 = Customer360Risk.parse(await ok(svc.request('GET', `/api/v1/customer/${summary.customerGcid}/risk`, { token: tokens['amina.otieno'] })));
      assert.ok(detail.customerRisk);
      assert.deepEqual(detail.customerRisk, c360.overall);
      assert.equal(c360.overallRiskLevel, c360.overall.level);
      assert.equal(detail.customerRisk.level, 'CRITICAL', 'the critical payment of the last 30 days sets it');
      assert.equal(detail.customerRisk.worstPayment30Days, 'CRITICAL');
      assert.match(detail.customerRisk.explanation, /^Critical = the worst of: core-banking rating/);
      // Thirty-one days later the payment no longer counts, on both screens alike.
      clock.advance(31 * 86_400_000);
      const token = (await svc.login('amina.otieno', TEST_USER_PASSWORD)).token;
      const later = CaseDetail.parse(await ok(svc.request('GET', `/api/v1/cases/${summary.id}`, { token })));
      const later360 = Customer360Risk.parse(await ok(svc.request('GET', `/api/v1/customer/${summary.customerGcid}/risk`, { token })));
      assert.deepEqual(later.customerRisk, later360.overall);
      assert.equal(later.customerRisk?.worstPayment30Days, null);
    });
  });
}
