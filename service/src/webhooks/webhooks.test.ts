import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { z } from 'zod';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { defineCommand, SYSTEM_ACTOR } from '../commands/bus.ts';
import { ObAppWithSecret, WebhookDeliveryPage, WebhookDeliveryView, type WebhookEventType } from '../../../shared/src/open-banking.ts';
import type { WebhookSubscriptionCreated } from '../../../shared/src/contract/webhooks.ts';
import { enqueueWebhookWithin } from './enqueue.ts';
import { webhookSubscriptionCommands } from './commands.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher.ts';
import { listWebhookSubscriptions } from './queries.ts';
import { startReceiver, verifyAt, type Receiver } from './receiver-fixture.ts';
import { appActor } from '../open-banking/oauth/partner-auth.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const OTHER_TENANT = 'WEKEZA-UG';

/** What a command that changes state does with its webhook: here only the enqueue, run through the real bus. */
const emit = defineCommand({
  name: 'test.webhooks.emit',
  input: z.object({ ownerId: z.uuid(), eventType: z.string(), entityId: z.string().nullable().default(null), fail: z.boolean().default(false) }),
  permission: null,
  async apply(ctx, input) {
    const count = await enqueueWebhookWithin(ctx, {
      tenantId: TEST_TENANT,
      ownerKind: 'OB_APP',
      ownerId: input.ownerId,
      eventType: input.eventType,
      entityType: input.entityId ? 'consent' : null,
      entityId: input.entityId,
      data: { consentId: input.entityId, note: 'ünïcödé ✓' },
    });
    if (input.fail) throw new Error('the change failed after queuing its webhook');
    return count;
  },
});

for (const dialect of DIALECTS) {
  describe(`Signed webhooks on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    let receiver: Receiver;
    let other: Receiver;
    const dispatchers: WebhookDispatcher[] = [];
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({ tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]],
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [TEST_TENANT]],
        ['ug.manager', 'RISK_MANAGER', [OTHER_TENANT]],
      ]));
      receiver = await startReceiver();
      other = await startReceiver();
    });
    after(async () => {
      for (const d of dispatchers) await d.stop();
      await svc?.stop();
      await receiver?.stop();
      await other?.stop();
    });

    const admin = () => tokens['faith.wambui']!;
    const ctx = () => svc.service.context;
    const registerApp = async (name: string) => {
      const res = await svc.request('POST', '/api/v1/open-banking/apps', {
        token: admin(),
        body: { tenantId: TEST_TENANT, name, kind: 'FINTECH', allowedScopes: ['accounts.read'] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return ObAppWithSecret.parse(res.body);
    };
    const subscribe = async (
      app: { id: string; name: string; tenantId: string },
      url: string,
      events: WebhookEventType[],
    ): Promise<WebhookSubscriptionCreated> =>
      ctx().bus.execute(webhookSubscriptionCommands(ctx().secrets).create, { appId: app.id, url, events }, appActor(app));
    const fire = (ownerId: string, eventType: string, entityId: string | null = null) =>
      ctx().bus.execute(emit, { ownerId, eventType, entityId }, SYSTEM_ACTOR) as Promise<number>;
    const dispatcher = (options: Partial<WebhookDispatcherOptions> = {}) => {
      const d = new WebhookDispatcher({ db: ctx().db, box: ctx().secrets, clock, logger: pino({ level: 'silent' }) }, options);
      dispatchers.push(d);
      return d;
    };
    const deliveries = async (query: string, token = admin()) => {
      const res = await svc.request('GET', `/api/v1/webhook-deliveries?${query}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return WebhookDeliveryPage.parse(res.body);
    };
    const deliveryOf = async (appId: string, messageId: string) => {
      const page = await deliveries(`appId=${appId}&pageSize=500`);
      const found = page.items.filter((d) => d.messageId === messageId && d.replayOf === null);
      assert.equal(found.length, 1);
      return found[0]!;
    };

    it("sends right after the queuing command commits (the service's own dispatcher), then the test takes over", async () => {
      const app = await registerApp('Live App');
      const sub = await subscribe(app, receiver.url, ['consent.revoked']);
      assert.match(sub.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.equal(await fire(app.id, 'consent.revoked'), 1);
      await receiver.waitFor(1);
      const [message] = receiver.received.splice(0);
      assert.deepEqual(verifyAt(sub.secret, message!, clock.now().getTime()), {
        type: 'consent.revoked',
        timestamp: NOW,
        data: { consentId: null, note: 'ünïcödé ✓' },
      });
      // From here on the tests run rounds themselves with the clock they move.
      await ctx().webhookDispatcher?.stop();
    });

    it("queues in the command's transaction, once per ACTIVE subscription listening to the event", async () => {
      const a = await registerApp('Queue App A');
      const b = await registerApp('Queue App B');
      await subscribe(a, receiver.url, ['consent.revoked', 'payment.completed']);
      await subscribe(a, other.url, ['payment.completed']);
      await subscribe(b, receiver.url, ['consent.revoked']);
      assert.equal(await fire(a.id, 'consent.revoked'), 1);
      assert.equal(await fire(a.id, 'payment.completed'), 2);
      assert.equal(await fire(a.id, 'transaction.posted'), 0);
      const count = async () => (await deliveries(`appId=${a.id}`)).total;
      assert.equal(await count(), 3);
      // A change that fails after queuing leaves no delivery behind (transactional outbox).
      await assert.rejects(ctx().bus.execute(emit, { ownerId: a.id, eventType: 'consent.revoked', fail: true }, SYSTEM_ACTOR));
      assert.equal(await count(), 3);
      assert.equal((await deliveries(`appId=${b.id}`)).total, 0);
      // Flush them so later tests start from an empty queue.
      await dispatcher().runDue();
      receiver.received.splice(0);
      other.received.splice(0);
    });

    it('signs with Standard Webhooks: the receiver verifies with Webhook.verify; another secret or a changed body fails', async () => {
      const app = await registerApp('Signed App');
      const sub = await subscribe(app, receiver.url, ['payment.completed']);
      const second = await subscribe(app, other.url, ['transaction.posted']);
      await fire(app.id, 'payment.completed', '11111111-1111-4111-8111-111111111111');
      const outcomes = await dispatcher().runDue();
      assert.deepEqual(
        outcomes.map((o) => [o.status, o.statusCode]),
        [['DELIVERED', 200]],
      );
      const [message] = receiver.received.splice(0);
      assert.ok(message);
      assert.equal(message.headers['content-type'], 'application/json');
      assert.equal(message.headers['webhook-timestamp'], String(clock.now().getTime() / 1000));
      assert.match(message.headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]+=*$/);
      const payload = verifyAt(sub.secret, message, clock.now().getTime()) as { type: string; data: { consentId: string } };
      assert.equal(payload.type, 'payment.completed');
      assert.equal(payload.data.consentId, '11111111-1111-4111-8111-111111111111');
      assert.throws(() => verifyAt(second.secret, message, clock.now().getTime()), /signature/i);
      assert.throws(() => verifyAt(sub.secret, { ...message, body: message.body.replace('payment', 'pAyment') }, clock.now().getTime()), /signature/i);
      assert.throws(() => verifyAt(sub.secret, message, clock.now().getTime() + 10 * MINUTE), /timestamp/i, 'a stale message is refused');
      const delivery = await deliveryOf(app.id, message.headers['webhook-id']!);
      assert.equal(delivery.status, 'DELIVERED');
      assert.equal(delivery.deliveredAt, NOW);
      assert.equal(delivery.url, receiver.url);
      assert.equal(delivery.entityId, '11111111-1111-4111-8111-111111111111');
      const byConsent = await deliveries('consentId=11111111-1111-4111-8111-111111111111');
      assert.deepEqual(
        byConsent.items.map((d) => d.id),
        [delivery.id],
      );
      // Secrets are never in the log or in the app's own list of subscriptions.
      const subscriptions = await listWebhookSubscriptions(ctx().db.kysely, {
        appId: app.id,
        clientId: app.clientId,
        tenantId: TEST_TENANT,
        tokenId: 'test',
        grantType: 'client_credentials',
        consentId: null,
        customerRef: null,
        scopes: new Set(),
        customerPresent: false,
      });
      assert.equal(subscriptions.length, 2);
      assert.ok(!JSON.stringify([subscriptions, delivery]).includes(sub.secret.slice(6)));
    });

    it('retries with the backoff (5 s, then 30 s) on the injected clock and records every attempt', async () => {
      const app = await registerApp('Retry App');
      await subscribe(app, receiver.url, ['consent.revoked']);
      await fire(app.id, 'consent.revoked');
      const d = dispatcher();
      receiver.plan.push(500, 502);
      const start = clock.now().getTime();
      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['FAILED'],
      );
      const messageId = receiver.received[0]!.headers['webhook-id']!;
      let delivery = await deliveryOf(app.id, messageId);
      assert.equal(delivery.status, 'FAILED');
      assert.equal(delivery.nextAttemptAt, new Date(start + 5 * SECOND).toISOString());
      assert.equal(delivery.lastStatusCode, 500);
      clock.advance(5 * SECOND - 1);
      assert.equal((await d.runDue()).length, 0, 'not before its time');
      clock.advance(1);
      assert.deepEqual(
        (await d.runDue()).map((o) => [o.status, o.statusCode]),
        [['FAILED', 502]],
      );
      delivery = await deliveryOf(app.id, messageId);
      assert.equal(delivery.nextAttemptAt, new Date(start + 35 * SECOND).toISOString());
      clock.advance(30 * SECOND - 1);
      assert.equal((await d.runDue()).length, 0);
      clock.advance(1);
      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['DELIVERED'],
      );
      delivery = await deliveryOf(app.id, messageId);
      assert.equal(delivery.status, 'DELIVERED');
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.nextAttemptAt, null);
      assert.deepEqual(
        delivery.attemptLog.map((a) => [a.attempt, a.at, a.statusCode]),
        [
          [1, new Date(start).toISOString(), 500],
          [2, new Date(start + 5 * SECOND).toISOString(), 502],
          [3, new Date(start + 35 * SECOND).toISOString(), 200],
        ],
      );
      // Every attempt is the same message (webhook-id) with this attempt's timestamp and signature.
      const sent = receiver.received.splice(0);
      assert.deepEqual(
        sent.map((m) => m.headers['webhook-id']),
        [messageId, messageId, messageId],
      );
      assert.deepEqual(
        sent.map((m) => Number(m.headers['webhook-timestamp']) * 1000),
        [start, start + 5 * SECOND, start + 35 * SECOND],
      );
    });

    it('is DEAD after N failed attempts (a receiver that never answers included) and is not tried again', async () => {
      const app = await registerApp('Dead App');
      await subscribe(app, receiver.url, ['consent.revoked']);
      await fire(app.id, 'consent.revoked');
      const d = dispatcher({ maxAttempts: 3, timeoutMs: 300 });
      receiver.plan.push('hang', 503, 503);
      assert.deepEqual(
        (await d.runDue()).map((o) => [o.status, o.statusCode]),
        [['FAILED', null]],
      );
      clock.advance(5 * SECOND);
      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['FAILED'],
      );
      clock.advance(30 * SECOND);
      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['DEAD'],
      );
      // Sessions last a working day: stay within it.
      clock.advance(6 * 60 * MINUTE);
      assert.equal((await d.runDue()).length, 0, 'a dead delivery is not retried');
      const messageId = receiver.received[0]!.headers['webhook-id']!;
      const delivery = await deliveryOf(app.id, messageId);
      assert.equal(delivery.status, 'DEAD');
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.nextAttemptAt, null);
      assert.deepEqual(
        delivery.attemptLog.map((a) => [a.statusCode, a.error]),
        [
          [null, 'no answer within 300 ms'],
          [503, 'the receiver answered 503'],
          [503, 'the receiver answered 503'],
        ],
      );
      assert.equal(receiver.received.splice(0).length, 3);
      assert.equal((await deliveries(`appId=${app.id}&status=DEAD`)).total, 1);
    });

    it('replays a delivery as a new one with the same webhook-id and body; refuses while one is still on its way', async () => {
      const app = await registerApp('Replay App');
      const sub = await subscribe(app, receiver.url, ['consent.revoked']);
      await fire(app.id, 'consent.revoked', '22222222-2222-4222-8222-222222222222');
      const d = dispatcher({ maxAttempts: 1 });
      receiver.plan.push(500);
      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['DEAD'],
      );
      const [first] = receiver.received.splice(0);
      const original = await deliveryOf(app.id, first!.headers['webhook-id']!);

      assert.equal((await svc.request('POST', `/api/v1/webhook-deliveries/${original.id}/replay`, { token: tokens['wanjiru.njoroge']! })).status, 403);
      assert.equal((await svc.request('POST', `/api/v1/webhook-deliveries/${original.id}/replay`, { token: tokens['ug.manager']! })).status, 404);
      clock.advance(MINUTE);
      const res = await svc.request('POST', `/api/v1/webhook-deliveries/${original.id}/replay`, { token: admin() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const replay = WebhookDeliveryView.parse(res.body);
      assert.notEqual(replay.id, original.id);
      assert.equal(replay.replayOf, original.id);
      assert.equal(replay.messageId, original.messageId);
      assert.equal(replay.status, 'PENDING');
      assert.deepEqual(replay.attemptLog, []);
      assert.equal((await svc.request('POST', `/api/v1/webhook-deliveries/${replay.id}/replay`, { token: admin() })).status, 409, 'still on its way');

      assert.deepEqual(
        (await d.runDue()).map((o) => o.status),
        ['DELIVERED'],
      );
      const [again] = receiver.received.splice(0);
      assert.equal(again!.headers['webhook-id'], first!.headers['webhook-id']);
      assert.equal(again!.body, first!.body, 'the same event');
      verifyAt(sub.secret, again!, clock.now().getTime());
      const log = await deliveries(`appId=${app.id}`);
      assert.deepEqual(log.items.map((x) => [x.replayOf, x.status]).sort(), [
        [null, 'DEAD'],
        [original.id, 'DELIVERED'],
      ]);
      // A replay of a replay still names the first delivery.
      const second = WebhookDeliveryView.parse((await svc.request('POST', `/api/v1/webhook-deliveries/${replay.id}/replay`, { token: admin() })).body);
      assert.equal(second.replayOf, original.id);
      await d.runDue();
      receiver.received.splice(0);
    });

    it('two dispatchers on one database send each delivery once', async () => {
      const app = await registerApp('Busy App');
      await subscribe(app, receiver.url, ['transaction.posted']);
      for (let i = 0; i < 30; i++) await fire(app.id, 'transaction.posted', null);
      receiver.setDelay(20);
      const one = dispatcher({ batchSize: 7 });
      const two = dispatcher({ batchSize: 7 });
      let rounds = 0;
      for (;;) {
        const outcomes = (await Promise.all([one.runDue(), two.runDue(), one.runDue()])).flat();
        assert.ok(outcomes.every((o) => o.status === 'DELIVERED'));
        if (outcomes.length === 0) break;
        assert.ok(++rounds < 20);
      }
      receiver.setDelay(0);
      const ids = receiver.received.splice(0).map((m) => m.headers['webhook-id']);
      assert.equal(ids.length, 30, 'every delivery sent');
      assert.equal(new Set(ids).size, 30, 'none twice');
      const log = await deliveries(`appId=${app.id}&pageSize=100`);
      assert.equal(log.total, 30);
      assert.ok(log.items.every((x) => x.status === 'DELIVERED' && x.attemptLog.length === 1));
    });

    it('a deleted subscription gets nothing more; an app manages only its own subscriptions', async () => {
      const app = await registerApp('Leaving App');
      const intruder = await registerApp('Intruder App');
      const commands = webhookSubscriptionCommands(ctx().secrets);
      const sub = await subscribe(app, receiver.url, ['consent.revoked']);
      await fire(app.id, 'consent.revoked');
      const d = dispatcher();
      receiver.plan.push(500);
      await d.runDue();
      receiver.received.splice(0);
      await assert.rejects(ctx().bus.execute(commands.remove, { appId: app.id, id: sub.id }, appActor(intruder)), { status: 403 });
      await assert.rejects(ctx().bus.execute(commands.remove, { appId: intruder.id, id: sub.id }, appActor(intruder)), { status: 404 });
      await assert.rejects(ctx().bus.execute(commands.create, { appId: app.id, url: receiver.url, events: ['consent.revoked'] }, appActor(intruder)), {
        status: 403,
      });
      await ctx().bus.execute(commands.remove, { appId: app.id, id: sub.id }, appActor(app));
      const [dead] = (await deliveries(`appId=${app.id}`)).items;
      assert.equal(dead!.status, 'DEAD');
      assert.equal(dead!.lastError, 'the subscription was deleted');
      assert.equal(await fire(app.id, 'consent.revoked'), 0, 'nothing is queued for it');
      clock.advance(MINUTE);
      assert.equal((await d.runDue()).length, 0);
      assert.equal(receiver.received.length, 0);
      assert.equal((await svc.request('POST', `/api/v1/webhook-deliveries/${dead!.id}/replay`, { token: admin() })).status, 409, 'nowhere to send it');
      // A suspended app cannot subscribe; its test-send is refused too.
      const live = await subscribe(app, receiver.url, ['payment.completed']);
      await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/suspend`, { token: admin(), body: { reason: 'Under review' } });
      await assert.rejects(ctx().bus.execute(commands.test, { appId: app.id, id: live.id }, appActor(app)), { status: 403 });
      await assert.rejects(subscribe(app, receiver.url, ['payment.completed']), { status: 403 });
    });

    it('a test-send reaches any subscription; the delivery log shows only the caller’s tenants', async () => {
      const app = await registerApp('Testing App');
      const commands = webhookSubscriptionCommands(ctx().secrets);
      const sub = await subscribe(app, receiver.url, ['payment.completed']);
      const sent = (await ctx().bus.execute(commands.test, { appId: app.id, id: sub.id }, appActor(app))) as { messageId: string; deliveryId: string };
      await dispatcher().runDue();
      const [message] = receiver.received.splice(0);
      assert.equal(message!.headers['webhook-id'], sent.messageId);
      assert.equal((verifyAt(sub.secret, message!, clock.now().getTime()) as { type: string }).type, 'webhook.test');
      assert.equal((await deliveries('', tokens['ug.manager']!)).total, 0);
      assert.ok((await deliveries('', tokens['wanjiru.njoroge']!)).total > 0);
    });
  });
}
