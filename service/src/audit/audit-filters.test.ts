import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { AuditPage } from '../../../shared/src/audit.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { CaseDetail } from '../../../shared/src/cases.ts';

after(stopTestPostgres);

const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';

/**
 * Issue 11 item 5: the audit log names records by their case or payment reference (resolved in
 * the reader's tenants), links them, and filters by actor, command, entity (id or reference) and
 * time range; bad dates answer 400 naming the field.
 */
for (const dialect of DIALECTS) {
  describe(`audit log references and filters on ${dialect}`, { timeout: 120_000 }, () => {
    let svc: TestService;
    let admin: string;
    const tokens: Record<string, string> = {};
    const clock = new ManualClock('2026-11-20T09:00:00Z');
    const ke = criticalPayment({ tenantId: KE });
    const ug = criticalPayment({ tenantId: UG });
    let keCase: CaseDetail;
    let ugCase: CaseDetail;

    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const audit = async (token: string, query = '') => AuditPage.parse(await ok(svc.request('GET', `/api/v1/audit?pageSize=500${query}`, { token })));
    const caseOf = async (transactionReference: string) => {
      const list = (await ok(svc.request('GET', `/api/v1/fraud-risk/assessments?search=${transactionReference}`, { token: admin }))) as {
        items: { caseId: string | null }[];
      };
      const caseId = list.items[0]?.caseId;
      assert.ok(caseId, `a case for ${transactionReference}`);
      return CaseDetail.parse(await ok(svc.request('GET', `/api/v1/cases/${caseId}`, { token: admin })));
    };

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      for (const [username, tenants] of [
        ['grace.achieng', []],
        ['uganda.auditor', [UG]],
      ] as const) {
        await addTestUser(svc, username, 'AUDITOR', tenants);
        tokens[username] = (await svc.login(username, TEST_USER_PASSWORD)).token;
      }
      await ok(svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: ke }), 201);
      await ok(svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: ug }), 201);
      keCase = await caseOf(ke.transactionReference);
      ugCase = await caseOf(ug.transactionReference);
      // An hour later, a comment on the Kenyan case: the time filter tells the two apart.
      clock.advance(3_600_000);
      await ok(svc.request('POST', `/api/v1/cases/${keCase.case.id}/comments`, { token: admin, body: { body: 'Called the customer.' } }), 201);
    });
    after(async () => svc?.stop());

    it('names each row by its case or payment reference and links it', async () => {
      const page = await audit(tokens['grace.achieng']!);
      const caseRows = page.items.filter((e) => e.entityType === 'case' && e.entityId === keCase.case.id);
      assert.ok(caseRows.length >= 2, 'opened and commented');
      for (const row of caseRows) assert.deepEqual(row.subject, { reference: keCase.case.reference, kind: 'case', caseId: keCase.case.id, assessmentId: null });
      const assessmentRow = page.items.find((e) => e.entityType === 'assessment' && e.entityId === keCase.assessments[0]!.id);
      assert.ok(assessmentRow, 'the assessment is audited');
      assert.equal(assessmentRow.subject?.reference, ke.transactionReference);
      assert.equal(assessmentRow.subject?.caseId, keCase.case.id);
      assert.equal(assessmentRow.subject?.assessmentId, keCase.assessments[0]!.assessmentId);
      // Different assessments read differently (not the same id prefix).
      const refs = new Set(page.items.filter((e) => e.entityType === 'assessment').map((e) => e.subject?.reference));
      assert.ok(refs.has(ke.transactionReference) && refs.has(ug.transactionReference));
    });

    it('filters by entity reference or id, within the reader’s tenants only', async () => {
      const byCaseRef = await audit(tokens['grace.achieng']!, `&entityId=${keCase.case.reference}`);
      assert.ok(byCaseRef.total >= 2);
      assert.ok(byCaseRef.items.every((e) => e.subject?.reference === keCase.case.reference));
      const byPayment = await audit(tokens['grace.achieng']!, `&entityId=${ke.transactionReference}`);
      assert.ok(byPayment.total >= 1);
      assert.ok(byPayment.items.every((e) => e.subject?.reference === ke.transactionReference));
      const byId = await audit(tokens['grace.achieng']!, `&entityType=case&entityId=${keCase.case.id}`);
      assert.equal(byId.total, byCaseRef.items.filter((e) => e.entityType === 'case').length);
      // A Ugandan auditor: the Kenyan references find nothing, and nothing Kenyan is named.
      const uganda = tokens['uganda.auditor']!;
      assert.equal((await audit(uganda, `&entityId=${keCase.case.reference}`)).total, 0);
      assert.equal((await audit(uganda, `&entityId=${ke.transactionReference}`)).total, 0);
      const own = await audit(uganda);
      const text = JSON.stringify(own.items);
      assert.ok(!text.includes(keCase.case.reference) && !text.includes(ke.transactionReference), 'no Kenyan reference revealed');
      assert.ok(
        own.items.some((e) => e.subject?.reference === ugCase.case.reference),
        'its own case named',
      );
    });

    it('filters by actor, command and time range', async () => {
      const grace = tokens['grace.achieng']!;
      const all = await audit(grace);
      const byAdmin = await audit(grace, '&actor=ADMIN');
      assert.ok(byAdmin.total > 0 && byAdmin.total < all.total, 'the username, any case');
      assert.ok(byAdmin.items.every((e) => e.actorId === byAdmin.items[0]!.actorId));
      assert.equal((await audit(grace, '&actor=nobody-of-that-name')).total, 0);
      const caseCommands = await audit(grace, '&command=case.');
      assert.ok(caseCommands.total > 0 && caseCommands.items.every((e) => e.command.startsWith('case.')));
      const one = caseCommands.items[0]!.command;
      assert.ok((await audit(grace, `&command=${one}`)).items.every((e) => e.command === one));
      // The comment came an hour after the payments: from/to split the log there (offsets accepted).
      const later = await audit(grace, `&from=${encodeURIComponent('2026-11-20T12:30:00+03:00')}`);
      const earlier = await audit(grace, `&to=${encodeURIComponent('2026-11-20T12:30:00+03:00')}`);
      assert.ok(later.total >= 1 && later.items.every((e) => e.occurredAt >= '2026-11-20T09:30:00.000Z'));
      assert.ok(earlier.items.every((e) => e.occurredAt < '2026-11-20T09:30:00.000Z'));
      assert.equal(later.total + earlier.total, all.total);
      assert.ok(later.items.some((e) => e.subject?.reference === keCase.case.reference));
    });

    it('refuses partial or reversed dates with 400 naming the field', async () => {
      const partial = await svc.request('GET', '/api/v1/audit?from=2026-11-2', { token: tokens['grace.achieng']! });
      assert.equal(partial.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(partial.body).error.fields?.map((f) => f.path),
        ['query.from'],
      );
      const reversed = await svc.request(
        'GET',
        `/api/v1/audit?from=${encodeURIComponent('2026-11-21T00:00:00Z')}&to=${encodeURIComponent('2026-11-20T00:00:00Z')}`,
        {
          token: tokens['grace.achieng']!,
        },
      );
      assert.equal(reversed.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(reversed.body).error.fields?.map((f) => f.path),
        ['query.to'],
      );
    });
  });
}
