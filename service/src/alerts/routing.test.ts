import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { startReceiver } from '../webhooks/receiver-fixture.ts';
import { AlertChannelSaved, AlertDetail, AlertRule, type AlertRuleBody } from '../../../shared/src/alerts.ts';
import { NotificationList } from '../../../shared/src/notifications.ts';
import { raiseAlerts, type AlertCandidate } from './raise.ts';
import { quietHoursEnd } from './routing.ts';

after(stopTestPostgres);

/** 15:00 in Nairobi (UTC+3). */
const NOW = '2026-11-20T12:00:00.000Z';
const MINUTE = 60_000;
const OTHER_TENANT = 'WEKEZA-UG';

function candidate(entityId: string, overrides: Partial<AlertCandidate> = {}): AlertCandidate {
  return {
    tenantId: TEST_TENANT,
    pattern: 'VELOCITY',
    severity: 'HIGH',
    title: `Velocity: ${entityId}`,
    entityType: 'CUSTOMER',
    entityId,
    detectedAt: NOW,
    evidence: { payments: [], customers: [entityId], rules: [], figures: { count: 9 }, explanation: ['Nine payments in ten minutes.'] },
    ...overrides,
  };
}

function payment(assessmentId: string, amountKes: number) {
  return {
    assessmentId,
    transactionReference: `TX-${assessmentId.slice(0, 8)}`,
    customerRef: 'CIF-1',
    amountKes,
    occurredAt: NOW,
    channel: 'MOBILE',
    country: 'KE',
    debtorAccount: null,
    creditorAccount: null,
    deviceId: null,
    riskLevel: 'HIGH',
    caseId: null,
  };
}

describe('quiet hours (Nairobi wall time)', { timeout: 10_000 }, () => {
  it('hold until the window ends, across midnight, and not outside it', () => {
    const quiet = { start: '22:00', end: '06:00', holdCritical: false };
    // 23:30 Nairobi → held until 06:00 Nairobi (03:00 UTC next day).
    assert.equal(quietHoursEnd(quiet, new Date('2026-11-20T20:30:00Z'))?.toISOString(), '2026-11-21T03:00:00.000Z');
    // 05:59 Nairobi → one minute left.
    assert.equal(quietHoursEnd(quiet, new Date('2026-11-21T02:59:00Z'))?.toISOString(), '2026-11-21T03:00:00.000Z');
    // 06:00 and 15:00 Nairobi → outside.
    assert.equal(quietHoursEnd(quiet, new Date('2026-11-21T03:00:00Z')), null);
    assert.equal(quietHoursEnd(quiet, new Date(NOW)), null);
    // A same-day window 12:00–14:00 at 13:15 Nairobi.
    assert.equal(
      quietHoursEnd({ start: '12:00', end: '14:00', holdCritical: false }, new Date('2026-11-20T10:15:00Z'))?.toISOString(),
      '2026-11-20T11:00:00.000Z',
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`Alert routing on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({ tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]],
        ['amina.otieno', 'FRAUD_ANALYST', [TEST_TENANT]],
        ['ug.analyst', 'FRAUD_ANALYST', [OTHER_TENANT]],
      ]));
      receiver = await startReceiver();
    });
    after(async () => {
      await svc?.stop();
      await receiver?.stop();
    });

    const admin = () => tokens['faith.wambui']!;
    /** Sessions expire when the clock jumps hours ahead: sign the team in again at the new time. */
    const at = async (iso: string) => {
      clock.set(iso);
      for (const username of Object.keys(tokens)) tokens[username] = (await svc.login(username, TEST_USER_PASSWORD)).token;
    };
    const raise = async (...candidates: AlertCandidate[]) => svc.service.context.bus.execute(raiseAlerts, { candidates }, SYSTEM_ACTOR);
    const detail = async (id: string) => {
      const res = await svc.request('GET', `/api/v1/alerts/${id}`, { token: tokens['amina.otieno']! });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return AlertDetail.parse(res.body);
    };
    const channel = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await svc.request('POST', '/api/v1/alert-channels', {
        token: admin(),
        body: { name, tenantId: TEST_TENANT, settings: { kind: 'WEBHOOK', url: receiver.url }, enabled: true, ...extra },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return AlertChannelSaved.parse(res.body);
    };
    const rule = async (body: AlertRuleBody) => {
      const res = await svc.request('POST', '/api/v1/alert-rules', { token: admin(), body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return AlertRule.parse(res.body);
    };
    const setEnabled = async (r: AlertRule, enabled: boolean) => {
      const { id: _i, sourceConfigurationId: _s, sourceConfigurationName: _n, createdBy: _c, createdAt: _a, updatedAt: _u, ...body } = r;
      const res = await svc.request('PUT', `/api/v1/alert-rules/${r.id}`, { token: admin(), body: { ...body, enabled } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return AlertRule.parse(res.body);
    };
    const notifications = async (token: string) => NotificationList.parse((await svc.request('GET', '/api/v1/notifications', { token })).body);

    it('routes a new alert to the rule’s channel and roles, and deduplicates the same pattern and entity inside the window', async () => {
      const ch = await channel('Dedup hook');
      const r = await rule({
        name: 'Velocity to the hook',
        patterns: ['VELOCITY'],
        minSeverity: 'MEDIUM',
        channelIds: [ch.id],
        dedupWindowMinutes: 30,
        notifyRoles: ['FRAUD_ANALYST'],
      });
      const [first] = await raise(
        candidate('CIF-DEDUP', { evidence: { ...candidate('x').evidence, payments: [payment('00000000-0000-4000-8000-000000000001', 900_000)] } }),
      );
      assert.equal(first!.created, true);
      let alert = await detail(first!.alertId);
      assert.match(alert.reference, /^ALT-\d{6}$/);
      assert.deepEqual(
        alert.routes.map((x) => [x.outcome, x.channelId]),
        [
          ['QUEUED', ch.id],
          ['NOTIFIED_IN_APP', null],
        ],
      );
      assert.ok(alert.routes[0]!.deliveryId);
      const delivery = await svc.service.context.db.kysely
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', alert.routes[0]!.deliveryId!)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.owner_kind, 'ALERT_CHANNEL');
      assert.equal(delivery.event_type, 'alert.raised');
      // The analyst of the tenant is told in-app; the other tenant's analyst is not.
      assert.ok((await notifications(tokens['amina.otieno']!)).notifications.some((n) => n.link === `/alerts/${alert.id}` && n.kind === 'alert.raised'));
      assert.ok(!(await notifications(tokens['ug.analyst']!)).notifications.some((n) => n.link === `/alerts/${alert.id}`));

      // 20 minutes later, the same customer again at CRITICAL: one alert, two occurrences, no new message.
      clock.advance(20 * MINUTE);
      const [second] = await raise(
        candidate('CIF-DEDUP', {
          severity: 'CRITICAL',
          evidence: { ...candidate('x').evidence, payments: [payment('00000000-0000-4000-8000-000000000002', 950_000)] },
        }),
      );
      assert.deepEqual(second, { alertId: first!.alertId, created: false });
      alert = await detail(first!.alertId);
      assert.equal(alert.occurrences, 2);
      assert.equal(alert.severity, 'CRITICAL');
      assert.deepEqual(
        alert.evidence.payments.map((p) => p.amountKes),
        [900_000, 950_000],
      );
      assert.equal(alert.routes.filter((x) => x.outcome === 'QUEUED').length, 1);
      assert.equal(alert.routes.at(-1)!.outcome, 'SUPPRESSED_DUPLICATE');

      // Past the 30-minute window since it was last seen: a new alert.
      clock.advance(31 * MINUTE);
      const [third] = await raise(candidate('CIF-DEDUP'));
      assert.equal(third!.created, true);
      assert.notEqual(third!.alertId, first!.alertId);
      await setEnabled(r, false);
    });

    it('throttles a channel past its hourly limit', async () => {
      const ch = await channel('Throttled hook', { maxPerHour: 2 });
      const r = await rule({ name: 'Devices to the throttled hook', patterns: ['DEVICE_SHARED'], minSeverity: 'LOW', channelIds: [ch.id] });
      const raised = await raise(
        candidate('dev-1', { pattern: 'DEVICE_SHARED', entityType: 'DEVICE' }),
        candidate('dev-2', { pattern: 'DEVICE_SHARED', entityType: 'DEVICE' }),
        candidate('dev-3', { pattern: 'DEVICE_SHARED', entityType: 'DEVICE' }),
      );
      const outcomes = [];
      for (const { alertId } of raised) outcomes.push((await detail(alertId)).routes.map((x) => x.outcome));
      assert.deepEqual(outcomes, [['QUEUED'], ['QUEUED'], ['THROTTLED']]);
      // An hour later the channel may send again.
      clock.advance(61 * MINUTE);
      const [later] = await raise(candidate('dev-4', { pattern: 'DEVICE_SHARED', entityType: 'DEVICE' }));
      assert.deepEqual(
        (await detail(later!.alertId)).routes.map((x) => x.outcome),
        ['QUEUED'],
      );
      await setEnabled(r, false);
    });

    it('holds non-critical messages during quiet hours and releases them when the hours end; CRITICAL goes at once', async () => {
      await at('2026-11-20T20:30:00Z'); // 23:30 Nairobi
      const ch = await channel('Quiet hook', { quietHours: { start: '22:00', end: '06:00' } });
      const r = await rule({ name: 'Geo to the quiet hook', patterns: ['GEO_IMPOSSIBLE_TRAVEL'], minSeverity: 'LOW', channelIds: [ch.id] });
      const [high, critical] = await raise(
        candidate('CIF-GEO-1', { pattern: 'GEO_IMPOSSIBLE_TRAVEL' }),
        candidate('CIF-GEO-2', { pattern: 'GEO_IMPOSSIBLE_TRAVEL', severity: 'CRITICAL' }),
      );
      const held = (await detail(high!.alertId)).routes;
      assert.deepEqual(
        held.map((x) => [x.outcome, x.holdUntil]),
        [['HELD_QUIET_HOURS', '2026-11-21T03:00:00.000Z']],
      );
      assert.equal(held[0]!.deliveryId, null);
      assert.deepEqual(
        (await detail(critical!.alertId)).routes.map((x) => x.outcome),
        ['QUEUED'],
      );
      const scheduler = svc.service.context.riskScheduler!;
      clock.set('2026-11-21T02:59:00Z');
      await scheduler.runDue(clock.now());
      assert.equal((await detail(high!.alertId)).routes[0]!.outcome, 'HELD_QUIET_HOURS');
      await at('2026-11-21T03:00:00Z');
      const runs = await scheduler.runDue(clock.now());
      assert.ok(
        runs.some((run) => run.job === 'alerts:release-quiet-hours' && run.outcome === 'released 1'),
        JSON.stringify(runs),
      );
      const released = (await detail(high!.alertId)).routes[0]!;
      assert.equal(released.outcome, 'RELEASED');
      assert.ok(released.deliveryId);
      await setEnabled(r, false);
    });

    it('releases what was held overnight within the hourly limit, and counts released messages from their release', async () => {
      await at('2026-11-21T20:00:00Z'); // 23:00 Nairobi
      const ch = await channel('Quiet, limited hook', { quietHours: { start: '22:00', end: '06:00' }, maxPerHour: 2 });
      const r = await rule({ name: 'Churn to the quiet, limited hook', patterns: ['DEVICE_CHURN'], minSeverity: 'LOW', channelIds: [ch.id] });
      const night = await raise(
        candidate('CIF-CHURN-1', { pattern: 'DEVICE_CHURN' }),
        candidate('CIF-CHURN-2', { pattern: 'DEVICE_CHURN' }),
        candidate('CIF-CHURN-3', { pattern: 'DEVICE_CHURN' }),
      );
      for (const { alertId } of night)
        assert.deepEqual(
          (await detail(alertId)).routes.map((x) => x.outcome),
          ['HELD_QUIET_HOURS'],
        );
      await at('2026-11-22T03:00:00Z'); // 06:00 Nairobi
      const runs = await svc.service.context.riskScheduler!.runDue(clock.now());
      assert.ok(
        runs.some((run) => run.job === 'alerts:release-quiet-hours' && run.outcome === 'released 2'),
        JSON.stringify(runs),
      );
      const released = [];
      for (const { alertId } of night) released.push((await detail(alertId)).routes[0]!);
      // Held together (one command, one instant), so which of the three comes last is not defined.
      assert.deepEqual(released.map((x) => x.outcome).sort(), ['RELEASED', 'RELEASED', 'THROTTLED']);
      const throttled = released.find((x) => x.outcome === 'THROTTLED')!;
      assert.match(throttled.detail ?? '', /already sent 2 messages in the last hour \(its limit is 2\)/);
      assert.equal(throttled.deliveryId, null);
      // The two released at 06:00 fill this hour: a new alert at 06:30 waits for the limit too.
      clock.advance(30 * MINUTE);
      const [morning] = await raise(candidate('CIF-CHURN-4', { pattern: 'DEVICE_CHURN' }));
      assert.deepEqual(
        (await detail(morning!.alertId)).routes.map((x) => x.outcome),
        ['THROTTLED'],
      );
      await setEnabled(r, false);
    });

    it('escalates an unacknowledged alert level by level on the clock, and stops once acknowledged', async () => {
      await at('2026-11-21T09:00:00Z');
      const ch = await channel('Escalation hook');
      const r = await rule({
        name: 'Takeover with escalation',
        patterns: ['ACCOUNT_TAKEOVER'],
        minSeverity: 'HIGH',
        notifyRoles: ['FRAUD_ANALYST'],
        escalation: [
          { afterMinutes: 15, notifyRoles: ['RISK_MANAGER'] },
          { afterMinutes: 30, channelIds: [ch.id] },
        ],
      });
      const [open, acked] = await raise(candidate('CIF-ATO-1', { pattern: 'ACCOUNT_TAKEOVER' }), candidate('CIF-ATO-2', { pattern: 'ACCOUNT_TAKEOVER' }));
      let alert = await detail(open!.alertId);
      assert.equal(alert.nextEscalationAt, '2026-11-21T09:15:00.000Z');
      const other = await detail(acked!.alertId);
      const ack = await svc.request('POST', `/api/v1/alerts/${other.id}/acknowledge`, { token: tokens['amina.otieno']!, body: { version: other.version } });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));

      const scheduler = svc.service.context.riskScheduler!;
      clock.set('2026-11-21T09:14:00Z');
      await scheduler.runDue(clock.now());
      assert.equal((await detail(open!.alertId)).escalationLevel, 0);

      await at('2026-11-21T09:15:00Z');
      await scheduler.runDue(clock.now());
      alert = await detail(open!.alertId);
      assert.equal(alert.escalationLevel, 1);
      assert.equal(alert.nextEscalationAt, '2026-11-21T09:45:00.000Z');
      assert.deepEqual(
        alert.routes.filter((x) => x.level === 1).map((x) => x.outcome),
        ['ESCALATED', 'NOTIFIED_IN_APP'],
      );
      assert.ok((await notifications(admin())).notifications.some((n) => n.kind === 'alert.escalated' && n.link === `/alerts/${alert.id}`));

      await at('2026-11-21T09:45:00Z');
      await scheduler.runDue(clock.now());
      alert = await detail(open!.alertId);
      assert.equal(alert.escalationLevel, 2);
      assert.equal(alert.nextEscalationAt, null);
      const level2 = alert.routes.filter((x) => x.level === 2);
      assert.deepEqual(
        level2.map((x) => [x.outcome, x.channelId]),
        [
          ['ESCALATED', null],
          ['QUEUED', ch.id],
        ],
      );
      const delivery = await svc.service.context.db.kysely
        .selectFrom('webhook_deliveries')
        .select('event_type')
        .where('id', '=', level2[1]!.deliveryId!)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.event_type, 'alert.escalated');
      // The acknowledged one never escalated.
      const quiet = await detail(acked!.alertId);
      assert.equal(quiet.escalationLevel, 0);
      assert.equal(quiet.nextEscalationAt, null);
      await setEnabled(r, false);
    });
  });
}
