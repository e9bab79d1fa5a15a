import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { io as connect, type Socket } from 'socket.io-client';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { defineCommand, SYSTEM_ACTOR } from '../commands/bus.ts';
import { updateAssessment } from '../assessments/commands.ts';
import { CaseDetail, CaseSummary, FourEyesSettingsView, QueueCounts } from '../../../shared/src/cases.ts';
import { CasePage } from '../../../shared/src/contract/cases.ts';
import { PaymentDecisionAnswer } from '../../../shared/src/decision-engine-api.ts';
import { ApiErrorBody, pageOf } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import { AuditEntry } from '../../../shared/src/audit.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';

after(stopTestPostgres);

/**
 * Issue 10 item 5 (one command decides a payment), item 8 (the case write-back goes through
 * updateAssessment) and the injected clock in SLA counts. Time is a ManualClock: nothing here
 * depends on today's date.
 */

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function openSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (error) => reject(error));
  });
}

/** A command that writes an assessment twice from the same read: the second write is stale. */
const staleWrite = defineCommand({
  name: 'test.stale-assessment-write',
  input: z.object({ id: z.uuid() }),
  permission: null,
  async apply(ctx, { id }) {
    const row = await ctx.trx.selectFrom('fraud_risk_assessments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const audit = () => ({ before: {}, after: {} });
    await updateAssessment(ctx, row, { decision_reason: 'first write' }, audit);
    return updateAssessment(ctx, row, { decision_reason: 'second write from a stale read' }, audit);
  },
});

for (const dialect of DIALECTS) {
  describe(`deciding a payment on ${dialect}`, { timeout: 180_000 }, () => {
    const clock = new ManualClock('2026-11-20T09:00:00Z');
    let svc: TestService;
    let adminToken: string;
    let tokens: Record<string, string> = {};
    before(async () => {
      svc = await startTestService(dialect, { clock });
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ tokens } = await addTestTeam(svc, CASE_TEAM));
    });
    after(async () => svc?.stop());

    const call = (who: string, method: string, path: string, body?: unknown) =>
      svc.request(method, path, { token: who === 'admin' ? adminToken : tokens[who], body });
    const assess = async (payment = criticalPayment()) => {
      const res = await call('admin', 'POST', '/api/v1/fraud-risk/assessments', payment);
      assert.ok(res.status === 201, JSON.stringify(res.body));
      return Assessment.parse((await call('admin', 'GET', `/api/v1/fraud-risk/assessments/transaction/${payment.transactionReference}`)).body);
    };
    const reload = async (a: Assessment) => Assessment.parse((await call('admin', 'GET', `/api/v1/fraud-risk/assessments/${a.id}`)).body);
    const getCase = async (id: string, who = 'amina.otieno') => CaseDetail.parse((await call(who, 'GET', `/api/v1/cases/${id}`)).body);
    const decide = (who: string, a: Assessment, decision: string, reason: string, expectedVersion = a.version) =>
      call(who, 'PUT', `/api/v1/fraud-risk/assessments/${a.id}/decision`, { decision, reason, expectedVersion });

    it('an analyst approving a CRITICAL payment through the PUT does not decide it alone: its case waits for a second approver', async () => {
      const critical = await assess();
      assert.equal(critical.riskLevel, 'CRITICAL');
      assert.equal(critical.decision, 'ESCALATE');
      assert.ok(critical.caseId);

      const res = await decide('amina.otieno', critical, 'APPROVE', 'Customer confirmed on a call-back.');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const answer = PaymentDecisionAnswer.parse(res.body);
      assert.equal(answer.approvalRequired, true);
      assert.match(answer.approvalWhy ?? '', /CRITICAL/);
      assert.equal(answer.case?.id, critical.caseId, 'the decision went through the open case');
      assert.equal(answer.case?.state, 'AWAITING_APPROVAL');
      assert.equal(answer.case?.assigneeName, 'Amina Otieno', 'the unassigned case was taken first');
      assert.equal(answer.assessment.decision, 'ESCALATE', 'the payment is not approved by one person');

      const waiting = await reload(critical);
      assert.equal(waiting.decision, 'ESCALATE');
      assert.equal(waiting.manualDecision, null);
      assert.ok(waiting.assessmentDetails?.history.some((h) => h.action === 'APPROVAL_REQUESTED'));

      // Amina cannot confirm her own request, through the case or another PUT.
      const kase = (await getCase(critical.caseId)).case;
      assert.equal(
        (
          await call('amina.otieno', 'POST', `/api/v1/cases/${kase.id}/approval`, {
            approve: true,
            note: 'Approving my own decision.',
            expectedVersion: kase.version,
          })
        ).status,
        403,
      );
      assert.equal((await decide('amina.otieno', waiting, 'APPROVE', 'Approve it again.')).status, 409);

      // A second approver completes it: the payment is approved, by Amina, approved by Wanjiru.
      const confirmed = await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${kase.id}/approval`, {
        approve: true,
        note: 'Call-back recording checked.',
        expectedVersion: kase.version,
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(CaseSummary.parse(confirmed.body).outcome, 'APPROVED');
      const decided = await reload(critical);
      assert.equal(decided.decision, 'APPROVE');
      assert.equal(decided.engineDecision, 'ESCALATE');
      assert.equal(decided.manualDecision?.decidedBy, 'Amina Otieno');
      const timeline = (await getCase(kase.id)).timeline.map((t) => t.summary);
      assert.ok(
        timeline.some((s) => /^Approval requested — needs a second approver/.test(s)),
        timeline.join(' | '),
      );
    });

    it('without a case the same four-eyes limits apply: a block above the limit waits in a case of its own; a small one takes effect', async () => {
      const settings = FourEyesSettingsView.parse((await call('faith.wambui', 'GET', '/api/v1/cases/settings/four-eyes')).body);
      const lowered = await call('faith.wambui', 'PUT', '/api/v1/cases/settings/four-eyes', {
        blockAboveKes: 10_000,
        closeCritical: true,
        expectedVersion: settings.version,
      });
      assert.equal(lowered.status, 200);
      try {
        const big = await assess(samplePayment({ amount: 40_000, customerId: 'CIF-PUT-BIG' }));
        assert.equal(big.decision, 'APPROVE');
        assert.equal(big.caseId, null);
        const answer = PaymentDecisionAnswer.parse((await decide('brian.kamau', big, 'REJECT', 'Customer denied making it.')).body);
        assert.equal(answer.approvalRequired, true);
        assert.match(answer.approvalWhy ?? '', /blocking KES 40,000 \(above the KES 10,000 limit\)/);
        assert.equal(answer.case?.state, 'AWAITING_APPROVAL');
        assert.equal(answer.case?.approvalRequest?.requestedByName, 'Brian Kamau');
        assert.equal(answer.assessment.decision, 'APPROVE', 'still the engine’s decision');
        assert.equal((await reload(big)).caseId, answer.case?.id);
        // Sent back, the case is Brian's to work; confirmed, the payment is rejected.
        const kase = answer.case!;
        const back = CaseSummary.parse(
          (
            await call('faith.wambui', 'POST', `/api/v1/cases/${kase.id}/approval`, {
              approve: false,
              note: 'Attach the customer statement first.',
              expectedVersion: kase.version,
            })
          ).body,
        );
        assert.equal(back.state, 'IN_PROGRESS');
        assert.equal(back.assigneeName, 'Brian Kamau');
        const again = CaseSummary.parse(
          (
            await call('brian.kamau', 'POST', `/api/v1/cases/${kase.id}/decision`, {
              action: 'BLOCK',
              reasonCode: 'CUSTOMER_DENIED_TRANSACTION',
              note: 'Statement attached.',
              expectedVersion: back.version,
            })
          ).body,
        );
        assert.equal(again.state, 'AWAITING_APPROVAL');
        assert.equal(
          (
            await call('faith.wambui', 'POST', `/api/v1/cases/${kase.id}/approval`, {
              approve: true,
              note: 'Statement checked.',
              expectedVersion: again.version,
            })
          ).status,
          200,
        );
        assert.equal((await reload(big)).decision, 'REJECT');

        const small = await assess(samplePayment({ amount: 5_000, customerId: 'CIF-PUT-SMALL' }));
        const direct = PaymentDecisionAnswer.parse((await decide('brian.kamau', small, 'REJECT', 'Customer denied making it.')).body);
        assert.equal(direct.approvalRequired, false);
        assert.equal(direct.case, null);
        assert.equal(direct.assessment.decision, 'REJECT');
        assert.equal((await reload(small)).manualDecision?.decidedBy, 'Brian Kamau');
      } finally {
        const now = FourEyesSettingsView.parse((await call('faith.wambui', 'GET', '/api/v1/cases/settings/four-eyes')).body);
        await call('faith.wambui', 'PUT', '/api/v1/cases/settings/four-eyes', {
          blockAboveKes: settings.blockAboveKes,
          closeCritical: settings.closeCritical,
          expectedVersion: now.version,
        });
      }
    });

    it('the open case’s rules hold for the PUT: someone else’s case, a review decision and a stale version are refused', async () => {
      const critical = await assess();
      const kase = (await getCase(critical.caseId!)).case;
      assert.equal((await call('brian.kamau', 'POST', `/api/v1/cases/${kase.id}/assign`, { expectedVersion: kase.version })).status, 200);
      const notHers = await decide('amina.otieno', critical, 'APPROVE', 'Looks fine to me.');
      assert.equal(notHers.status, 403, JSON.stringify(notHers.body));
      assert.match(ApiErrorBody.parse(notHers.body).error.message, /assigned to Brian Kamau/);
      assert.equal((await decide('brian.kamau', critical, 'HOLD', 'Hold it for now.')).status, 409);
      assert.equal((await decide('brian.kamau', critical, 'APPROVE', 'Looks fine.', critical.version + 5)).status, 409);
      // Escalating needs no second approver: the case moves to the escalation queue and the payment follows.
      const escalated = PaymentDecisionAnswer.parse((await decide('brian.kamau', critical, 'ESCALATE', 'Needs a compliance review.')).body);
      assert.equal(escalated.case?.state, 'ESCALATED');
      assert.equal(escalated.assessment.decision, 'ESCALATE');
      // A review decision on a payment without an open case gives it a case.
      const plain = await assess(samplePayment({ customerId: 'CIF-PUT-HOLD' }));
      const held = PaymentDecisionAnswer.parse((await decide('brian.kamau', plain, 'HOLD', 'Customer asked us to hold it.')).body);
      assert.equal(held.assessment.decision, 'HOLD');
      assert.equal(held.case?.state, 'NEW');
      assert.equal((await reload(plain)).caseId, held.case?.id);
    });

    it('writes the case decision back through updateAssessment: one new version, assessment.updated live, audited; a stale write is refused', async () => {
      const critical = await assess();
      const settings = FourEyesSettingsView.parse((await call('faith.wambui', 'GET', '/api/v1/cases/settings/four-eyes')).body);
      assert.equal(settings.closeCritical, true);
      const socket = await openSocket(svc.url, tokens['brian.kamau']!);
      try {
        const updates: Array<{ id: string; decision: string | null; version: number }> = [];
        socket.on('assessment.updated', (event) => updates.push(event));
        let kase = (await getCase(critical.caseId!, 'wanjiru.njoroge')).case;
        kase = CaseSummary.parse((await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${kase.id}/assign`, { expectedVersion: kase.version })).body);
        kase = CaseSummary.parse(
          (
            await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${kase.id}/decision`, {
              action: 'BLOCK',
              reasonCode: 'MULE_ACCOUNT',
              note: 'Beneficiary is a known mule.',
              expectedVersion: kase.version,
            })
          ).body,
        );
        assert.equal(kase.state, 'AWAITING_APPROVAL');
        kase = CaseSummary.parse(
          (
            await call('faith.wambui', 'POST', `/api/v1/cases/${kase.id}/approval`, {
              approve: true,
              note: 'Mule confirmed by the bank.',
              expectedVersion: kase.version,
            })
          ).body,
        );
        const blocked = await reload(critical);
        assert.equal(blocked.decision, 'REJECT');
        assert.equal(blocked.version, critical.version + 1, 'exactly one new version');
        assert.ok(blocked.assessmentDetails?.history.some((h) => h.action === 'CASE_DECISION'));
        for (let i = 0; i < 50 && !updates.some((u) => u.id === critical.id); i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(
          updates.filter((u) => u.id === critical.id).map((u) => [u.decision, u.version]),
          [['REJECT', critical.version + 1]],
        );
        const audit = pageOf(AuditEntry).parse((await call('grace.achieng', 'GET', `/api/v1/audit?entityId=${critical.id}&command=case.approval`)).body);
        assert.equal(audit.total, 1);
        assert.equal(audit.items[0]!.after?.decision, 'REJECT');
      } finally {
        socket.disconnect();
      }
      await assert.rejects(
        svc.service.context.bus.execute(staleWrite, { id: critical.id }, SYSTEM_ACTOR),
        (error: Error & { status?: number }) => error.status === 409,
      );
      assert.equal((await reload(critical)).decisionReason.startsWith('Analyst decision'), true, 'the stale write left nothing behind');
    });

    it('counts overdue cases by the injected clock', async () => {
      const payment = criticalPayment();
      await assess(payment);
      const before = QueueCounts.parse((await call('faith.wambui', 'GET', '/api/v1/cases/counts')).body);
      const overdueBefore = CasePage.parse((await call('faith.wambui', 'GET', `/api/v1/cases?sla=overdue&search=${payment.transactionReference}`)).body);
      assert.equal(overdueBefore.total, 0);
      clock.advance(2 * 3_600_000); // a CRITICAL case is due within the hour
      const afterCounts = QueueCounts.parse((await call('faith.wambui', 'GET', '/api/v1/cases/counts')).body);
      assert.ok(afterCounts.overdue > before.overdue, `${afterCounts.overdue} > ${before.overdue}`);
      const overdue = CasePage.parse((await call('faith.wambui', 'GET', `/api/v1/cases?sla=overdue&search=${payment.transactionReference}`)).body);
      assert.equal(overdue.total, 1);
    });
  });
}
