// End to end (issue 13 "Proof"): core banking feeds the transaction outcomes over HTTP, then its
// event bus sends TransactionFailed events on the `risk-events` queue (RabbitMQ). The failure-rate
// KRI, measured on every event, crosses its warning and then its critical threshold: the KRI's
// breach event opens and escalates (one event, never two), and the risk officer who owns the
// linked risk — signed in, on the risk's page — is notified live: the bell counts up, a toast
// shows, and the notification leads to the KRI. The risk events screen lists the breach.
// Uses the machine's RabbitMQ when it answers, else starts a private broker (README "npm test").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import amqp from 'amqplib';
import type { Browser } from 'playwright-core';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { newPage, shoot, shootSizes, type SignedInPage, signIn, SIZES } from './support/ui.ts';
import { createPerson } from './support/hub-seed.ts';
import { startTestRabbitMq, stopTestRabbitMq, uniqueQueueName } from '../service/src/testing/rabbitmq.ts';
import type { Kri } from '../shared/src/kris.ts';
import type { RiskEventList } from '../shared/src/risk-events.ts';
import type { Risk } from '../shared/src/risk-register.ts';
import type { NotificationList } from '../shared/src/notifications.ts';

const TENANT = 'WEKEZA-KE';
describe('a KRI breach from ingested events reaches the risk owner', { timeout: 10 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  let connection: amqp.ChannelModel | undefined;
  const pages: SignedInPage[] = [];
  const queue = uniqueQueueName('e2e-risk-events');
  const savedQueue = process.env.AMQP_QUEUE;
  const savedUrl = process.env.AMQP_URL;

  before(async () => {
    const broker = await startTestRabbitMq();
    // The service reads both at start (service/src/cli.ts); a queue of its own keeps other runs out.
    process.env.AMQP_URL = broker.url;
    process.env.AMQP_QUEUE = queue;
    browser = await launchChromium();
    service = await startService({ demo: false });
    connection = await amqp.connect(broker.url);
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await service?.stop();
    if (connection) {
      const channel = await connection.createChannel().catch(() => null);
      await channel?.deleteQueue(queue).catch(() => undefined);
      await channel?.deleteQueue(`${queue}.dead`).catch(() => undefined);
      await connection.close().catch(() => undefined);
    }
    await stopTestRabbitMq();
    if (savedQueue === undefined) delete process.env.AMQP_QUEUE;
    else process.env.AMQP_QUEUE = savedQueue;
    if (savedUrl === undefined) delete process.env.AMQP_URL;
    else process.env.AMQP_URL = savedUrl;
  });

  test('failed transactions on the queue breach the failure-rate KRI; the owner sees it live', async () => {
    const admin = await login(service.url, 'admin', service.adminPassword);
    const peter = await createPerson(service.url, admin.token, {
      username: 'peter.mwangi',
      displayName: 'Peter Mwangi',
      role: 'RISK_OFFICER',
      tenantIds: [TENANT],
      password: 'Peter-Risk-Officer-2026!',
    });
    const risk = await call<Risk>(service.url, 'POST', '/api/v1/risks', {
      token: admin.token,
      body: {
        tenantId: TENANT,
        title: 'Core banking outage at month-end',
        category: 'OPERATIONAL',
        businessUnit: 'IT Operations',
        ownerId: peter.id,
        description: 'Transactions fail across channels while core banking is down.',
      },
    });
    const kri = await call<Kri>(service.url, 'POST', '/api/v1/kris', {
      token: admin.token,
      body: {
        tenantId: TENANT,
        name: 'Transaction failure rate',
        unit: '%',
        direction: 'HIGHER_IS_WORSE',
        thresholdWarning: 2,
        thresholdCritical: 5,
        frequency: 'DAILY',
        dataSource: 'Wekeza Core - Transaction Processing',
        measurement: 'AUTOMATIC',
        metric: 'operational.transaction-failure-rate',
        riskIds: [risk.id],
      },
    });
    const client = await call<{ apiKey: string }>(service.url, 'POST', '/api/v1/api-clients', {
      token: admin.token,
      body: { name: 'Wekeza Core', role: 'CORE_BANKING', tenantIds: [TENANT] },
    });

    // A normal day so far: 200 transactions, none failed (the KRI measures 0 %, OK).
    const start = Date.now() - 3 * 3_600_000;
    const outcomes = Array.from({ length: 200 }, (_, i) => ({
      transactionId: `TX-E2E-${String(i).padStart(4, '0')}`,
      occurredAt: new Date(start + i * 30_000).toISOString(),
      status: 'SUCCEEDED',
    }));
    const fed = await fetch(`${service.url}/api/integration/transactions/outcomes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': client.apiKey, 'idempotency-key': 'e2e-outcomes-1' },
      body: JSON.stringify({ outcomes }),
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(fed.status, 200, await fed.text());
    assert.equal((await call<Kri>(service.url, 'GET', `/api/v1/kris/${kri.id}`, { token: admin.token })).status, 'OK');

    // The risk owner works in the app, on the risk.
    const opened = await newPage(browser);
    pages.push(opened);
    const { page } = opened;
    await page.setViewportSize(SIZES[0]);
    await signIn(page, service.url, peter.username, peter.password);
    await page.goto(`${service.url}/risks/${risk.id}`);
    await page.getByTestId('risk-header').waitFor();
    await page.locator(`[data-testid="risk-kri-${kri.reference}"][data-status="OK"]`).waitFor();
    assert.equal(Number((await page.getByTestId('notification-unread').getAttribute('data-count')) ?? '0'), 0);

    // Core banking's event bus: 12 failed transactions, one message each (12 / 212 = 5.7 %).
    const channel = await connection!.createChannel();
    const deadline = Date.now() + 30_000;
    for (;;) {
      // The consumer declares the queue; publishing before that would drop the messages.
      const declared = await channel.checkQueue(queue).then(
        () => true,
        () => false,
      );
      if (declared) break;
      if (Date.now() > deadline) throw new Error(`the service never declared ${queue}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const checkChannel = await connection!.createChannel();
    for (let i = 0; i < 12; i += 1) {
      const message = {
        eventId: `e2e-failed-${i}`,
        type: 'TransactionFailed',
        occurredAt: new Date(Date.now() - 60_000 + i * 1_000).toISOString(),
        tenantId: TENANT,
        payload: { transactionId: `TX-E2E-F${i}`, reason: 'Core banking timeout' },
      };
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { persistent: true, contentType: 'application/json', messageId: message.eventId });
    }
    await channel.close();

    // Live: the bell counts the breach (warning, then the escalation to critical) and a toast shows.
    await page.getByTestId('notification-toast').waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="risk-kri-${kri.reference}"][data-status="CRITICAL"]`).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="notification-unread"]')?.getAttribute('data-count') ?? '0') >= 2, null, {
      timeout: 30_000,
    });
    await shootSizes(page, 'kri-breach-risk-owner');

    // One breach event, escalated to CRITICAL; the messages were acknowledged (the queue is empty).
    const events = await call<RiskEventList>(service.url, 'GET', `/api/v1/risk-events?kriId=${kri.id}`, { token: admin.token });
    const breaches = events.events.filter((e) => e.type === 'KRI_BREACH');
    assert.equal(breaches.length, 1, JSON.stringify(events.events));
    assert.equal(breaches[0]!.severity, 'CRITICAL');
    assert.equal(breaches[0]!.riskId, risk.id);
    assert.equal((await checkChannel.checkQueue(queue)).messageCount, 0);
    await checkChannel.close();
    const mine = await call<NotificationList>(service.url, 'GET', '/api/v1/notifications', {
      token: (await login(service.url, peter.username, peter.password)).token,
    });
    assert.ok(mine.unread >= 2, JSON.stringify(mine));

    // The notification leads to the KRI, which shows its critical status and the breach.
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-list').waitFor();
    await shoot(page, 'kri-breach-notifications-1366x768.png');
    await page.getByTestId('notification-list').getByText('critical', { exact: false }).first().click();
    await page.getByTestId('kri-title').waitFor();
    assert.ok(page.url().endsWith(`/kris/${kri.id}`), page.url());
    await shootSizes(page, 'kri-breach-kri');

    await page.goto(`${service.url}/risk-events`);
    await page.locator(`[data-testid="event-row-${breaches[0]!.reference}"][data-severity="CRITICAL"]`).waitFor();
    await shootSizes(page, 'kri-breach-events');
    assert.deepEqual(opened.problems, []);
  });
});
