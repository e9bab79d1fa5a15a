import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { CaseDetail, CaseSummary, QueueCounts } from '../../../shared/src/cases.ts';
import { ApiErrorBody, pageOf } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import { AuditEntry } from '../../../shared/src/audit.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';

after(stopTestPostgres);

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const CasePage = pageOf(CaseSummary);

function openSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (error) => reject(error));
  });
}

function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean,
  timeoutMs = 5000,
) {
  return new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (socket.off as (e: string, l: unknown) => void)(event, listener);
      resolve(payload);
    };
    (socket.on as (e: string, l: unknown) => void)(event, listener);
  });
}

for (const dialect of DIALECTS) {
  describe(`case workflow on ${dialect}`, () => {
    let svc: TestService;
    let adminToken: string;
    let tokens: Record<string, string> = {};
    let ids: Record<string, string> = {};
    before(async () => {
      svc = await startTestService(dialect);
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, CASE_TEAM));
    });
    after(async () => svc.stop());

    const assess = (payment = criticalPayment()) => svc.request('POST', '/api/v1/fraud-risk/assessments', { token: adminToken, body: payment });
    const caseFor = async (reference: string, token = tokens['amina.otieno']!) => {
      const page = CasePage.parse((await svc.request('GET', `/api/v1/cases?search=${reference}&state=CLOSED`, { token })).body);
      const open = CasePage.parse((await svc.request('GET', `/api/v1/cases?search=${reference}`, { token })).body);
      const found = [...open.items, ...page.items][0];
      assert.ok(found, `case for ${reference}`);
      return found;
    };

    it('opens a case live for two analysts, and a decision reaches the second analyst live', async () => {
      const amina = await openSocket(svc.url, tokens['amina.otieno']!);
      const brian = await openSocket(svc.url, tokens['brian.kamau']!);
      try {
        const payment = criticalPayment();
        const seenByAmina = nextEvent(amina, 'case.opened', (c) => c.transactionReference === payment.transactionReference);
        const seenByBrian = nextEvent(brian, 'case.opened', (c) => c.transactionReference === payment.transactionReference);
        assert.equal((await assess(payment)).status, 201);
        const [opened, openedForBrian] = await Promise.all([seenByAmina, seenByBrian]);
        assert.equal(opened.id, openedForBrian.id);
        assert.equal(opened.state, 'NEW');
        assert.equal(opened.riskLevel, 'CRITICAL');
        assert.equal(opened.queue, 'Priority review');
        assert.ok(new Date(opened.slaDueAt).getTime() - new Date(opened.createdAt).getTime() === 3_600_000, 'critical cases are due within an hour');

        const detail = CaseDetail.parse((await svc.request('GET', `/api/v1/cases/${opened.id}`, { token: tokens['amina.otieno'] })).body);
        assert.equal(detail.assessments[0]?.payment.amount, 12_500_000);
        assert.ok(detail.assessments[0]?.riskFactors.some((f) => f.ruleId === 'amount.high' && f.contribution === 0.6));

        // Amina takes it and blocks it: a CRITICAL KES 12.5M block needs a second approver (four-eyes).
        const claimed = CaseSummary.parse(
          (await svc.request('POST', `/api/v1/cases/${opened.id}/assign`, { token: tokens['amina.otieno'], body: { expectedVersion: opened.version } })).body,
        );
        assert.equal(claimed.state, 'ASSIGNED');
        const requested = await svc.request('POST', `/api/v1/cases/${opened.id}/decision`, {
          token: tokens['amina.otieno'],
          body: {
            action: 'BLOCK',
            reasonCode: 'SUSPECTED_ACCOUNT_TAKEOVER',
            note: 'Customer denies the transfer; new device.',
            expectedVersion: claimed.version,
          },
        });
        assert.equal(requested.status, 200);
        const awaiting = CaseSummary.parse(requested.body);
        assert.equal(awaiting.state, 'AWAITING_APPROVAL');
        assert.equal(awaiting.approvalRequest?.requestedByName, 'Amina Otieno');
        assert.match(awaiting.approvalRequest?.why ?? '', /KES 12,500,000/);
        // The payment stays held until the second approver confirms.
        const held = Assessment.parse(
          (await svc.request('GET', `/api/v1/fraud-risk/assessments/transaction/${payment.transactionReference}`, { token: adminToken })).body,
        );
        assert.equal(held.decision, 'ESCALATE');
        // Brian (analyst, no approver rights) cannot confirm it.
        assert.equal(
          (
            await svc.request('POST', `/api/v1/cases/${opened.id}/approval`, {
              token: tokens['brian.kamau'],
              body: { approve: true, note: 'Looks right to me.', expectedVersion: awaiting.version },
            })
          ).status,
          403,
        );

        const decidedForBrian = nextEvent(brian, 'case.updated', (c) => c.id === opened.id && c.state === 'CLOSED');
        const confirmed = await svc.request('POST', `/api/v1/cases/${opened.id}/approval`, {
          token: tokens['wanjiru.njoroge'],
          body: { approve: true, note: 'Device and IP confirm takeover.', expectedVersion: awaiting.version },
        });
        assert.equal(confirmed.status, 200);
        const live = await decidedForBrian;
        assert.equal(live.outcome, 'BLOCKED');
        assert.equal(live.assigneeName, 'Amina Otieno');

        // Persisted on the assessment (seed 001: block → status update) and audited with before/after.
        const assessment = Assessment.parse(
          (await svc.request('GET', `/api/v1/fraud-risk/assessments/transaction/${payment.transactionReference}`, { token: adminToken })).body,
        );
        assert.equal(assessment.decision, 'REJECT');
        assert.equal(assessment.engineDecision, 'ESCALATE', "the engine's own decision is kept");
        assert.match(assessment.engineDecisionReason, /^CRITICAL risk/);
        assert.equal(assessment.manualDecision?.decidedBy, 'Amina Otieno');
        const audit = pageOf(AuditEntry).parse(
          (await svc.request('GET', `/api/v1/audit?entityId=${opened.id}&command=case.approval`, { token: tokens['grace.achieng'] })).body,
        );
        assert.equal(audit.total, 1);
        const entry = audit.items[0]!;
        assert.equal(entry.actorName, 'Wanjiru Njoroge');
        assert.equal(entry.before?.state, 'AWAITING_APPROVAL');
        assert.equal(entry.after?.state, 'CLOSED');
        assert.equal(entry.after?.approvedBy, 'Wanjiru Njoroge');
        const timeline = CaseDetail.parse((await svc.request('GET', `/api/v1/cases/${opened.id}`, { token: tokens['brian.kamau'] })).body).timeline;
        assert.deepEqual(
          timeline.map((t) => t.command),
          ['assessment.record', 'assessment.record', 'case.assign', 'case.decide', 'case.approval', 'case.approval'],
        );
        assert.match(timeline[3]!.summary, /^Block requested — needs a second approver/);
        assert.match(timeline[4]!.summary, /^Four-eyes approval given by Wanjiru Njoroge: blocked/);
      } finally {
        amina.disconnect();
        brian.disconnect();
      }
    });

    it('refuses a decision made on a stale version instead of overwriting (409)', async () => {
      const payment = criticalPayment();
      await assess(payment);
      const opened = await caseFor(payment.transactionReference);
      const claim = await svc.request('POST', `/api/v1/cases/${opened.id}/assign`, { token: tokens['brian.kamau'], body: { expectedVersion: opened.version } });
      assert.equal(claim.status, 200);
      assert.equal(CaseSummary.parse(claim.body).state, 'ASSIGNED');
      // Amina still holds version 1.
      const stale = await svc.request('POST', `/api/v1/cases/${opened.id}/decision`, {
        token: tokens['amina.otieno'],
        body: { action: 'APPROVE', reasonCode: 'VERIFIED_WITH_CUSTOMER', note: 'Called the customer back.', expectedVersion: opened.version },
      });
      assert.equal(stale.status, 409);
      assert.equal(ApiErrorBody.parse(stale.body).error.code, 'CONFLICT');
      const current = await caseFor(payment.transactionReference);
      assert.equal(current.state, 'ASSIGNED');
      assert.equal(current.assigneeName, 'Brian Kamau');
    });

    it('allows only the transitions of the state machine, each by the right person', async () => {
      // Neither four-eyes rule in the way here: that has its own test.
      const fourEyes = (await svc.request('GET', '/api/v1/cases/settings/four-eyes', { token: tokens['faith.wambui'] })).body as { version: number };
      assert.equal(
        (
          await svc.request('PUT', '/api/v1/cases/settings/four-eyes', {
            token: tokens['faith.wambui'],
            body: { blockAboveKes: 1e12, closeCritical: false, expectedVersion: fourEyes.version },
          })
        ).status,
        200,
      );
      try {
        const payment = criticalPayment();
        await assess(payment);
        let c = await caseFor(payment.transactionReference);
        const post = (who: string, path: string, body: Record<string, unknown> = {}) =>
          svc.request('POST', `/api/v1/cases/${c.id}/${path}`, { token: tokens[who], body: { expectedVersion: c.version, ...body } });
        const decide = (who: string, action: string, reasonCode: string) => post(who, 'decision', { action, reasonCode, note: 'Reviewed the evidence.' });
        const ok = async (res: Awaited<ReturnType<typeof post>>, state: string) => {
          assert.equal(res.status, 200, JSON.stringify(res.body));
          c = CaseSummary.parse(res.body);
          assert.equal(c.state, state);
        };
        const refused = async (res: Awaited<ReturnType<typeof post>>, status: number, why: string) => {
          assert.equal(res.status, status, `${why}: ${JSON.stringify(res.body)}`);
          const now = CaseDetail.parse((await svc.request('GET', `/api/v1/cases/${c.id}`, { token: tokens['faith.wambui'] })).body).case;
          assert.equal(now.version, c.version, `${why}: nothing changed`);
        };
        const allowed = async (who: string) =>
          CaseDetail.parse((await svc.request('GET', `/api/v1/cases/${c.id}`, { token: tokens[who] })).body).allowedActions;

        // NEW: only assign.
        assert.deepEqual(await allowed('amina.otieno'), ['assign', 'comment', 'attach', 'tag']);
        for (const path of ['start', 'release', 'resume']) await refused(await post('amina.otieno', path), 409, `${path} on NEW`);
        await refused(await post('amina.otieno', 'request-info', { note: 'Need the invoice.' }), 409, 'request-info on NEW');
        await refused(await decide('amina.otieno', 'APPROVE', 'KNOWN_BENEFICIARY'), 409, 'decide an unassigned case');
        await ok(await post('amina.otieno', 'assign'), 'ASSIGNED');
        // ASSIGNED: Brian cannot work Amina's case, or take it over.
        await refused(await post('brian.kamau', 'start'), 403, 'start someone else’s case');
        await refused(await post('brian.kamau', 'assign'), 403, 'take over someone else’s case');
        await refused(await post('amina.otieno', 'resume'), 409, 'resume an ASSIGNED case');
        await ok(await post('amina.otieno', 'start'), 'IN_PROGRESS');
        await refused(await post('amina.otieno', 'start'), 409, 'start twice');
        // PENDING_INFO stops the SLA clock; resuming moves the due time by the pause.
        await ok(await post('amina.otieno', 'request-info', { note: 'Asked the customer for the invoice.' }), 'PENDING_INFO');
        assert.ok(c.slaPausedAt);
        const dueBefore = c.slaDueAt;
        await new Promise((r) => setTimeout(r, 1100));
        await ok(await post('amina.otieno', 'resume'), 'IN_PROGRESS');
        assert.equal(c.slaPausedAt, null);
        assert.ok(new Date(c.slaDueAt).getTime() - new Date(dueBefore).getTime() >= 1000, 'the pause is added to the SLA');
        // ESCALATED: to the escalation queue, unassigned, for supervisors only.
        await ok(await decide('amina.otieno', 'ESCALATE', 'AML_SUSPICION'), 'ESCALATED');
        assert.equal(c.queue, 'Escalations');
        assert.equal(c.assigneeId, null);
        await refused(await decide('amina.otieno', 'ESCALATE', 'AML_SUSPICION'), 409, 'escalate twice');
        await refused(await post('amina.otieno', 'assign'), 403, 'an analyst takes an escalated case');
        await refused(await post('faith.wambui', 'assign', { assigneeId: ids['brian.kamau'] }), 400, 'an escalated case assigned to an analyst');
        await ok(await post('wanjiru.njoroge', 'assign'), 'ESCALATED');
        assert.equal(c.assigneeName, 'Wanjiru Njoroge');
        await ok(await post('wanjiru.njoroge', 'request-info', { note: 'Waiting for the branch report.' }), 'PENDING_INFO');
        await ok(await post('wanjiru.njoroge', 'resume'), 'ESCALATED');
        await ok(await decide('wanjiru.njoroge', 'APPROVE', 'BUSINESS_PATTERN_EXPLAINED'), 'CLOSED');
        assert.equal(c.outcome, 'APPROVED');
        assert.deepEqual(c.reasonCodes, ['AML_SUSPICION', 'BUSINESS_PATTERN_EXPLAINED']);
        // CLOSED: stays closed; comments (evidence) may still be added.
        assert.deepEqual(await allowed('wanjiru.njoroge'), ['comment', 'attach']);
        await refused(await decide('wanjiru.njoroge', 'BLOCK', 'MULE_ACCOUNT'), 409, 'a closed case stays closed');
        for (const path of ['assign', 'release', 'start', 'resume']) await refused(await post('wanjiru.njoroge', path), 409, `${path} on CLOSED`);
        // Bad input is refused with the field named.
        const mismatch = await decide('wanjiru.njoroge', 'APPROVE', 'MULE_ACCOUNT');
        assert.equal(mismatch.status, 400);
        assert.deepEqual(
          ApiErrorBody.parse(mismatch.body).error.fields?.map((f) => f.path),
          ['body.reasonCode'],
        );
        const noNote = await svc.request('POST', `/api/v1/cases/${c.id}/decision`, {
          token: tokens['amina.otieno'],
          body: { action: 'APPROVE', reasonCode: 'KNOWN_BENEFICIARY', expectedVersion: c.version },
        });
        assert.deepEqual(
          ApiErrorBody.parse(noNote.body).error.fields?.map((f) => f.path),
          ['body.note'],
        );
        // Release: back to NEW and unassigned.
        const other = criticalPayment();
        await assess(other);
        c = await caseFor(other.transactionReference);
        await ok(await post('brian.kamau', 'assign'), 'ASSIGNED');
        await refused(await post('amina.otieno', 'release'), 403, 'release someone else’s case');
        await ok(await post('brian.kamau', 'release', { note: 'Going off shift.' }), 'NEW');
        assert.equal(c.assigneeId, null);
        // A supervisor assigns to someone else; an analyst cannot.
        await refused(await post('amina.otieno', 'assign', { assigneeId: ids['brian.kamau'] }), 403, 'an analyst assigns to someone else');
        await ok(await post('faith.wambui', 'assign', { assigneeId: ids['brian.kamau'] }), 'ASSIGNED');
        await ok(await post('faith.wambui', 'assign', { assigneeId: ids['amina.otieno'] }), 'ASSIGNED');
        const reassigned = CaseDetail.parse((await svc.request('GET', `/api/v1/cases/${c.id}`, { token: tokens['amina.otieno'] })).body).timeline.at(-1)!;
        assert.equal(reassigned.summary, 'Reassigned from Brian Kamau to Amina Otieno');
      } finally {
        const now = (await svc.request('GET', '/api/v1/cases/settings/four-eyes', { token: tokens['faith.wambui'] })).body as { version: number };
        await svc.request('PUT', '/api/v1/cases/settings/four-eyes', {
          token: tokens['faith.wambui'],
          body: { blockAboveKes: 1_000_000, closeCritical: true, expectedVersion: now.version },
        });
      }
    });

    it('enforces roles: auditors read but do not decide; executives see no cases; machine callers cannot work cases', async () => {
      const payment = criticalPayment();
      await assess(payment);
      const opened = await caseFor(payment.transactionReference, tokens['grace.achieng']);
      const auditorDecides = await svc.request('POST', `/api/v1/cases/${opened.id}/decision`, {
        token: tokens['grace.achieng'],
        body: { action: 'APPROVE', reasonCode: 'KNOWN_BENEFICIARY', note: 'Looks fine to me.', expectedVersion: opened.version },
      });
      assert.equal(auditorDecides.status, 403);
      assert.equal((await svc.request('GET', '/api/v1/cases', { token: tokens['david.kiprop'] })).status, 403);
      assert.equal((await svc.request('GET', `/api/v1/cases/${opened.id}`, { token: tokens['david.kiprop'] })).status, 403);
      assert.equal((await svc.request('GET', '/api/v1/dashboard/summary', { token: tokens['david.kiprop'] })).status, 200);
      assert.equal((await svc.request('GET', '/api/v1/audit', { token: tokens['amina.otieno'] })).status, 403);
      const unchanged = await caseFor(payment.transactionReference);
      assert.equal(unchanged.version, opened.version);

      // An executive's socket receives no case events.
      const exec = await openSocket(svc.url, tokens['david.kiprop']!);
      const analyst = await openSocket(svc.url, tokens['amina.otieno']!);
      try {
        let executiveSawCase = false;
        exec.on('case.opened', () => (executiveSawCase = true));
        const next = criticalPayment();
        const analystSaw = nextEvent(analyst, 'case.opened', (c) => c.transactionReference === next.transactionReference);
        await assess(next);
        await analystSaw;
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(executiveSawCase, false);
      } finally {
        exec.disconnect();
        analyst.disconnect();
      }
    });

    it('filters, sorts and counts the queue on the server', async () => {
      await assess(criticalPayment({ customerId: 'CIF-QUEUE-9', deviceId: 'dev-queue-9' }));
      await assess(samplePayment({ customerId: 'CIF-QUEUE-8', deviceId: 'dev-queue-8', debtorAccount: '0120077770009', amount: 2_000_000 }));
      const token = tokens['brian.kamau']!;
      const mine = CasePage.parse((await svc.request('GET', '/api/v1/cases?search=cif-queue&sort=riskScore&direction=desc', { token })).body);
      assert.equal(mine.total, 2);
      assert.deepEqual(
        mine.items.map((c) => c.riskLevel),
        ['CRITICAL', 'MEDIUM'],
      );
      const medium = CasePage.parse((await svc.request('GET', '/api/v1/cases?search=CIF-QUEUE&riskLevel=MEDIUM', { token })).body);
      assert.equal(medium.total, 1);
      assert.equal(medium.items[0]?.queue, 'General review');
      const byReference = CasePage.parse(
        (await svc.request('GET', `/api/v1/cases?search=${medium.items[0]!.reference.toLowerCase()}&state=ALL`, { token })).body,
      );
      assert.deepEqual(
        byReference.items.map((c) => c.id),
        [medium.items[0]!.id],
        'a case reference finds that case',
      );
      const inQueue = CasePage.parse((await svc.request('GET', `/api/v1/cases?queueId=${medium.items[0]!.queueId}&pageSize=500`, { token })).body);
      assert.ok(inQueue.items.every((c) => c.queue === 'General review') && inQueue.items.some((c) => c.id === medium.items[0]!.id));
      const critical = CasePage.parse((await svc.request('GET', '/api/v1/cases?riskLevels=CRITICAL,HIGH&pageSize=500', { token })).body);
      assert.ok(critical.total > 0 && critical.items.every((c) => c.riskLevel === 'CRITICAL' || c.riskLevel === 'HIGH'));
      const onTrack = CasePage.parse((await svc.request('GET', '/api/v1/cases?sla=on-track&pageSize=500', { token })).body);
      assert.ok(
        onTrack.items.some((c) => c.id === medium.items[0]!.id),
        'a case opened just now is on track',
      );
      assert.equal(CasePage.parse((await svc.request('GET', `/api/v1/cases?sla=overdue&search=CIF-QUEUE`, { token })).body).total, 0);
      assert.equal((await svc.request('GET', '/api/v1/cases?sla=late', { token })).status, 400);
      const counts = QueueCounts.parse((await svc.request('GET', '/api/v1/cases/counts', { token })).body);
      const open = CasePage.parse((await svc.request('GET', '/api/v1/cases?pageSize=1', { token })).body);
      assert.equal(counts.open, open.total);
      assert.equal(
        Object.values(counts.byRiskLevel).reduce((a, b) => a + b, 0),
        counts.open,
      );
      const unassigned = CasePage.parse((await svc.request('GET', '/api/v1/cases?assignee=unassigned&pageSize=1', { token })).body);
      assert.equal(counts.unassigned, unassigned.total);
      assert.equal((await svc.request('GET', '/api/v1/cases/not-a-uuid', { token })).status, 400);
      assert.equal((await svc.request('GET', '/api/v1/cases/6f1c8a56-2f51-4f3c-9a43-0c2f0d8f3b11', { token })).status, 404);
    });

    it('claim-next never gives two analysts the same case, even when they claim at once', async () => {
      const unassigned = CasePage.parse(
        (await svc.request('GET', '/api/v1/cases?state=NEW&assignee=unassigned&pageSize=1', { token: tokens['amina.otieno'] })).body,
      ).total;
      for (let i = 0; i < 6; i++) await assess(criticalPayment({ customerId: `CIF-CLAIM-${i}`, debtorAccount: `0120055500${i}` }));
      const available = unassigned + 6;
      const analysts = ['amina.otieno', 'brian.kamau'];
      const attempts = await Promise.all(
        Array.from({ length: available + 6 }, (_, i) => {
          const who = analysts[i % 2]!;
          return svc.request('POST', '/api/v1/cases/claim-next', { token: tokens[who], body: {} }).then((res) => ({ who, res }));
        }),
      );
      const claimed = attempts.filter((a) => a.res.status === 200);
      assert.equal(claimed.length, available, 'every unassigned case is claimed once');
      assert.ok(
        attempts.filter((a) => a.res.status !== 200).every((a) => a.res.status === 404),
        'the rest find the queue empty',
      );
      const caseIds = claimed.map((c) => (c.res.body as { id: string }).id);
      assert.equal(new Set(caseIds).size, caseIds.length, 'no case was claimed twice');
      for (const { who, res } of claimed) {
        const summary = res.body as { id: string; assigneeId: string | null; state: string };
        assert.equal(summary.assigneeId, ids[who]);
        assert.equal(summary.state, 'ASSIGNED');
      }
      assert.equal(
        (await svc.request('POST', '/api/v1/cases/claim-next', { token: tokens['grace.achieng'], body: {} })).status,
        403,
        'auditors do not work cases',
      );
    });

    it('rejects socket.io connections without a valid token', async () => {
      await assert.rejects(openSocket(svc.url, 'not-a-token'), /unauthorized/);
      const logout = await svc.login('brian.kamau', TEST_USER_PASSWORD);
      const socket = await openSocket(svc.url, logout.token);
      const revoked = nextEvent(socket, 'session.revoked', () => true);
      const disconnected = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no disconnect within 5000 ms')), 5000);
        socket.on('disconnect', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      assert.equal((await svc.request('POST', '/api/v1/auth/logout', { token: logout.token })).status, 204);
      assert.equal((await revoked).reason, 'signed out');
      await disconnected;
      assert.equal((await svc.request('GET', '/api/v1/cases', { token: logout.token })).status, 401, 'a signed-out token stops working');
      await assert.rejects(openSocket(svc.url, logout.token), /unauthorized/);
    });
  });
}
