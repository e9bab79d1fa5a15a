import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { RiskPage, type RiskCategory } from '../../../shared/src/risk-register.ts';
import { assessRisk, createRisk } from './commands.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const TENANT = 'WEKEZA-KE';
const RISKS = 300;
const CATEGORIES: RiskCategory[] = ['CREDIT', 'OPERATIONAL', 'COMPLIANCE', 'LIQUIDITY', 'MARKET', 'FRAUD'];

for (const dialect of DIALECTS) {
  describe(`risk heat map with ${RISKS} risks on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let token: string;
    /** What each risk was assessed at, by its index: (likelihood, impact) spread over the whole grid. */
    const cellOf = (n: number) => ({ likelihood: (n % 5) + 1, impact: (Math.floor(n / 5) % 5) + 1 });
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      const { ids, tokens } = await addTestTeam(svc, [['ruth.mutua', 'RISK_OFFICER', [TENANT]]]);
      token = tokens['ruth.mutua']!;
      const bus = svc.service.context.bus;
      for (let n = 0; n < RISKS; n++) {
        const risk = await bus.execute(
          createRisk,
          {
            tenantId: TENANT,
            title: `Generated risk ${n}`,
            category: CATEGORIES[n % CATEGORIES.length],
            businessUnit: 'Operations',
            ownerId: ids['ruth.mutua'],
          },
          SYSTEM_ACTOR,
        );
        const { likelihood, impact } = cellOf(n);
        await bus.execute(assessRisk, { riskId: risk.id, inherentLikelihood: likelihood, inherentImpact: impact, expectedVersion: 1 }, SYSTEM_ACTOR);
      }
    });
    after(async () => svc?.stop());

    it('answers counts per cell for the whole filter, and a clicked cell narrows the page, in under two seconds on a shared machine', async () => {
      const started = performance.now();
      const res = await svc.request('GET', '/api/v1/risks?pageSize=50', { token });
      const elapsed = performance.now() - started;
      assert.equal(res.status, 200);
      const page = RiskPage.parse(res.body);
      assert.equal(page.total, RISKS);
      assert.equal(page.items.length, 50);
      const expected = new Map<string, number>();
      for (let n = 0; n < RISKS; n++) {
        const { likelihood, impact } = cellOf(n);
        expected.set(`${likelihood}x${impact}`, (expected.get(`${likelihood}x${impact}`) ?? 0) + 1);
      }
      for (const basis of ['inherent', 'residual'] as const) {
        const counted = new Map(page.heatMap[basis].map((c) => [`${c.likelihood}x${c.impact}`, c.count]));
        assert.deepEqual(counted, expected, `${basis} counts per cell`);
      }
      assert.deepEqual(
        page.items.slice(0, 3).map((r) => r.residual?.score),
        [25, 25, 25],
        'highest residual first',
      );
      const fraud = RiskPage.parse((await svc.request('GET', '/api/v1/risks?category=FRAUD&likelihood=5&impact=5&basis=inherent', { token })).body);
      const fraudAll = RiskPage.parse((await svc.request('GET', '/api/v1/risks?category=FRAUD&pageSize=500', { token })).body);
      assert.equal(fraud.total, fraudAll.items.filter((r) => r.inherent?.likelihood === 5 && r.inherent.impact === 5).length);
      assert.equal(
        fraud.heatMap.inherent.reduce((n, c) => n + c.count, 0),
        fraudAll.total,
        'the map counts every cell of the category filter',
      );
      console.log(`risk list with heat map, ${RISKS} risks on ${dialect}: ${elapsed.toFixed(1)} ms`);
      assert.ok(elapsed < 2000, `${elapsed} ms`);
    });
  });
}
