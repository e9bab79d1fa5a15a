import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';
import { evaluateKri, Kri, KriList, KriMeasurementList, KriMeasurementRecorded, type KriCreateInput } from '../../../shared/src/kris.ts';
import { RiskEvent, RiskEventList } from '../../../shared/src/risk-events.ts';
import { Notification, NotificationList } from '../../../shared/src/notifications.ts';

after(stopTestPostgres);

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const NOW = '2026-11-20T12:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const OTHER_TENANT = 'WEKEZA-UG';

function openSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (error) => reject(error));
  });
}

const fieldsOf = (body: unknown) => (body as { error: { fields?: Array<{ path: string; message: string }> } }).error.fields ?? [];

for (const dialect of DIALECTS) {
  describe(`KRIs, breaches and notifications on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let ids: Record<string, string>;
    let tokens: Record<string, string>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      // These tests move the clock themselves; the service's own timer must not run slots meanwhile.
      await svc.service.context.riskScheduler?.stop();
      ({ ids, tokens } = await addTestTeam(svc, [
        ['rose.mwangi', 'RISK_OFFICER', [TEST_TENANT]],
        ['faith.wambui', 'RISK_MANAGER'],
        ['otieno.ug', 'RISK_OFFICER', [OTHER_TENANT]],
        ['amina.otieno', 'FRAUD_ANALYST'],
      ]));
    });
    after(async () => svc?.stop());

    const officer = () => tokens['rose.mwangi']!;
    const kriBody = (overrides: Partial<KriCreateInput> = {}): KriCreateInput => ({
      tenantId: TEST_TENANT,
      name: 'Transaction Failure Rate',
      description: 'Percentage of failed transactions',
      unit: '%',
      direction: 'HIGHER_IS_WORSE',
      thresholdWarning: 2,
      thresholdCritical: 5,
      frequency: 'DAILY',
      dataSource: 'Wekeza Core - Transaction Processing',
      riskIds: [],
      ...overrides,
    });
    const createKri = async (overrides: Partial<KriCreateInput> = {}, token = officer()) => {
      const res = await svc.request('POST', '/api/v1/kris', { token, body: kriBody(overrides) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Kri.parse(res.body);
    };
    const measure = async (kriId: string, body: { value: number; measuredAt?: string; note?: string }, token = officer()) => {
      const res = await svc.request('POST', `/api/v1/kris/${kriId}/measurements`, { token, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return KriMeasurementRecorded.parse(res.body);
    };
    const tick = () => clock.advance(MINUTE);
    const myNotifications = async (token = officer()) => NotificationList.parse((await svc.request('GET', '/api/v1/notifications', { token })).body);

    it('judges values strictly beyond the thresholds, in both directions', async () => {
      // Pure rule, at and around each boundary.
      assert.equal(evaluateKri('HIGHER_IS_WORSE', 2, 5, 2), 'OK');
      assert.equal(evaluateKri('HIGHER_IS_WORSE', 2, 5, 2.0001), 'WARNING');
      assert.equal(evaluateKri('HIGHER_IS_WORSE', 2, 5, 5), 'WARNING');
      assert.equal(evaluateKri('HIGHER_IS_WORSE', 2, 5, 5.0001), 'CRITICAL');
      assert.equal(evaluateKri('HIGHER_IS_BETTER', 120, 100, 120), 'OK');
      assert.equal(evaluateKri('HIGHER_IS_BETTER', 120, 100, 119.99), 'WARNING');
      assert.equal(evaluateKri('HIGHER_IS_BETTER', 120, 100, 100), 'WARNING');
      assert.equal(evaluateKri('HIGHER_IS_BETTER', 120, 100, 99.99), 'CRITICAL');
      // The same through the API: the measurement and the KRI carry the status.
      const worse = await createKri();
      assert.equal(worse.status, 'NO_DATA');
      assert.match(worse.reference, /^KRI-\d{4}$/);
      assert.equal(worse.ownerId, ids['rose.mwangi'], 'the creator owns it by default');
      for (const [value, status] of [
        [2, 'OK'],
        [2.5, 'WARNING'],
        [5, 'WARNING'],
        [5.5, 'CRITICAL'],
        [1, 'OK'],
      ] as const) {
        tick();
        const recorded = await measure(worse.id, { value });
        assert.equal(recorded.measurement.status, status, `${value} when higher is worse`);
        assert.equal(recorded.kri.status, status);
        assert.equal(recorded.kri.lastValue, value);
      }
      const better = await createKri({ name: 'Liquidity Coverage Ratio', direction: 'HIGHER_IS_BETTER', thresholdWarning: 120, thresholdCritical: 100 });
      for (const [value, status] of [
        [120, 'OK'],
        [119.9, 'WARNING'],
        [100, 'WARNING'],
        [99.9, 'CRITICAL'],
      ] as const) {
        tick();
        assert.equal((await measure(better.id, { value })).kri.status, status, `${value} when higher is better`);
      }
    });

    it('opens one breach event, escalates that same OPEN event, and notifies the owner in-app and on the socket', async () => {
      const kri = await createKri({ name: 'Open AML cases', unit: 'cases', thresholdWarning: 10, thresholdCritical: 20 });
      const ownerSocket = await openSocket(svc.url, officer());
      const otherSocket = await openSocket(svc.url, tokens['faith.wambui']!);
      const heard: Notification[] = [];
      const overheard: Notification[] = [];
      ownerSocket.on('notification.created', (n) => heard.push(n));
      otherSocket.on('notification.created', (n) => overheard.push(n));
      try {
        const before = (await myNotifications()).notifications.length;
        tick();
        const warning = await measure(kri.id, { value: 12 });
        assert.ok(warning.eventId, 'a warning opens an event');
        assert.equal(warning.kri.openEventId, warning.eventId);
        tick();
        const stillWarning = await measure(kri.id, { value: 15 });
        assert.equal(stillWarning.eventId, warning.eventId, 'the same OPEN event');
        tick();
        const critical = await measure(kri.id, { value: 25 });
        assert.equal(critical.eventId, warning.eventId, 'escalated, not duplicated');

        const events = RiskEventList.parse((await svc.request('GET', `/api/v1/risk-events?kriId=${kri.id}`, { token: officer() })).body);
        assert.equal(events.total, 1);
        const [event] = events.events;
        assert.equal(event?.type, 'KRI_BREACH');
        assert.equal(event?.severity, 'CRITICAL');
        assert.equal(event?.source, 'KRI');
        assert.equal(event?.status, 'OPEN');
        assert.equal(event?.version, 2, 'opened, then escalated once (a same-severity value changes nothing)');
        assert.equal(event?.kriMeasurementId, critical.measurement.id);
        assert.match(event?.reference ?? '', /^EVT-\d{4}$/);

        const mine = await myNotifications();
        const fresh = mine.notifications.slice(0, mine.notifications.length - before);
        assert.deepEqual(
          fresh.map((n) => n.kind),
          ['kri.escalated', 'kri.breach'],
        );
        assert.equal(fresh[1]?.entityId, kri.id);
        // Issue 15: the owner's notification opens the KRI (bell, toast and desktop notification follow the link).
        assert.equal(fresh[1]?.link, `/kris/${kri.id}`);
        assert.match(fresh[1]?.body ?? '', /measured 12 cases .* above the warning threshold of 10 cases/);
        for (let i = 0; i < 100 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(
          heard.map((n) => n.kind),
          ['kri.breach', 'kri.escalated'],
          "the owner's socket hears both",
        );
        assert.equal(heard[0]?.id, fresh[1]?.id);
        assert.equal(overheard.length, 0, "another user's socket hears nothing");

        // Closing the event: the next breach opens a new one.
        const closed = await svc.request('POST', `/api/v1/risk-events/${event?.id}/close`, {
          token: officer(),
          body: { expectedVersion: 2, note: 'AML backlog cleared' },
        });
        assert.equal(closed.status, 200, JSON.stringify(closed.body));
        assert.equal(RiskEvent.parse(closed.body).status, 'CLOSED');
        tick();
        const again = await measure(kri.id, { value: 11 });
        assert.notEqual(again.eventId, event?.id);
        assert.equal(RiskEventList.parse((await svc.request('GET', `/api/v1/risk-events?kriId=${kri.id}`, { token: officer() })).body).total, 2);

        // Read state.
        const unread = mine.unread;
        const read = await svc.request('POST', `/api/v1/notifications/${fresh[0]?.id}/read`, { token: officer() });
        assert.equal(read.status, 200);
        assert.ok(Notification.parse(read.body).readAt);
        assert.equal((await svc.request('POST', `/api/v1/notifications/${fresh[0]?.id}/read`, { token: tokens['faith.wambui']! })).status, 404);
        assert.ok((await myNotifications()).unread < unread + 1);
        const all = await svc.request('POST', '/api/v1/notifications/read-all', { token: officer() });
        assert.equal(all.status, 200);
        assert.equal((await myNotifications()).unread, 0);
      } finally {
        ownerSocket.disconnect();
        otherSocket.disconnect();
      }
    });

    it('keeps a backfill as history: it needs a note, and leaves the latest status alone', async () => {
      const kri = await createKri({ name: 'Sanctions reviews pending', unit: 'reviews', thresholdWarning: 5, thresholdCritical: 10 });
      tick();
      const latest = await measure(kri.id, { value: 1 });
      const earlier = new Date(clock.now().getTime() - 48 * HOUR).toISOString();
      const noWhy = await svc.request('POST', `/api/v1/kris/${kri.id}/measurements`, { token: officer(), body: { value: 50, measuredAt: earlier } });
      assert.equal(noWhy.status, 400);
      assert.ok(fieldsOf(noWhy.body).some((f) => f.path === 'body.note'));
      const backfilled = await measure(kri.id, { value: 50, measuredAt: earlier, note: 'Figures from the October compliance report' });
      assert.equal(backfilled.measurement.backfill, true);
      assert.equal(backfilled.measurement.status, 'CRITICAL', 'judged against the thresholds');
      assert.equal(backfilled.eventId, null, 'history opens no event');
      assert.equal(backfilled.kri.status, 'OK');
      assert.equal(backfilled.kri.lastValue, 1);
      assert.equal(backfilled.kri.lastMeasuredAt, latest.measurement.measuredAt);
      assert.equal(backfilled.kri.version, latest.kri.version);
      const history = KriMeasurementList.parse((await svc.request('GET', `/api/v1/kris/${kri.id}/measurements`, { token: officer() })).body);
      assert.deepEqual(
        history.measurements.map((m) => [m.value, m.backfill, m.recordedBy]),
        [
          [50, true, 'Rose Mwangi'],
          [1, false, 'Rose Mwangi'],
        ],
      );
      const future = await svc.request('POST', `/api/v1/kris/${kri.id}/measurements`, {
        token: officer(),
        body: { value: 1, measuredAt: new Date(clock.now().getTime() + HOUR).toISOString() },
      });
      assert.equal(future.status, 400);
      assert.ok(fieldsOf(future.body).some((f) => f.path === 'body.measuredAt'));
    });

    it('refuses thresholds that contradict the direction, and other bad input, naming the field', async () => {
      const cases: Array<[Partial<KriCreateInput>, string]> = [
        [{ direction: 'HIGHER_IS_WORSE', thresholdWarning: 5, thresholdCritical: 2 }, 'body.thresholdCritical'],
        [{ direction: 'HIGHER_IS_WORSE', thresholdWarning: 5, thresholdCritical: 5 }, 'body.thresholdCritical'],
        [{ direction: 'HIGHER_IS_BETTER', thresholdWarning: 100, thresholdCritical: 120 }, 'body.thresholdCritical'],
        [{ measurement: 'AUTOMATIC' }, 'body.metric'],
        [{ measurement: 'AUTOMATIC', metric: 'cases.sla-breaches', schedule: '99 * * * *' }, 'body.schedule'],
        [{ riskIds: ['0b8f5f0e-7d1c-4d43-9a8e-2f2d2c1b0a99'] }, 'body.riskIds.0'],
        [{ ownerId: '0b8f5f0e-7d1c-4d43-9a8e-2f2d2c1b0a99' }, 'body.ownerId'],
        [{ frequency: 'FORTNIGHTLY' as never }, 'body.frequency'],
      ];
      for (const [overrides, path] of cases) {
        const res = await svc.request('POST', '/api/v1/kris', { token: officer(), body: kriBody(overrides) });
        assert.equal(res.status, 400, `${JSON.stringify(overrides)}: ${JSON.stringify(res.body)}`);
        assert.ok(
          fieldsOf(res.body).some((f) => f.path === path),
          `${path} named for ${JSON.stringify(overrides)}: ${JSON.stringify(res.body)}`,
        );
      }
      const kri = await createKri({ name: 'Edited KRI' });
      const edit = await svc.request('PUT', `/api/v1/kris/${kri.id}`, {
        token: officer(),
        body: { ...kriBody({ direction: 'HIGHER_IS_BETTER' }), tenantId: undefined, expectedVersion: kri.version },
      });
      assert.equal(edit.status, 400);
      assert.ok(fieldsOf(edit.body).some((f) => f.path === 'body.thresholdCritical'));
      const event = await svc.request('POST', '/api/v1/risk-events', {
        token: officer(),
        body: { tenantId: TEST_TENANT, type: 'LOSS', severity: 'HIGH', title: 'Card skimming loss', occurredAt: NOW, financialImpact: 250000 },
      });
      assert.equal(event.status, 400);
      assert.ok(fieldsOf(event.body).some((f) => f.path === 'body.currency'));
    });

    it('edits with optimistic versions, re-judging the last value against new thresholds', async () => {
      const kri = await createKri({ name: 'Chargeback ratio' });
      tick();
      await measure(kri.id, { value: 3 });
      const current = Kri.parse((await svc.request('GET', `/api/v1/kris/${kri.id}`, { token: officer() })).body);
      assert.equal(current.status, 'WARNING');
      const body = { ...kriBody({ name: 'Chargeback ratio', thresholdWarning: 4, thresholdCritical: 8 }), tenantId: undefined };
      const stale = await svc.request('PUT', `/api/v1/kris/${kri.id}`, { token: officer(), body: { ...body, expectedVersion: kri.version } });
      assert.equal(stale.status, 409);
      const edited = await svc.request('PUT', `/api/v1/kris/${kri.id}`, { token: officer(), body: { ...body, expectedVersion: current.version } });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(Kri.parse(edited.body).status, 'OK');
      const removed = await svc.request('DELETE', `/api/v1/kris/${kri.id}?expectedVersion=${Kri.parse(edited.body).version}`, { token: officer() });
      assert.equal(removed.status, 204);
      assert.equal((await svc.request('GET', `/api/v1/kris/${kri.id}`, { token: officer() })).status, 404);
    });

    it("keeps each tenant's KRIs and events to itself", async () => {
      const kri = await createKri({ name: 'Tenant KE only' });
      const ug = tokens['otieno.ug']!;
      assert.equal((await svc.request('GET', `/api/v1/kris/${kri.id}`, { token: ug })).status, 404);
      assert.equal((await svc.request('GET', `/api/v1/kris/${kri.id}/measurements`, { token: ug })).status, 404);
      assert.equal((await svc.request('POST', `/api/v1/kris/${kri.id}/measurements`, { token: ug, body: { value: 1 } })).status, 404);
      assert.equal((await svc.request('POST', '/api/v1/kris', { token: ug, body: kriBody() })).status, 403);
      const theirs = await createKri({ tenantId: OTHER_TENANT, name: 'Tenant UG only' }, ug);
      const list = KriList.parse((await svc.request('GET', '/api/v1/kris', { token: ug })).body);
      assert.deepEqual(
        list.kris.map((k) => k.id),
        [theirs.id],
      );
      const everyone = KriList.parse((await svc.request('GET', '/api/v1/kris', { token: tokens['faith.wambui']! })).body);
      assert.ok(everyone.kris.some((k) => k.id === theirs.id) && everyone.kris.some((k) => k.id === kri.id), 'a bank-wide manager sees both');
      const keEvents = RiskEventList.parse((await svc.request('GET', '/api/v1/risk-events', { token: ug })).body);
      assert.ok(keEvents.events.every((e) => e.tenantId === OTHER_TENANT));
      // Analysts have no risk permissions at all.
      assert.equal((await svc.request('GET', '/api/v1/kris', { token: tokens['amina.otieno']! })).status, 403);
      const catalogue = await svc.request('GET', '/api/v1/kri-metrics', { token: ug });
      assert.equal(catalogue.status, 200);
    });
  });
}
