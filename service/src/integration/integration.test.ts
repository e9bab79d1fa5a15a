import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { IngestResult } from '../../../shared/src/risk-data.ts';
import { CreditModelView, LiquidityModelView, MarketModelView, PortfolioRisk } from '../../../shared/src/risk-data-models.ts';
import { ApiClientWithKey } from '../../../shared/src/users.ts';

after(stopTestPostgres);

const T = { timeout: 120_000 };
const NOW = '2026-11-20T12:00:00.000Z';
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';
const M = 1_000_000;

/** Seed 000 Example 2, verbatim (its "downtime Minutes" key has a space). */
const SEED_INCIDENT = {
  incidentType: 'SystemOutage',
  severity: 'High',
  affectedSystem: 'Core Banking System',
  'downtime Minutes': 120,
  financialImpact: 50000.0,
  description: 'Database connection failure causing system outage',
};
/** Seed 000 Example 3, verbatim. */
const SEED_COMPLIANCE = {
  amlCases: [{ caseId: 'AML-2024-001', status: 'UnderInvestigation', riskScore: 85, assignedTo: 'compliance-officer-id' }],
  sanctionsScreenings: [{ screeningId: 'SCR-2024-001', matchCount: 2, status: 'PendingReview' }],
};
const WORKED_LOANS = [
  { loanId: 'L-1', customerId: 'C-1', sector: 'Real Estate', outstandingBalance: 45 * M },
  { loanId: 'L-2', customerId: 'C-2', sector: 'Real Estate', outstandingBalance: 15 * M, daysPastDue: 120, provision: 2 * M },
  { loanId: 'L-3', customerId: 'C-3', sector: 'Agriculture', outstandingBalance: 50 * M },
  { loanId: 'L-4', customerId: 'C-4', sector: 'Trade', outstandingBalance: 30 * M, daysPastDue: 95, provision: 9 * M },
  { loanId: 'L-5', customerId: 'C-5', sector: 'Manufacturing', outstandingBalance: 10 * M },
];

const fieldsOf = (body: unknown) => (ApiErrorBody.parse(body).error.fields ?? []).map((f) => f.path);

for (const dialect of DIALECTS) {
  describe(`integration endpoints for core banking on ${dialect}`, T, () => {
    let svc: TestService;
    let admin: string;
    let users: Awaited<ReturnType<typeof addTestTeam>>;
    const clock = new ManualClock(NOW);
    const keys: Record<'ke' | 'ug' | 'both', string> = { ke: '', ug: '', both: '' };

    const client = async (name: string, tenantIds: string[]) => {
      const res = await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name, role: 'CORE_BANKING', tenantIds } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return ApiClientWithKey.parse(res.body).apiKey;
    };
    const post = (key: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      svc.request('POST', path, { headers: { 'x-api-key': key, ...headers }, body });
    const ok = (res: { status: number; body: unknown }) => {
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return IngestResult.parse(res.body);
    };
    const asUser = (who: string, method: string, path: string, body?: unknown) =>
      svc.request(method, path, { token: users.tokens[who]!, ...(body === undefined ? {} : { body }) });
    const createKri = async (metric: string, warning: number, critical: number, direction = 'HIGHER_IS_WORSE') => {
      const res = await asUser('faith.wambui', 'POST', '/api/v1/kris', {
        tenantId: KE,
        name: `KRI ${metric}`,
        unit: '%',
        direction,
        thresholdWarning: warning,
        thresholdCritical: critical,
        frequency: 'DAILY',
        measurement: 'AUTOMATIC',
        metric,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { id: string }).id;
    };

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      users = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER'],
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [KE, UG]],
        ['amina.otieno', 'FRAUD_ANALYST'],
      ]);
      keys.ke = await client('Core banking Kenya', [KE]);
      keys.ug = await client('Core banking Uganda', [UG]);
      keys.both = await client('Core banking East Africa', [KE, UG]);
    });
    after(async () => svc.stop());

    it('registers core banking only for named tenants', async () => {
      const res = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Core banking everywhere', role: 'CORE_BANKING', tenantIds: [] },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(fieldsOf(res.body), ['body.tenantIds']);
    });

    it("records seed 000's incident as a risk event once, feeds the incident KRI, and refuses bad input, other roles and tenants", async () => {
      const kriId = await createKri('operational.incidents', 1, 3);
      const first = ok(await post(keys.ke, '/api/integration/operational/incident', SEED_INCIDENT));
      assert.equal(first.tenantId, KE);
      assert.equal(first.riskEventIds.length >= 1, true);
      const event = (await asUser('faith.wambui', 'GET', `/api/v1/risk-events/${first.riskEventIds[0]}`)).body as Record<string, unknown>;
      assert.equal(event.type, 'INCIDENT');
      assert.equal(event.severity, 'HIGH');
      assert.equal(event.source, 'INTEGRATION');
      assert.equal(event.financialImpact, 50000);
      assert.equal((event.details as Record<string, unknown>).downtimeMinutes, 120);
      // One incident is not beyond the warning threshold of 1 (strictly past it is); the second is.
      assert.deepEqual(first.kriMeasurements, [{ kriId, metric: 'operational.incidents', value: 1, status: 'OK' }]);

      // The exact resend is a repeat: the first answer again, nothing new recorded.
      const again = await post(keys.ke, '/api/integration/operational/incident', SEED_INCIDENT);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(ok(again), first);
      const listed = (await asUser('faith.wambui', 'GET', `/api/v1/risk-events?tenantId=${KE}&type=INCIDENT`)).body as { events: Array<{ source: string }> };
      assert.equal(listed.events.filter((e) => e.source === 'INTEGRATION').length, 1);

      // downtimeMinutes is accepted too; an Idempotency-Key reused for other content is refused.
      const keyed = { ...SEED_INCIDENT, 'downtime Minutes': undefined, downtimeMinutes: 15, severity: 'low', incidentType: 'ProcessException' };
      const second = ok(await post(keys.ke, '/api/integration/operational/incident', keyed, { 'idempotency-key': 'inc-7' }));
      assert.deepEqual(second.kriMeasurements, [{ kriId, metric: 'operational.incidents', value: 2, status: 'WARNING' }]);
      const reused = await post(keys.ke, '/api/integration/operational/incident', { ...keyed, downtimeMinutes: 16 }, { 'idempotency-key': 'inc-7' });
      assert.equal(reused.status, 409);
      assert.equal(ApiErrorBody.parse(reused.body).error.code, 'IDEMPOTENCY_CONFLICT');

      const bad = await post(keys.ke, '/api/integration/operational/incident', { ...SEED_INCIDENT, severity: 'Severe', 'downtime Minutes': -1 });
      assert.equal(bad.status, 400);
      assert.deepEqual(fieldsOf(bad.body).sort(), ['body.downtime Minutes', 'body.severity']);
      const clash = await post(keys.ke, '/api/integration/operational/incident', { ...SEED_INCIDENT, downtimeMinutes: 5 });
      assert.deepEqual(fieldsOf(clash.body), ['body.downtimeMinutes']);

      assert.equal((await asUser('faith.wambui', 'POST', '/api/integration/operational/incident', SEED_INCIDENT)).status, 403);
      assert.equal((await post(keys.ke, '/api/integration/operational/incident', { ...SEED_INCIDENT, tenantId: UG })).status, 403);
      const unnamed = await post(keys.both, '/api/integration/operational/incident', SEED_INCIDENT);
      assert.equal(unnamed.status, 400);
      assert.deepEqual(fieldsOf(unnamed.body), ['body.tenantId']);
      const uganda = ok(await post(keys.both, '/api/integration/operational/incident', { ...SEED_INCIDENT, tenantId: UG }));
      assert.equal(uganda.tenantId, UG);
      assert.deepEqual(uganda.kriMeasurements, [], 'the Kenyan KRI is not fed by Uganda');
    });

    it('syncs compliance data, measures the compliance KRIs and keeps one sanctions-backlog risk per tenant', async () => {
      const amlKri = await createKri('compliance.open-aml-cases', 5, 10);
      const first = ok(await post(keys.ke, '/api/integration/compliance/sync', SEED_COMPLIANCE));
      assert.deepEqual(first.records, { created: 2, updated: 0, unchanged: 0 });
      assert.deepEqual(first.kriMeasurements, [{ kriId: amlKri, metric: 'compliance.open-aml-cases', value: 1, status: 'OK' }]);
      assert.equal(first.riskIds.length, 1);
      const risk = ((await asUser('faith.wambui', 'GET', `/api/v1/risks/${first.riskIds[0]}`)).body as { risk: Record<string, unknown> }).risk;
      assert.equal(risk.title, 'Sanctions screening review backlog');
      assert.equal(risk.category, 'COMPLIANCE');
      assert.equal(risk.ownerId, users.ids['wanjiru.njoroge']);
      assert.match(String(risk.description), /1 sanctions screening\(s\) with 2 potential match/);

      const repeat = await post(keys.ke, '/api/integration/compliance/sync', SEED_COMPLIANCE);
      assert.equal(repeat.headers.get('idempotent-replayed'), 'true');

      clock.advance(60_000);
      const grown = ok(
        await post(keys.ke, '/api/integration/compliance/sync', {
          ...SEED_COMPLIANCE,
          sanctionsScreenings: [...SEED_COMPLIANCE.sanctionsScreenings, { screeningId: 'SCR-2024-002', matchCount: 1, status: 'PendingReview' }],
        }),
      );
      assert.deepEqual(grown.riskIds, first.riskIds, 'the same backlog risk, updated');
      const updated = ((await asUser('faith.wambui', 'GET', `/api/v1/risks/${first.riskIds[0]}`)).body as { risk: Record<string, unknown> }).risk;
      assert.match(String(updated.description), /2 sanctions screening\(s\) with 3 potential match/);
      assert.equal(updated.version, 2);

      // A snapshot without the case closes it: the open-case count falls to 0.
      const cleared = ok(await post(keys.ke, '/api/integration/compliance/sync', { amlCases: [], sanctionsScreenings: [] }));
      assert.equal(cleared.kriMeasurements[0]?.value, 0);
      assert.deepEqual(cleared.riskIds, first.riskIds);

      const bad = await post(keys.ke, '/api/integration/compliance/sync', { amlCases: [{ caseId: 'X', status: 'Open', riskScore: 150 }] });
      assert.deepEqual(fieldsOf(bad.body), ['body.amlCases.0.riskScore']);
      assert.equal((await asUser('amina.otieno', 'POST', '/api/integration/compliance/sync', SEED_COMPLIANCE)).status, 403);
      assert.equal((await post(keys.ug, '/api/integration/compliance/sync', { ...SEED_COMPLIANCE, tenantId: KE })).status, 403);
    });

    it('runs the credit model on ingested loans: portfolio risk as seed 000 answers it, and the model with its inputs', async () => {
      const concentrationKri = await createKri('credit.concentration', 25, 35);
      const first = ok(await post(keys.ke, '/api/integration/credit/loans', { loans: WORKED_LOANS }));
      assert.deepEqual(first.records, { created: 5, updated: 0, unchanged: 0 });
      assert.equal(first.modelRuns[0]?.model, 'CREDIT');
      assert.deepEqual(first.kriMeasurements, [{ kriId: concentrationKri, metric: 'credit.concentration', value: 40, status: 'CRITICAL' }]);

      const res = await svc.request('GET', '/api/integration/credit/portfolio-risk', { headers: { 'x-api-key': keys.ke } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const portfolio = PortfolioRisk.parse(res.body);
      assert.equal(portfolio.totalExposure, 150 * M);
      assert.equal(portfolio.riskWeightedAssets, 145.5 * M);
      assert.equal(portfolio.nplRatio, 30);
      assert.deepEqual(portfolio.concentrationRisks[0], { sector: 'Real Estate', exposure: 60 * M, percentage: 40, riskLevel: 'High' });

      const view = CreditModelView.parse((await asUser('faith.wambui', 'GET', `/api/v1/risk-models/credit?tenantId=${KE}`)).body);
      assert.equal(view.latest?.id, first.modelRuns[0]?.runId);
      assert.equal(view.latest?.result.nplRatio, 30);
      assert.deepEqual(
        view.latest?.inputs.sectors.map((s) => s.sector),
        ['Real Estate', 'Agriculture', 'Trade', 'Manufacturing'],
      );

      assert.equal((await post(keys.ke, '/api/integration/credit/loans', { loans: WORKED_LOANS })).headers.get('idempotent-replayed'), 'true');
      clock.advance(60_000);
      const cured = ok(await post(keys.ke, '/api/integration/credit/loans', { loans: [{ ...WORKED_LOANS[3], daysPastDue: 0, provision: 0 }] }));
      assert.deepEqual(cured.records, { created: 0, updated: 1, unchanged: 0 });
      const after = CreditModelView.parse((await asUser('faith.wambui', 'GET', `/api/v1/risk-models/credit?tenantId=${KE}`)).body);
      assert.equal(after.latest?.result.nplRatio, 10);
      assert.equal(after.history.length, 2);

      const bad = await post(keys.ke, '/api/integration/credit/loans', { loans: [{ ...WORKED_LOANS[0], outstandingBalance: -5 }] });
      assert.deepEqual(fieldsOf(bad.body), ['body.loans.0.outstandingBalance']);
      assert.equal((await svc.request('GET', '/api/integration/credit/portfolio-risk', { token: users.tokens['faith.wambui']! })).status, 403);
      assert.equal((await asUser('amina.otieno', 'GET', `/api/v1/risk-models/credit?tenantId=${KE}`)).status, 403);
      assert.equal((await svc.request('GET', `/api/v1/risk-models/credit?tenantId=${KE}`, { headers: { 'x-api-key': keys.ke } })).status, 403);
      const uganda = PortfolioRisk.parse((await svc.request('GET', '/api/integration/credit/portfolio-risk', { headers: { 'x-api-key': keys.ug } })).body);
      assert.equal(uganda.totalExposure, 0, "Uganda's client sees none of Kenya's loans");
    });

    it('runs the liquidity model (LCR with haircuts and caps, NSFR) on a treasury position', async () => {
      const lcrKri = await createKri('liquidity.lcr', 120, 100, 'HIGHER_IS_BETTER');
      const body = {
        asOf: '2026-11-20T00:00:00Z',
        hqla: { level1: 100, level2a: 50, level2b: 30 },
        outflows30d: 200,
        inflows30d: 180,
        availableStableFunding: 1200,
        requiredStableFunding: 1000,
      };
      const first = ok(await post(keys.ke, '/api/integration/liquidity/positions', body));
      assert.deepEqual(first.kriMeasurements, [{ kriId: lcrKri, metric: 'liquidity.lcr', value: 315, status: 'OK' }]);
      const view = LiquidityModelView.parse((await asUser('faith.wambui', 'GET', `/api/v1/risk-models/liquidity?tenantId=${KE}`)).body);
      assert.equal(view.latest?.result.hqla, 157.5);
      assert.equal(view.latest?.result.lcr, 315);
      assert.equal(view.latest?.result.nsfr, 120);
      assert.equal(view.latest?.inputs.level2b, 30);
      assert.equal((await post(keys.ke, '/api/integration/liquidity/positions', body)).headers.get('idempotent-replayed'), 'true');

      const stressed = ok(
        await post(keys.ke, '/api/integration/liquidity/positions', {
          ...body,
          asOf: '2026-11-20T06:00:00Z',
          hqla: { level1: 10, level2a: 100 },
          inflows30d: 0,
        }),
      );
      // L1 10 and L2A 85 after haircut: the 40 % cap leaves 16.667; / 200 = 8.333 %.
      assert.equal(stressed.kriMeasurements[0]?.status, 'CRITICAL');
      assert.ok(Math.abs((stressed.kriMeasurements[0]?.value ?? 0) - 8.333333) < 1e-4);

      const half = await post(keys.ke, '/api/integration/liquidity/positions', { ...body, requiredStableFunding: undefined, outflows30d: 0 });
      assert.deepEqual(fieldsOf(half.body).sort(), ['body.outflows30d', 'body.requiredStableFunding']);
      assert.equal((await asUser('faith.wambui', 'POST', '/api/integration/liquidity/positions', body)).status, 403);
    });

    it('runs the market model on the FX book and lets a risk manager re-run a model', async () => {
      const body = {
        asOf: '2026-11-20T00:00:00Z',
        capital: 2000,
        positions: [
          { currency: 'USD', long: 500, short: 200 },
          { currency: 'EUR', long: 100, short: 250 },
          { currency: 'GBP', long: 50, short: 120 },
        ],
      };
      ok(await post(keys.ke, '/api/integration/market/fx-positions', body));
      const view = MarketModelView.parse((await asUser('faith.wambui', 'GET', `/api/v1/risk-models/market?tenantId=${KE}`)).body);
      assert.equal(view.latest?.result.aggregateOpenPosition, 300);
      assert.equal(view.latest?.result.shareOfCapital, 15);
      const bad = await post(keys.ke, '/api/integration/market/fx-positions', { ...body, positions: [{ currency: 'KES', long: 1, short: 0 }] });
      assert.deepEqual(fieldsOf(bad.body), ['body.positions.0.currency']);

      const rerun = await asUser('faith.wambui', 'POST', '/api/v1/risk-models/runs', { tenantId: KE, model: 'MARKET' });
      assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
      assert.equal((rerun.body as { run: { result: { shareOfCapital: number } } }).run.result.shareOfCapital, 15);
      const none = await asUser('faith.wambui', 'POST', '/api/v1/risk-models/runs', { tenantId: UG, model: 'MARKET' });
      assert.deepEqual(none.body, { run: null });
      assert.equal((await post(keys.ke, '/api/v1/risk-models/runs', { tenantId: KE, model: 'MARKET' })).status, 403);
    });

    it('applies concurrent copies of one delivery once, answering every copy with the same result', async () => {
      const body = { ...SEED_INCIDENT, incidentId: 'INC-CONCURRENT-1' };
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(keys.ke, '/api/integration/operational/incident', body)));
      const results = answers.map(ok);
      assert.equal(new Set(results.map((r) => r.ingestionId)).size, 1);
      assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length, 5);
      const db = svc.service.context.db.kysely;
      assert.equal((await db.selectFrom('risk_events').select('id').where('external_id', '=', 'INC-CONCURRENT-1').execute()).length, 1);
    });

    it('measures the transaction failure rate from reported outcomes', async () => {
      const kriId = await createKri('operational.transaction-failure-rate', 2, 5);
      const outcomes = Array.from({ length: 50 }, (_, i) => ({
        transactionId: `TX-${i}`,
        occurredAt: '2026-11-20T11:00:00Z',
        status: i < 3 ? 'FAILED' : 'SUCCEEDED',
      }));
      const first = ok(await post(keys.ke, '/api/integration/transactions/outcomes', { outcomes }));
      assert.deepEqual(first.kriMeasurements, [{ kriId, metric: 'operational.transaction-failure-rate', value: 6, status: 'CRITICAL' }]);
      const kri = (await asUser('faith.wambui', 'GET', `/api/v1/kris/${kriId}`)).body as Record<string, unknown>;
      assert.equal(kri.status, 'CRITICAL');
      assert.equal(first.riskEventIds.length, 1, 'the breach opened a KRI risk event');
      const dup = await post(keys.ke, '/api/integration/transactions/outcomes', { outcomes: [outcomes[0], outcomes[0]] });
      assert.deepEqual(fieldsOf(dup.body), ['body.outcomes.1.transactionId']);
    });
  });
}
