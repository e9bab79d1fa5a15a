import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody, pageOf } from '../../../shared/src/api.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { FraudRiskMetrics, FraudRiskStatistics } from '../../../shared/src/decision-engine.ts';
import { Pacs008AssessmentResult } from '../../../shared/src/decision-engine-api.ts';

after(stopTestPostgres);

/**
 * Tenant isolation of scoring and assessments (issue 10 item 6; ARCHITECTURE.md "Tenants"): one
 * payment engine per tenant scores and sees only its own payments; another tenant's assessment
 * does not exist for it (404, by id and by reference); naming another tenant answers 403.
 */
const BASE = '/api/v1/fraud-risk';
const A = 'BANK-A';
const B = 'BANK-B';
const Page = pageOf(Assessment);

/** A pacs.008 of one transaction; `envelope` is the Wekeza envelope (SplmtryData.Envlp). */
function pacs008(reference: string, envelope?: Record<string, string>) {
  return {
    FIToFICstmrCdtTrf: {
      GrpHdr: {
        MsgId: `MSG-${reference}`,
        CreDtTm: '2026-11-20T10:30:45+03:00',
        NbOfTxs: '1',
        SttlmInf: { SttlmMtd: 'CLRG', ClrSys: { Prtry: 'IPSL' } },
        InstdAgt: { FinInstnId: { BICFI: 'KCBLKENX' } },
      },
      CdtTrfTxInf: {
        PmtId: { EndToEndId: reference },
        IntrBkSttlmAmt: { Ccy: 'KES', value: 48500 },
        AccptncDtTm: '2026-11-20T10:30:41+03:00',
        Dbtr: { Nm: 'Wanjiku Kamau' },
        DbtrAcct: { Id: { Othr: { Id: '0170298765432' } } },
        DbtrAgt: { FinInstnId: { BICFI: 'EQBLKENA' } },
        CdtrAgt: { FinInstnId: { BICFI: 'KCBLKENX' } },
        Cdtr: { Nm: 'Otieno Hardware Ltd', PstlAdr: { Ctry: 'KE' } },
        CdtrAcct: { Id: { Othr: { Id: '1187654321' } } },
      },
      ...(envelope ? { SplmtryData: { Envlp: envelope } } : {}),
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`tenant scope of scoring and assessments on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let admin: string;
    const key: Record<string, Record<string, string>> = {};
    let analystA: string;
    const scored: Record<string, AssessmentResponse> = {};

    const as = (caller: Record<string, string> | string) => (typeof caller === 'string' ? { token: caller } : { headers: caller });
    const get = (caller: Record<string, string> | string, path: string) => svc.request('GET', `${BASE}${path}`, as(caller));
    const payments = async () =>
      Number(
        (
          await svc.service.context.db.kysely
            .selectFrom('payments')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const expectStatus = (res: { status: number; body: unknown }, status: number, what: string) =>
      assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T12:00:00Z') });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      for (const tenant of [A, B]) {
        const client = await svc.request('POST', '/api/v1/api-clients', {
          token: admin,
          body: { name: `${tenant} payment engine`, role: 'PAYMENT_ENGINE', tenantIds: [tenant] },
        });
        expectStatus(client, 201, `client for ${tenant}`);
        key[tenant] = { 'x-api-key': (client.body as { apiKey: string }).apiKey };
      }
      await addTestUser(svc, 'analyst.a', 'FRAUD_ANALYST', [A]);
      analystA = (await svc.login('analyst.a', TEST_USER_PASSWORD)).token;
      const post = async (tenant: string, body: unknown, name: string) => {
        const res = await svc.request('POST', `${BASE}/assessments`, { headers: key[tenant]!, body });
        expectStatus(res, 201, `score ${name}`);
        scored[name] = AssessmentResponse.parse(res.body);
      };
      await post(A, samplePayment({ tenantId: A, transactionReference: 'REF-A-1', customerId: 'CIF-A-1', debtorAccount: 'ACC-A-1' }), 'a1');
      await post(A, samplePayment({ tenantId: A, transactionReference: 'SHARED-REF', customerId: 'CIF-A-2', debtorAccount: 'ACC-A-2' }), 'aShared');
      await post(B, criticalPayment({ tenantId: B, transactionReference: 'REF-B-1', description: 'TENANT-B-ONLY' }), 'b1');
      // References are unique per tenant: the same reference is another payment for another tenant.
      await post(B, samplePayment({ tenantId: B, transactionReference: 'SHARED-REF', customerId: 'CIF-B-2', debtorAccount: 'ACC-B-2' }), 'bShared');
    });
    after(async () => svc?.stop());

    it('lists, views, exports and counts only the caller’s tenants', async () => {
      for (const [tenant, other, own] of [
        [A, B, 2],
        [B, A, 2],
      ] as const) {
        const list = Page.parse((await get(key[tenant]!, '/assessments')).body);
        assert.equal(list.total, own, `${tenant} lists its own`);
        assert.ok(list.items.every((a) => a.tenantId === tenant));
        assert.equal(Page.parse((await get(key[tenant]!, `/assessments?tenantId=${other}`)).body).total, 0, `${tenant} cannot narrow to ${other}`);
        for (const view of ['recent', 'manual-reviews', 'high-risk', 'critical-risk']) {
          const page = Page.parse((await get(key[tenant]!, `/${view}`)).body);
          assert.ok(
            page.items.every((a) => a.tenantId === tenant),
            `${view} of ${tenant}`,
          );
        }
        const csv = await get(key[tenant]!, '/assessments/export.csv');
        expectStatus(csv, 200, 'export');
        assert.match(csv.headers.get('content-disposition') ?? '', /assessments-2026-11-20\.csv/, 'named by the service clock');
        assert.equal(String(csv.body).trim().split('\r\n').length - 1, own);
        assert.ok(!String(csv.body).includes(other));
        const stats = FraudRiskStatistics.parse((await get(key[tenant]!, '/statistics')).body);
        assert.equal(stats.total, own, `${tenant}'s statistics`);
        assert.equal(FraudRiskStatistics.parse((await get(key[tenant]!, `/statistics?tenantId=${other}`)).body).total, 0);
        assert.equal(FraudRiskMetrics.parse((await get(key[tenant]!, '/metrics')).body).assessments, own, `${tenant}'s metrics`);
      }
      assert.equal(Page.parse((await get(key[A]!, '/critical-risk')).body).total, 0, "B's critical payment is not A's");
      assert.equal(Page.parse((await get(key[B]!, '/critical-risk')).body).total, 1);
      assert.equal(Page.parse((await get(admin, '/assessments')).body).total, 4, 'a bank-wide admin sees every tenant');
      assert.equal(FraudRiskStatistics.parse((await get(admin, `/statistics?tenantId=${B}`)).body).total, 2);
      assert.equal(FraudRiskMetrics.parse((await get(admin, '/metrics')).body).assessments, 4);
    });

    it("answers 404 for another tenant's assessment, by id and by reference, for reads and writes", async () => {
      const b1 = Assessment.parse((await get(admin, `/assessments/${scored.b1!.assessmentId}`)).body);
      for (const path of [
        `/assessments/${b1.assessmentId}`,
        `/assessments/${b1.id}`,
        '/assessments/transaction/REF-B-1',
        `/assessments/transaction/REF-B-1?tenantId=${B}`,
      ]) {
        const res = await get(key[A]!, path);
        expectStatus(res, 404, path);
        assert.equal(ApiErrorBody.parse(res.body).error.code, 'NOT_FOUND');
        assert.ok(!JSON.stringify(res.body).includes('TENANT-B-ONLY'));
      }
      expectStatus(await get(analystA, `/assessments/${b1.id}`), 404, "a tenant-A analyst reads B's assessment");
      const shared = Assessment.parse((await get(key[A]!, '/assessments/transaction/SHARED-REF')).body);
      assert.equal(shared.assessmentId, scored.aShared!.assessmentId, "A's payment under a reference B uses too");
      expectStatus(await svc.request('POST', `${BASE}/assessments/${b1.id}/retry`, { headers: key[A]! }), 404, 'retry');
      expectStatus(
        await svc.request('POST', `${BASE}/assessments/${b1.id}/cancel`, { headers: key[A]!, body: { reason: 'not mine to cancel' } }),
        404,
        'cancel',
      );
      expectStatus(await svc.request('POST', `${BASE}/assessments/${b1.id}/replay`, { headers: key[A]! }), 404, 'replay');
      expectStatus(
        await svc.request('PUT', `${BASE}/assessments/${b1.id}/decision`, { token: analystA, body: { decision: 'APPROVE', reason: 'not my tenant' } }),
        404,
        'decision',
      );
      const after = Assessment.parse((await get(admin, `/assessments/${b1.id}`)).body);
      assert.equal(after.version, b1.version, 'nothing changed');
      expectStatus(await svc.request('POST', `${BASE}/assessments/${b1.id}/replay`, { headers: key[B]! }), 200, 'its own tenant replays it');
    });

    it('answers 403 naming the field when a payment is scored for a tenant the caller does not act for, and stores nothing', async () => {
      const before = await payments();
      const native = await svc.request('POST', `${BASE}/assessments`, { headers: key[A]!, body: samplePayment({ tenantId: B }) });
      expectStatus(native, 403, 'native payment for B');
      assert.equal(ApiErrorBody.parse(native.body).error.fields?.[0]?.path, 'body.tenantId');
      const refusals: Array<[string, unknown, string]> = [
        [`${BASE}/assessments`, pacs008('ISO-B-1', { tenantId: B }), 'body.FIToFICstmrCdtTrf.SplmtryData.Envlp.tenantId'],
        [`${BASE}/assessments?tenantId=${B}`, pacs008('ISO-B-2'), 'query.tenantId'],
        [`${BASE}/assessments/iso20022/pacs.008?tenantId=${B}`, pacs008('ISO-B-3'), 'query.tenantId'],
        [`${BASE}/assessments/iso20022/pacs.008`, pacs008('ISO-B-4', { tenantId: B }), 'body.FIToFICstmrCdtTrf.SplmtryData.Envlp.tenantId'],
        // No tenant named: the instructed agent's BIC is the tenant, and A does not act for it.
        [`${BASE}/assessments`, pacs008('ISO-B-5'), 'body.FIToFICstmrCdtTrf.GrpHdr.InstdAgt.FinInstnId.BICFI'],
      ];
      for (const [path, body, field] of refusals) {
        const res = await svc.request('POST', path, { headers: key[A]!, body });
        expectStatus(res, 403, path);
        assert.equal(ApiErrorBody.parse(res.body).error.fields?.[0]?.path, field, path);
      }
      assert.equal(await payments(), before, 'nothing stored');

      const own = await svc.request('POST', `${BASE}/assessments?tenantId=${A}`, { headers: key[A]!, body: pacs008('ISO-A-1') });
      expectStatus(own, 201, 'pacs.008 for A');
      assert.equal(Assessment.parse((await get(key[A]!, `/assessments/${AssessmentResponse.parse(own.body).assessmentId}`)).body).tenantId, A);
      const again = await svc.request('POST', `${BASE}/assessments/iso20022/pacs.008`, { headers: key[A]!, body: pacs008('ISO-A-1', { tenantId: A }) });
      expectStatus(again, 200, 'the same message again');
      assert.equal(Pacs008AssessmentResult.parse(again.body).assessments[0]?.assessmentId, AssessmentResponse.parse(own.body).assessmentId);
    });
  });
}
