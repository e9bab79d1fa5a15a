import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, TEST_TENANT } from '../testing/service.ts';
import { askConsent, registerApp, startOauthWorld, type OauthWorld } from '../open-banking/oauth/oauth-fixture.ts';
import { WebhookDeliveryPage, WebhookSubscriptionView, type ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { WebhookSubscriptionCreated, WebhookTestSent } from '../../../shared/src/contract/webhooks.ts';
import { startReceiver, verifyAt, type Receiver } from './receiver-fixture.ts';

after(stopTestPostgres);

const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;
const fieldsOf = (body: unknown) => (body as { error: { fields?: Array<{ path: string }> } }).error.fields ?? [];

/** An app's client-credentials token from the service's authorization server, through openid-client. */
async function appToken(world: OauthWorld, app: ObAppWithSecret): Promise<string> {
  const config = await oidc.discovery(new URL(world.svc.url), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  return (await oidc.clientCredentialsGrant(config)).access_token;
}

for (const dialect of DIALECTS) {
  describe(`Partner webhook subscriptions over HTTP on ${dialect}`, { timeout: 300_000 }, () => {
    let world: OauthWorld;
    let receiver: Receiver;
    let officer: string;
    before(async () => {
      world = await startOauthWorld(dialect);
      receiver = await startReceiver();
      const { tokens } = await addTestTeam(world.svc, [['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [TEST_TENANT]]]);
      officer = tokens['wanjiru.njoroge']!;
    });
    after(async () => {
      await world?.svc.stop();
      await receiver?.stop();
    });

    it('an app subscribes with its client-credentials token, gets the secret once, and a revoked consent reaches its receiver signed', async () => {
      const app = await registerApp(world, []);
      const token = await appToken(world, app);
      const svc = world.svc;

      const bad = await svc.request('POST', '/open-banking/v1/webhooks', { token, body: { url: 'http://receiver.example/hooks', events: ['nope'] } });
      assert.equal(bad.status, 400);
      assert.deepEqual(
        fieldsOf(bad.body)
          .map((f) => f.path)
          .sort(),
        ['body.events.0', 'body.url'],
      );

      const res = await svc.request('POST', '/open-banking/v1/webhooks', { token, body: { url: receiver.url, events: ['consent.revoked'] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const created = WebhookSubscriptionCreated.parse(res.body);
      assert.equal(created.appId, app.id);
      const listed = await svc.request('GET', '/open-banking/v1/webhooks', { token });
      assert.equal(listed.status, 200);
      assert.deepEqual(WebhookSubscriptionView.array().parse(listed.body), [
        { id: created.id, appId: app.id, url: receiver.url, events: ['consent.revoked'], status: 'ACTIVE', createdAt: created.createdAt, version: 1 },
      ]);
      assert.ok(!JSON.stringify(listed.body).includes(created.secret), 'the secret is answered once');

      // A compliance officer revokes a consent of the app: the app is told, signed (issue 14).
      const consentId = await askConsent(world, app);
      const revoked = await svc.request('POST', `/api/v1/consents/${consentId}/revoke`, { token: officer, body: { reason: 'Customer complaint' } });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      await receiver.waitFor(1);
      const [message] = receiver.received.splice(0);
      const payload = verifyAt(created.secret, message!, world.clock.now().getTime()) as { type: string; data: { consentId: string; reason: string } };
      assert.equal(payload.type, 'consent.revoked');
      assert.equal(payload.data.consentId, consentId);
      assert.equal(payload.data.reason, 'REVOKED_BY_BANK');
      // The receiver answered; the dispatcher records that just after.
      let page = WebhookDeliveryPage.parse((await svc.request('GET', `/api/v1/webhook-deliveries?consentId=${consentId}`, { token: officer })).body);
      for (const deadline = Date.now() + 5000; page.items[0]?.status !== 'DELIVERED' && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        page = WebhookDeliveryPage.parse((await svc.request('GET', `/api/v1/webhook-deliveries?consentId=${consentId}`, { token: officer })).body);
      }
      assert.equal(page.total, 1);
      assert.equal(page.items[0]!.messageId, message!.headers['webhook-id']);
      assert.equal(page.items[0]!.status, 'DELIVERED');

      // A test-send, then the subscription ends.
      const test = await svc.request('POST', `/open-banking/v1/webhooks/${created.id}/test`, { token });
      assert.equal(test.status, 202, JSON.stringify(test.body));
      const sent = WebhookTestSent.parse(test.body);
      await receiver.waitFor(1);
      const [ping] = receiver.received.splice(0);
      assert.equal(ping!.headers['webhook-id'], sent.messageId);
      assert.equal((verifyAt(created.secret, ping!, world.clock.now().getTime()) as { type: string }).type, 'webhook.test');

      const other = await registerApp(world, []);
      const otherToken = await appToken(world, other);
      assert.equal((await svc.request('DELETE', `/open-banking/v1/webhooks/${created.id}`, { token: otherToken })).status, 404, "another app's");
      assert.equal((await svc.request('POST', `/open-banking/v1/webhooks/${created.id}/test`, { token: otherToken })).status, 404);
      assert.deepEqual((await svc.request('GET', '/open-banking/v1/webhooks', { token: otherToken })).body, []);
      assert.equal((await svc.request('DELETE', `/open-banking/v1/webhooks/${created.id}`, { token })).status, 204);
      assert.deepEqual((await svc.request('GET', '/open-banking/v1/webhooks', { token })).body, []);
      assert.equal((await svc.request('DELETE', `/open-banking/v1/webhooks/${created.id}`, { token })).status, 404);
    });

    it('refuses a user token, no token, and a suspended app (401)', async () => {
      const app = await registerApp(world, []);
      const token = await appToken(world, app);
      const body = { url: receiver.url, events: ['payment.completed'] };
      assert.equal((await world.svc.request('POST', '/open-banking/v1/webhooks', { body })).status, 401);
      assert.equal((await world.svc.request('POST', '/open-banking/v1/webhooks', { token: world.managerToken, body })).status, 401);
      await world.svc.request('POST', `/api/v1/open-banking/apps/${app.id}/suspend`, { token: world.managerToken, body: { reason: 'Under review' } });
      const suspended = await world.svc.request('GET', '/open-banking/v1/webhooks', { token });
      assert.equal(suspended.status, 401);
      assert.equal(errorCode(suspended.body), 'APP_SUSPENDED');
    });
  });
}
