import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../../testing/service.ts';
import { ManualClock } from '../../clock.ts';
import type { WebhookDispatcher } from '../../webhooks/dispatcher.ts';
import { AlertChannel, AlertChannelSaved, AlertChannelTestResult, AlertDeliveryPage, AlertRule } from '../../../../shared/src/alerts.ts';
import { startHttpCatcher, startSmtpCatcher, type HttpCatcher, type SmtpCatcher } from './test-servers.ts';
import { channelDispatcher, createChannel } from './channel-fixture.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const OTHER_TENANT = 'WEKEZA-UG';
const PASSWORD = 'Relay-Secret-Pass-9917';
const SMS_KEY = 'atsk_secret_api_key_5542';
const TEAMS_PATH = '/teams/webhookb2/very-secret-teams-path';

for (const dialect of DIALECTS) {
  describe(`Alert channel administration on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    let smtp: SmtpCatcher;
    let http: HttpCatcher;
    let dispatcher: WebhookDispatcher;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      await svc.service.context.webhookDispatcher?.stop();
      ({ tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]],
        ['bank.admin', 'RISK_MANAGER', []],
        ['ug.manager', 'RISK_MANAGER', [OTHER_TENANT]],
        ['amina.otieno', 'FRAUD_ANALYST', [TEST_TENANT]],
      ]));
      smtp = await startSmtpCatcher({ auth: { username: 'relay', password: PASSWORD } });
      http = await startHttpCatcher();
      dispatcher = channelDispatcher(svc, clock);
    });
    after(async () => {
      await dispatcher?.stop();
      await svc?.stop();
      await smtp?.stop();
      await http?.stop();
    });

    const admin = () => tokens['faith.wambui']!;
    const emailBody = (overrides: Record<string, unknown> = {}) => ({
      name: 'Fraud desk email',
      tenantId: TEST_TENANT,
      settings: {
        kind: 'EMAIL',
        host: smtp.host,
        port: smtp.port,
        security: 'none',
        username: 'relay',
        from: 'alerts@wekeza.example',
        to: ['desk@wekeza.example'],
      },
      secrets: { password: PASSWORD },
      enabled: true,
      ...overrides,
    });

    it('stores secrets sealed and never answers them; a webhook channel answers its whsec_ once', async () => {
      const email = await createChannel(svc, admin(), {
        ...emailBody(),
        quietHours: { start: '22:00', end: '06:00', holdCritical: false },
        maxPerHour: 20,
      } as never);
      assert.deepEqual(email.secretsSet, { password: true });
      assert.equal(email.secretHint, '…9917');
      assert.equal(email.signingSecret, null);
      assert.deepEqual(email.quietHours, { start: '22:00', end: '06:00', holdCritical: false });
      const teams = await createChannel(svc, admin(), {
        name: 'Teams',
        tenantId: TEST_TENANT,
        settings: { kind: 'TEAMS' },
        secrets: { incomingWebhookUrl: http.url(TEAMS_PATH) },
        enabled: true,
      });
      assert.equal(teams.secretHint, `127.0.0.1:${http.port}`);
      const sms = await createChannel(svc, admin(), {
        name: 'SMS',
        tenantId: TEST_TENANT,
        settings: { kind: 'SMS', url: http.url('/sms'), username: 'wekeza', senderId: null, to: ['+254712345678'] },
        secrets: { apiKey: SMS_KEY },
        enabled: true,
      });
      const hook = await createChannel(svc, admin(), {
        name: 'SIEM',
        tenantId: TEST_TENANT,
        settings: { kind: 'WEBHOOK', url: http.url('/siem') },
        enabled: true,
      });
      assert.match(hook.signingSecret ?? '', /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.deepEqual(hook.secretsSet, { signingSecret: true });

      // Nowhere a secret: views, list, audit rows, the subscription's url, the channel row.
      const list = await svc.request('GET', '/api/v1/alert-channels', { token: admin() });
      assert.equal(list.status, 200);
      const got = await svc.request('GET', `/api/v1/alert-channels/${hook.id}`, { token: admin() });
      assert.equal(AlertChannel.parse(got.body).secretHint, `whsec_…${hook.signingSecret!.slice(-4)}`);
      const db = svc.service.context.db.kysely;
      const audit = await db.selectFrom('audit_log').selectAll().execute();
      const subscriptions = await db.selectFrom('webhook_subscriptions').selectAll().where('owner_kind', '=', 'ALERT_CHANNEL').execute();
      const channels = await db.selectFrom('alert_channels').selectAll().execute();
      const everywhere = JSON.stringify([list.body, got.body, audit, subscriptions.map((s) => s.url), channels]);
      const places = { list: list.body, got: got.body, audit, urls: subscriptions.map((s) => s.url), channels };
      for (const secret of [PASSWORD, SMS_KEY, TEAMS_PATH, hook.signingSecret!.slice(6)]) {
        assert.ok(
          !everywhere.includes(secret),
          `${secret} leaked in ${Object.entries(places)
            .filter(([, v]) => JSON.stringify(v).includes(secret))
            .map(([k]) => k)}`,
        );
      }
      assert.ok(audit.some((a) => a.entity_type === 'alert_channel' && a.entity_id === sms.id));
      assert.equal(subscriptions.find((s) => s.owner_id === teams.id)!.url, `http://127.0.0.1:${http.port}/…`);
    });

    it('refuses what a channel cannot use: a missing key, a stray secret, no TLS to a remote relay', async () => {
      const bad = async (body: unknown, path: string) => {
        const res = await svc.request('POST', '/api/v1/alert-channels', { token: admin(), body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(JSON.stringify(res.body).includes(path), JSON.stringify(res.body));
      };
      await bad(
        { name: 'SMS', tenantId: TEST_TENANT, settings: { kind: 'SMS', url: http.url('/sms'), username: 'w', to: ['+254712345678'] }, enabled: true },
        'body.secrets.apiKey',
      );
      await bad({ name: 'Slack', tenantId: TEST_TENANT, settings: { kind: 'SLACK' }, secrets: { apiKey: 'x' }, enabled: true }, 'body.secrets.apiKey');
      await bad(
        emailBody({
          settings: { kind: 'EMAIL', host: 'smtp.example.com', port: 25, security: 'none', username: null, from: 'a@wekeza.example', to: ['b@wekeza.example'] },
        }),
        'body.settings.security',
      );
      await bad(
        { name: 'Teams', tenantId: TEST_TENANT, settings: { kind: 'TEAMS' }, secrets: { incomingWebhookUrl: 'http://teams.example.com/hook' }, enabled: true },
        'body.secrets.incomingWebhookUrl',
      );
      // Another tenant's or every tenant's channel is not a tenant admin's to create.
      const res = await svc.request('POST', '/api/v1/alert-channels', { token: admin(), body: emailBody({ tenantId: '*' }) });
      assert.equal(res.status, 403);
      const analyst = await svc.request('GET', '/api/v1/alert-channels', { token: tokens['amina.otieno']! });
      assert.equal(analyst.status, 403);
    });

    it('keeps a secret left out of an update, refuses a stale version or a kind change; test send goes out with the kept password', async () => {
      const created = await createChannel(svc, admin(), { ...emailBody({ name: 'Update me' }) } as never);
      const res = await svc.request('PUT', `/api/v1/alert-channels/${created.id}`, {
        token: admin(),
        body: { ...emailBody({ name: 'Updated', secrets: {} }), version: created.version },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const updated = AlertChannelSaved.parse(res.body);
      assert.equal(updated.name, 'Updated');
      assert.deepEqual(updated.secretsSet, { password: true });
      assert.equal(updated.version, created.version + 1);
      const stale = await svc.request('PUT', `/api/v1/alert-channels/${created.id}`, { token: admin(), body: { ...emailBody(), version: created.version } });
      assert.equal(stale.status, 409);
      const kind = await svc.request('PUT', `/api/v1/alert-channels/${created.id}`, {
        token: admin(),
        body: {
          name: 'x',
          tenantId: TEST_TENANT,
          settings: { kind: 'TEAMS' },
          secrets: { incomingWebhookUrl: http.url('/t') },
          enabled: true,
          version: updated.version,
        },
      });
      assert.equal(kind.status, 400);

      const test = await svc.request('POST', `/api/v1/alert-channels/${created.id}/test`, { token: admin() });
      assert.equal(test.status, 202, JSON.stringify(test.body));
      const queued = AlertChannelTestResult.parse(test.body);
      smtp.messages.splice(0);
      const outcomes = await dispatcher.runDue();
      assert.ok(outcomes.some((o) => o.deliveryId === queued.deliveryId && o.status === 'DELIVERED'));
      const mail = smtp.messages.find((m) => m.subject.startsWith('[TEST] ALT-TEST'));
      assert.ok(mail, smtp.messages.map((m) => m.subject).join(' | '));
      assert.equal(mail.user, 'relay');
      const log = await svc.request('GET', `/api/v1/alert-channels/${created.id}/deliveries`, { token: admin() });
      const page = AlertDeliveryPage.parse(log.body);
      assert.equal(page.items[0]!.eventType, 'alert.test');
      assert.equal(page.items[0]!.messageId, queued.messageId);
      assert.equal(page.items[0]!.alertId, null, 'a test send names no raised alert');
      const health = AlertChannel.parse((await svc.request('GET', `/api/v1/alert-channels/${created.id}`, { token: admin() })).body);
      assert.equal(health.recent.delivered, 1);
      assert.equal(health.lastDeliveredAt, NOW);
    });

    it("answers 404 for another tenant's channel; a bank-wide channel is only a bank-wide admin's", async () => {
      const own = await createChannel(svc, admin(), { ...emailBody({ name: 'Kenya only' }) } as never);
      const everyTenant = await createChannel(svc, tokens['bank.admin']!, { ...emailBody({ name: 'Every tenant', tenantId: '*' }) } as never);
      const ug = tokens['ug.manager']!;
      for (const [method, path] of [
        ['GET', `/api/v1/alert-channels/${own.id}`],
        ['GET', `/api/v1/alert-channels/${own.id}/deliveries`],
        ['POST', `/api/v1/alert-channels/${own.id}/test`],
        ['DELETE', `/api/v1/alert-channels/${own.id}`],
        ['GET', `/api/v1/alert-channels/${everyTenant.id}`],
      ] as const) {
        const res = await svc.request(method, path, { token: ug });
        assert.equal(res.status, 404, `${method} ${path}`);
      }
      const ugList = AlertChannel.array().parse((await svc.request('GET', '/api/v1/alert-channels', { token: ug })).body);
      assert.equal(ugList.length, 0);
      const keList = AlertChannel.array().parse((await svc.request('GET', '/api/v1/alert-channels', { token: admin() })).body);
      assert.ok(keList.some((c) => c.id === own.id));
      assert.ok(!keList.some((c) => c.id === everyTenant.id));
      const bankList = AlertChannel.array().parse((await svc.request('GET', '/api/v1/alert-channels', { token: tokens['bank.admin']! })).body);
      assert.ok(bankList.some((c) => c.id === everyTenant.id));
    });

    it('refuses to delete a channel an enabled rule routes to; once free, deleting it ends what still waits', async () => {
      const channel = await createChannel(svc, admin(), { ...emailBody({ name: 'Routed' }) } as never);
      const ruleRes = await svc.request('POST', '/api/v1/alert-rules', {
        token: admin(),
        body: { name: 'Structuring to email', patterns: ['STRUCTURING'], minSeverity: 'HIGH', tenantIds: [TEST_TENANT], channelIds: [channel.id] },
      });
      assert.equal(ruleRes.status, 201, JSON.stringify(ruleRes.body));
      const rule = AlertRule.parse(ruleRes.body);
      const refused = await svc.request('DELETE', `/api/v1/alert-channels/${channel.id}`, { token: admin() });
      assert.equal(refused.status, 409);
      assert.match(JSON.stringify(refused.body), /Structuring to email/);

      // A message waits for a retry when the channel goes.
      smtp.rejectNext(451);
      const test = AlertChannelTestResult.parse((await svc.request('POST', `/api/v1/alert-channels/${channel.id}/test`, { token: admin() })).body);
      const first = await dispatcher.runDue();
      assert.equal(first.find((o) => o.deliveryId === test.deliveryId)?.status, 'FAILED');
      const disable = await svc.request('PUT', `/api/v1/alert-rules/${rule.id}`, {
        token: admin(),
        body: {
          name: rule.name,
          patterns: rule.patterns,
          minSeverity: rule.minSeverity,
          tenantIds: rule.tenantIds,
          channelIds: rule.channelIds,
          enabled: false,
          version: rule.version,
        },
      });
      assert.equal(disable.status, 200, JSON.stringify(disable.body));
      const removed = await svc.request('DELETE', `/api/v1/alert-channels/${channel.id}`, { token: admin() });
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      const gone = await svc.request('GET', `/api/v1/alert-channels/${channel.id}`, { token: admin() });
      assert.equal(gone.status, 404);
      clock.advance(60_000);
      const after = await dispatcher.runDue();
      assert.equal(
        after.find((o) => o.deliveryId === test.deliveryId),
        undefined,
      );
      const row = await svc.service.context.db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', test.deliveryId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'DEAD');
      assert.equal(row.last_error, 'the channel was deleted');
    });
  });
}
