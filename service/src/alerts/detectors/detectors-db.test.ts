import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../../testing/service.ts';
import { assessmentRecord, criticalPayment, samplePayment } from '../../testing/fixtures.ts';
import { newConfigurationTemplate } from '../../../../shared/src/decision-engine-defaults.ts';
import { ManualClock } from '../../clock.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { fromJson } from '../../db/database.ts';
import { completeAssessment, recordAssessments } from '../../assessments/commands.ts';
import { recordCustomerContactChange } from '../commands.ts';
import { AlertBacktestResult, AlertEvidence, AlertThresholdSet } from '../../../../shared/src/alerts.ts';
import { DEFAULT_PATTERN_THRESHOLDS as D } from '../../../../shared/src/alert-threshold-defaults.ts';
import type { PaymentInput } from '../../../../shared/src/payments.ts';
import { detectPayment } from './detect.ts';
import { loadPaymentFacts } from './facts.ts';
import { detectorJobs } from './runner.ts';
import { thresholdsFor } from './thresholds.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';
const ASSESSMENTS = '/api/v1/fraud-risk/assessments';
const THRESHOLDS = '/api/v1/alert-thresholds';

for (const dialect of DIALECTS) {
  describe(`alert detectors on the assessment stream (${dialect})`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let apiKey: string;
    let tokens: Record<string, string>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: [KE, UG] },
      });
      assert.equal(client.status, 201);
      apiKey = (client.body as { apiKey: string }).apiKey;
      ({ tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER'],
        ['ug.manager', 'RISK_MANAGER', [UG]],
        ['amina.otieno', 'FRAUD_ANALYST', [KE]],
      ]));
    });
    after(async () => svc?.stop());

    const ctx = () => svc.service.context;
    const db = () => ctx().db.kysely;
    const post = async (overrides: Partial<PaymentInput>) => {
      const res = await svc.request('POST', ASSESSMENTS, { body: samplePayment(overrides), headers: { 'x-api-key': apiKey } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    const flush = () => ctx().alerting!.flush();
    const alertsOf = async (pattern: string, entityId: string) =>
      db().selectFrom('alerts').selectAll().where('pattern', '=', pattern).where('entity_id', '=', entityId).execute();
    const assessmentIdOf = async (reference: string) =>
      (await db().selectFrom('fraud_risk_assessments').select('id').where('transaction_reference', '=', reference).executeTakeFirstOrThrow()).id;

    it('three payments just below KES 1,000,000 posted to the assessment API raise one STRUCTURING alert with their evidence', async () => {
      for (const [i, amount] of [950_000, 960_000, 970_000].entries()) {
        await post({
          transactionReference: `STR-S1-${i}`,
          customerId: 'CIF-S1',
          amount,
          timestamp: `2026-11-20T0${7 + i}:00:00+03:00`,
          creditorAccount: `PAYEE-S1-${i}`,
        });
      }
      for (const [i, amount] of [950_000, 1_000_000].entries()) {
        await post({ transactionReference: `STR-S2-${i}`, customerId: 'CIF-S2', amount, timestamp: `2026-11-20T0${7 + i}:30:00+03:00` });
      }
      await flush();
      const [alert, ...more] = await alertsOf('STRUCTURING', 'CIF-S1');
      assert.ok(alert, 'a structuring alert for CIF-S1');
      assert.equal(more.length, 0);
      assert.equal(alert.tenant_id, KE);
      assert.equal(alert.entity_type, 'CUSTOMER');
      assert.equal(alert.severity, 'HIGH');
      const evidence = AlertEvidence.parse(fromJson(alert.evidence));
      assert.deepEqual(evidence.payments.map((p) => p.transactionReference).sort(), ['STR-S1-0', 'STR-S1-1', 'STR-S1-2']);
      assert.equal(evidence.figures.count, 3);
      assert.equal(
        new Date(String(alert.detected_at)).toISOString(),
        '2026-11-20T06:00:00.000Z',
        'detected at the third payment’s time (09:00 Nairobi), not the clock',
      );
      assert.deepEqual(await alertsOf('STRUCTURING', 'CIF-S2'), [], 'one in band and one at the threshold is not structuring');
    });

    it('loads facts as of the payment’s time: the first payment does not see the two after it', async () => {
      const t = await thresholdsFor(db(), KE);
      const first = await loadPaymentFacts(db(), await assessmentIdOf('STR-S1-0'), t);
      assert.ok(first);
      assert.deepEqual(
        first.customer.map((p) => p.transactionReference),
        ['STR-S1-0'],
      );
      assert.deepEqual(
        detectPayment(first, t).filter((c) => c.pattern === 'STRUCTURING'),
        [],
      );
      const third = await loadPaymentFacts(db(), await assessmentIdOf('STR-S1-2'), t);
      assert.deepEqual(
        third?.customer.map((p) => p.transactionReference),
        ['STR-S1-0', 'STR-S1-1', 'STR-S1-2'],
      );
      assert.equal(third?.trigger.deviceKnown, true, 'the device was stored as known with the decision');
      assert.equal(await loadPaymentFacts(db(), '00000000-0000-4000-8000-000000000000', t), null);
    });

    it('ACCOUNT_TAKEOVER: new device, then a SIM swap from core banking, then KES 150,000 to a new payee', async () => {
      for (const customer of ['CIF-ATO1', 'CIF-ATO2']) {
        await post({
          transactionReference: `${customer}-A`,
          customerId: customer,
          deviceId: `dev-${customer}`,
          amount: 2_000,
          timestamp: '2026-11-20T09:00:00+03:00',
        });
      }
      await ctx().bus.execute(
        recordCustomerContactChange,
        { tenantId: KE, customerRef: 'CIF-ATO1', field: 'SIM_SWAP', changedAt: '2026-11-20T09:30:00+03:00' },
        SYSTEM_ACTOR,
      );
      for (const customer of ['CIF-ATO1', 'CIF-ATO2']) {
        await post({
          transactionReference: `${customer}-B`,
          customerId: customer,
          deviceId: `dev-${customer}`,
          amount: 150_000,
          creditorAccount: `NEW-${customer}`,
          timestamp: '2026-11-20T10:00:00+03:00',
        });
      }
      await flush();
      const [alert] = await alertsOf('ACCOUNT_TAKEOVER', 'CIF-ATO1');
      assert.ok(alert);
      assert.equal(alert.severity, 'CRITICAL');
      const evidence = AlertEvidence.parse(fromJson(alert.evidence));
      assert.deepEqual(evidence.payments.map((p) => p.transactionReference).sort(), ['CIF-ATO1-A', 'CIF-ATO1-B']);
      assert.equal(evidence.figures.contactField, 'SIM_SWAP');
      assert.deepEqual(await alertsOf('ACCOUNT_TAKEOVER', 'CIF-ATO2'), [], 'no contact change, no takeover');
    });

    it('a queued batch assessment is checked when it is scored, not when it is queued', async () => {
      // The service's own batch processor would score the queued payment meanwhile (every 500 ms):
      // this test scores it itself, so the processor is paused (and a round in flight let finish).
      const pipeline = ctx().decisionEngine.pipeline;
      pipeline.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      try {
        await scoreQueuedBatchPayment();
      } finally {
        pipeline.startBatchProcessor();
      }
    });

    async function scoreQueuedBatchPayment(): Promise<void> {
      for (const i of [0, 1])
        await post({ transactionReference: `STR-B1-${i}`, customerId: 'CIF-B1', amount: 955_000, timestamp: `2026-11-20T08:${i}0:00+03:00` });
      const payment = samplePayment({ transactionReference: 'STR-B1-BATCH', customerId: 'CIF-B1', amount: 965_000, timestamp: '2026-11-20T08:40:00+03:00' });
      const {
        items: [scored],
      } = assessmentRecord(payment);
      const pending = {
        ...scored!.outcome,
        status: 'PENDING' as const,
        riskScore: null,
        riskLevel: null,
        decision: null,
        riskFactors: [],
        riskAssessmentType: 'BATCH' as const,
      };
      await ctx().bus.execute(recordAssessments, { items: [{ ...scored!, outcome: pending }] }, SYSTEM_ACTOR);
      await flush();
      assert.deepEqual(await alertsOf('STRUCTURING', 'CIF-B1'), [], 'two scored payments in band; the third is only queued');

      const row = await db()
        .selectFrom('fraud_risk_assessments')
        .select(['id', 'version'])
        .where('transaction_reference', '=', 'STR-B1-BATCH')
        .executeTakeFirstOrThrow();
      const outcome = scored!.outcome;
      const details = {
        amountKes: outcome.amountKes,
        configuration: {
          configurationId: null,
          configurationName: 'Built-in',
          version: null,
          versionNumber: null,
          specificity: 0,
          priority: null,
          reason: 'test',
          alsoMatched: [],
        },
        thresholds: { medium: 0.3, high: 0.6, critical: 0.8 },
        localScore: outcome.riskScore ?? 0,
        localRiskLevel: outcome.riskLevel ?? ('LOW' as const),
        shortCircuited: false,
        anomalyScore: null,
        engine: null,
        decisionSource: 'local rules',
        toggle: null,
        history: [],
      };
      await ctx().bus.execute(
        completeAssessment,
        { id: row.id, payment, outcome: { ...outcome, details, riskAssessmentType: 'BATCH' }, retry: false, expectedVersion: row.version },
        SYSTEM_ACTOR,
      );
      await flush();
      const [alert] = await alertsOf('STRUCTURING', 'CIF-B1');
      assert.ok(alert, 'scored: the third payment in band completes the pattern');
      assert.equal(alert.occurrences, 1);
      assert.equal(AlertEvidence.parse(fromJson(alert.evidence)).payments.length, 3);
    }

    it('thresholds are data per tenant: listed with defaults, updated with audit and version, used by the stream at once', async () => {
      const list = await svc.request('GET', `${THRESHOLDS}?tenantId=${KE}`, { token: tokens['faith.wambui'] });
      assert.equal(list.status, 200);
      const sets = AlertThresholdSet.array().parse(list.body);
      assert.equal(sets.length, 13);
      assert.ok(sets.every((s) => s.isDefault && s.version === 0 && s.enabled));
      assert.deepEqual(sets.find((s) => s.pattern === 'STRUCTURING')?.thresholds, D.STRUCTURING);

      const body = { tenantId: KE, enabled: true, thresholds: { ...D.STRUCTURING, minCount: 2 }, version: 0 };
      const put = await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['faith.wambui'], body });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(AlertThresholdSet.parse(put.body).version, 1);
      assert.equal((await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['faith.wambui'], body })).status, 409, 'a stale version');
      assert.equal((await svc.request('PUT', `${THRESHOLDS}/FAN_IN`, { token: tokens['faith.wambui'], body })).status, 400, 'thresholds of another pattern');
      assert.equal((await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['ug.manager'], body })).status, 403, 'another tenant');
      assert.equal(
        (await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['ug.manager'], body: { ...body, tenantId: '*' } })).status,
        403,
        'bank-wide by a tenant user',
      );
      assert.equal((await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['amina.otieno'], body })).status, 403, 'an analyst');
      assert.equal((await svc.request('GET', `${THRESHOLDS}?tenantId=${KE}`, { token: tokens['ug.manager'] })).status, 403);

      const after = AlertThresholdSet.array().parse((await svc.request('GET', `${THRESHOLDS}?tenantId=${KE}`, { token: tokens['amina.otieno'] })).body);
      const structuring = after.find((s) => s.pattern === 'STRUCTURING');
      assert.equal(structuring?.isDefault, false);
      assert.equal(structuring?.version, 1);
      assert.equal(structuring?.updatedBy, 'Faith Wambui');
      const ug = AlertThresholdSet.array().parse((await svc.request('GET', `${THRESHOLDS}?tenantId=${UG}`, { token: tokens['ug.manager'] })).body);
      assert.equal(ug.find((s) => s.pattern === 'STRUCTURING')?.isDefault, true, 'the other tenant keeps the default');
      const audit = await db().selectFrom('audit_log').selectAll().where('entity_type', '=', 'alert_threshold').execute();
      assert.equal(audit.length, 1);

      for (const i of [0, 1])
        await post({ transactionReference: `STR-S3-${i}`, customerId: 'CIF-S3', amount: 940_000, timestamp: `2026-11-20T1${i}:00:00+03:00` });
      for (const i of [0, 1])
        await post({ transactionReference: `STR-U1-${i}`, tenantId: UG, customerId: 'CIF-U1', amount: 940_000, timestamp: `2026-11-20T1${i}:00:00+03:00` });
      await flush();
      assert.equal((await alertsOf('STRUCTURING', 'CIF-S3')).length, 1, 'two are enough for WEKEZA-KE now');
      assert.deepEqual(await alertsOf('STRUCTURING', 'CIF-U1'), [], 'WEKEZA-UG still needs three');

      // Switched off for the tenant: the detector does not run.
      await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['faith.wambui'], body: { ...body, enabled: false, version: 1 } });
      for (const i of [0, 1])
        await post({ transactionReference: `STR-S4-${i}`, customerId: 'CIF-S4', amount: 940_000, timestamp: `2026-11-20T1${i}:10:00+03:00` });
      await flush();
      assert.deepEqual(await alertsOf('STRUCTURING', 'CIF-S4'), []);
      await svc.request('PUT', `${THRESHOLDS}/STRUCTURING`, { token: tokens['faith.wambui'], body: { ...body, version: 2 } });
    });

    it('backtests candidate thresholds against those in force over the stored payments', async () => {
      const request = { tenantId: KE, thresholds: { ...D.STRUCTURING, minCount: 3 }, from: '2026-11-20T00:00:00Z', to: '2026-11-20T12:00:00Z' };
      const res = await svc.request('POST', `${THRESHOLDS}/backtest`, { token: tokens['faith.wambui'], body: request });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const result = AlertBacktestResult.parse(res.body);
      const keInPeriod = await db()
        .selectFrom('payments')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', KE)
        .where('occurred_at', '>=', '2026-11-20T00:00:00.000Z')
        .where('occurred_at', '<=', '2026-11-20T12:00:00.000Z')
        .executeTakeFirstOrThrow();
      assert.equal(result.paymentsReplayed, Number(keInPeriod.n));
      // Three in band: CIF-S1 (once, deduplicated) and CIF-B1. In force (two in band): CIF-S1, CIF-B1, CIF-S3, CIF-S4.
      assert.equal(result.alerts, 2);
      assert.equal(result.current.alerts, 4);
      assert.deepEqual(result.byDay, [{ day: '2026-11-20', alerts: 2, current: 4 }]);
      assert.deepEqual(
        result.samples.map((x) => x.entityId),
        ['CIF-B1', 'CIF-S1'],
        'in the order they would have been raised',
      );
      assert.equal((await svc.request('POST', `${THRESHOLDS}/backtest`, { token: tokens['ug.manager'], body: request })).status, 403);
      assert.equal((await svc.request('POST', `${THRESHOLDS}/backtest`, { token: tokens['amina.otieno'], body: request })).status, 403);
      const reversed = await svc.request('POST', `${THRESHOLDS}/backtest`, {
        token: tokens['faith.wambui'],
        body: { ...request, from: request.to, to: request.from },
      });
      assert.equal(reversed.status, 400);
    });

    it('RISKY_PAYMENT follows the deciding configuration version’s alert settings; a backtest counts its closed case as confirmed fraud', async () => {
      const created = await svc.request('POST', '/api/v1/fraud-risk/configurations', {
        token: tokens['faith.wambui'],
        body: {
          ...newConfigurationTemplate(),
          configurationName: 'Uganda with alerts',
          tenantId: UG,
          alertingConfig: { enabled: true, minRiskLevel: 'HIGH', channels: [], recipients: [] },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const configurationId = (created.body as { id: string }).id;
      await ctx().decisionEngine.registry.reload();
      await post(criticalPayment({ transactionReference: 'RISKY-UG-1', tenantId: UG, timestamp: '2026-11-20T11:00:00+03:00' }));
      await post(samplePayment({ transactionReference: 'CALM-UG-1', tenantId: UG, customerId: 'CIF-CALM', timestamp: '2026-11-20T11:05:00+03:00' }));
      await flush();
      const [alert] = await alertsOf('RISKY_PAYMENT', 'RISKY-UG-1');
      assert.ok(alert, 'the CRITICAL payment is at or above HIGH');
      assert.equal(alert.severity, 'CRITICAL');
      assert.equal(fromJson<{ figures: Record<string, unknown> }>(alert.evidence).figures.configurationId, configurationId);
      assert.deepEqual(await alertsOf('RISKY_PAYMENT', 'CALM-UG-1'), []);
      assert.deepEqual(await alertsOf('RISKY_PAYMENT', 'STR-S1-0'), [], 'the built-in default has no alert settings');

      // The analyst closed the payment's case as fraud (written directly: the case workflow is not under test here).
      const assessment = await db()
        .selectFrom('fraud_risk_assessments')
        .select('case_id')
        .where('transaction_reference', '=', 'RISKY-UG-1')
        .executeTakeFirstOrThrow();
      assert.ok(assessment.case_id, 'a CRITICAL payment opens a case');
      await db().updateTable('cases').set({ state: 'CLOSED', outcome: 'BLOCKED', closed_at: NOW }).where('id', '=', assessment.case_id).execute();
      const res = await svc.request('POST', `${THRESHOLDS}/backtest`, {
        token: tokens['ug.manager'],
        body: { tenantId: UG, thresholds: { pattern: 'RISKY_PAYMENT' }, from: '2026-11-20T00:00:00Z', to: '2026-11-20T12:00:00Z' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const result = AlertBacktestResult.parse(res.body);
      assert.equal(result.alerts, 1);
      assert.equal(result.confirmedFraud, 1);
      assert.equal(result.falsePositive, 0);
      assert.deepEqual(result.current, { alerts: 1, confirmedFraud: 1, falsePositive: 0 });
    });

    it('ENGINE_FAILURE runs every minute over the engine calls of the window, per tenant', async () => {
      const record = async (tenantId: string, failing: number, total: number) => {
        const items = Array.from({ length: total }, (_, i) => {
          const {
            items: [item],
          } = assessmentRecord(samplePayment({ tenantId, transactionReference: `ENG-${tenantId}-${i}`, timestamp: '2026-11-20T11:50:00Z' }));
          return {
            ...item!,
            outcome: { ...item!.outcome, externalApiUsed: 'Bank fraud engine', status: i < failing ? ('ERROR' as const) : ('COMPLETED' as const) },
          };
        });
        await ctx().bus.execute(recordAssessments, { items }, SYSTEM_ACTOR);
      };
      await record(KE, 6, 20);
      await record(UG, 2, 20);
      await flush();
      const [job] = detectorJobs({ db: ctx().db, bus: ctx().bus, clock, logger: pino({ level: 'silent' }) });
      assert.match(await job!.run(new Date('2026-11-20T12:05:00Z')), /1 engine alerts raised/);
      const [alert] = await alertsOf('ENGINE_FAILURE', 'Bank fraud engine');
      assert.equal(alert?.tenant_id, KE);
      const evidence = AlertEvidence.parse(fromJson(alert!.evidence));
      assert.equal(evidence.figures.errorRate, 0.3);
      assert.equal(evidence.payments.length, 6);
      // Twenty minutes later the calls are out of the 15-minute window.
      assert.equal(await job!.run(new Date('2026-11-20T12:20:00Z')), 'no engine failing');

      // Replayed minute by minute: one alert while the calls are in the window (deduplicated), none at a 50 % tolerance.
      const backtest = async (maxErrorRate: number) => {
        const res = await svc.request('POST', `${THRESHOLDS}/backtest`, {
          token: tokens['faith.wambui'],
          body: { tenantId: KE, thresholds: { ...D.ENGINE_FAILURE, maxErrorRate }, from: '2026-11-20T11:00:00Z', to: '2026-11-20T13:00:00Z' },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return AlertBacktestResult.parse(res.body);
      };
      const lenient = await backtest(0.5);
      assert.equal(lenient.paymentsReplayed, 20);
      assert.equal(lenient.alerts, 0);
      assert.equal(lenient.current.alerts, 1);
      assert.equal((await backtest(0.1)).alerts, 1);
    });
  });
}
