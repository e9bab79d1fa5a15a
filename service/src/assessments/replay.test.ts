import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { Assessment, AssessmentReplayResult, AssessmentResponse } from '../../../shared/src/assessments.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { FraudRiskConfiguration, type ConfigurationInput } from '../../../shared/src/decision-engine.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { startBankEngineSimulator, type BankEngineSimulator } from '../bank-engine/simulator.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { upsertCustomer } from '../customers/customers.ts';
import { loadActiveModel, storeAnomalyModel, trainModel } from '../decision-engine/anomaly-model.ts';
import { anomalyFeatures } from '../scoring/anomaly/features.ts';

after(stopTestPostgres);

const BASE = '/api/v1/fraud-risk';
const ENGINE_KEY = 'replay-engine-key-7c2e';
const NOW = '2026-11-20T12:00:00Z';
const at = (iso: string) => new Date(iso).toISOString();

for (const dialect of DIALECTS) {
  describe(`replayable decisions on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let engine: BankEngineSimulator;
    let admin: string;
    let apiKey: string;
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      engine = await startBankEngineSimulator({ latencyMs: 2, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: ENGINE_KEY } });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      apiKey = (
        (
          await svc.request('POST', '/api/v1/api-clients', {
            token: admin,
            body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-RP', 'BANK-A', 'BANK-B'] },
          })
        ).body as { apiKey: string }
      ).apiKey;
    });
    after(async () => {
      await svc?.stop();
      await engine?.close();
    });

    const assess = async (payment: PaymentInput) => {
      const res = await svc.request('POST', `${BASE}/assessments`, { body: payment, headers: { 'x-api-key': apiKey } });
      assert.ok(res.status === 201, `assessment answered ${res.status}: ${JSON.stringify(res.body)}`);
      return AssessmentResponse.parse(res.body);
    };
    const replay = (id: string) => svc.service.context.decisionEngine.replay(id);
    const stored = async (id: string) => Assessment.parse((await svc.request('GET', `${BASE}/assessments/${id}`, { token: admin })).body);
    const configure = async (input: ConfigurationInput) => {
      const res = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: input });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return FraudRiskConfiguration.parse(res.body);
    };

    it('replays every kind of decision with its stored facts and finds it unchanged', async () => {
      const context = svc.service.context;
      // An anomaly model, so that its score is part of the decision and of the replay.
      const sample = Array.from({ length: 200 }, (_, i) =>
        anomalyFeatures({
          amountKes: 1000 + (i % 37) * 150,
          timestamp: at(`2026-11-1${i % 9}T0${i % 10}:15:00+03:00`),
          channel: 'MOBILE',
          country: 'KE',
          homeCountry: 'KE',
          timeZoneOffsetMinutes: 180,
          customerMedianAmountKes: 2000,
          paymentType: 'MOBILE_MONEY',
        }),
      );
      await context.bus.execute(storeAnomalyModel, trainModel(sample, { days: 30, trees: 30, subsampleSize: 64 }, 7), SYSTEM_ACTOR);
      context.decisionEngine.facts.anomaly = (await loadActiveModel(context.db.kysely))?.scorer ?? null;
      // A hybrid SWIFT configuration with the bank engine: asked only from MEDIUM risk up.
      await configure({
        ...newConfigurationTemplate(),
        configurationName: 'SWIFT hybrid',
        tenantId: 'WEKEZA-RP',
        paymentType: 'SWIFT_TRANSFER',
        riskAssessmentType: 'HYBRID',
        bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl, credentials: { apiKey: ENGINE_KEY } },
      });
      await context.bus.execute(
        upsertCustomer,
        {
          customerRef: 'CIF-RP-NEW',
          fullName: 'New Customer',
          nationalId: '31234567',
          phone: '+254711000000',
          email: null,
          county: 'Nairobi',
          segment: 'RETAIL',
          kycStatus: 'VERIFIED',
          riskRating: 'LOW',
          customerSince: '2026-11-15',
          accounts: [{ accountNumber: 'RP-NEW-1', type: 'CURRENT', openedOn: '2026-11-15', status: 'ACTIVE' }],
        },
        SYSTEM_ACTOR,
      );

      const tenantId = 'WEKEZA-RP';
      const ids: string[] = [];
      const add = async (payment: PaymentInput) => ids.push((await assess(payment)).assessmentId);
      // Velocity by sum on one account, posted out of time order.
      for (const [minute, amount] of [
        [30, 3_100_000],
        [10, 3_000_000],
        [50, 2_900_000],
      ] as const) {
        await add(samplePayment({ tenantId, customerId: 'CIF-RP-V', debtorAccount: 'RP-V-1', amount, timestamp: at(`2026-11-19T11:${minute}:00+03:00`) }));
      }
      // Three payments on one device, then a new device.
      for (let i = 0; i < 3; i++)
        await add(
          samplePayment({
            tenantId,
            customerId: 'CIF-RP-D',
            debtorAccount: 'RP-D-1',
            deviceId: 'dev-rp-a',
            amount: 2_000 + i,
            timestamp: at(`2026-11-18T1${i}:00:00+03:00`),
          }),
        );
      await add(
        samplePayment({
          tenantId,
          customerId: 'CIF-RP-D',
          debtorAccount: 'RP-D-1',
          deviceId: 'dev-rp-b',
          amount: 2_500,
          timestamp: at('2026-11-18T15:00:00+03:00'),
        }),
      );
      // A new account; a critical payment that short-circuits; SWIFT with and without the engine.
      await add(
        samplePayment({
          tenantId,
          customerId: 'CIF-RP-NEW',
          debtorAccount: 'RP-NEW-1',
          channel: 'WEB',
          amount: 90_000,
          timestamp: at('2026-11-19T09:00:00+03:00'),
        }),
      );
      await add(criticalPayment({ tenantId, timestamp: at('2026-11-19T02:30:00+03:00') }));
      const swiftLow = samplePayment({
        tenantId,
        paymentType: 'SWIFT_TRANSFER',
        clearingSystemCode: 'SWIFT',
        localInstrumentationCode: undefined,
        amount: 1_200,
        currency: 'USD',
        country: 'KE',
        timestamp: at('2026-11-19T10:00:00+03:00'),
      });
      await add(swiftLow);
      await add({
        ...swiftLow,
        transactionReference: `${swiftLow.transactionReference}-2`,
        amount: 9_000,
        country: 'AE',
        channel: 'WEB',
        timestamp: at('2026-11-19T23:30:00+03:00'),
      });

      const assessments = await Promise.all(ids.map(stored));
      const hits = new Set(assessments.flatMap((a) => a.riskFactors.filter((f) => f.outcome === 'HIT').map((f) => f.ruleId)));
      for (const rule of ['frequency.account-day', 'device.new', 'account.new', 'amount.high']) assert.ok(hits.has(rule), `${rule} fired: ${[...hits].join()}`);
      const engineOutcomes = assessments.map((a) => a.assessmentDetails?.engine?.outcome ?? 'none');
      assert.ok(engineOutcomes.includes('NOT_CALLED') && engineOutcomes.includes('ANSWERED'), engineOutcomes.join());
      assert.ok(
        assessments.some((a) => a.assessmentDetails?.anomalyScore !== null),
        'the anomaly model scored',
      );
      assert.ok(
        assessments.every((a) => a.scoringFacts !== null),
        'every assessment keeps its facts',
      );
      const velocityFacts = assessments[1]!.scoringFacts!;
      assert.deepEqual(
        velocityFacts.velocity.account.day,
        { count: 1, sumKes: 3_100_000 },
        'the earlier-posted, later-timed payment counted: the live windows as they stood',
      );
      assert.equal(assessments.find((a) => a.payment.debtorAccount === 'RP-NEW-1')?.scoringFacts?.accountOpenedOn, '2026-11-15');

      for (const assessment of assessments) {
        const result = AssessmentReplayResult.parse(await replay(assessment.id));
        assert.deepEqual(result.differences, [], `${assessment.assessmentId} replays unchanged`);
        assert.equal(result.matches, true);
        assert.equal(result.factsSource, 'STORED');
        assert.equal(result.replayed.decision, assessment.engineDecision);
      }
      assert.equal(engine.stats().requests, 1, 'replays never call the bank engine');
      const overHttp = await svc.request('POST', `${BASE}/assessments/${assessments[0]!.assessmentId}/replay`, { token: admin });
      assert.equal(overHttp.status, 200, JSON.stringify(overHttp.body));
      assert.equal(AssessmentReplayResult.parse(overHttp.body).matches, true);

      // An assessment from before facts were kept: its facts are recomputed as of the payment's time.
      const legacy = assessments[6]!;
      await context.db.kysely.updateTable('fraud_risk_assessments').set({ scoring_facts: null }).where('id', '=', legacy.id).execute();
      const recomputed = await replay(legacy.assessmentId);
      assert.equal(recomputed.factsSource, 'RECOMPUTED');
      assert.deepEqual(recomputed.facts, legacy.scoringFacts);
      assert.equal(recomputed.matches, true, JSON.stringify(recomputed.differences));

      // A stored fact changed behind the service's back: the replay says what it changes.
      const tampered = assessments[3]!;
      const facts = {
        ...tampered.scoringFacts!,
        velocity: { ...tampered.scoringFacts!.velocity, account: { ...tampered.scoringFacts!.velocity.account, day: { count: 50, sumKes: 100_000 } } },
      };
      await context.db.kysely
        .updateTable('fraud_risk_assessments')
        .set({ scoring_facts: JSON.stringify(facts) })
        .where('id', '=', tampered.id)
        .execute();
      const changed = await replay(tampered.assessmentId);
      assert.equal(changed.matches, false);
      const paths = changed.differences.map((d) => d.path);
      assert.ok(paths.includes('riskFactors.frequency.account-day.outcome'), paths.join());
      assert.ok(paths.includes('riskScore'), paths.join());
      assert.deepEqual(
        changed.differences.find((d) => d.path === 'riskFactors.frequency.account-day.outcome'),
        { path: 'riskFactors.frequency.account-day.outcome', stored: 'NO_HIT', replayed: 'HIT' },
      );
    });

    it("keys every scoring fact by tenant: one tenant's history never changes another's score", async () => {
      const shared = { customerId: 'CIF-SHARED-1', debtorAccount: 'SHARED-ACC-1', deviceId: 'dev-shared-a' };
      for (let i = 0; i < 4; i++)
        await assess(samplePayment({ tenantId: 'BANK-A', ...shared, amount: 2_000_000, timestamp: at(`2026-11-19T1${i}:00:00+03:00`) }));
      const a = await assess(
        samplePayment({ tenantId: 'BANK-A', ...shared, deviceId: 'dev-shared-b', amount: 2_000_000, timestamp: at('2026-11-19T15:00:00+03:00') }),
      );
      const b = await assess(
        samplePayment({ tenantId: 'BANK-B', ...shared, deviceId: 'dev-shared-b', amount: 2_000_000, timestamp: at('2026-11-19T15:00:00+03:00') }),
      );
      const fresh = await assess(
        samplePayment({
          tenantId: 'BANK-B',
          customerId: 'CIF-NEVER-SEEN',
          debtorAccount: 'NEVER-SEEN-1',
          deviceId: 'dev-shared-b',
          amount: 2_000_000,
          timestamp: at('2026-11-19T15:00:00+03:00'),
        }),
      );
      const hitsOf = (r: AssessmentResponse) =>
        r.riskFactors
          .filter((f) => f.outcome === 'HIT')
          .map((f) => f.ruleId)
          .sort();
      assert.ok(hitsOf(a).includes('frequency.account-day') && hitsOf(a).includes('device.new'), hitsOf(a).join());
      assert.deepEqual(hitsOf(b), hitsOf(fresh), 'BANK-B scores as if BANK-A had never seen the customer');
      assert.equal(b.riskScore, fresh.riskScore);
      const factsB = (await stored(b.assessmentId)).scoringFacts!;
      assert.deepEqual(factsB.velocity, {
        account: { day: { count: 0, sumKes: 0 }, week: { count: 0, sumKes: 0 } },
        customer: { day: { count: 0, sumKes: 0 }, week: { count: 0, sumKes: 0 } },
      });
      assert.deepEqual(factsB.device, { known: false, priorPayments: 0 });
    });
  });
}
