import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { ApiErrorBody, pageOf } from '../../../shared/src/api.ts';
import {
  Backtest,
  BankApiTestResult,
  ConfigurationVersion,
  FraudRiskConfiguration,
  FraudRiskHealth,
  FraudRiskStatistics,
  type ConfigurationInput,
} from '../../../shared/src/decision-engine.ts';
import { PaymentDecisionAnswer } from '../../../shared/src/decision-engine-api.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { startBankEngineSimulator, type BankEngineSimulator } from '../bank-engine/simulator.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { upsertCustomer } from '../customers/customers.ts';

after(stopTestPostgres);

const BASE = '/api/v1/fraud-risk';
const ENGINE_KEY = 'engine-secret-key-5d1f';

function configuration(patch: Partial<ConfigurationInput> = {}): ConfigurationInput {
  return { ...newConfigurationTemplate(), ...patch };
}

/** The service's "now" in these tests: two days after the sample payments (ARCHITECTURE.md rule 3). */
const NOW = '2026-11-20T12:00:00Z';
/** Every tenant these tests score payments for; the analyst and the payment engine act for all of them. */
const TENANTS = ['WEKEZA-KE', 'WEKEZA-UG', 'WEKEZA-TZ', 'WEKEZA-ENG', 'WEKEZA-BATCH', 'WEKEZA-BT', 'WEKEZA-ID'];

for (const dialect of DIALECTS) {
  describe(`decision engine on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let engine: BankEngineSimulator;
    let admin: string;
    let analyst: string;
    let apiKey: string;

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      engine = await startBankEngineSimulator({ latencyMs: 5, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: ENGINE_KEY } });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'amina.otieno', 'FRAUD_ANALYST', TENANTS);
      analyst = (await svc.login('amina.otieno', TEST_USER_PASSWORD)).token;
      apiKey = (
        (await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: TENANTS } }))
          .body as { apiKey: string }
      ).apiKey;
    });
    after(async () => {
      await svc.stop();
      await engine.close();
    });

    const assess = async (body: unknown) => {
      const res = await svc.request('POST', `${BASE}/assessments`, { body, headers: { 'x-api-key': apiKey } });
      assert.ok(res.status === 201 || res.status === 200 || res.status === 202, `assessment answered ${res.status}: ${JSON.stringify(res.body)}`);
      return AssessmentResponse.parse(res.body);
    };
    const stored = async (assessmentId: string) => Assessment.parse((await svc.request('GET', `${BASE}/assessments/${assessmentId}`, { token: admin })).body);
    const create = async (input: ConfigurationInput & { asDraft?: boolean }) => {
      const res = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: input });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return FraudRiskConfiguration.parse(res.body);
    };

    it('lets admins create and analysts only read configurations; bad input is a 400 naming the field', async () => {
      const denied = await svc.request('POST', `${BASE}/configurations`, { token: analyst, body: configuration() });
      assert.equal(denied.status, 403);
      const bad = configuration({ thresholds: { medium: 0.6, high: 0.5, critical: 0.8 } });
      bad.riskRules = bad.riskRules.map((r) => (r.kind === 'suspicious-ip' ? { ...r, params: { ranges: ['300.1.2.3/8'] } } : r));
      const invalid = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: bad });
      assert.equal(invalid.status, 400);
      const paths = ApiErrorBody.parse(invalid.body).error.fields?.map((f) => f.path) ?? [];
      assert.ok(paths.includes('body.thresholds.medium'), paths.join());
      assert.ok(
        paths.some((p) => /^body\.riskRules\.\d+\.params\.ranges\.0$/.test(p)),
        paths.join(),
      );
      const badTemplate = await svc.request('POST', `${BASE}/configurations`, {
        token: admin,
        body: configuration({ bankFraudApiConfig: { ...EXAMPLE_BANK_API, requestTemplate: '{"x": "{{payment.nope}}"}' } }),
      });
      assert.equal(badTemplate.status, 400);
      assert.equal(ApiErrorBody.parse(badTemplate.body).error.fields?.[0]?.path, 'body.bankFraudApiConfig.requestTemplate');
      const list = await svc.request('GET', `${BASE}/configurations`, { token: analyst });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body, [], 'nothing was half-written');
    });

    it('chooses the most specific matching configuration, then priority, and records which version and why', async () => {
      const tenantWide = await create(configuration({ configurationName: 'Tenant-wide', priority: 100 }));
      const mobile = await create(configuration({ configurationName: 'Mobile money', paymentType: 'MOBILE_MONEY', priority: 100 }));
      const mpesaLow = await create(
        configuration({ configurationName: 'M-PESA (priority 5)', paymentType: 'MOBILE_MONEY', clearingSystemCode: 'MPESA', priority: 5 }),
      );
      await create(configuration({ configurationName: 'M-PESA (priority 9)', paymentType: 'MOBILE_MONEY', clearingSystemCode: 'MPESA', priority: 9 }));
      await create(
        configuration({
          configurationName: 'Disabled, most specific',
          paymentType: 'MOBILE_MONEY',
          clearingSystemCode: 'MPESA',
          localInstrumentationCode: 'MPESA_B2C',
          isEnabled: false,
        }),
      );

      const mpesa = await stored((await assess(samplePayment())).assessmentId);
      assert.equal(mpesa.configurationId, mpesaLow.id);
      assert.equal(mpesa.configurationVersion, '1.0');
      const choice = mpesa.assessmentDetails?.configuration;
      assert.match(choice?.reason ?? '', /priority 5 comes before 9/);
      assert.deepEqual(
        choice?.alsoMatched.map((m) => m.configurationName),
        ['M-PESA (priority 9)', 'Mobile money', 'Tenant-wide'],
      );

      const airtel = await stored((await assess(samplePayment({ clearingSystemCode: 'AIRTEL', localInstrumentationCode: undefined }))).assessmentId);
      assert.equal(airtel.configurationId, mobile.id);
      const rtgs = await stored((await assess(samplePayment({ paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }))).assessmentId);
      assert.equal(rtgs.configurationId, tenantWide.id);
      const otherTenant = await stored((await assess(samplePayment({ tenantId: 'WEKEZA-UG' }))).assessmentId);
      assert.equal(otherTenant.configurationId, null);
      assert.match(otherTenant.assessmentDetails?.configuration.reason ?? '', /built-in default rules/);
    });

    it('makes every edit a new version, keeps old versions readable, and edits drafts without applying them', async () => {
      const created = await create(configuration({ configurationName: 'Versioned', tenantId: 'WEKEZA-TZ' }));
      const payment = () => samplePayment({ tenantId: 'WEKEZA-TZ', amount: 1_500_000, debtorAccount: `TZ-${Math.random()}` });
      assert.equal((await assess(payment())).riskLevel, 'MEDIUM');

      const stale = await svc.request('PUT', `${BASE}/configurations/${created.id}`, {
        token: admin,
        body: {
          ...configuration({ configurationName: 'Versioned', tenantId: 'WEKEZA-TZ' }),
          expectedRowVersion: created.rowVersion + 5,
          changeNote: 'Stale edit',
        },
      });
      assert.equal(stale.status, 409, 'a stale edit conflicts instead of overwriting');

      const raised = configuration({ configurationName: 'Versioned', tenantId: 'WEKEZA-TZ', changeNote: 'Raise the review threshold' });
      raised.riskRules = raised.riskRules.map((r) => (r.kind === 'high-amount' ? { ...r, params: { ...r.params, thresholdKes: 2_000_000 } } : r));
      const v2 = FraudRiskConfiguration.parse(
        (await svc.request('PUT', `${BASE}/configurations/${created.id}`, { token: admin, body: { ...raised, expectedRowVersion: created.rowVersion } })).body,
      );
      assert.equal(v2.version, '2.0');
      const after = await stored((await assess(payment())).assessmentId);
      assert.equal(after.riskLevel, 'LOW');
      assert.equal(after.configurationVersion, '2.0');

      // A draft that would flag everything is not applied until published.
      const strict = configuration({ configurationName: 'Versioned', tenantId: 'WEKEZA-TZ', thresholds: { medium: 0.01, high: 0.5, critical: 0.8 } });
      const draft = ConfigurationVersion.parse((await svc.request('PUT', `${BASE}/configurations/${created.id}/draft`, { token: admin, body: strict })).body);
      assert.equal(draft.status, 'DRAFT');
      assert.equal(draft.versionNumber, 3);
      assert.equal((await assess(payment())).riskLevel, 'LOW');

      const versions = ConfigurationVersion.array().parse((await svc.request('GET', `${BASE}/configurations/${created.id}/versions`, { token: analyst })).body);
      assert.deepEqual(
        versions.map((v) => [v.version, v.status]),
        [
          ['3.0', 'DRAFT'],
          ['2.0', 'PUBLISHED'],
          ['1.0', 'SUPERSEDED'],
        ],
      );
      const v1 = ConfigurationVersion.parse((await svc.request('GET', `${BASE}/configurations/${created.id}/versions/1`, { token: analyst })).body);
      assert.equal(v1.body.riskRules.find((r) => r.kind === 'high-amount')?.params.thresholdKes, 1_000_000);

      const published = FraudRiskConfiguration.parse(
        (
          await svc.request('POST', `${BASE}/configurations/${created.id}/draft/publish`, {
            token: admin,
            body: { expectedRowVersion: v2.rowVersion, changeNote: 'Stricter' },
          })
        ).body,
      );
      assert.equal(published.version, '3.0');
      assert.equal(published.draft, null);
      assert.equal((await assess(payment())).riskLevel, 'MEDIUM');

      const audit = await svc.request('GET', `/api/v1/audit?entityId=${created.id}`, { token: admin });
      const commands = (audit.body as { items: Array<{ command: string }> }).items.map((i) => i.command);
      for (const c of ['configuration.create', 'configuration.update', 'configuration.draft.save', 'configuration.draft.publish'])
        assert.ok(commands.includes(c), `${c} audited`);

      const deleted = await svc.request('DELETE', `${BASE}/configurations/${created.id}?expectedRowVersion=${published.rowVersion}`, { token: admin });
      assert.equal(deleted.status, 204);
      assert.equal((await svc.request('GET', `${BASE}/configurations/${created.id}`, { token: admin })).status, 404);
      assert.equal((await svc.request('GET', `${BASE}/configurations/${created.id}/versions/1`, { token: admin })).status, 200, 'old versions stay readable');
    });

    it('keeps bank-engine credentials encrypted at rest and never returns them; tests connectivity', async () => {
      const created = await create(
        configuration({
          configurationName: 'SWIFT with engine',
          tenantId: 'WEKEZA-ENG',
          paymentType: 'SWIFT_TRANSFER',
          bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl, credentials: { apiKey: ENGINE_KEY } },
        }),
      );
      assert.equal(created.bankFraudApiConfig?.credentialsSet.apiKey, true);
      const text = JSON.stringify((await svc.request('GET', `${BASE}/configurations/${created.id}`, { token: admin })).body);
      assert.ok(!text.includes(ENGINE_KEY), 'the API never returns the key');
      const row = await svc.service.context.db.kysely
        .selectFrom('fraud_risk_configurations')
        .select(['bank_api_credentials', 'bank_fraud_api_config'])
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      assert.ok(row.bank_api_credentials?.startsWith('v1.'));
      assert.ok(!JSON.stringify(row).includes(ENGINE_KEY), 'not stored in plain text');
      const auditText = JSON.stringify((await svc.request('GET', `/api/v1/audit?entityId=${created.id}`, { token: admin })).body);
      assert.ok(!auditText.includes(ENGINE_KEY), 'not in the audit log');

      const tested = BankApiTestResult.parse((await svc.request('POST', `${BASE}/configurations/${created.id}/test-api`, { token: admin, body: {} })).body);
      assert.equal(tested.ok, true, tested.message);
      assert.equal(tested.request.headers['X-Api-Key'], '••••');
      // An edit without credentials keeps the stored key.
      const edited = FraudRiskConfiguration.parse(
        (
          await svc.request('PUT', `${BASE}/configurations/${created.id}`, {
            token: admin,
            body: {
              ...configuration({
                configurationName: 'SWIFT with engine',
                tenantId: 'WEKEZA-ENG',
                paymentType: 'SWIFT_TRANSFER',
                bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl },
              }),
              expectedRowVersion: created.rowVersion,
              changeNote: 'Point at the new engine URL',
            },
          })
        ).body,
      );
      assert.equal(edited.bankFraudApiConfig?.credentialsSet.apiKey, true);
      assert.equal(
        BankApiTestResult.parse((await svc.request('POST', `${BASE}/configurations/${created.id}/test-api`, { token: admin, body: {} })).body).ok,
        true,
      );
      assert.equal((await svc.request('POST', `${BASE}/configurations/${created.id}/test-api`, { token: analyst, body: {} })).status, 403);

      const swift = () =>
        criticalPayment({
          tenantId: 'WEKEZA-ENG',
          paymentType: 'SWIFT_TRANSFER',
          clearingSystemCode: 'SWIFT',
          amount: 300_000,
          country: 'AE',
          timestamp: '2026-11-20T11:00:00+03:00',
          description: 'Supplier invoice',
        });
      const answered = await stored((await assess(swift())).assessmentId);
      assert.equal(answered.status, 'COMPLETED');
      assert.equal(answered.externalApiUsed, 'Bank fraud engine');
      assert.equal(answered.assessmentDetails?.engine?.outcome, 'ANSWERED');
      assert.ok((answered.externalApiResponseTimeMs ?? -1) >= 0);

      // The engine goes down: every assessment is still decided within its timeout, by the fallback.
      engine.setBehaviour({ outage: 'hang' });
      const timeoutMs = newConfigurationTemplate().timeoutConfig.assessmentTimeoutMs;
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        const result = await assess(swift());
        const elapsed = performance.now() - started;
        assert.ok(elapsed < timeoutMs + 500, `decided in ${Math.round(elapsed)} ms`);
        assert.ok(result.status === 'TIMEOUT' || result.status === 'ERROR', result.status);
        assert.notEqual(result.decision, null);
      }
      const health = FraudRiskHealth.parse((await svc.request('GET', `${BASE}/health`, { token: admin })).body);
      assert.equal(health.status, 'DEGRADED');
      assert.equal(health.bankEngines.find((b) => b.configurationId === created.id)?.breakerState, 'OPEN', 'the breaker opened after repeated failures');
      const before = engine.stats().requests;
      const whileOpen = await stored((await assess(swift())).assessmentId);
      assert.equal(whileOpen.assessmentDetails?.engine?.outcome, 'BREAKER_OPEN');
      assert.equal(whileOpen.assessmentDetails?.engine?.fallback, 'LOCAL_RULES_ONLY');
      assert.equal(engine.stats().requests, before, 'an open breaker does not call the engine');

      // Back up: a retry of the failed assessment succeeds once the breaker lets a call through.
      engine.setBehaviour({ outage: 'none' });
      svc.service.context.decisionEngine.adapter.forget(`${created.id}:${edited.versionNumber}`);
      const retried = Assessment.parse((await svc.request('POST', `${BASE}/assessments/${whileOpen.id}/retry`, { headers: { 'x-api-key': apiKey } })).body);
      assert.equal(retried.status, 'COMPLETED');
      assert.equal(retried.retryCount, 1);
      assert.equal(retried.assessmentDetails?.history.at(-1)?.action, 'RETRY');
      const again = await svc.request('POST', `${BASE}/assessments/${whileOpen.id}/retry`, { headers: { 'x-api-key': apiKey } });
      assert.equal(again.status, 409, 'a completed assessment is not retried');
    });

    it('maps ISO 20022 pacs.008 onto the same model', async () => {
      const document = {
        Document: {
          FIToFICstmrCdtTrf: {
            GrpHdr: {
              MsgId: 'EQBL-20261120-0001',
              CreDtTm: '2026-11-20T09:30:00+03:00',
              NbOfTxs: '1',
              SttlmInf: { SttlmMtd: 'CLRG', ClrSys: { Prtry: 'IPSL' } },
            },
            CdtTrfTxInf: {
              PmtId: { EndToEndId: 'E2E-PESALINK-7781', TxId: 'PSL20261120000777' },
              PmtTpInf: { LclInstrm: { Prtry: 'PESALINK' } },
              IntrBkSttlmAmt: { Ccy: 'KES', value: 85_000 },
              Dbtr: { Nm: 'Achieng Odhiambo' },
              DbtrAcct: { Id: { Othr: { Id: '0120012345678' } } },
              DbtrAgt: { FinInstnId: { BICFI: 'EQBLKENA' } },
              CdtrAgt: { FinInstnId: { BICFI: 'KCBLKENX' } },
              Cdtr: { Nm: 'Kamau Hardware Ltd' },
              CdtrAcct: { Id: { Othr: { Id: '1180034567' } } },
              RmtInf: { Ustrd: 'Invoice 2026-114' },
              SplmtryData: { Envlp: { tenantId: 'WEKEZA-KE', channel: 'WEB', customerId: 'CIF-00000001', paymentType: 'INSTANT_TRANSFER' } },
            },
          },
        },
      };
      const response = await assess(document);
      // The instructing agent (here the debtor agent) with the TxId: a TxId is unique per agent only.
      assert.equal(response.transactionReference, 'EQBLKENA:PSL20261120000777');
      const a = await stored(response.assessmentId);
      assert.equal(a.payment.amount, 85_000);
      assert.equal(a.payment.clearingSystemCode, 'IPSL');
      assert.equal(a.payment.localInstrumentationCode, 'PESALINK');
      assert.equal(a.paymentSource, 'CLEARING_SYSTEM');
      assert.equal(a.payment.channel, 'WEB');
      const bad = await svc.request('POST', `${BASE}/assessments`, {
        headers: { 'x-api-key': apiKey },
        body: {
          FIToFICstmrCdtTrf: {
            GrpHdr: document.Document.FIToFICstmrCdtTrf.GrpHdr,
            CdtTrfTxInf: { ...document.Document.FIToFICstmrCdtTrf.CdtTrfTxInf, IntrBkSttlmAmt: { Ccy: 'KESX', value: 1 } },
          },
        },
      });
      assert.equal(bad.status, 400);
      assert.match(ApiErrorBody.parse(bad.body).error.fields?.[0]?.path ?? '', /IntrBkSttlmAmt/);
    });

    it('runs batch assessments PENDING → IN_PROGRESS → COMPLETED, and supports cancel and manual decisions', async () => {
      await create(configuration({ configurationName: 'EFT batch', tenantId: 'WEKEZA-BATCH', riskAssessmentType: 'BATCH' }));
      // The background processor is stopped so that this test, not a timer, moves the queue on.
      svc.service.context.decisionEngine.pipeline.stop();
      const queued = await assess(criticalPayment({ tenantId: 'WEKEZA-BATCH' }));
      assert.equal(queued.status, 'PENDING');
      assert.equal(queued.decision, null);
      const statuses: string[] = [];
      const socketless = svc.service.context.bus.events;
      const listener = (a: { event: string; payload: unknown }) => {
        if (a.event === 'assessment.updated') statuses.push((a.payload as { status: string }).status);
      };
      socketless.on('announce', listener);
      await svc.service.context.decisionEngine.pipeline.processPendingBatch();
      socketless.off('announce', listener);
      assert.deepEqual(statuses, ['IN_PROGRESS', 'COMPLETED']);
      const done = await stored(queued.assessmentId);
      assert.equal(done.status, 'COMPLETED');
      assert.equal(done.riskLevel, 'CRITICAL');
      assert.notEqual(done.caseId, null, 'a case opened once the batch decided');

      const pending = await assess(criticalPayment({ tenantId: 'WEKEZA-BATCH' }));
      const noReason = await svc.request('POST', `${BASE}/assessments/${pending.assessmentId}/cancel`, { headers: { 'x-api-key': apiKey }, body: {} });
      assert.equal(noReason.status, 400);
      const cancelled = Assessment.parse(
        (
          await svc.request('POST', `${BASE}/assessments/${pending.assessmentId}/cancel`, {
            headers: { 'x-api-key': apiKey },
            body: { reason: 'Payment withdrawn by the customer' },
          })
        ).body,
      );
      assert.equal(cancelled.status, 'CANCELLED');
      assert.equal((await svc.request('POST', `${BASE}/assessments/${pending.assessmentId}/cancel`, { token: admin, body: { reason: 'again' } })).status, 409);

      const analystDenied = await svc.request('POST', `${BASE}/assessments/${done.assessmentId}/cancel`, { token: analyst, body: { reason: 'no permission' } });
      assert.equal(analystDenied.status, 403);
      const missingReason = await svc.request('PUT', `${BASE}/assessments/${done.assessmentId}/decision`, { token: analyst, body: { decision: 'APPROVE' } });
      assert.equal(missingReason.status, 400);
      assert.equal(ApiErrorBody.parse(missingReason.body).error.fields?.[0]?.path, 'body.reason');
      // One command decides a payment (issue 10): approving a CRITICAL payment goes through its case and waits for a second approver.
      const decided = PaymentDecisionAnswer.parse(
        (
          await svc.request('PUT', `${BASE}/assessments/${done.assessmentId}/decision`, {
            token: analyst,
            body: { decision: 'APPROVE', reason: 'Customer verified by phone' },
          })
        ).body,
      );
      assert.equal(decided.approvalRequired, true, JSON.stringify(decided));
      assert.equal(decided.assessment.decision, 'ESCALATE', 'not decided by one person');
      assert.equal(decided.case?.id, done.caseId);
    });

    it('backtests a draft over stored payments and reports the decisions that would change', async () => {
      const created = await create(configuration({ configurationName: 'Backtested', tenantId: 'WEKEZA-BT' }));
      // Wednesday mid-morning in Nairobi: no time rule fires, so only the amount rule differs.
      const weekday = Date.parse('2026-11-18T10:00:00+03:00');
      for (let i = 0; i < 12; i++) {
        await assess(
          samplePayment({
            tenantId: 'WEKEZA-BT',
            amount: 1_200_007 + i * 1000,
            debtorAccount: `BT-${i}`,
            customerId: `CIF-BT-${i}`,
            timestamp: new Date(weekday + i * 60_000).toISOString(),
          }),
        );
      }
      for (let i = 0; i < 8; i++)
        await assess(
          samplePayment({
            tenantId: 'WEKEZA-BT',
            amount: 900 + i,
            debtorAccount: `BT-L-${i}`,
            customerId: `CIF-BTL-${i}`,
            timestamp: new Date(weekday + i * 60_000).toISOString(),
          }),
        );
      const noDraft = await svc.request('POST', `${BASE}/configurations/${created.id}/backtests`, { token: admin, body: { days: 7 } });
      assert.equal(noDraft.status, 400);
      const raised = configuration({ configurationName: 'Backtested', tenantId: 'WEKEZA-BT' });
      raised.riskRules = raised.riskRules.map((r) => (r.kind === 'high-amount' ? { ...r, params: { ...r.params, thresholdKes: 5_000_000 } } : r));
      await svc.request('PUT', `${BASE}/configurations/${created.id}/draft`, { token: admin, body: raised });
      const started = await svc.request('POST', `${BASE}/configurations/${created.id}/backtests`, { token: admin, body: { days: 7 } });
      assert.equal(started.status, 202);
      let backtest = Backtest.parse(started.body);
      for (let i = 0; i < 100 && backtest.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        backtest = Backtest.parse((await svc.request('GET', `${BASE}/backtests/${backtest.id}`, { token: analyst })).body);
      }
      assert.equal(backtest.status, 'COMPLETED');
      assert.equal(backtest.summary?.evaluated, 20);
      assert.equal(backtest.summary?.changed, 12, 'the 12 payments above 1M KES no longer go to review');
      assert.deepEqual(backtest.summary?.decisionTransitions, [{ from: 'MANUAL_REVIEW', to: 'APPROVE', count: 12 }]);
      assert.equal(backtest.changes.length, 12);
      assert.ok(backtest.changes.every((c) => c.customerId.startsWith('CIF-BT-')));
      const published = await svc.request('POST', `${BASE}/configurations/${created.id}/draft/publish`, {
        token: admin,
        body: { expectedRowVersion: created.rowVersion, backtestId: backtest.id, changeNote: 'Backtested: fewer reviews above KES 1M' },
      });
      assert.equal(published.status, 200);
      const versions = ConfigurationVersion.array().parse((await svc.request('GET', `${BASE}/configurations/${created.id}/versions`, { token: admin })).body);
      assert.equal(versions[0]?.backtestId, backtest.id);
    });

    it('backtests a draft identical to the published version with no changed decision or risk level', async () => {
      const tenantId = 'WEKEZA-ID';
      const body = () => configuration({ configurationName: 'Identical', tenantId });
      const created = await create(body());
      // Core banking sends customers after the service started: their accounts' ages must count
      // from the first payment on, live as in the backtest ("New account").
      const opened = (accountNumber: string, openedOn: string, customerRef: string) => ({
        customerRef,
        fullName: `Customer ${customerRef}`,
        nationalId: customerRef.slice(-8),
        phone: '+254700000000',
        email: null,
        county: 'Nairobi',
        segment: 'RETAIL' as const,
        kycStatus: 'VERIFIED' as const,
        riskRating: 'LOW' as const,
        customerSince: openedOn,
        accounts: [{ accountNumber, type: 'CURRENT' as const, openedOn, status: 'ACTIVE' as const }],
      });
      await svc.service.context.bus.execute(upsertCustomer, opened('ID-NEW-1', '2026-11-12', 'CIF-ID-NEW'), SYSTEM_ACTOR);
      await svc.service.context.bus.execute(upsertCustomer, opened('ID-OLD-1', '2015-03-01', 'CIF-ID-OLD'), SYSTEM_ACTOR);
      const at = (iso: string) => new Date(iso).toISOString();
      const pay = (patch: Parameters<typeof samplePayment>[0]) => assess(samplePayment({ tenantId, ...patch }));
      const results = [
        // A new account paying on the web: New account plus channel risk.
        await pay({ customerId: 'CIF-ID-NEW', debtorAccount: 'ID-NEW-1', channel: 'WEB', amount: 250_000, timestamp: at('2026-11-19T09:00:00+03:00') }),
        await pay({ customerId: 'CIF-ID-NEW', debtorAccount: 'ID-NEW-1', channel: 'WEB', amount: 480_000, timestamp: at('2026-11-19T09:20:00+03:00') }),
        await pay({ customerId: 'CIF-ID-OLD', debtorAccount: 'ID-OLD-1', channel: 'WEB', amount: 250_000, timestamp: at('2026-11-19T09:05:00+03:00') }),
        // Velocity by sum, arriving out of time order: the later payment is posted first.
        await pay({ customerId: 'CIF-ID-V', debtorAccount: 'ID-V-1', amount: 3_100_000, timestamp: at('2026-11-18T11:30:00+03:00') }),
        await pay({ customerId: 'CIF-ID-V', debtorAccount: 'ID-V-1', amount: 3_000_000, timestamp: at('2026-11-18T11:10:00+03:00') }),
        await pay({ customerId: 'CIF-ID-V', debtorAccount: 'ID-V-1', amount: 2_900_000, timestamp: at('2026-11-18T11:50:00+03:00') }),
      ];
      // Three payments from one device, then a first payment from another.
      for (let i = 0; i < 3; i++)
        results.push(
          await pay({
            customerId: 'CIF-ID-D',
            debtorAccount: 'ID-D-1',
            deviceId: 'dev-id-a',
            amount: 12_000 + i,
            timestamp: at(`2026-11-17T1${i}:00:00+03:00`),
          }),
        );
      results.push(
        await pay({ customerId: 'CIF-ID-D', debtorAccount: 'ID-D-1', deviceId: 'dev-id-b', amount: 15_000, timestamp: at('2026-11-17T16:00:00+03:00') }),
      );
      results.push(await assess(criticalPayment({ tenantId, timestamp: at('2026-11-19T02:30:00+03:00') })));
      const hits = new Set(results.flatMap((r) => r.riskFactors.filter((f) => f.outcome === 'HIT').map((f) => f.ruleId)));
      for (const rule of ['account.new', 'frequency.account-day', 'device.new']) assert.ok(hits.has(rule), `${rule} fired live: ${[...hits].join()}`);

      await svc.request('PUT', `${BASE}/configurations/${created.id}/draft`, { token: admin, body: body() });
      const started = await svc.request('POST', `${BASE}/configurations/${created.id}/backtests`, { token: admin, body: { days: 7 } });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      let backtest = Backtest.parse(started.body);
      for (let i = 0; i < 100 && backtest.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        backtest = Backtest.parse((await svc.request('GET', `${BASE}/backtests/${backtest.id}`, { token: admin })).body);
      }
      assert.equal(backtest.status, 'COMPLETED', backtest.error ?? '');
      assert.equal(backtest.summary?.evaluated, results.length);
      assert.deepEqual(
        backtest.changes.map((c) => `${c.transactionReference} ${c.currentDecision}>${c.proposedDecision} ${c.proposedRules.join('; ')}`),
        [],
      );
      assert.equal(backtest.summary?.changed, 0);
      assert.equal(backtest.summary?.riskLevelChanged, 0);

      // An explicit end of the window: nothing before 2026-11-17 12:00 was assessed here.
      const early = await svc.request('POST', `${BASE}/configurations/${created.id}/backtests`, {
        token: admin,
        body: { days: 3, to: '2026-11-17T12:00:00Z' },
      });
      let windowed = Backtest.parse(early.body);
      for (let i = 0; i < 100 && windowed.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        windowed = Backtest.parse((await svc.request('GET', `${BASE}/backtests/${windowed.id}`, { token: admin })).body);
      }
      assert.equal(windowed.status, 'COMPLETED', windowed.error ?? '');
      assert.equal(windowed.summary?.evaluated, 3, 'only the first three device payments (07:00 to 09:00 UTC on the 17th) are in that window');
    });

    it("counts an assessment as slow against its own configuration's slowAssessmentMs", async () => {
      const strict = await create(
        configuration({
          configurationName: 'Slow limit 100 ms',
          clearingSystemCode: 'SLOWTEST-A',
          monitoringConfig: { storeEngineExchange: true, slowAssessmentMs: 100 },
        }),
      );
      const lenient = await create(
        configuration({
          configurationName: 'Slow limit 500 ms',
          clearingSystemCode: 'SLOWTEST-B',
          monitoringConfig: { storeEngineExchange: true, slowAssessmentMs: 500 },
        }),
      );
      const a = await assess(samplePayment({ clearingSystemCode: 'SLOWTEST-A', customerId: 'CIF-SLOW-A', debtorAccount: 'SLOW-A' }));
      const b = await assess(samplePayment({ clearingSystemCode: 'SLOWTEST-B', customerId: 'CIF-SLOW-B', debtorAccount: 'SLOW-B' }));
      assert.equal((await stored(a.assessmentId)).configurationId, strict.id);
      assert.equal((await stored(b.assessmentId)).configurationId, lenient.id);
      const slowCount = async () => FraudRiskStatistics.parse((await svc.request('GET', `${BASE}/statistics`, { token: analyst })).body).processing.slow;
      const before = await slowCount();
      // Both took 150 ms: slow for the 100 ms configuration, not for the 500 ms one.
      const db = svc.service.context.db.kysely;
      await db.updateTable('fraud_risk_assessments').set({ processing_time_ms: 150 }).where('assessment_id', 'in', [a.assessmentId, b.assessmentId]).execute();
      assert.equal(await slowCount(), before + 1);
    });

    it('trains the anomaly model, reports statistics, metrics and health, and exports CSV', async () => {
      for (let i = 0; i < 70; i++) await assess(samplePayment({ amount: 1000 + i * 37, customerId: `CIF-AN-${i % 9}`, debtorAccount: `AN-${i}` }));
      const denied = await svc.request('POST', `${BASE}/anomaly-model/train`, { token: analyst, body: {} });
      assert.equal(denied.status, 403);
      const trained = await svc.request('POST', `${BASE}/anomaly-model/train`, { token: admin, body: { days: 30, trees: 50, subsampleSize: 64 } });
      assert.equal(trained.status, 200, JSON.stringify(trained.body));
      const scored = await stored((await assess(samplePayment({ customerId: 'CIF-AN-NEW', debtorAccount: 'AN-NEW' }))).assessmentId);
      assert.notEqual(scored.assessmentDetails?.anomalyScore, null, 'the new model scores the next payment');

      const statsResponse = await svc.request('GET', `${BASE}/statistics?from=2026-11-19T12:01:00Z&to=2026-11-20T12:01:00Z`, { token: analyst });
      assert.equal(statsResponse.status, 200, JSON.stringify(statsResponse.body));
      const stats = FraudRiskStatistics.parse(statsResponse.body);
      assert.ok(stats.total >= 90);
      assert.ok(stats.hourly.length >= 24 && stats.hourly.length <= 25, `${stats.hourly.length} hours`);
      assert.ok(stats.topRules.length > 0);
      assert.ok(stats.engine.calls > 0);
      const metrics = await svc.request('GET', `${BASE}/metrics`, { token: analyst });
      assert.ok((metrics.body as { assessments: number }).assessments >= 90);
      const Page = pageOf(Assessment);
      for (const view of ['recent', 'manual-reviews', 'high-risk', 'critical-risk']) {
        const res = await svc.request('GET', `${BASE}/${view}?pageSize=5`, { token: analyst });
        assert.equal(res.status, 200, view);
        Page.parse(res.body);
      }
      const critical = Page.parse((await svc.request('GET', `${BASE}/critical-risk`, { token: analyst })).body);
      assert.ok(critical.items.every((a) => a.riskLevel === 'CRITICAL'));
      const csv = await svc.request('GET', `${BASE}/assessments/export.csv?riskLevel=CRITICAL`, { token: analyst });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const lines = String(csv.body).trim().split('\r\n');
      assert.equal(lines[0]?.split(',')[0], 'assessment_id');
      assert.equal(lines.length - 1, critical.total);
    });
  });
}
