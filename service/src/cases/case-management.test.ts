import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, CASE_TEAM, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { BulkResult, CaseAttachment, CaseComment, CaseDetail, CaseSummary, SavedFilter } from '../../../shared/src/cases.ts';
import { CaseQueue } from '../../../shared/src/queues.ts';
import { Customer360, Customer360Account, Customer360Risk, Customer360Transaction, CustomerResolveResult } from '../../../shared/src/customer360.ts';
import { ApiErrorBody, pageOf } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { upsertCustomer } from '../customers/customers.ts';
import type { Customer } from '../../../shared/src/customers.ts';

after(stopTestPostgres);

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1c3b8d20000000049454e44ae426082',
  'hex',
);

function coreRecord(overrides: Partial<Omit<Customer, 'id'>>): Omit<Customer, 'id'> {
  return {
    customerRef: 'CIF-X',
    fullName: 'Test Customer',
    nationalId: '10000000',
    phone: '+254700000000',
    email: null,
    county: 'Nairobi',
    segment: 'RETAIL',
    kycStatus: 'VERIFIED',
    riskRating: 'LOW',
    customerSince: '2019-05-01',
    accounts: [{ accountNumber: '0120000000001', type: 'CURRENT', openedOn: '2019-05-01', status: 'ACTIVE' }],
    ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe(`case management on ${dialect}`, () => {
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

    const call = (who: string, method: string, path: string, body?: unknown) =>
      svc.request(method, path, { token: who === 'admin' ? adminToken : tokens[who], body });
    const assess = async (payment = criticalPayment()) => {
      const res = await call('admin', 'POST', '/api/v1/fraud-risk/assessments', payment);
      assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
      return Assessment.parse((await call('admin', 'GET', `/api/v1/fraud-risk/assessments/transaction/${payment.transactionReference}`)).body);
    };
    const caseOf = async (assessment: Assessment) => {
      assert.ok(assessment.caseId, `payment ${assessment.transactionReference} opened a case`);
      return CaseDetail.parse((await call('amina.otieno', 'GET', `/api/v1/cases/${assessment.caseId}`)).body);
    };
    /** A MEDIUM-risk hit: the device is seen once first (a first-seen device would make it HIGH). */
    const mediumPayment = async (customerId: string, amount = 2_000_000) => {
      const account = { customerId, deviceId: `dev-${customerId}`, debtorAccount: `ACC-${customerId}` };
      await assess(samplePayment({ ...account, amount: 4_000 }));
      return samplePayment({ ...account, amount });
    };
    const claim = async (who: string, c: CaseSummary) =>
      CaseSummary.parse((await call(who, 'POST', `/api/v1/cases/${c.id}/assign`, { expectedVersion: c.version })).body);

    it('routes new cases by risk level, payment type and amount to the first matching queue, with its SLA', async () => {
      const queues = CaseQueue.array().parse((await call('amina.otieno', 'GET', '/api/v1/case-queues')).body);
      assert.deepEqual(queues.map((q) => q.name).sort(), ['Escalations', 'General review', 'Priority review']);
      const input = {
        name: 'SWIFT high value',
        description: 'Large cross-border transfers',
        kind: 'STANDARD',
        priority: 5,
        routing: { riskLevels: [], tenants: [], paymentTypes: ['SWIFT'], channels: [], minAmountKes: 1_000_000 },
        sla: { CRITICAL: 30, HIGH: 90, MEDIUM: 600, LOW: 1440 },
        active: true,
      };
      assert.equal((await call('amina.otieno', 'POST', '/api/v1/case-queues', input)).status, 403, 'analysts do not configure queues');
      const bad = await call('faith.wambui', 'POST', '/api/v1/case-queues', { ...input, sla: { ...input.sla, HIGH: 1 } });
      assert.equal(bad.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(bad.body).error.fields?.map((f) => f.path),
        ['body.sla.HIGH'],
      );
      const created = await call('faith.wambui', 'POST', '/api/v1/case-queues', input);
      assert.equal(created.status, 201);
      const swiftQueue = CaseQueue.parse(created.body);
      assert.equal((await call('faith.wambui', 'POST', '/api/v1/case-queues', input)).status, 400, 'queue names are unique');

      const swift = await caseOf(await assess(criticalPayment({ paymentType: 'SWIFT', localInstrumentationCode: undefined, clearingSystemCode: undefined })));
      assert.equal(swift.case.queue, 'SWIFT high value');
      assert.equal(swift.case.queueId, swiftQueue.id);
      assert.equal(new Date(swift.case.slaDueAt).getTime() - new Date(swift.case.createdAt).getTime(), 30 * 60_000, 'the queue’s CRITICAL SLA');
      const small = await caseOf(
        await assess(criticalPayment({ paymentType: 'SWIFT', amount: 600_000, localInstrumentationCode: undefined, clearingSystemCode: undefined })),
      );
      assert.equal(small.case.queue, 'Priority review', 'below the queue’s minimum amount');
      const medium = await caseOf(await assess(await mediumPayment('CIF-ROUTE-M')));
      assert.equal(medium.case.riskLevel, 'MEDIUM');
      assert.equal(medium.case.queue, 'General review', 'the default queue takes the rest');

      // Renaming a queue renames it on its cases; a queue with open cases, or the default, is not deleted.
      const renamed = await call('faith.wambui', 'PUT', `/api/v1/case-queues/${swiftQueue.id}`, {
        ...input,
        name: 'SWIFT ≥ 1M',
        expectedVersion: swiftQueue.version,
      });
      assert.equal(renamed.status, 200);
      assert.equal((await caseOf(Assessment.parse({ ...swift.assessments[0]!, caseId: swift.case.id }))).case.queue, 'SWIFT ≥ 1M');
      assert.equal(
        (await call('faith.wambui', 'PUT', `/api/v1/case-queues/${swiftQueue.id}`, { ...input, expectedVersion: swiftQueue.version })).status,
        409,
        'stale queue edit',
      );
      assert.equal((await call('faith.wambui', 'DELETE', `/api/v1/case-queues/${swiftQueue.id}?expectedVersion=2`)).status, 409, 'open cases block deletion');
      const general = queues.find((q) => q.isDefault)!;
      assert.equal((await call('faith.wambui', 'DELETE', `/api/v1/case-queues/${general.id}?expectedVersion=${general.version}`)).status, 409);
      const deactivate = await call('faith.wambui', 'PUT', `/api/v1/case-queues/${general.id}`, {
        ...general,
        active: false,
        expectedVersion: general.version,
      });
      assert.deepEqual(
        ApiErrorBody.parse(deactivate.body).error.fields?.map((f) => f.path),
        ['body.active'],
      );
      // Per-queue counts for the navigation.
      const counts = (await call('amina.otieno', 'GET', '/api/v1/cases/counts')).body as { queues: Array<{ name: string; open: number }> };
      assert.equal(counts.queues.find((q) => q.name === 'SWIFT ≥ 1M')?.open, 1);
      // Claim-next within a queue takes only that queue's cases.
      const next = CaseSummary.parse((await call('brian.kamau', 'POST', '/api/v1/cases/claim-next', { queueId: swiftQueue.id })).body);
      assert.equal(next.id, swift.case.id);
      assert.equal((await call('brian.kamau', 'POST', '/api/v1/cases/claim-next', { queueId: swiftQueue.id })).status, 404);
    });

    it('joins new hits for a customer with an open case to that case; a closed case does not take new hits', async () => {
      const first = await caseOf(await assess(await mediumPayment('CIF-JOIN-1')));
      assert.equal(first.case.riskLevel, 'MEDIUM');
      const second = await assess(criticalPayment({ customerId: 'CIF-JOIN-1', deviceId: 'dev-CIF-JOIN-1' }));
      assert.equal(second.caseId, first.case.id, 'the second hit joined the open case');
      const joined = await caseOf(second);
      assert.equal(joined.case.paymentCount, 2);
      assert.equal(joined.case.totalAmountKes, 14_500_000);
      assert.equal(joined.case.riskLevel, 'CRITICAL', 'the case takes the worst risk');
      assert.ok(joined.case.slaDueAt < first.case.slaDueAt, 'a riskier hit shortens the deadline');
      assert.equal(joined.assessments.length, 2);
      assert.match(joined.timeline.at(-1)!.summary, /joined this open case/);
      // The same person under another CIF (same national ID) joins too: identity resolution.
      await svc.service.context.bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-JOIN-1', fullName: 'Otieno Join', nationalId: '31111111', phone: '0711111111' }),
        SYSTEM_ACTOR,
      );
      await svc.service.context.bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-JOIN-2', fullName: 'Otieno Join', nationalId: '31111111', phone: '0711111112' }),
        SYSTEM_ACTOR,
      );
      const third = await assess(criticalPayment({ customerId: 'CIF-JOIN-2', deviceId: 'dev-join-2' }));
      assert.equal(third.caseId, first.case.id, 'a hit on the same person’s other CIF joins the case');
      // Closed, the next hit opens a new case.
      const before4 = (await call('faith.wambui', 'GET', '/api/v1/cases/settings/four-eyes')).body as { version: number };
      assert.equal(
        (await call('faith.wambui', 'PUT', '/api/v1/cases/settings/four-eyes', { blockAboveKes: 1e12, closeCritical: false, expectedVersion: before4.version }))
          .status,
        200,
      );
      let c = await claim('amina.otieno', (await caseOf(third)).case);
      c = CaseSummary.parse(
        (
          await call('amina.otieno', 'POST', `/api/v1/cases/${c.id}/decision`, {
            action: 'APPROVE',
            reasonCode: 'VERIFIED_WITH_CUSTOMER',
            note: 'Customer confirmed all three.',
            expectedVersion: c.version,
          })
        ).body,
      );
      assert.equal(c.state, 'CLOSED');
      const decided = Assessment.parse((await call('admin', 'GET', `/api/v1/fraud-risk/assessments/transaction/${third.transactionReference}`)).body);
      assert.equal(decided.decision, 'APPROVE', 'the decision went to every linked payment');
      const fourth = await assess(criticalPayment({ customerId: 'CIF-JOIN-1', deviceId: 'dev-CIF-JOIN-1' }));
      assert.notEqual(fourth.caseId, first.case.id);
      const settings = (await call('faith.wambui', 'GET', '/api/v1/cases/settings/four-eyes')).body as { version: number };
      await call('faith.wambui', 'PUT', '/api/v1/cases/settings/four-eyes', {
        blockAboveKes: 1_000_000,
        closeCritical: true,
        expectedVersion: settings.version,
      });
    });

    it('four-eyes: a big block waits for a second approver who is not the requester; a refusal sends it back', async () => {
      const c0 = (await caseOf(await assess(await mediumPayment('CIF-4EYES', 2_500_000)))).case;
      assert.equal(c0.riskLevel, 'MEDIUM');
      // Wanjiru (an approver herself) takes it and blocks: still needs someone else.
      let c = await claim('wanjiru.njoroge', c0);
      const block = await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${c.id}/decision`, {
        action: 'BLOCK',
        reasonCode: 'MULE_ACCOUNT',
        note: 'Beneficiary is a known mule.',
        expectedVersion: c.version,
      });
      c = CaseSummary.parse(block.body);
      assert.equal(c.state, 'AWAITING_APPROVAL');
      assert.match(c.approvalRequest!.why, /blocking KES 2,500,000 \(above the KES 1,000,000 limit\)/);
      const self = await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${c.id}/approval`, {
        approve: true,
        note: 'Approving my own block.',
        expectedVersion: c.version,
      });
      assert.equal(self.status, 403);
      assert.match(ApiErrorBody.parse(self.body).error.message, /four-eyes/);
      const detail = CaseDetail.parse((await call('faith.wambui', 'GET', `/api/v1/cases/${c.id}`)).body);
      assert.ok(detail.allowedActions.includes('approval-decide'));
      assert.ok(!CaseDetail.parse((await call('wanjiru.njoroge', 'GET', `/api/v1/cases/${c.id}`)).body).allowedActions.includes('approval-decide'));
      // Faith sends it back: the case returns to work, the payment is untouched.
      c = CaseSummary.parse(
        (
          await call('faith.wambui', 'POST', `/api/v1/cases/${c.id}/approval`, {
            approve: false,
            note: 'Get the beneficiary bank’s confirmation first.',
            expectedVersion: c.version,
          })
        ).body,
      );
      assert.equal(c.state, 'IN_PROGRESS');
      assert.equal(c.approvalRequest, null);
      assert.equal(c.assigneeName, 'Wanjiru Njoroge');
      // An approve below the limit on a non-critical case closes at once.
      c = CaseSummary.parse(
        (
          await call('wanjiru.njoroge', 'POST', `/api/v1/cases/${c.id}/decision`, {
            action: 'APPROVE',
            reasonCode: 'KNOWN_BENEFICIARY',
            note: 'Beneficiary bank confirmed.',
            expectedVersion: c.version,
          })
        ).body,
      );
      assert.equal(c.state, 'CLOSED');
      assert.equal(
        (await call('amina.otieno', 'PUT', '/api/v1/cases/settings/four-eyes', { blockAboveKes: 5, closeCritical: false, expectedVersion: 0 })).status,
        403,
      );
    });

    it('keeps comments append-only and attachments hashed, limited and safe from path tricks', async () => {
      const c = (await caseOf(await assess())).case;
      const comment = await call('amina.otieno', 'POST', `/api/v1/cases/${c.id}/comments`, { body: 'Called the customer: no answer.' });
      assert.equal(comment.status, 201);
      const saved = CaseComment.parse(comment.body);
      assert.equal((await call('amina.otieno', 'PUT', `/api/v1/cases/${c.id}/comments/${saved.id}`, { body: 'edited' })).status, 404, 'no edit endpoint');
      assert.equal((await call('amina.otieno', 'DELETE', `/api/v1/cases/${c.id}/comments/${saved.id}`)).status, 404, 'no delete endpoint');
      assert.equal((await call('grace.achieng', 'POST', `/api/v1/cases/${c.id}/comments`, { body: 'Auditor note' })).status, 403);
      assert.deepEqual(
        ApiErrorBody.parse((await call('amina.otieno', 'POST', `/api/v1/cases/${c.id}/comments`, { body: '   ' })).body).error.fields?.map((f) => f.path),
        ['body.body'],
      );

      const upload = (fileName: string, contentType: string, content: Buffer) =>
        call('amina.otieno', 'POST', `/api/v1/cases/${c.id}/attachments`, { fileName, contentType, contentBase64: content.toString('base64') });
      const ok = await upload('screenshot of app.png', 'image/png', PNG);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const attachment = CaseAttachment.parse(ok.body);
      assert.equal(attachment.sha256, createHash('sha256').update(PNG).digest('hex'));
      assert.equal(attachment.sizeBytes, PNG.length);
      const download = await fetch(`${svc.url}/api/v1/cases/${c.id}/attachments/${attachment.id}`, {
        headers: { authorization: `Bearer ${tokens['grace.achieng']}` },
      });
      assert.equal(download.status, 200);
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
      assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="screenshot of app.png"/);
      assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
      // The same content again is stored once.
      assert.equal((await upload('copy.png', 'image/png', PNG)).status, 201);
      const blobs = await svc.service.context.db.kysely.selectFrom('attachment_blobs').select('sha256').where('sha256', '=', attachment.sha256).execute();
      assert.equal(blobs.length, 1);

      const refused = async (fileName: string, contentType: string, content: Buffer, field: string) => {
        const res = await upload(fileName, contentType, content);
        assert.equal(res.status, 400, `${fileName}: ${JSON.stringify(res.body)}`);
        assert.deepEqual([...new Set(ApiErrorBody.parse(res.body).error.fields?.map((f) => f.path))], [field], fileName);
      };
      const text = Buffer.from('statement of account\n');
      for (const trick of [
        '../../etc/passwd.txt',
        'evidence/../../x.txt',
        'C:\\Windows\\x.txt',
        '/abs.txt',
        '.bashrc.txt',
        'nul.txt',
        'a\u0000b.txt',
        'CON.txt',
        'x.txt.',
      ]) {
        await refused(trick, 'text/plain', text, 'body.fileName');
      }
      await refused('invoice.pdf', 'application/pdf', text, 'body.contentType');
      await refused('run.exe', 'application/x-msdownload', text, 'body.contentType');
      await refused('photo.txt', 'image/png', PNG, 'body.fileName');
      await refused('empty.txt', 'text/plain', Buffer.alloc(0), 'body.contentBase64');
      const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
      const big = await upload('big.txt', 'text/plain', tooBig);
      assert.ok(big.status === 400 || big.status === 413, `over 10 MB is refused (${big.status})`);
      const detail = CaseDetail.parse((await call('brian.kamau', 'GET', `/api/v1/cases/${c.id}`)).body);
      assert.equal(detail.attachments.length, 2);
      assert.deepEqual(
        detail.comments.map((x) => x.body),
        ['Called the customer: no answer.'],
      );
      assert.ok(detail.timeline.some((t) => t.summary.startsWith('Attached screenshot of app.png (SHA-256')));
      assert.ok(detail.timeline.some((t) => t.summary === 'Comment: “Called the customer: no answer.”'));
    });

    it('resolves customers into one GCID by national ID, phone, e-mail, CIF and device; merges duplicates; serves Customer 360', async () => {
      const bus = svc.service.context.bus;
      const a = (await bus.execute(
        upsertCustomer,
        coreRecord({
          customerRef: 'CIF-GC-A',
          fullName: 'Achieng Auma',
          nationalId: '2345 6789',
          phone: '0722 000 111',
          email: 'auma@example.co.ke',
          accounts: [{ accountNumber: '0120099990001', type: 'SAVINGS', openedOn: '2020-01-01', status: 'ACTIVE' }],
        }),
        SYSTEM_ACTOR,
      )) as { gcid: string };
      // Same phone written differently: the same person.
      const b = (await bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-GC-B', fullName: 'Achieng A. Auma', nationalId: '99999999', phone: '+254722000111' }),
        SYSTEM_ACTOR,
      )) as { gcid: string };
      assert.equal(b.gcid, a.gcid);
      // A different person, then a record that links both (C's e-mail, A's national ID): merged into the older.
      const c = (await bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-GC-C', fullName: 'Auma Achieng', nationalId: '55555555', phone: '0733000222', email: 'a.auma@example.com' }),
        SYSTEM_ACTOR,
      )) as { gcid: string };
      assert.notEqual(c.gcid, a.gcid);
      const payments = await assess(criticalPayment({ customerId: 'CIF-GC-C', deviceId: 'dev-gc-c', debtorAccount: '0120099990003' }));
      assert.ok(payments.caseId);
      const d = (await bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-GC-D', fullName: 'Achieng Auma', nationalId: '23456789', phone: '0700999888', email: 'A.Auma@Example.com' }),
        SYSTEM_ACTOR,
      )) as { gcid: string };
      assert.equal(d.gcid, a.gcid, 'the older GCID survives');
      const merged = Customer360.parse((await call('amina.otieno', 'GET', `/api/v1/customer/${c.gcid}`)).body);
      assert.equal(merged.gcid, a.gcid, 'a merged GCID answers with the survivor');
      assert.deepEqual(merged.mergedFrom, [c.gcid]);
      assert.deepEqual(merged.profiles.map((p) => p.customerRef).sort(), ['CIF-GC-A', 'CIF-GC-B', 'CIF-GC-C', 'CIF-GC-D']);
      assert.ok(merged.identifiers.some((i) => i.kind === 'PHONE' && i.value === '+254722000111'));
      assert.ok(merged.identifiers.some((i) => i.kind === 'DEVICE' && i.value === 'dev-gc-c'));
      const theCase = CaseDetail.parse((await call('amina.otieno', 'GET', `/api/v1/cases/${payments.caseId}`)).body).case;
      assert.equal(theCase.customerGcid, a.gcid, 'the merge moved the case to the survivor');
      // A device alone links an unknown CIF, never merges two known people.
      const viaDevice = await assess(samplePayment({ customerId: 'CIF-GC-UNKNOWN', deviceId: 'dev-gc-c', debtorAccount: 'ACC-GC-UNKNOWN', amount: 2_000_000 }));
      assert.equal(viaDevice.caseId, payments.caseId, 'an unknown CIF on a known device joins that person');
      const resolve = CustomerResolveResult.parse((await call('amina.otieno', 'GET', '/api/v1/customer/resolve?phone=0722000111')).body);
      assert.equal(resolve.gcid, a.gcid);
      assert.deepEqual(resolve.matchedBy, ['PHONE']);
      assert.equal((await call('amina.otieno', 'GET', '/api/v1/customer/resolve')).status, 400);

      const accounts = Customer360Account.array().parse((await call('amina.otieno', 'GET', `/api/v1/customer/${a.gcid}/accounts`)).body);
      assert.ok(accounts.some((x) => x.accountNumber === '0120099990001' && x.source === 'CORE'));
      assert.ok(
        accounts.some((x) => x.accountNumber === '0120099990003' && x.paymentCount === 1),
        'accounts seen on payments count them',
      );
      const transactions = pageOf(Customer360Transaction).parse(
        (await call('amina.otieno', 'GET', `/api/v1/customer/${a.gcid}/transactions?pageSize=10`)).body,
      );
      assert.equal(transactions.total, 2);
      assert.ok(transactions.items.every((t) => t.caseId === payments.caseId));
      const risk = Customer360Risk.parse((await call('amina.otieno', 'GET', `/api/v1/customer/${a.gcid}/risk`)).body);
      assert.equal(risk.overallRiskLevel, 'CRITICAL');
      assert.equal(risk.cases.open, 1);
      assert.equal(risk.payments.total, 2);
      assert.ok(risk.topRules.length > 0);
      assert.equal((await call('david.kiprop', 'GET', `/api/v1/customer/${a.gcid}`)).status, 403, 'executives see no customers');
      assert.equal((await call('amina.otieno', 'GET', '/api/v1/customer/6f1c8a56-2f51-4f3c-9a43-0c2f0d8f3b11')).status, 404);

      // A manual merge needs the merge permission.
      const e = (await bus.execute(
        upsertCustomer,
        coreRecord({ customerRef: 'CIF-GC-E', fullName: 'A. Auma', nationalId: '77777777', phone: '0744000444' }),
        SYSTEM_ACTOR,
      )) as { gcid: string };
      const body = { survivorGcid: a.gcid, mergedGcid: e.gcid, reason: 'Same person: branch confirmed with ID copy.' };
      assert.equal((await call('amina.otieno', 'POST', '/api/v1/customer/merge', body)).status, 403);
      assert.equal((await call('wanjiru.njoroge', 'POST', '/api/v1/customer/merge', body)).status, 200);
      assert.equal(Customer360.parse((await call('amina.otieno', 'GET', `/api/v1/customer/${e.gcid}`)).body).gcid, a.gcid);
      assert.equal((await call('wanjiru.njoroge', 'POST', '/api/v1/customer/merge', body)).status, 400, 'already the same customer');
    });

    it('bulk-assigns and bulk-closes as false positives all or nothing; saves filters; exports CSV and XLSX', async () => {
      const made: CaseSummary[] = [];
      for (let i = 0; i < 3; i++)
        made.push(
          (
            await caseOf(
              await assess(samplePayment({ customerId: `CIF-BULK-${i}`, deviceId: `dev-bulk-${i}`, debtorAccount: `ACC-BULK-${i}`, amount: 1_500_000 + i })),
            )
          ).case,
        );
      const caseIds = made.map((c) => c.id);
      assert.equal(
        (await call('amina.otieno', 'POST', '/api/v1/cases/bulk/assign', { caseIds, assigneeId: ids['brian.kamau'] })).status,
        403,
        'analysts assign only to themselves',
      );
      const mine = BulkResult.parse((await call('amina.otieno', 'POST', '/api/v1/cases/bulk/assign', { caseIds: caseIds.slice(0, 2) })).body);
      assert.deepEqual(
        mine.updated.map((c) => c.assigneeName),
        ['Amina Otieno', 'Amina Otieno'],
      );
      // Brian cannot close Amina's cases: nothing is changed, and the refusal names them.
      const refused = await call('brian.kamau', 'POST', '/api/v1/cases/bulk/close-false-positive', { caseIds, note: 'Salary-day pattern.' });
      assert.equal(refused.status, 403);
      assert.match(ApiErrorBody.parse(refused.body).error.message, new RegExp(`2 of 3 cases cannot be done, so none were changed — ${made[0]!.reference}`));
      const third = CaseDetail.parse((await call('brian.kamau', 'GET', `/api/v1/cases/${made[2]!.id}`)).body).case;
      assert.equal(third.state, 'NEW', 'the allowed one was not changed either');
      const closed = BulkResult.parse(
        (await call('amina.otieno', 'POST', '/api/v1/cases/bulk/close-false-positive', { caseIds, note: 'Salary-day pattern, verified.' })).body,
      );
      assert.deepEqual(
        closed.updated.map((c) => [c.state, c.outcome, c.reasonCode]),
        Array(3).fill(['CLOSED', 'APPROVED', 'FALSE_POSITIVE_RULE']),
      );
      assert.deepEqual(closed.awaitingApproval, []);

      // Saved filters: mine and shared ones; only the owner deletes.
      const saved = SavedFilter.parse(
        (
          await call('amina.otieno', 'POST', '/api/v1/cases/saved-filters', {
            name: 'My overdue criticals',
            filter: { state: 'OPEN', riskLevels: ['CRITICAL'], sla: 'overdue', sort: 'slaDueAt', direction: 'asc' },
            shared: false,
          })
        ).body,
      );
      const sharedView = SavedFilter.parse(
        (
          await call('amina.otieno', 'POST', '/api/v1/cases/saved-filters', {
            name: 'Team: bulk test',
            filter: { state: 'ALL', search: 'CIF-BULK', sort: 'createdAt', direction: 'desc' },
            shared: true,
          })
        ).body,
      );
      const brianSees = SavedFilter.array().parse((await call('brian.kamau', 'GET', '/api/v1/cases/saved-filters')).body);
      assert.deepEqual(
        brianSees.map((f) => f.id),
        [sharedView.id],
      );
      assert.equal((await call('brian.kamau', 'DELETE', `/api/v1/cases/saved-filters/${sharedView.id}`)).status, 403);
      assert.equal((await call('amina.otieno', 'DELETE', `/api/v1/cases/saved-filters/${saved.id}`)).status, 204);

      // Exports honour the filter.
      const query = new URLSearchParams({ state: 'ALL', search: 'CIF-BULK', sort: 'reference', direction: 'asc' }).toString();
      const csv = await fetch(`${svc.url}/api/v1/cases/export.csv?${query}`, { headers: { authorization: `Bearer ${tokens['grace.achieng']}` } });
      assert.equal(csv.status, 200);
      const lines = (await csv.text()).trim().split('\r\n');
      assert.equal(lines.length, 4);
      assert.match(lines[0]!, /^Reference,State,Queue,Risk level/);
      assert.ok(lines.slice(1).every((l) => l.includes(',CLOSED,') && l.includes('FALSE_POSITIVE_RULE')));
      const xlsx = await fetch(`${svc.url}/api/v1/cases/export.xlsx?${query}`, { headers: { authorization: `Bearer ${tokens['grace.achieng']}` } });
      assert.equal(xlsx.status, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsx.arrayBuffer());
      const sheet = workbook.getWorksheet('Cases')!;
      assert.equal(sheet.rowCount, 4);
      assert.equal(sheet.getRow(1).getCell(1).value, 'Reference');
      assert.deepEqual(
        [2, 3, 4].map((r) => sheet.getRow(r).getCell(1).value),
        made.map((c) => c.reference).sort(),
      );
      assert.ok(sheet.getRow(2).getCell(21).value instanceof Date, 'dates are dates');
      assert.equal((await fetch(`${svc.url}/api/v1/cases/export.csv`, { headers: { authorization: `Bearer ${tokens['david.kiprop']}` } })).status, 403);
    });
  });
}
