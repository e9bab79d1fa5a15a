import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startService, type RunningService } from '../app.ts';
import { stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { AssessmentResponse } from '../../../shared/src/assessments.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { startBankEngineSimulator, type BankEngineSimulator } from '../bank-engine/simulator.ts';
import { claimable } from './commands.ts';

after(stopTestPostgres);

/**
 * Issue 11 §3: two hubs on one PostgreSQL work through the same queue of BATCH assessments. Each
 * payment is claimed (FOR UPDATE SKIP LOCKED, with a lease) by exactly one hub, so it is scored
 * once and the bank's engine (a real HTTP simulator) is called once for it.
 */
const N = 60;
const ENGINE_KEY = 'batch-claim-engine-key';
const TENANT = 'WEKEZA-BATCH';

describe('queued batch assessments shared by two hubs on one PostgreSQL', { timeout: 300_000 }, () => {
  let hub1: TestService;
  let hub2: RunningService;
  let engine: BankEngineSimulator;
  let admin: string;

  before(async () => {
    engine = await startBankEngineSimulator({ latencyMs: 3, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: ENGINE_KEY } });
    hub1 = await startTestService('postgres');
    hub2 = await startService({
      mode: 'hub',
      host: '127.0.0.1',
      port: 0,
      dataDir: hub1.database.dataDir,
      database: hub1.database.target,
      rendererDir: null,
      logger: pino({ level: 'silent' }),
      env: { WEKEZA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
    });
    // The queue is worked by this test, not by the hubs' timers, so that both run at the same moments.
    hub1.service.context.decisionEngine.pipeline.stop();
    hub2.context.decisionEngine.pipeline.stop();
    admin = (await hub1.login('admin', TEST_ADMIN_PASSWORD)).token;
  });
  after(async () => {
    await hub2?.close();
    await hub1?.stop();
    await engine?.close();
  });

  it('scores each payment exactly once and calls the bank engine exactly once for it', async () => {
    const created = await hub1.request('POST', '/api/v1/fraud-risk/configurations', {
      token: admin,
      body: {
        ...newConfigurationTemplate(),
        configurationName: 'Batch with engine',
        tenantId: TENANT,
        riskAssessmentType: 'BATCH',
        bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl, credentials: { apiKey: ENGINE_KEY } },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await hub2.context.decisionEngine.registry.reload();
    const client = await hub1.request('POST', '/api/v1/api-clients', {
      token: admin,
      body: { name: 'Payment engine', role: 'PAYMENT_ENGINE', tenantIds: [TENANT] },
    });
    const apiKey = (client.body as { apiKey: string }).apiKey;

    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await hub1.request('POST', '/api/v1/fraud-risk/assessments', { headers: { 'x-api-key': apiKey }, body: samplePayment({ tenantId: TENANT }) });
      const assessment = AssessmentResponse.parse(res.body);
      assert.equal(assessment.status, 'PENDING');
      ids.push(assessment.assessmentId);
    }
    engine.resetStats();

    const db = hub1.service.context.db.kysely;
    const claimableLeft = async () =>
      Number(
        (
          await db
            .selectFrom('fraud_risk_assessments')
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .where((eb) => claimable(eb, new Date().toISOString()))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    // Both hubs take small rounds at the same time until nothing is left to claim.
    const work = async (pipeline: typeof hub2.context.decisionEngine.pipeline) => {
      let rounds = 0;
      while ((await claimableLeft()) > 0 && rounds++ < 200) await pipeline.processPendingBatch(5);
    };
    await Promise.all([work(hub1.service.context.decisionEngine.pipeline), work(hub2.context.decisionEngine.pipeline)]);

    const rows = await db.selectFrom('fraud_risk_assessments').select(['assessment_id', 'status', 'claimed_by']).where('tenant_id', '=', TENANT).execute();
    assert.equal(rows.length, N);
    assert.deepEqual(
      rows.filter((r) => r.status !== 'COMPLETED').map((r) => `${r.assessment_id} ${r.status}`),
      [],
      'every queued payment was scored',
    );
    const claimers = new Set(rows.map((r) => r.claimed_by));
    assert.equal(claimers.size, 2, 'both hubs took part');

    const completions = await db
      .selectFrom('audit_log')
      .select(['entity_id'])
      .where('command', '=', 'assessment.complete')
      .where('entity_type', '=', 'assessment')
      .execute();
    const perAssessment = new Map<string, number>();
    for (const c of completions) perAssessment.set(c.entity_id, (perAssessment.get(c.entity_id) ?? 0) + 1);
    assert.equal(perAssessment.size, N);
    assert.ok(
      [...perAssessment.values()].every((n) => n === 1),
      'each assessment completed once',
    );

    assert.equal(engine.stats().requests, N, 'the bank engine was called once per payment');
    const asked = engine.received().map((r) => (r.body as { requestId: string }).requestId);
    assert.equal(new Set(asked).size, N, 'no payment was sent to the engine twice');
    assert.deepEqual(new Set(asked), new Set(ids));
  });
});
