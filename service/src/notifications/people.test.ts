import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { CaseSummary } from '../../../shared/src/cases.ts';
import { CaseQueue } from '../../../shared/src/queues.ts';
import { NotificationList, type Notification } from '../../../shared/src/notifications.ts';
import { pageOf } from '../../../shared/src/api.ts';
import { z } from 'zod';
import { dueSlaPoint } from './sla-watch.ts';

after(stopTestPostgres);

const CasePage = pageOf(CaseSummary);
const MINUTE = 60_000;

describe('dueSlaPoint', { timeout: 10_000 }, () => {
  const due = new Date('2026-11-20T13:00:00Z');
  it('warns once the share of the SLA has elapsed and reports the breach from the deadline on', () => {
    // 60 min SLA, warn at 80 %: the warning point is 12 min before the deadline.
    assert.equal(dueSlaPoint(new Date('2026-11-20T12:47:59Z'), due, 60, 80), null);
    assert.deepEqual(dueSlaPoint(new Date('2026-11-20T12:48:00Z'), due, 60, 80), { kind: 'warning', dueAt: due });
    assert.deepEqual(dueSlaPoint(new Date('2026-11-20T13:00:00Z'), due, 60, 80), { kind: 'breached', dueAt: due });
    assert.deepEqual(dueSlaPoint(new Date('2026-11-20T12:30:00Z'), due, 60, 50), { kind: 'warning', dueAt: due });
  });
});

/**
 * Issue 15 "people notified of what concerns them": SLA warnings and breaches reach the assignee
 * (the supervisors when nobody holds the case) once, a queue's breach rule moves the case to the
 * escalation queue, and a four-eyes request reaches the approvers and not the maker. Driven by the
 * risk scheduler on a manual clock (ARCHITECTURE.md rule 3).
 */
for (const dialect of DIALECTS) {
  describe(`people notified on ${dialect}`, { timeout: 180_000 }, () => {
    let svc: TestService;
    let admin: string;
    let tokens: Record<string, string> = {};
    let ids: Record<string, string> = {};
    const clock = new ManualClock('2026-11-20T06:00:00Z');

    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const inbox = async (user: string): Promise<Notification[]> =>
      NotificationList.parse(await ok(svc.request('GET', '/api/v1/notifications?limit=500', { token: tokens[user] }))).notifications;
    const about = async (user: string, caseId: string, kind?: string) =>
      (await inbox(user)).filter((n) => n.entityId === caseId && (kind === undefined || n.kind === kind));
    const caseFor = async (customerId: string) => {
      const page = CasePage.parse(await ok(svc.request('GET', `/api/v1/cases?search=${customerId.toLowerCase()}&state=ALL`, { token: admin })));
      assert.equal(page.items.length, 1, `one case for ${customerId}`);
      return page.items[0]!;
    };
    const open = async () => {
      const payment = criticalPayment();
      await ok(svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: payment }), 201);
      return caseFor(payment.customerId);
    };
    const runJobs = async () => {
      const runs = await svc.service.context.riskScheduler!.runDue(clock.now());
      return runs.find((r) => r.job === 'case-sla-watch')?.outcome ?? null;
    };
    const queues = async () => z.array(CaseQueue).parse(await ok(svc.request('GET', '/api/v1/case-queues', { token: admin })));
    const setBreachRule = async (name: string, rule: CaseQueue['slaEscalation']) => {
      const q = (await queues()).find((x) => x.name === name)!;
      const { id, isDefault: _d, version, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = q;
      return CaseQueue.parse(
        await ok(svc.request('PUT', `/api/v1/case-queues/${id}`, { token: admin, body: { ...body, slaEscalation: rule, expectedVersion: version } })),
      );
    };

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, [...CASE_TEAM, ['esther.chebet', 'COMPLIANCE_OFFICER', ['BANK-B']]]));
    });
    after(async () => svc?.stop());

    it('warns the assignee once at the queue’s warning point, then reports the breach without moving the case (rule NOTIFY)', async () => {
      const priority = await setBreachRule('Priority review', { warnAtPercent: 75, onBreach: 'NOTIFY', escalateToQueueId: null });
      assert.deepEqual(priority.slaEscalation, { warnAtPercent: 75, onBreach: 'NOTIFY', escalateToQueueId: null });
      const opened = await open();
      assert.equal(opened.queue, 'Priority review');
      const held = CaseSummary.parse(
        await ok(svc.request('POST', `/api/v1/cases/${opened.id}/assign`, { token: tokens['amina.otieno'], body: { expectedVersion: opened.version } })),
      );
      assert.equal(held.assigneeId, ids['amina.otieno']);

      clock.advance(44 * MINUTE); // 44 of 60 min: before 75 %
      await runJobs();
      assert.equal((await about('amina.otieno', opened.id)).length, 0, 'nothing before the warning point');

      clock.advance(2 * MINUTE); // 46 min
      assert.match((await runJobs()) ?? '', /warned 1,/);
      const warned = await about('amina.otieno', opened.id, 'case.sla-warning');
      assert.equal(warned.length, 1);
      assert.equal(warned[0]!.link, `/cases/${opened.id}`);
      assert.match(warned[0]!.title, new RegExp(`SLA about to breach: ${opened.reference}`));
      assert.match(warned[0]!.body, /due in 14 min \(\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} EAT\)/, 'the deadline as people read it, in bank time');
      assert.equal((await about('wanjiru.njoroge', opened.id)).length, 0, 'an assigned case is the assignee’s: supervisors are not told');

      clock.advance(MINUTE);
      await runJobs();
      assert.equal((await about('amina.otieno', opened.id, 'case.sla-warning')).length, 1, 'a warning goes out once');

      clock.advance(14 * MINUTE); // 61 min: breached
      await runJobs();
      clock.advance(MINUTE);
      await runJobs();
      const breached = await about('amina.otieno', opened.id, 'case.sla-breached');
      assert.equal(breached.length, 1, 'a breach goes out once');
      const now = CaseSummary.parse(await ok(svc.request('GET', `/api/v1/cases/${opened.id}`, { token: admin })).then((b) => (b as { case: unknown }).case));
      assert.equal(now.queue, 'Priority review', 'rule NOTIFY does not move the case');
      assert.equal(now.assigneeId, ids['amina.otieno']);
    });

    it('moves a breached unassigned case to the escalation queue (rule ESCALATE) and tells the supervisors of its tenant', async () => {
      await setBreachRule('Priority review', { warnAtPercent: 80, onBreach: 'ESCALATE', escalateToQueueId: null });
      const opened = await open();
      clock.advance(50 * MINUTE);
      await runJobs();
      for (const supervisor of ['wanjiru.njoroge', 'faith.wambui']) {
        assert.equal((await about(supervisor, opened.id, 'case.sla-warning')).length, 1, `${supervisor} hears the unassigned case is about to breach`);
      }
      assert.equal((await about('esther.chebet', opened.id)).length, 0, 'a supervisor of another tenant is not told');
      assert.equal((await about('amina.otieno', opened.id)).length, 0, 'an analyst is not a supervisor');

      clock.advance(11 * MINUTE);
      assert.match((await runJobs()) ?? '', /escalated 1/);
      const moved = CaseSummary.parse(await ok(svc.request('GET', `/api/v1/cases/${opened.id}`, { token: admin })).then((b) => (b as { case: unknown }).case));
      assert.equal(moved.state, 'ESCALATED');
      assert.equal(moved.queue, 'Escalations');
      // The escalation queue's own SLA (120 min for CRITICAL) starts at the breach.
      assert.equal(moved.slaDueAt, new Date(clock.now().getTime() + 120 * MINUTE).toISOString());
      const breach = await about('faith.wambui', opened.id, 'case.sla-breached');
      assert.equal(breach.length, 1);
      assert.match(breach[0]!.body, /moved to Escalations by the queue's escalation rule/);
      const audit = await ok(svc.request('GET', `/api/v1/audit?entityType=case&entityId=${opened.id}`, { token: admin }));
      assert.match(JSON.stringify(audit), /escalate on SLA breach/, 'the move is audited with the rule that made it');
    });

    it('a breach found late sends one notice (the breach), not a warning and a breach', async () => {
      const opened = await open();
      clock.advance(3 * 60 * MINUTE);
      await runJobs();
      const told = await about('faith.wambui', opened.id);
      assert.deepEqual(
        told.map((n) => n.kind),
        ['case.sla-breached'],
      );
    });

    it('a backlog of unassigned cases gives each supervisor one digest, not one notice per case', async () => {
      const opened = [];
      for (let i = 0; i < 5; i++) opened.push(await open());
      clock.advance(50 * MINUTE);
      await runJobs();
      const digests = (await inbox('wanjiru.njoroge')).filter((n) => n.entityType === 'case-queue' && n.kind === 'case.sla-warning');
      assert.equal(digests.length, 1);
      assert.match(digests[0]!.title, /^5 unassigned cases in Priority review are about to breach their SLA$/);
      for (const c of opened) assert.match(digests[0]!.body, new RegExp(c.reference));
      assert.match(digests[0]!.link ?? '', /^\/cases\?queueId=[0-9a-f-]{36}&assignee=unassigned&sla=due-soon$/);
      for (const c of opened) assert.equal((await about('wanjiru.njoroge', c.id)).length, 0, 'no notice per case');
      assert.equal((await inbox('faith.wambui')).filter((n) => n.entityType === 'case-queue').length, 1, 'every supervisor gets the digest');
    });

    it('a four-eyes request reaches the approvers of the case’s tenant, not the maker', async () => {
      const opened = await open();
      const held = CaseSummary.parse(
        await ok(svc.request('POST', `/api/v1/cases/${opened.id}/assign`, { token: tokens['faith.wambui'], body: { expectedVersion: opened.version } })),
      );
      const pending = CaseSummary.parse(
        await ok(
          svc.request('POST', `/api/v1/cases/${opened.id}/decision`, {
            token: tokens['faith.wambui'],
            body: { action: 'BLOCK', reasonCode: 'SUSPECTED_ACCOUNT_TAKEOVER', note: 'New device and a mule account.', expectedVersion: held.version },
          }),
        ),
      );
      assert.equal(pending.state, 'AWAITING_APPROVAL');
      const request = await about('wanjiru.njoroge', opened.id, 'case.approval-requested');
      assert.equal(request.length, 1);
      assert.equal(request[0]!.link, `/cases/${opened.id}`);
      assert.match(request[0]!.body, /Faith|faith/);
      assert.equal((await about('faith.wambui', opened.id, 'case.approval-requested')).length, 0, 'the maker is not asked to approve their own request');
      assert.equal((await about('amina.otieno', opened.id, 'case.approval-requested')).length, 0, 'an analyst cannot approve');
      assert.equal((await about('esther.chebet', opened.id, 'case.approval-requested')).length, 0, 'an approver of another tenant is not asked');
      const decided = await svc.request('POST', `/api/v1/cases/${opened.id}/approval`, {
        token: tokens['wanjiru.njoroge'],
        body: { approve: true, note: 'Confirmed the takeover pattern.', expectedVersion: pending.version },
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      const settled = await about('wanjiru.njoroge', opened.id, 'case.approval-requested');
      assert.equal(settled.length, 1);
      assert.notEqual(settled[0]!.readAt, null, 'a decided request no longer waits: marked read');
    });

    it('a deadline more than a day old is recorded without a notice (seeded or imported history)', async () => {
      const opened = await open();
      clock.advance(26 * 60 * MINUTE);
      assert.match((await runJobs()) ?? '', /stale [1-9]/);
      // A day later the sessions have ended: sign in again to read.
      tokens['faith.wambui'] = (await svc.login('faith.wambui', TEST_USER_PASSWORD)).token;
      assert.equal((await about('faith.wambui', opened.id)).length, 0);
      clock.advance(MINUTE);
      assert.match((await runJobs()) ?? '', /stale 0/, 'recorded once: not looked at again');
    });
  });
}
