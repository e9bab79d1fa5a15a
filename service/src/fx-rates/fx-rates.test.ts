import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { CommandBus } from '../commands/bus.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { CURRENCIES } from '../../../shared/src/currencies.ts';
import { FxRate, FxRateHistory, FxRateTable } from '../../../shared/src/fx-rates.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { REFERENCE_KES_RATES } from '../scoring/reference-kes-rates.ts';
import { FxRateService } from './service.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const nowMs = Date.parse(NOW);

for (const dialect of DIALECTS) {
  describe(`FX rates to KES on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let admin: string;
    let tokens: Record<string, string>;
    let engineKey: string;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ tokens } = await addTestTeam(svc, [
        ['amina.otieno', 'FRAUD_ANALYST'],
        ['faith.wambui', 'RISK_MANAGER'],
        ['david.kiprop', 'EXECUTIVE'],
      ]));
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'FX engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
      });
      engineKey = (client.body as { apiKey: string }).apiKey;
    });
    after(async () => svc?.stop());

    const table = async (token: string) => {
      const res = await svc.request('GET', '/api/v1/fx-rates', { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return FxRateTable.parse(res.body);
    };
    const setRate = (body: unknown, token = tokens['faith.wambui']!) => svc.request('POST', '/api/v1/fx-rates', { token, body });
    const assess = (payment: PaymentInput) => svc.request('POST', '/api/v1/fraud-risk/assessments', { body: payment, headers: { 'x-api-key': engineKey } });
    const assessed = async (payment: PaymentInput) => {
      const res = await assess(payment);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const { assessmentId } = AssessmentResponse.parse(res.body);
      return Assessment.parse((await svc.request('GET', `/api/v1/fraud-risk/assessments/${assessmentId}`, { token: admin })).body);
    };
    const fieldsOf = (body: unknown) => (body as { error: { fields?: Array<{ path: string; message: string }> } }).error.fields ?? [];

    it('seeds a reference rate for every active currency and fund on a fresh database, through an audited command', async () => {
      const answer = await table(tokens['amina.otieno']!);
      const rows = new Map(answer.currencies.map((c) => [c.code, c]));
      for (const c of CURRENCIES.filter((c) => c.active && (c.kind === 'currency' || c.kind === 'fund'))) {
        const row = rows.get(c.code);
        assert.ok(row?.current, `${c.code} has a current rate`);
        assert.equal(row.current.kesPerUnit, REFERENCE_KES_RATES[c.code]);
        assert.equal(row.current.effectiveFrom, '2020-01-01T00:00:00.000Z');
        assert.equal(row.current.state, 'CURRENT');
      }
      assert.equal(rows.get('USD')?.current?.kesPerUnit, 129.25);
      assert.equal(rows.get('KWD')?.minorUnits, 3);
      assert.equal(rows.get('JPY')?.minorUnits, 0);
      assert.equal(rows.get('CLF')?.minorUnits, 4);
      assert.equal(rows.get('XAU')?.current, null, 'metals have no reference rate');
      assert.equal(rows.has('XTS'), false, 'the testing code is no currency of payment');
      assert.equal(rows.has('HRK'), false, 'withdrawn codes are not listed');
      const audit = await svc.service.context.db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('command', '=', 'fx-rate.seed-reference')
        .executeTakeFirstOrThrow();
      assert.equal(Number(audit.n), Object.keys(REFERENCE_KES_RATES).length);
    });

    it('lets analysts read rates and only risk managers change them', async () => {
      assert.equal((await setRate({ currency: 'USD', kesPerUnit: 130, note: 'Treasury desk' }, tokens['amina.otieno'])).status, 403);
      assert.equal((await svc.request('GET', '/api/v1/fx-rates', { token: tokens['david.kiprop']! })).status, 403);
      assert.equal((await svc.request('GET', '/api/v1/fx-rates', { headers: { 'x-api-key': engineKey } })).status, 403);
      const history = await svc.request('GET', '/api/v1/fx-rates/USD/history', { token: tokens['amina.otieno']! });
      assert.equal(history.status, 200);
      assert.equal(FxRateHistory.parse(history.body).rates.length, 1);
    });

    it('refuses bad input with the field named and writes nothing', async () => {
      const db = svc.service.context.db.kysely;
      const auditRows = async () =>
        Number(
          (
            await db
              .selectFrom('audit_log')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .where('entity_type', '=', 'fx_rate')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await auditRows();
      const cases: Array<[unknown, string, RegExp]> = [
        [{ currency: 'XYZ', kesPerUnit: 1, note: 'Treasury' }, 'body.currency', /not an ISO 4217/],
        [{ currency: 'HRK', kesPerUnit: 1, note: 'Treasury' }, 'body.currency', /withdrawn.*EUR/],
        [{ currency: 'KES', kesPerUnit: 2, note: 'Treasury' }, 'body.currency', /base currency/],
        [{ currency: 'USD', kesPerUnit: -1, note: 'Treasury' }, 'body.kesPerUnit', /more than 0/],
        [{ currency: 'USD', kesPerUnit: 1, note: 'x' }, 'body.note', /where the rate comes from/],
        [{ currency: 'USD', kesPerUnit: 130, note: 'Treasury', effectiveFrom: iso(nowMs - HOUR) }, 'body.effectiveFrom', /must be after now/],
      ];
      for (const [body, path, message] of cases) {
        const res = await setRate(body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        const field = fieldsOf(res.body).find((f) => f.path === path);
        assert.ok(field && message.test(field.message), `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      }
      const history = FxRateHistory.parse((await svc.request('GET', '/api/v1/fx-rates/USD/history', { token: admin })).body);
      assert.equal(history.rates.length, 1);
      assert.equal(await auditRows(), before);
    });

    it('schedules, corrects and deletes a future rate, with versions, audit and a tombstone', async () => {
      const from = iso(nowMs + 24 * HOUR);
      const created = await setRate({ currency: 'GBP', kesPerUnit: 170.5, effectiveFrom: from, note: 'CBK indicative rate' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rate = FxRate.parse(created.body);
      assert.equal(rate.state, 'SCHEDULED');
      assert.equal(rate.createdBy, 'Faith Wambui');
      const gbp = (await table(admin)).currencies.find((c) => c.code === 'GBP')!;
      assert.equal(gbp.current?.kesPerUnit, 164.3);
      assert.equal(gbp.next?.id, rate.id);
      const atFuture = await svc.request('GET', `/api/v1/fx-rates/GBP/at?instant=${encodeURIComponent(iso(nowMs + 25 * HOUR))}`, { token: admin });
      assert.equal(FxRate.parse(atFuture.body).kesPerUnit, 170.5);
      const atNow = await svc.request('GET', `/api/v1/fx-rates/GBP/at?instant=${encodeURIComponent(NOW)}`, { token: admin });
      assert.equal(FxRate.parse(atNow.body).kesPerUnit, 164.3);
      const before2020 = await svc.request('GET', `/api/v1/fx-rates/GBP/at?instant=2019-06-01T00:00:00Z`, { token: admin });
      assert.equal(before2020.status, 404);
      assert.match(JSON.stringify(before2020.body), /GBP effective at 2019-06-01/);

      const stale = await svc.request('PUT', `/api/v1/fx-rates/${rate.id}`, {
        token: admin,
        body: { kesPerUnit: 171, effectiveFrom: from, note: 'Corrected', expectedVersion: 7 },
      });
      assert.equal(stale.status, 409);
      const corrected = await svc.request('PUT', `/api/v1/fx-rates/${rate.id}`, {
        token: admin,
        body: { kesPerUnit: 171.25, effectiveFrom: iso(nowMs + 48 * HOUR), note: 'Corrected by treasury', expectedVersion: 1 },
      });
      assert.equal(corrected.status, 200, JSON.stringify(corrected.body));
      assert.equal(FxRate.parse(corrected.body).version, 2);
      // Scoring sees the correction at once on this hub.
      assert.equal(svc.service.context.fxRates.rateAt('GBP', nowMs + 49 * HOUR), 171.25);
      assert.equal(svc.service.context.fxRates.rateAt('GBP', nowMs + 25 * HOUR), 164.3);

      const removed = await svc.request('DELETE', `/api/v1/fx-rates/${rate.id}?expectedVersion=2&reason=Published%20in%20error`, { token: admin });
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      assert.equal(svc.service.context.fxRates.rateAt('GBP', nowMs + 49 * HOUR), 164.3);
      const history = FxRateHistory.parse((await svc.request('GET', '/api/v1/fx-rates/GBP/history', { token: admin })).body);
      assert.deepEqual(
        history.rates.map((r) => r.kesPerUnit),
        [164.3],
      );
      const db = svc.service.context.db.kysely;
      const tombstone = await db.selectFrom('fx_rates').selectAll().where('id', '=', rate.id).executeTakeFirstOrThrow();
      assert.ok(tombstone.deleted_at !== null);
      assert.equal(tombstone.version, 3);
      const audit = await db.selectFrom('audit_log').select(['command']).where('entity_id', '=', rate.id).orderBy('occurred_at').orderBy('id').execute();
      assert.deepEqual(
        audit.map((a) => a.command),
        ['fx-rate.set', 'fx-rate.correct', 'fx-rate.delete'],
      );
      const changes = await db.selectFrom('change_log').select(['operation', 'version']).where('entity_id', '=', rate.id).orderBy('seq').execute();
      assert.deepEqual(
        changes.map((c) => `${c.operation}@${c.version}`),
        ['upsert@1', 'upsert@2', 'delete@3'],
      );

      // A rate in effect is history: it cannot be corrected or deleted.
      const usd = (await table(admin)).currencies.find((c) => c.code === 'USD')!.current!;
      const refused = await svc.request('DELETE', `/api/v1/fx-rates/${usd.id}?expectedVersion=1`, { token: admin });
      assert.equal(refused.status, 409);
    });

    it('scores KWD with three decimals and JPY with none, storing the rate used', async () => {
      const kwd = await assessed(samplePayment({ currency: 'KWD', amount: 1234.567, timestamp: iso(nowMs - HOUR) }));
      assert.equal(kwd.payment.amount, 1234.567);
      assert.equal(kwd.scoringFacts?.fxRate, 421.697);
      assert.equal(kwd.payment.amountKes, Math.round(1234.567 * 421.697 * 100) / 100);
      const jpy = await assessed(samplePayment({ currency: 'JPY', amount: 150_000, timestamp: iso(nowMs - HOUR) }));
      assert.equal(jpy.scoringFacts?.fxRate, 0.850329);
      assert.equal(jpy.payment.amountKes, 127_549.35);
      const fractionalYen = await assess(samplePayment({ currency: 'JPY', amount: 1500.5 }));
      assert.equal(fractionalYen.status, 400);
      assert.equal(fieldsOf(fractionalYen.body)[0]?.path, 'body.amount');
      const fourDecimals = await assess(samplePayment({ currency: 'KWD', amount: 1.2345 }));
      assert.equal(fourDecimals.status, 400);
      assert.match(fieldsOf(fourDecimals.body)[0]?.message ?? '', /three decimal places for KWD/);
    });

    it("converts with the rate in effect at the payment's time, not now, and a later rate does not change replay", async () => {
      const t1 = nowMs + HOUR;
      clock.set(iso(t1));
      const set = await setRate({ currency: 'EUR', kesPerUnit: 151.2, note: 'Treasury desk 13:00' });
      assert.equal(set.status, 201, JSON.stringify(set.body));
      assert.equal(FxRate.parse(set.body).effectiveFrom, iso(t1));
      clock.set(iso(t1 + 2 * HOUR));
      // Posted after the change, but made before it: the old rate.
      const before = await assessed(samplePayment({ currency: 'EUR', amount: 1000, timestamp: iso(t1 - 10 * 60_000) }));
      assert.equal(before.scoringFacts?.fxRate, 140.6);
      assert.equal(before.payment.amountKes, 140_600);
      const afterChange = await assessed(samplePayment({ currency: 'EUR', amount: 1000, timestamp: iso(t1 + 10 * 60_000) }));
      assert.equal(afterChange.scoringFacts?.fxRate, 151.2);
      assert.equal(afterChange.payment.amountKes, 151_200);

      // The treasury moves the rate again: the stored decisions replay exactly as they were.
      clock.set(iso(t1 + 3 * HOUR));
      assert.equal((await setRate({ currency: 'EUR', kesPerUnit: 160, note: 'Treasury desk 16:00' })).status, 201);
      for (const a of [before, afterChange]) {
        const replay = await svc.service.context.decisionEngine.replay(a.id);
        assert.equal(replay.matches, true, JSON.stringify(replay.differences));
        assert.equal(replay.facts.fxRate, a.scoringFacts?.fxRate);
      }
    });

    it('refuses a currency without a rate at the payment time with 400 naming the currency field', async () => {
      const gold = await assess(samplePayment({ currency: 'XAU', amount: 2, timestamp: '2026-11-20T10:00:00Z' }));
      assert.equal(gold.status, 400);
      assert.deepEqual(fieldsOf(gold.body), [{ path: 'body.currency', message: 'no KES rate for XAU effective at 2026-11-20T10:00:00.000Z' }]);
      // A rate scheduled later does not cover a payment made before it.
      const scheduled = await setRate({ currency: 'XAU', kesPerUnit: 540_000, note: 'Bullion desk', effectiveFrom: iso(clock.now().getTime() + HOUR) });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      assert.equal((await assess(samplePayment({ currency: 'XAU', amount: 2, timestamp: iso(clock.now().getTime()) }))).status, 400);
      const later = await assessed(samplePayment({ currency: 'XAU', amount: 0.5, timestamp: iso(clock.now().getTime() + 2 * HOUR) }));
      assert.equal(later.payment.amountKes, 270_000);
      const unknown = await assess(samplePayment({ currency: 'XYZ' }));
      assert.equal(unknown.status, 400);
      assert.equal(fieldsOf(unknown.body)[0]?.path, 'body.currency');
    });

    it('another hub on the same database picks up a change within its poll interval', async () => {
      const other = new FxRateService(svc.service.context.db.kysely, new CommandBus(svc.service.context.db, clock), pino({ level: 'silent' }));
      await other.start(50);
      try {
        assert.equal(other.rateAt('CHF', clock.now().getTime()), 150.374);
        assert.equal((await setRate({ currency: 'CHF', kesPerUnit: 162.75, note: 'Treasury desk' })).status, 201);
        const deadline = Date.now() + 5_000;
        while (other.rateAt('CHF', clock.now().getTime()) !== 162.75 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(other.rateAt('CHF', clock.now().getTime()), 162.75);
      } finally {
        other.stop();
      }
    });
  });
}
