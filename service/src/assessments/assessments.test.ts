import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { AssessmentResponse, Assessment } from '../../../shared/src/assessments.ts';
import { pageOf, ApiErrorBody } from '../../../shared/src/api.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { ManualClock } from '../clock.ts';

after(stopTestPostgres);

const ASSESSMENTS = '/api/v1/fraud-risk/assessments';

for (const dialect of DIALECTS) {
  describe(`assessment API on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let adminToken: string;
    let apiKey: string;
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T12:00:00Z') });
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: adminToken,
        body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE', 'WEKEZA-UG'] },
      });
      assert.equal(client.status, 201);
      apiKey = (client.body as { apiKey: string }).apiKey;
    });
    after(async () => svc.stop());

    const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': apiKey }) => svc.request('POST', ASSESSMENTS, { body, headers });
    const countRows = async () =>
      Number(
        (
          await svc.service.context.db.kysely
            .selectFrom('payments')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('scores a payment for a machine client holding an API key and answers with the contract fields', async () => {
      const payment = criticalPayment();
      const res = await post(payment);
      assert.equal(res.status, 201);
      const body = AssessmentResponse.strict().parse(res.body);
      assert.equal(body.transactionReference, payment.transactionReference);
      assert.equal(body.riskLevel, 'CRITICAL');
      assert.equal(body.decision, 'ESCALATE');
      assert.equal(body.status, 'COMPLETED');
      assert.match(body.assessmentId, /^FRA-\d{8}-[0-9A-F]{16}$/);
      // 12.5M KES to Nigeria reaches the critical threshold on the cheap field rules; the rest are skipped.
      assert.deepEqual(
        body.riskFactors
          .filter((f) => f.outcome === 'HIT')
          .map((f) => f.ruleId)
          .sort(),
        ['amount.high', 'location.high-risk-country'],
      );
      assert.ok(body.riskFactors.some((f) => f.ruleId === 'anomaly.isolation-forest' && f.outcome === 'SKIPPED'));
      assert.equal(body.configurationId, null, 'no configuration yet: the built-in default rules applied');

      const stored = await svc.request('GET', `${ASSESSMENTS}/transaction/${payment.transactionReference}`, { token: adminToken });
      assert.equal(stored.status, 200);
      const assessment = Assessment.parse(stored.body);
      assert.equal(assessment.payment.amount, 12_500_000);
      assert.equal(assessment.payment.customerId, payment.customerId);
      assert.ok(assessment.caseId, 'an ESCALATE decision opens a case');
      const byId = await svc.request('GET', `${ASSESSMENTS}/${body.assessmentId}`, { token: adminToken });
      assert.equal((byId.body as { id: string }).id, assessment.id);
    });

    it('returns the first assessment when the same payment is posted again, also concurrently', async () => {
      const payment = criticalPayment();
      const first = await post(payment);
      assert.equal(first.status, 201);
      const again = await post(payment);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      // The same instant written with another offset is the same payment.
      const sameInstant = await post({ ...payment, timestamp: new Date(payment.timestamp).toISOString() });
      assert.equal(sameInstant.status, 200);
      const racing = criticalPayment();
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(racing)));
      const ids = new Set(answers.map((a) => (a.body as { assessmentId: string }).assessmentId));
      assert.equal(ids.size, 1, 'one assessment for one reference');
      assert.equal(answers.filter((a) => a.status === 201).length, 1);
      const cases = await svc.service.context.db.kysely
        .selectFrom('cases')
        .select('id')
        .where('transaction_reference', '=', racing.transactionReference)
        .execute();
      assert.equal(cases.length, 1, 'one case for one reference');
    });

    it('refuses a reused reference whose content differs with 409 IDEMPOTENCY_CONFLICT naming the fields, and stores nothing', async () => {
      const payment = samplePayment({ customerId: 'CIF-IDEM-1', debtorAccount: '0120099991111', amount: 2_450, currency: 'GBP', country: 'GB' });
      assert.equal((await post(payment)).status, 201);
      const before = await countRows();
      const cases: Array<{ change: Partial<PaymentInput>; fields: string[] }> = [
        { change: { amount: 750_000, currency: 'EUR' }, fields: ['body.amount', 'body.currency'] },
        { change: { timestamp: '2026-11-20T10:16:00+03:00' }, fields: ['body.timestamp'] },
        { change: { creditorAccount: 'MW-254700000000', debtorAccount: '0120000000000' }, fields: ['body.creditorAccount', 'body.debtorAccount'] },
        { change: { description: undefined }, fields: ['body.description'] },
      ];
      for (const c of cases) {
        const res = await post({ ...payment, ...c.change });
        assert.equal(res.status, 409, JSON.stringify(res.body));
        const error = ApiErrorBody.parse(res.body).error;
        assert.equal(error.code, 'IDEMPOTENCY_CONFLICT');
        assert.deepEqual(error.fields?.map((f) => f.path).sort(), c.fields);
      }
      // Concurrent posts of other content under one new key: one wins, the others are refused or repeat it.
      const key = samplePayment({ customerId: 'CIF-IDEM-2', debtorAccount: '0120099992222' });
      const answers = await Promise.all([1_000, 2_000, 1_000, 3_000].map((amount) => post({ ...key, amount })));
      const winners = answers.filter((a) => a.status === 201);
      assert.equal(winners.length, 1, answers.map((a) => a.status).join());
      assert.ok(
        answers.every((a) => [200, 201, 409].includes(a.status)),
        answers.map((a) => a.status).join(),
      );
      assert.equal(await countRows(), before + 1, 'only the winner was stored');
      // The key is per tenant: another tenant may use the same reference for its own payment.
      assert.equal((await post({ ...payment, tenantId: 'WEKEZA-UG', amount: 99 })).status, 201);
    });

    it('keys pacs.008 messages by UETR, then instructing agent and TxId: a shared EndToEndId never answers for another payment', async () => {
      const message = (uetr: string, amount: { Ccy: string; value: number }) => ({
        FIToFICstmrCdtTrf: {
          GrpHdr: {
            MsgId: `MSG-${uetr.slice(0, 8)}`,
            CreDtTm: '2026-11-20T09:30:00+03:00',
            NbOfTxs: '1',
            SttlmInf: { SttlmMtd: 'CLRG', ClrSys: { Prtry: 'SWIFT' } },
          },
          CdtTrfTxInf: {
            PmtId: { EndToEndId: 'INV-SHARED-0042', UETR: uetr },
            IntrBkSttlmAmt: amount,
            Dbtr: { Nm: 'Kamau Exports' },
            DbtrAcct: { Id: { Othr: { Id: '0120012399999' } } },
            DbtrAgt: { FinInstnId: { BICFI: 'EQBLKENA' } },
            CdtrAgt: { FinInstnId: { BICFI: 'BARCGB22' } },
            Cdtr: { Nm: 'Leeds Supplies Ltd' },
            CdtrAcct: { Id: { IBAN: 'GB33BUKB20201555555555' } },
            SplmtryData: { Envlp: { tenantId: 'WEKEZA-KE', customerId: 'CIF-ISO-1' } },
          },
        },
      });
      const gbp = await post(message('6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10', { Ccy: 'GBP', value: 2_450 }));
      const eur = await post(message('0a3e5b7c-1d2f-4a6b-8c9d-0e1f2a3b4c5d', { Ccy: 'EUR', value: 750_000 }));
      assert.equal(gbp.status, 201);
      assert.equal(eur.status, 201, 'a second payment with the same EndToEndId is assessed on its own');
      assert.notEqual((gbp.body as { assessmentId: string }).assessmentId, (eur.body as { assessmentId: string }).assessmentId);
      assert.equal((await post(message('6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10', { Ccy: 'GBP', value: 2_450 }))).status, 200);
      const before = await countRows();
      const changed = await post(message('6f1c0b6e-7d2a-4f3b-9a51-2c8e4d7b9f10', { Ccy: 'GBP', value: 24_500 }));
      assert.equal(changed.status, 409);
      const error = ApiErrorBody.parse(changed.body).error;
      assert.equal(error.code, 'IDEMPOTENCY_CONFLICT');
      assert.deepEqual(
        error.fields?.map((f) => f.path),
        ['body.FIToFICstmrCdtTrf.CdtTrfTxInf.IntrBkSttlmAmt'],
      );
      assert.equal(await countRows(), before);
    });

    it('approves low-risk payments straight through without a case', async () => {
      // Its own customer and account, so that earlier payments in this suite do not count as velocity.
      const res = await post(samplePayment({ customerId: 'CIF-LOW-1', debtorAccount: '0120099990001' }));
      const body = AssessmentResponse.parse(res.body);
      assert.equal(body.decision, 'APPROVE');
      const stored = Assessment.parse((await svc.request('GET', `${ASSESSMENTS}/${body.assessmentId}`, { token: adminToken })).body);
      assert.equal(stored.caseId, null);
    });

    it('authenticates the payment engine with OAuth2 client credentials too', async () => {
      const client = (
        await svc.request('POST', '/api/v1/api-clients', {
          token: adminToken,
          body: { name: 'Switch gateway', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
        })
      ).body as { clientId: string; apiKey: string };
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey }).toString();
      const tokenRes = await svc.request('POST', '/api/v1/auth/token', { rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(tokenRes.status, 200);
      const { access_token, token_type, scope } = tokenRes.body as { access_token: string; token_type: string; scope: string };
      assert.equal(token_type, 'Bearer');
      assert.match(scope, /assessment:create/);
      assert.equal((await post(samplePayment(), { authorization: `Bearer ${access_token}` })).status, 201);
      // The machine client cannot read cases.
      assert.equal((await svc.request('GET', '/api/v1/cases', { token: access_token })).status, 403);
      const wrong = await svc.request('POST', '/api/v1/auth/token', {
        body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wkz_wrong' },
      });
      assert.equal(wrong.status, 401);
    });

    it('refuses callers without a valid credential or the permission', async () => {
      assert.equal((await post(samplePayment(), {})).status, 401);
      assert.equal((await post(samplePayment(), { 'x-api-key': 'wkz_not-a-real-key' })).status, 401);
      assert.equal((await post(samplePayment(), { authorization: 'Bearer not.a.jwt' })).status, 401);
      // Analysts read assessments but do not create them.
      await addTestUser(svc, 'kevin.ochieng', 'FRAUD_ANALYST');
      const analyst = await svc.login('kevin.ochieng', TEST_USER_PASSWORD);
      const res = await svc.request('POST', ASSESSMENTS, { token: analyst.token, body: samplePayment() });
      assert.equal(res.status, 403);
      assert.equal(ApiErrorBody.parse(res.body).error.code, 'FORBIDDEN');
      assert.equal((await svc.request('GET', ASSESSMENTS, { token: analyst.token })).status, 200);
    });

    it('answers bad input with 400 naming every offending field, and writes nothing', async () => {
      const before = await countRows();
      const cases: Array<{ body: unknown; raw?: string; fields: string[] }> = [
        { body: { ...samplePayment(), amount: 'a lot' }, fields: ['body.amount'] },
        { body: { ...samplePayment(), amount: -5, currency: 'shillings' }, fields: ['body.amount', 'body.currency'] },
        { body: { ...samplePayment(), timestamp: 'yesterday', channel: 'FAX' }, fields: ['body.timestamp', 'body.channel'] },
        { body: { ...samplePayment(), paymentSource: 'ANYONE', ipAddress: '999.1.1.1' }, fields: ['body.paymentSource', 'body.ipAddress'] },
        { body: (({ transactionReference: _r, customerId: _c, ...rest }) => rest)(samplePayment()), fields: ['body.transactionReference', 'body.customerId'] },
        { body: { ...samplePayment(), amount: 10.001 }, fields: ['body.amount'] },
        { body: { ...samplePayment(), amount: 1.5e-300 }, fields: ['body.amount'] },
        { body: { ...samplePayment(), amount: 100.5, currency: 'UGX' }, fields: ['body.amount'] },
        {
          body: { ...samplePayment(), transactionReference: 'TX\u0000-1', customerId: 'CIF\u202E1' },
          fields: ['body.transactionReference', 'body.customerId'],
        },
        { body: { ...samplePayment(), timestamp: '0000-01-01T00:00:00Z' }, fields: ['body.timestamp'] },
        { body: [], fields: ['body'] },
      ];
      for (const c of cases) {
        const res = await post(c.body);
        assert.equal(res.status, 400, JSON.stringify(c.body));
        const error = ApiErrorBody.parse(res.body).error;
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.deepEqual(error.fields?.map((f) => f.path).sort(), [...c.fields].sort());
      }
      const malformed = await svc.request('POST', ASSESSMENTS, {
        rawBody: '{"transactionReference": "X",',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      });
      assert.equal(malformed.status, 400);
      assert.equal(ApiErrorBody.parse(malformed.body).error.fields?.[0]?.path, 'body');
      const huge = await svc.request('POST', ASSESSMENTS, {
        rawBody: JSON.stringify({ ...samplePayment(), description: 'x'.repeat(2_000_000) }),
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      });
      assert.equal(huge.status, 413);
      assert.equal(ApiErrorBody.parse(huge.body).error.code, 'PAYLOAD_TOO_LARGE');
      // XML is read (ISO 20022 pacs.008, iso20022-samples.test.ts), but only a pacs.008 Document.
      const xml = await svc.request('POST', ASSESSMENTS, { rawBody: '<payment/>', headers: { 'x-api-key': apiKey, 'content-type': 'application/xml' } });
      assert.equal(xml.status, 400);
      assert.equal(ApiErrorBody.parse(xml.body).error.fields?.[0]?.path, 'payment');
      const csv = await svc.request('POST', ASSESSMENTS, { rawBody: 'a,b', headers: { 'x-api-key': apiKey, 'content-type': 'text/csv' } });
      assert.equal(csv.status, 415);
      assert.equal(await countRows(), before);
    });

    it('lists, filters and pages assessments, and lists pending manual reviews', async () => {
      for (let i = 0; i < 3; i++) await post(criticalPayment({ customerId: 'CIF-LIST-1', deviceId: 'dev-list-1' }));
      await post(samplePayment({ customerId: 'CIF-LIST-1', deviceId: 'dev-list-1', debtorAccount: '0120099990002' }));
      const Page = pageOf(Assessment);
      const all = Page.parse((await svc.request('GET', `${ASSESSMENTS}?customerId=CIF-LIST-1&pageSize=2`, { token: adminToken })).body);
      assert.equal(all.total, 4);
      assert.equal(all.items.length, 2);
      const critical = Page.parse((await svc.request('GET', `${ASSESSMENTS}?customerId=CIF-LIST-1&riskLevel=CRITICAL`, { token: adminToken })).body);
      assert.equal(critical.total, 3);
      const reviews = Page.parse((await svc.request('GET', '/api/v1/fraud-risk/manual-reviews?customerId=CIF-LIST-1', { token: adminToken })).body);
      assert.equal(reviews.total, 3);
      assert.ok(reviews.items.every((a) => a.manualDecision === null && a.decision !== 'APPROVE'));
      const badQuery = await svc.request('GET', `${ASSESSMENTS}?pageSize=100000&riskLevel=EXTREME`, { token: adminToken });
      assert.equal(badQuery.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(badQuery.body)
          .error.fields?.map((f) => f.path)
          .sort(),
        ['query.pageSize', 'query.riskLevel'],
      );
      assert.equal((await svc.request('GET', `${ASSESSMENTS}/FRA-NOPE`, { token: adminToken })).status, 404);
    });
  });
}
