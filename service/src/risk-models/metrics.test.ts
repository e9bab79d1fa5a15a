import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { ApiClientWithKey } from '../../../shared/src/users.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { ingestComplianceSync, ingestFxPositions, ingestLiquidityPosition, ingestLoans } from '../integration/commands.ts';
import { RISK_MODEL_METRICS } from './metrics.ts';

after(stopTestPostgres);

const NOW = new Date('2026-11-20T12:00:00.000Z');
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';
const M = 1_000_000;

for (const dialect of DIALECTS) {
  describe(`the risk-model KRI metrics on ${dialect}`, { timeout: 120_000 }, () => {
    let svc: TestService;
    const measure = async (key: KriMetricKey, tenantId = KE) => {
      const metric = RISK_MODEL_METRICS.find((m) => m.key === key);
      assert.ok(metric, key);
      return metric.compute(svc.service.context.db.kysely, tenantId, NOW);
    };
    const ingest = (command: Parameters<TestService['service']['context']['bus']['execute']>[0], body: unknown) =>
      svc.service.context.bus.execute(command, { tenantId: KE, body }, SYSTEM_ACTOR);

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW.toISOString()) });
      const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const engine = ApiClientWithKey.parse(
        (await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: 'Kenya payment engine', role: 'PAYMENT_ENGINE', tenantIds: [KE] } }))
          .body,
      ).apiKey;
      // Large (> 10 M KES) payments: CIF-BIG-1 three in the last 24 h and one 5 days ago; CIF-BIG-2 one; a small one.
      const payments = [
        criticalPayment({ customerId: 'CIF-BIG-1', timestamp: '2026-11-20T08:00:00+03:00' }),
        criticalPayment({ customerId: 'CIF-BIG-1', timestamp: '2026-11-20T12:00:00+03:00' }),
        criticalPayment({ customerId: 'CIF-BIG-1', timestamp: '2026-11-20T14:00:00+03:00' }),
        criticalPayment({ customerId: 'CIF-BIG-1', timestamp: '2026-11-15T10:00:00+03:00' }),
        criticalPayment({ customerId: 'CIF-BIG-2', timestamp: '2026-11-20T13:00:00+03:00' }),
        criticalPayment({ customerId: 'CIF-BIG-2', timestamp: '2026-11-20T13:30:00+03:00', amount: 4_500 }),
      ];
      for (const payment of payments) {
        const res = await svc.request('POST', '/api/v1/fraud-risk/assessments', { headers: { 'x-api-key': engine }, body: payment });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
    });
    after(async () => svc?.stop());

    it('measures nothing where the bank sent nothing (the KRI goes stale instead of showing a made-up zero)', async () => {
      for (const key of [
        'credit.concentration',
        'credit.npl-ratio',
        'liquidity.lcr',
        'liquidity.nsfr',
        'market.fx-open-position',
        'compliance.open-aml-cases',
        'compliance.sanctions-pending',
        'operational.transaction-failure-rate',
        'operational.incidents',
      ] as const) {
        assert.equal(await measure(key), null, key);
      }
    });

    it('large-transaction velocity per customer comes from the payments scored here', async () => {
      const velocity = await measure('credit.large-transaction-velocity');
      assert.equal(velocity?.value, 3);
      const top = ((velocity?.inputs.topCustomers ?? []) as Array<{ customerRef: string; count: number; velocity: number }>).map((c) => [
        c.customerRef,
        c.count,
        c.velocity,
      ]);
      assert.deepEqual(top, [
        ['CIF-BIG-1', 4, 3],
        ['CIF-BIG-2', 1, 1],
      ]);
      assert.equal(await measure('credit.large-transaction-velocity', UG), null, "Uganda has none of Kenya's payments");
    });

    it('measures the credit, liquidity, market and compliance metrics from what the bank fed, per tenant', async () => {
      await ingest(ingestLoans, {
        loans: [
          { loanId: 'L-1', customerId: 'C-1', sector: 'Real Estate', outstandingBalance: 60 * M, daysPastDue: 100 },
          { loanId: 'L-2', customerId: 'C-2', sector: 'Trade', outstandingBalance: 140 * M },
          { loanId: 'L-3', customerId: 'C-3', sector: 'Trade', outstandingBalance: 50 * M, status: 'CLOSED' },
        ],
      });
      await ingest(ingestLiquidityPosition, {
        asOf: '2026-11-20T00:00:00Z',
        hqla: { level1: 100, level2b: 100 },
        outflows30d: 100,
        inflows30d: 20,
        availableStableFunding: 900,
        requiredStableFunding: 1000,
      });
      await ingest(ingestFxPositions, {
        asOf: '2026-11-20T00:00:00Z',
        capital: 1000,
        positions: [
          { currency: 'USD', long: 50, short: 130 },
          { currency: 'EUR', long: 40, short: 0 },
        ],
      });
      await ingest(ingestComplianceSync, {
        amlCases: [
          { caseId: 'A-1', status: 'Open' },
          { caseId: 'A-2', status: 'Closed' },
        ],
        sanctionsScreenings: [
          { screeningId: 'S-1', matchCount: 2, status: 'PendingReview' },
          { screeningId: 'S-2', matchCount: 0, status: 'PendingReview' },
        ],
      });

      // Closed loans are out of the portfolio: Trade 140 / 200 = 70 %; NPL 60 / 200 = 30 %.
      assert.equal((await measure('credit.concentration'))?.value, 70);
      assert.equal((await measure('credit.npl-ratio'))?.value, 30);
      // L1 100 + L2B 50 capped to 15 %: HQLA 117.647 / net outflows 80 = 147.06 %; NSFR 90 %.
      assert.ok(Math.abs(((await measure('liquidity.lcr'))?.value ?? 0) - 147.058824) < 1e-4);
      assert.equal((await measure('liquidity.nsfr'))?.value, 90);
      // USD −80, EUR +40: aggregate max(40, 80) = 80 = 8 % of 1000.
      assert.equal((await measure('market.fx-open-position'))?.value, 8);
      assert.equal((await measure('compliance.open-aml-cases'))?.value, 1);
      const sanctions = await measure('compliance.sanctions-pending');
      assert.equal(sanctions?.value, 1, 'a screening without matches waits for nothing');
      assert.equal(sanctions?.inputs.pendingMatches, 2);
      assert.equal((await measure('operational.incidents'))?.value, 0, 'the bank reports to Kenya: zero incidents is a reading');
      for (const key of ['credit.concentration', 'liquidity.lcr', 'market.fx-open-position', 'compliance.open-aml-cases', 'operational.incidents'] as const) {
        assert.equal(await measure(key, UG), null, `${key} for Uganda`);
      }
      // As of an instant before the positions were dated, there were none (ARCHITECTURE.md rule 3).
      const before = new Date('2026-11-19T23:00:00Z');
      const at = (key: KriMetricKey) => RISK_MODEL_METRICS.find((m) => m.key === key)!.compute(svc.service.context.db.kysely, KE, before);
      assert.equal(await at('liquidity.lcr'), null);
      assert.equal(await at('market.fx-open-position'), null);
    });
  });
}
