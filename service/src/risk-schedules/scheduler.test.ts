import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { z } from 'zod';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, TEST_TENANT, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { startBankEngineSimulator } from '../bank-engine/simulator.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { ManualClock } from '../clock.ts';
import { defineCommand, SYSTEM_ACTOR } from '../commands/bus.ts';
import { expireDueAcceptances } from '../risks/acceptance-expiry.ts';
import { metricByKey } from '../kris/metrics.ts';
import { recordRiskEventWithin } from '../risk-events/record.ts';
import { Kri, KriList, KriMeasurementList, type KriCreateInput } from '../../../shared/src/kris.ts';
import { NotificationList } from '../../../shared/src/notifications.ts';
import { RiskEventList } from '../../../shared/src/risk-events.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { latestSlot, RiskScheduler } from './scheduler.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z'; // 15:00 in Nairobi
const MIDNIGHT_EAT = '2026-11-20T21:00:00.000Z';
const OTHER_TENANT = 'WEKEZA-UG';

/** Records an event from a machine, as the integration endpoints do (slice C calls recordRiskEventWithin the same way). */
const recordTestIncident = defineCommand({
  name: 'test.record-incident',
  input: z.object({ externalId: z.string(), title: z.string() }),
  permission: null,
  apply: (ctx, input) =>
    recordRiskEventWithin(ctx, {
      tenantId: TEST_TENANT,
      type: 'INCIDENT',
      severity: 'HIGH',
      source: 'INTEGRATION',
      title: input.title,
      occurredAt: ctx.now.toISOString(),
      financialImpact: 125_000,
      currency: 'KES',
      externalId: input.externalId,
    }),
});

describe('the latest slot of a cron string, in the bank time zone', { timeout: 10_000 }, () => {
  it('includes a slot exactly at now and reads crons as Nairobi wall time', () => {
    assert.equal(latestSlot('0 0 * * *', new Date(MIDNIGHT_EAT))?.toISOString(), MIDNIGHT_EAT);
    assert.equal(latestSlot('0 0 * * *', new Date(Date.parse(MIDNIGHT_EAT) - 1))?.toISOString(), '2026-11-19T21:00:00.000Z');
    assert.equal(latestSlot('0 */6 * * *', new Date(NOW))?.toISOString(), '2026-11-20T09:00:00.000Z');
  });
});

for (const dialect of DIALECTS) {
  describe(`risk schedules and service-data metrics on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let ids: Record<string, string>;
    let tokens: Record<string, string>;
    let admin: string;
    const quiet = pino({ level: 'silent' });
    const scheduler = (runner: string) =>
      new RiskScheduler({ db: svc.service.context.db, bus: svc.service.context.bus, clock, logger: quiet, runner, expireAcceptances: expireDueAcceptances });

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      assert.ok(svc.service.context.riskScheduler, `a ${dialect === 'sqlite' ? 'standalone' : 'hub'} service runs the scheduler`);
      // The tests below drive slots themselves; the service's own wall timer must not take them.
      await svc.service.context.riskScheduler.stop();
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, [
        ['rose.mwangi', 'RISK_OFFICER', [TEST_TENANT]],
        ['james.kariuki', 'RISK_OFFICER', [TEST_TENANT]],
      ]));
    });
    after(async () => svc?.stop());

    const officer = () => tokens['rose.mwangi']!;
    /** Sessions expire by the service's clock: sign in again after moving it days on. */
    const signInAgain = async () => {
      for (const who of ['rose.mwangi', 'james.kariuki']) tokens[who] = (await svc.login(who, TEST_USER_PASSWORD)).token;
    };
    const compute = (key: KriMetricKey, tenant = TEST_TENANT) => metricByKey(key)!.compute(svc.service.context.db.kysely, tenant, clock.now());
    const createKri = async (body: Partial<KriCreateInput>) => {
      const res = await svc.request('POST', '/api/v1/kris', {
        token: officer(),
        body: {
          tenantId: TEST_TENANT,
          name: 'KRI',
          unit: 'cases',
          direction: 'HIGHER_IS_WORSE',
          thresholdWarning: 1,
          thresholdCritical: 5,
          frequency: 'DAILY',
          riskIds: [],
          ...body,
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Kri.parse(res.body);
    };
    const notificationsOf = async (token: string) => NotificationList.parse((await svc.request('GET', '/api/v1/notifications', { token })).body).notifications;

    it('computes the service-data metrics from cases and assessments made through the API', async () => {
      for (const payment of [criticalPayment(), criticalPayment(), samplePayment(), samplePayment(), samplePayment()]) {
        const res = await svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: payment });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const opened = await compute('fraud.cases-opened');
      assert.equal(opened?.value, 2);
      const flagged = await compute('payments.flagged-share');
      assert.equal(flagged?.value, 40);
      assert.deepEqual([flagged?.inputs.scored, flagged?.inputs.flagged], [5, 2]);
      assert.equal((await compute('cases.sla-breaches'))?.value, 0, 'no SLA has passed yet');
      assert.equal(await compute('bank-engine.error-rate'), null, 'no call to the bank engine: nothing to measure, not a zero');
      // Another tenant's figures are its own.
      assert.equal((await compute('fraud.cases-opened', OTHER_TENANT))?.value, 0);
      assert.equal(await compute('payments.flagged-share', OTHER_TENANT), null);
      const due = await svc.service.context.db.kysely.selectFrom('cases').select('sla_due_at').where('tenant_id', '=', TEST_TENANT).execute();
      const lastDue = Math.max(...due.map((c) => new Date(c.sla_due_at).getTime()));
      clock.set(new Date(lastDue + 1));
      const breaches = await compute('cases.sla-breaches');
      assert.deepEqual([breaches?.value, breaches?.inputs.openCases], [2, 2]);
      clock.set(NOW);
    });

    it("computes the bank fraud engine's error rate from the calls the scoring made", async () => {
      // A tenant of its own, whose configuration calls a real engine simulator over loopback HTTP.
      const tenant = 'WEKEZA-TZ';
      const key = 'kri-engine-key';
      const engine = await startBankEngineSimulator({ port: 0, latencyMs: 1, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: key } });
      try {
        const created = await svc.request('POST', '/api/v1/fraud-risk/configurations', {
          token: admin,
          body: {
            ...newConfigurationTemplate(),
            configurationName: 'Engine error rate probe',
            tenantId: tenant,
            bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl, credentials: { apiKey: key } },
          },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        await svc.service.context.decisionEngine.registry.reload();
        const score = async () => {
          const res = await svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: samplePayment({ tenantId: tenant }) });
          assert.equal(res.status, 201, JSON.stringify(res.body));
        };
        for (let i = 0; i < 3; i++) await score();
        engine.setBehaviour({ outage: 'error' });
        await score();
        const rate = await compute('bank-engine.error-rate', tenant);
        assert.deepEqual([rate?.inputs.calls, rate?.inputs.failed, rate?.value], [4, 1, 25]);
      } finally {
        await engine.close();
      }
    });

    it("measures automatic KRIs by seed 000's crons, each slot once even with two schedulers on one database", async () => {
      const risk = await svc.request('POST', '/api/v1/risks', {
        token: officer(),
        body: { tenantId: TEST_TENANT, title: 'Card fraud losses', category: 'FRAUD', businessUnit: 'Cards', ownerId: ids['james.kariuki'] },
      });
      assert.equal(risk.status, 201, JSON.stringify(risk.body));
      const riskId = (risk.body as { id: string }).id;
      const daily = await createKri({ name: 'Fraud cases opened', measurement: 'AUTOMATIC', metric: 'fraud.cases-opened', riskIds: [riskId] });
      assert.equal(daily.effectiveSchedule, '0 0 * * *');
      assert.deepEqual(daily.riskIds, [riskId]);
      const own = await createKri({
        name: 'Flagged share',
        unit: '%',
        measurement: 'AUTOMATIC',
        metric: 'payments.flagged-share',
        schedule: '30 * * * *',
        thresholdWarning: 50,
        thresholdCritical: 80,
      });
      const a = scheduler('hub-a');
      const b = scheduler('hub-b');
      assert.ok((await a.jobs()).some((j) => j.name === `kri:${own.id}` && j.cron === '30 * * * *'));
      assert.deepEqual(await a.runDue(clock.now()), [], 'nothing is due at the instant the schedulers start');

      clock.set(MIDNIGHT_EAT);
      const [ranA, ranB] = await Promise.all([a.runDue(clock.now()), b.runDue(clock.now())]);
      const ran = [...ranA, ...ranB].map((r) => r.job).sort();
      // Its own cron's latest slot (23:30 in Nairobi) came after the schedulers started: it runs now, once.
      assert.deepEqual(ran, [
        'kri-group:compliance',
        'kri-group:credit',
        'kri-group:daily',
        'kri-group:operational',
        'kri-staleness',
        `kri:${own.id}`,
        'risk-acceptance-expiry',
      ]);
      assert.deepEqual(await a.runDue(clock.now()), [], 'a slot runs once');
      assert.deepEqual(await scheduler('hub-c').runDue(clock.now()), [], 'also for a hub that starts later');
      await signInAgain();
      const history = KriMeasurementList.parse((await svc.request('GET', `/api/v1/kris/${daily.id}/measurements`, { token: officer() })).body);
      assert.equal(history.measurements.length, 1);
      const [m] = history.measurements;
      assert.deepEqual([m?.value, m?.status, m?.source, m?.inputs?.opened, m?.recordedBy], [2, 'WARNING', 'AUTOMATIC', 2, 'Wekeza service']);
      const rows = await svc.service.context.db.kysely.selectFrom('scheduled_job_runs').selectAll().where('slot', '=', MIDNIGHT_EAT).execute();
      assert.equal(rows.length, 6, 'one row per (job, slot); the own-cron KRI ran for its 20:30 UTC slot');
      assert.ok(rows.every((r) => r.finished_at !== null && ['hub-a', 'hub-b'].includes(r.hub)));
      assert.match(rows.find((r) => r.job === 'kri-group:daily')?.outcome ?? '', /measured 1/);

      // The breach shows on the risk and reaches the KRI's owner and the risk's owner.
      const events = RiskEventList.parse((await svc.request('GET', `/api/v1/risk-events?riskId=${riskId}`, { token: officer() })).body);
      assert.deepEqual(
        events.events.map((e) => [e.type, e.severity, e.kriId]),
        [['KRI_BREACH', 'WARNING', daily.id]],
      );
      for (const who of ['rose.mwangi', 'james.kariuki']) {
        assert.ok(
          (await notificationsOf(tokens[who]!)).some((n) => n.kind === 'kri.breach' && n.entityId === daily.id),
          `${who} is notified`,
        );
      }
      // Half past: the KRI with its own cron runs on it, the group ones do not (their slot is taken).
      clock.set(new Date(Date.parse(MIDNIGHT_EAT) + 30 * 60_000));
      assert.deepEqual(
        (await a.runDue(clock.now())).map((r) => r.job),
        [`kri:${own.id}`, 'kri-staleness', 'risk-acceptance-expiry'],
      );
      const ownHistory = KriMeasurementList.parse((await svc.request('GET', `/api/v1/kris/${own.id}/measurements`, { token: officer() })).body);
      assert.deepEqual(
        ownHistory.measurements.map((x) => [x.value, x.status]),
        [
          [40, 'OK'],
          [40, 'OK'],
        ],
      );
      clock.set(NOW);
    });

    it('flags a KRI not measured within frequency plus grace, notifies once, and clears on the next measurement', async () => {
      clock.set('2026-11-22T12:00:00.000Z');
      await signInAgain();
      const kri = await createKri({ name: 'Manual staleness probe', frequency: 'DAILY', graceHours: 6 });
      assert.equal(kri.stale, false);
      assert.equal(kri.staleAfter, '2026-11-23T18:00:00.000Z');
      const probe = scheduler('hub-stale');
      clock.set('2026-11-23T18:00:00.000Z');
      await signInAgain();
      const get = async () => Kri.parse((await svc.request('GET', `/api/v1/kris/${kri.id}`, { token: officer() })).body);
      assert.equal((await get()).stale, false, 'at the limit it is still due, not stale');
      await probe.runDue(clock.now());
      const staleNotes = async () => (await notificationsOf(officer())).filter((n) => n.kind === 'kri.stale' && n.entityId === kri.id);
      assert.equal((await staleNotes()).length, 0);
      clock.set('2026-11-23T18:00:00.001Z');
      assert.equal((await get()).stale, true);
      const list = KriList.parse((await svc.request('GET', '/api/v1/kris?stale=true', { token: officer() })).body);
      assert.ok(list.kris.some((k) => k.id === kri.id));
      assert.ok(list.counts.stale >= 1);
      clock.set('2026-11-23T18:15:00.000Z');
      assert.ok((await probe.runDue(clock.now())).some((r) => r.job === 'kri-staleness' && /flagged [1-9]/.test(r.outcome)));
      assert.equal((await staleNotes()).length, 1);
      clock.set('2026-11-23T18:30:00.000Z');
      await probe.runDue(clock.now());
      assert.equal((await staleNotes()).length, 1, 'flagged once until measured again');
      await signInAgain();
      const measured = await svc.request('POST', `/api/v1/kris/${kri.id}/measurements`, { token: officer(), body: { value: 0 } });
      assert.equal(measured.status, 201);
      assert.equal((await get()).stale, false);
      clock.set(NOW);
    });

    it('is woken by its wall timer and stops cleanly', async () => {
      const db = svc.service.context.db.kysely;
      const timed = new RiskScheduler({
        db: svc.service.context.db,
        bus: svc.service.context.bus,
        clock,
        logger: quiet,
        runner: 'hub-timer',
        wakeCron: '* * * * * *',
      });
      clock.set('2026-11-24T06:15:00.000Z');
      timed.start();
      try {
        for (let i = 0; i < 60; i++) {
          const staleness = await db
            .selectFrom('scheduled_job_runs')
            .select('job')
            .where('hub', '=', 'hub-timer')
            .where('job', '=', 'kri-staleness')
            .where('finished_at', 'is not', null)
            .executeTakeFirst();
          if (staleness) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await timed.stop();
      }
      const runs = await db.selectFrom('scheduled_job_runs').select(['job', 'slot']).where('hub', '=', 'hub-timer').execute();
      assert.ok(
        runs.some((r) => r.job === 'kri-staleness' && r.slot === '2026-11-24T06:15:00.000Z'),
        `the timer ran the slot due by the injected clock: ${JSON.stringify(runs)}`,
      );
      const after = runs.length;
      clock.set('2026-11-24T06:30:00.000Z');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(
        (await db.selectFrom('scheduled_job_runs').select('job').where('hub', '=', 'hub-timer').execute()).length,
        after,
        'stopped: nothing more runs',
      );
      clock.set(NOW);
    });

    it('records a machine-sent event once per external id', async () => {
      await signInAgain();
      const bus = svc.service.context.bus;
      const first = await bus.execute(recordTestIncident, { externalId: 'INC-2026-0042', title: 'Core banking outage' }, SYSTEM_ACTOR);
      const repeat = await bus.execute(recordTestIncident, { externalId: 'INC-2026-0042', title: 'Core banking outage (resent)' }, SYSTEM_ACTOR);
      assert.equal(repeat.id, first.id);
      assert.equal(repeat.title, 'Core banking outage');
      assert.deepEqual([first.financialImpact, first.currency, first.source], [125_000, 'KES', 'INTEGRATION']);
      // Two senders of one new id at the same moment: one event.
      const [x, y] = await Promise.all([
        bus.execute(recordTestIncident, { externalId: 'INC-2026-0044', title: 'ATM switch down' }, SYSTEM_ACTOR),
        bus.execute(recordTestIncident, { externalId: 'INC-2026-0044', title: 'ATM switch down' }, SYSTEM_ACTOR),
      ]);
      assert.equal(x.id, y.id);
      // The one that wrote it audited and change-logged it (once); the repeats wrote nothing.
      for (const id of [first.id, x.id]) {
        const audits = await svc.service.context.db.kysely.selectFrom('audit_log').select('command').where('entity_id', '=', id).execute();
        assert.deepEqual(
          audits.map((a) => a.command),
          ['test.record-incident'],
        );
        const changes = await svc.service.context.db.kysely.selectFrom('change_log').select('version').where('entity_id', '=', id).execute();
        assert.equal(changes.length, 1);
      }
      const other = await bus.execute(recordTestIncident, { externalId: 'INC-2026-0043', title: 'Branch network down' }, SYSTEM_ACTOR);
      assert.notEqual(other.id, first.id);
      const listed = RiskEventList.parse((await svc.request('GET', '/api/v1/risk-events?type=INCIDENT', { token: officer() })).body);
      assert.equal(listed.events.filter((e) => e.externalId === 'INC-2026-0042').length, 1);
      assert.equal(listed.events.filter((e) => e.externalId === 'INC-2026-0044').length, 1);
    });
  });
}
