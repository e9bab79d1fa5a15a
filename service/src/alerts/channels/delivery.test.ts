import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../../testing/service.ts';
import { ManualClock } from '../../clock.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { raiseAlerts } from '../raise.ts';
import type { WebhookDispatcher } from '../../webhooks/dispatcher.ts';
import { verifyAt } from '../../webhooks/receiver-fixture.ts';
import { AlertDeliveryPage, type AlertChannelSaved } from '../../../../shared/src/alerts.ts';
import { startHttpCatcher, startSmtpCatcher, type HttpCatcher, type SmtpCatcher } from './test-servers.ts';
import { channelDispatcher, createChannel, LINK_BASE, routeAlert, sampleAlert, sampleEvidence } from './channel-fixture.ts';
import { SMS_MAX_CHARS } from './messages.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const SECOND = 1000;
const RELAY = { username: 'wekeza-relay', password: 'Relay-Pass-4821' };
const SMS_KEY = 'atsk_live_key_7731';
const SLACK_PATH = '/slack/T0001/B0001/slacksecretpath';
const TEAMS_PATH = '/teams/webhookb2/teamssecretpath';

for (const dialect of DIALECTS) {
  describe(`Alert channels deliver to their servers on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    let smtp: SmtpCatcher;
    let http: HttpCatcher;
    let dispatcher: WebhookDispatcher;
    const channels: Record<string, AlertChannelSaved> = {};

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      // The test drives sending rounds itself with the clock it moves.
      await svc.service.context.webhookDispatcher?.stop();
      ({ tokens } = await addTestTeam(svc, [['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]]]));
      smtp = await startSmtpCatcher({ auth: RELAY });
      http = await startHttpCatcher();
      dispatcher = channelDispatcher(svc, clock);
      const admin = tokens['faith.wambui']!;
      const common = { tenantId: TEST_TENANT, enabled: true } as const;
      channels.EMAIL = await createChannel(svc, admin, {
        ...common,
        name: 'Fraud desk email',
        settings: {
          kind: 'EMAIL',
          host: smtp.host,
          port: smtp.port,
          security: 'none',
          username: RELAY.username,
          from: 'alerts@wekeza.example',
          to: ['fraud-desk@wekeza.example'],
        },
        secrets: { password: RELAY.password },
      });
      channels.SMS = await createChannel(svc, admin, {
        ...common,
        name: 'On-call SMS',
        settings: { kind: 'SMS', url: http.url('/version1/messaging'), username: 'wekeza', senderId: 'WEKEZA', to: ['+254712345678'] },
        secrets: { apiKey: SMS_KEY },
      });
      channels.WEBHOOK = await createChannel(svc, admin, { ...common, name: 'SIEM webhook', settings: { kind: 'WEBHOOK', url: http.url('/siem') } });
      channels.SLACK = await createChannel(svc, admin, {
        ...common,
        name: 'Slack #fraud',
        settings: { kind: 'SLACK' },
        secrets: { incomingWebhookUrl: http.url(SLACK_PATH) },
      });
      channels.TEAMS = await createChannel(svc, admin, {
        ...common,
        name: 'Teams Fraud Ops',
        settings: { kind: 'TEAMS' },
        secrets: { incomingWebhookUrl: http.url(TEAMS_PATH) },
      });
    });
    after(async () => {
      await dispatcher?.stop();
      await svc?.stop();
      await smtp?.stop();
      await http?.stop();
    });

    const deliveriesOf = async (channelId: string) => {
      const res = await svc.request('GET', `/api/v1/alert-channels/${channelId}/deliveries`, { token: tokens['faith.wambui']! });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return AlertDeliveryPage.parse(res.body);
    };

    it('sends one routed alert through every kind, each in its own format', async () => {
      const alert = sampleAlert({ id: randomUUID(), tenantId: TEST_TENANT });
      const evidence = sampleEvidence();
      for (const channel of Object.values(channels)) {
        const queued = await routeAlert(svc, {
          channelId: channel.id,
          event: 'alert.raised',
          alert,
          evidence,
          level: 0,
          recipients: ['compliance@wekeza.example', '+254700000001'],
        });
        assert.ok(queued, channel.kind);
      }
      const outcomes = await dispatcher.runDue();
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED'],
      );

      // EMAIL: through the relay with its credentials, the configuration's extra address added.
      assert.equal(smtp.messages.length, 1);
      const mail = smtp.messages[0]!;
      assert.equal(mail.user, RELAY.username);
      assert.equal(mail.mailFrom, 'alerts@wekeza.example');
      assert.deepEqual(mail.rcptTo.sort(), ['compliance@wekeza.example', 'fraud-desk@wekeza.example']);
      assert.equal(mail.subject, '[HIGH] ALT-000042 Structuring: 3 payments just below KES 1,000,000 by CUST-0042');
      assert.match(mail.text ?? '', /TX-STRUCT-1 · CUST-0042 · KES 990,000/);
      assert.match(mail.text ?? '', /Pattern: STRUCTURING \(Money laundering patterns\)/);
      assert.match(mail.text ?? '', new RegExp(`${LINK_BASE}/alerts/${alert.id}`));
      assert.match(mail.html ?? '', /<th [^>]*>Reference<\/th>/);
      assert.match(mail.html ?? '', /<td [^>]*>KES 985,500<\/td>/);
      assert.equal(mail.headers['x-wekeza-alert'], 'ALT-000042');

      // SMS: Africa's Talking's form POST, the key in a header, one segment.
      const [sms] = http.at('/version1/messaging');
      assert.ok(sms);
      assert.equal(sms.method, 'POST');
      assert.equal(sms.headers.apikey, SMS_KEY);
      assert.equal(sms.headers['content-type'], 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(sms.body);
      assert.equal(form.get('username'), 'wekeza');
      assert.equal(form.get('from'), 'WEKEZA');
      assert.equal(form.get('to'), '+254712345678,+254700000001');
      const text = form.get('message') ?? '';
      assert.ok(text.length <= SMS_MAX_CHARS, text);
      assert.match(text, /^HIGH ALT-000042 · Structuring/);

      // WEBHOOK: Standard Webhooks, verified with the whsec_ answered at creation.
      const [hook] = http.at('/siem');
      assert.ok(hook);
      assert.ok(channels.WEBHOOK!.signingSecret);
      const verified = verifyAt(channels.WEBHOOK!.signingSecret!, hook, clock.now().getTime()) as {
        type: string;
        data: { alert: { id: string; reference: string }; level: number; link: string };
      };
      assert.equal(verified.type, 'alert.raised');
      assert.equal(verified.data.alert.id, alert.id);
      assert.equal(verified.data.alert.reference, 'ALT-000042');
      assert.equal(verified.data.link, `/alerts/${alert.id}`);
      assert.match(hook.headers['webhook-id'] ?? '', /^msg_[0-9a-f]{32}$/);
      // A wrong secret fails verification: the signature is real.
      assert.throws(() => verifyAt(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, hook, clock.now().getTime()));

      // SLACK: Block Kit with a header, fields and a button to the alert.
      const [slack] = http.at(SLACK_PATH);
      assert.ok(slack);
      const blocks = (
        JSON.parse(slack.body) as {
          text: string;
          blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ url?: string }> }>;
        }
      ).blocks;
      assert.deepEqual(
        blocks.map((b) => b.type),
        ['header', 'section', 'section', 'section', 'context', 'actions'],
      );
      assert.equal(blocks[0]!.text!.text, '[HIGH] ALT-000042');
      assert.ok(blocks[2]!.fields!.some((f) => f.text === '*Payments*\n3 · KES 2,945,500'));
      assert.equal(blocks[5]!.elements![0]!.url, `${LINK_BASE}/alerts/${alert.id}`);

      // TEAMS: an Adaptive Card 1.4 in a message, with facts and an Open action.
      const [teams] = http.at(TEAMS_PATH);
      assert.ok(teams);
      const card = JSON.parse(teams.body) as {
        type: string;
        attachments: Array<{
          contentType: string;
          content: {
            type: string;
            version: string;
            body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }>;
            actions: Array<{ type: string; url: string }>;
          };
        }>;
      };
      assert.equal(card.type, 'message');
      assert.equal(card.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
      const content = card.attachments[0]!.content;
      assert.equal(content.type, 'AdaptiveCard');
      assert.equal(content.version, '1.4');
      assert.ok(content.body.some((b) => b.type === 'FactSet' && b.facts!.some((f) => f.title === 'Severity' && f.value === 'HIGH')));
      assert.deepEqual(content.actions, [{ type: 'Action.OpenUrl', title: 'Open alert', url: `${LINK_BASE}/alerts/${alert.id}` }]);

      // The delivery log shows each message once, delivered in one attempt; SMTP's success has no code.
      const emailLog = await deliveriesOf(channels.EMAIL!.id);
      assert.equal(emailLog.total, 1);
      assert.equal(emailLog.items[0]!.status, 'DELIVERED');
      assert.equal(emailLog.items[0]!.eventType, 'alert.raised');
      assert.deepEqual(
        emailLog.items[0]!.attemptLog.map((a) => [a.attempt, a.statusCode, a.error]),
        [[1, null, null]],
      );
      const teamsLog = await deliveriesOf(channels.TEAMS!.id);
      assert.equal(teamsLog.items[0]!.attemptLog[0]!.statusCode, 200);
    });

    it('carries an alert raised and routed by the alerting core (rule → channel), the log naming the alert', async () => {
      smtp.messages.splice(0);
      const rule = await svc.request('POST', '/api/v1/alert-rules', {
        token: tokens['faith.wambui']!,
        body: { name: 'Money laundering to email', patterns: ['STRUCTURING'], minSeverity: 'HIGH', tenantIds: [TEST_TENANT], channelIds: [channels.EMAIL!.id] },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      const [raised] = (await svc.service.context.bus.execute(
        raiseAlerts,
        {
          candidates: [
            {
              tenantId: TEST_TENANT,
              pattern: 'STRUCTURING',
              severity: 'HIGH',
              title: 'Structuring by CUST-0099',
              entityType: 'CUSTOMER',
              entityId: 'CUST-0099',
              detectedAt: NOW,
              evidence: sampleEvidence(),
            },
          ],
        },
        SYSTEM_ACTOR,
      )) as Array<{ alertId: string; created: boolean }>;
      assert.ok(raised?.created);
      const outcomes = await dispatcher.runDue();
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['DELIVERED'],
      );
      assert.equal(smtp.messages.length, 1);
      assert.match(smtp.messages[0]!.subject, /^\[HIGH\] ALT-\d{6} Structuring by CUST-0099$/);
      const log = await deliveriesOf(channels.EMAIL!.id);
      const delivery = log.items.find((d) => d.alertId === raised!.alertId);
      assert.ok(delivery, 'the delivery log links the alert');
      assert.match(delivery.alertReference ?? '', /^ALT-\d{6}$/);
      // Take the rule out again so the other tests' alerts are routed only by the test itself.
      const ruleId = (rule.body as { id: string }).id;
      assert.equal((await svc.request('DELETE', `/api/v1/alert-rules/${ruleId}`, { token: tokens['faith.wambui']! })).status, 204);
    });

    it('retries a refused message with the backoff (5 s, 30 s) on the injected clock, the same Message-ID each time', async () => {
      smtp.messages.splice(0);
      http.requests.splice(0);
      smtp.rejectNext(451, 2);
      http.failNext(503, 1);
      const alert = sampleAlert({ id: randomUUID(), tenantId: TEST_TENANT, severity: 'CRITICAL', escalationLevel: 1 });
      await routeAlert(svc, { channelId: channels.EMAIL!.id, event: 'alert.escalated', alert, evidence: null, level: 1 });
      await routeAlert(svc, { channelId: channels.TEAMS!.id, event: 'alert.escalated', alert, evidence: null, level: 1 });
      const first = await dispatcher.runDue();
      assert.deepEqual(first.map((o) => [o.status, o.statusCode]).sort(), [
        ['FAILED', 451],
        ['FAILED', 503],
      ]);
      clock.advance(4 * SECOND);
      assert.deepEqual(await dispatcher.runDue(), [], 'nothing is due before the first wait of 5 s');
      clock.advance(1 * SECOND);
      const second = await dispatcher.runDue();
      assert.deepEqual(second.map((o) => [o.status, o.statusCode]).sort(), [
        ['DELIVERED', 200],
        ['FAILED', 451],
      ]);
      clock.advance(29 * SECOND);
      assert.deepEqual(await dispatcher.runDue(), [], 'the second wait is 30 s');
      clock.advance(1 * SECOND);
      const third = await dispatcher.runDue();
      assert.deepEqual(
        third.map((o) => [o.status, o.statusCode]),
        [['DELIVERED', null]],
      );
      assert.equal(smtp.messages.length, 1);
      const mail = smtp.messages[0]!;
      assert.equal(mail.subject, '[CRITICAL] ALT-000042 Structuring: 3 payments just below KES 1,000,000 by CUST-0042');
      assert.match(mail.text ?? '', /Escalated to level 1: not acknowledged in time\./);
      const log = await deliveriesOf(channels.EMAIL!.id);
      const delivery = log.items.find((d) => d.eventType === 'alert.escalated')!;
      assert.equal(delivery.status, 'DELIVERED');
      assert.deepEqual(
        delivery.attemptLog.map((a) => [a.attempt, a.statusCode, a.at]),
        [
          [1, 451, '2026-11-20T12:00:00.000Z'],
          [2, 451, '2026-11-20T12:00:05.000Z'],
          [3, null, '2026-11-20T12:00:35.000Z'],
        ],
      );
      assert.match(delivery.attemptLog[0]!.error ?? '', /451/);
      assert.equal(mail.headers['message-id'], `<${delivery.messageId}@alerts.wekeza>`);
      assert.equal(http.at(TEAMS_PATH).length, 2);
    });

    it('marks a message DEAD after the last allowed attempt', async () => {
      http.requests.splice(0);
      http.failNext(500, 6);
      const alert = sampleAlert({ id: randomUUID(), tenantId: TEST_TENANT });
      const queued = await routeAlert(svc, { channelId: channels.SLACK!.id, event: 'alert.raised', alert, evidence: null, level: 0 });
      const statuses: string[] = [];
      for (const wait of [0, 5, 30, 120, 600, 1800]) {
        clock.advance(wait * SECOND);
        statuses.push(...(await dispatcher.runDue()).map((o) => o.status));
      }
      assert.deepEqual(statuses, ['FAILED', 'FAILED', 'FAILED', 'FAILED', 'FAILED', 'DEAD']);
      const log = await deliveriesOf(channels.SLACK!.id);
      const dead = log.items.find((d) => d.id === queued!.deliveryId)!;
      assert.equal(dead.status, 'DEAD');
      assert.equal(dead.attempts, 6);
      assert.equal(dead.lastStatusCode, 500);
    });

    it('queues nothing for a disabled channel or an alert of a tenant the channel does not carry; what it had queued stops, a test send still goes', async () => {
      const alert = sampleAlert({ id: randomUUID(), tenantId: 'WEKEZA-UG' });
      assert.equal(await routeAlert(svc, { channelId: channels.TEAMS!.id, event: 'alert.raised', alert, evidence: null, level: 0 }), null);
      http.requests.splice(0);
      const waiting = await routeAlert(svc, {
        channelId: channels.TEAMS!.id,
        event: 'alert.raised',
        alert: sampleAlert({ id: randomUUID(), tenantId: TEST_TENANT }),
        evidence: null,
        level: 0,
      });
      assert.ok(waiting, 'queued while the channel was on');
      const res = await svc.request('PUT', `/api/v1/alert-channels/${channels.TEAMS!.id}`, {
        token: tokens['faith.wambui']!,
        body: { name: 'Teams Fraud Ops', tenantId: TEST_TENANT, settings: { kind: 'TEAMS' }, enabled: false, version: channels.TEAMS!.version },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const own = sampleAlert({ id: randomUUID(), tenantId: TEST_TENANT });
      assert.equal(await routeAlert(svc, { channelId: channels.TEAMS!.id, event: 'alert.raised', alert: own, evidence: null, level: 0 }), null);
      assert.equal(await routeAlert(svc, { channelId: randomUUID(), event: 'alert.raised', alert: own, evidence: null, level: 0 }), null);

      const stopped = await dispatcher.runDue();
      assert.deepEqual(
        stopped.map((o) => [o.deliveryId, o.status]),
        [[waiting!.deliveryId, 'DEAD']],
        'the message queued before the switch-off is given up, not sent',
      );
      assert.equal(http.at(TEAMS_PATH).length, 0);
      const log = await deliveriesOf(channels.TEAMS!.id);
      const dead = log.items.find((d) => d.id === waiting!.deliveryId)!;
      assert.equal(dead.attempts, 0);
      assert.match(dead.lastError ?? '', /disabled before this message went out/);

      const test = await svc.request('POST', `/api/v1/alert-channels/${channels.TEAMS!.id}/test`, { token: tokens['faith.wambui']! });
      assert.equal(test.status, 202, JSON.stringify(test.body));
      assert.deepEqual(
        (await dispatcher.runDue()).map((o) => o.status),
        ['DELIVERED'],
      );
      assert.equal(http.at(TEAMS_PATH).length, 1, 'a test send checks a switched-off channel');
    });
  });
}
