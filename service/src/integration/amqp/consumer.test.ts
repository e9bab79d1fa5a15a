import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import pino from 'pino';
import { createTestDatabase, DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { startService } from '../../app.ts';
import { addTestTeam, startTestService, type TestService } from '../../testing/service.ts';
import { startTestRabbitMq, stopTestRabbitMq, uniqueQueueName, type TestRabbitMq } from '../../testing/rabbitmq.ts';
import { ManualClock } from '../../clock.ts';
import { RiskEventConsumer, type RiskEventConsumerOptions } from './consumer.ts';

after(stopTestPostgres);
after(stopTestRabbitMq);

const T = { timeout: 180_000 };
const KE = 'WEKEZA-KE';
const silent = pino({ level: 'silent' });

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A TCP relay between the consumer and the broker, so a test can cut the connection as a network would. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      for (const s of sockets) s.destroy();
    },
    refuse(value: boolean) {
      refusing = value;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const message = (eventId: string, type: string, payload: Record<string, unknown>, occurredAt = '2026-11-20T11:00:00.000Z') => ({
  eventId,
  type,
  occurredAt,
  tenantId: KE,
  payload,
});

for (const dialect of DIALECTS) {
  describe(`the risk-events queue consumer on ${dialect}`, T, () => {
    let rabbit: TestRabbitMq;
    let svc: TestService;
    let publisher: ChannelModel;
    let channel: Channel;
    const consumers: RiskEventConsumer[] = [];
    const clock = new ManualClock('2026-11-20T12:00:00.000Z');

    const db = () => svc.service.context.db.kysely;
    const consumer = (queue: string, extra: Partial<RiskEventConsumerOptions> = {}) => {
      const c = new RiskEventConsumer({
        url: rabbit.url,
        bus: svc.service.context.bus,
        logger: silent,
        queue,
        maxAttempts: 3,
        backoff: { initialMs: 50, maxMs: 400 },
        ...extra,
      });
      consumers.push(c);
      c.start();
      return c;
    };
    const publish = async (queue: string, body: unknown, headers: Record<string, unknown> = {}) => {
      await channel.assertQueue(queue, { durable: true });
      channel.sendToQueue(queue, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), {
        persistent: true,
        contentType: 'application/json',
        headers,
      });
    };
    const eventsWith = async (externalId: string) =>
      (await db().selectFrom('risk_events').select('id').where('external_id', '=', externalId).where('source', '=', 'EVENT_QUEUE').execute()).length;
    const deliveries = async (eventId: string) =>
      (await db().selectFrom('integration_inbox').select('id').where('idempotency_key', '=', `event:${eventId}`).execute()).length;
    const ready = async (queue: string) => (await channel.checkQueue(queue)).messageCount;

    before(async () => {
      rabbit = await startTestRabbitMq();
      svc = await startTestService(dialect, { clock });
      await addTestTeam(svc, [['wanjiru.njoroge', 'COMPLIANCE_OFFICER']]);
      publisher = await amqp.connect(rabbit.url);
      channel = await publisher.createChannel();
    });
    after(async () => {
      for (const c of consumers) await c.stop();
      for (const c of consumers) {
        await channel.deleteQueue(c.queue).catch(() => undefined);
        await channel.deleteQueue(c.deadLetterQueue).catch(() => undefined);
      }
      await publisher?.close();
      await svc?.stop();
    });

    it("applies each of seed 000's twelve event types, in order, with its effect", async () => {
      const queue = uniqueQueueName('types');
      const events = [
        message('e-1', 'LoanDisbursed', { loanId: 'L-9', customerId: 'C-9', sector: 'Real Estate', amount: 40_000_000, collateralValue: 10_000_000 }),
        message('e-2', 'LoanDisbursed', { loanId: 'L-10', customerId: 'C-10', sector: 'Agriculture', amount: 60_000_000 }),
        message('e-3', 'CollateralValueChanged', { loanId: 'L-9', collateralValue: 12_000_000 }),
        message('e-4', 'LoanDefaulted', { loanId: 'L-9', daysPastDue: 95 }),
        message('e-5', 'CreditLimitExceeded', { customerId: 'C-10', limit: 50_000_000, exposure: 60_000_000 }),
        message('e-6', 'TransactionFailed', { transactionId: 'T-1', reason: 'timeout' }),
        message('e-7', 'SystemOutage', { affectedSystem: 'Mobile banking', downtimeMinutes: 45 }),
        message('e-8', 'ProcessException', { process: 'End of day', description: 'Batch stopped at interest accrual' }),
        message('e-9', 'FraudDetected', { transactionId: 'T-2', amount: 250_000 }),
        message('e-10', 'AMLAlertGenerated', { alertId: 'AML-77', riskScore: 90 }),
        message('e-11', 'SanctionsMatchFound', { screeningId: 'SCR-77', matchCount: 2 }),
        message('e-12', 'RegulatoryReportDue', { report: 'CBK prudential return', dueDate: '2026-11-22T00:00:00.000Z', regulator: 'CBK' }),
        message('e-13', 'PolicyViolation', { policy: 'Dual control', description: 'Vault opened by one officer', severity: 'High' }),
      ];
      for (const e of events) await publish(queue, e);
      const c = consumer(queue);
      await waitFor('13 events applied', () => c.status().applied === 13);
      const loan = await db().selectFrom('loans').selectAll().where('loan_id', '=', 'L-9').executeTakeFirstOrThrow();
      assert.equal(loan.status, 'DEFAULTED');
      assert.equal(Number(loan.days_past_due), 95);
      assert.equal(Number(loan.collateral_value), 12_000_000);
      const severities = await db()
        .selectFrom('risk_events')
        .select(['external_id', 'type', 'severity'])
        .where('source', '=', 'EVENT_QUEUE')
        .orderBy('external_id')
        .execute();
      assert.deepEqual(Object.fromEntries(severities.map((e) => [e.external_id, `${e.type}/${e.severity}`])), {
        'e-4': 'CREDIT/HIGH',
        'e-5': 'CREDIT/HIGH',
        'e-7': 'INCIDENT/HIGH',
        'e-8': 'INCIDENT/MEDIUM',
        'e-9': 'INCIDENT/HIGH',
        'e-10': 'COMPLIANCE/HIGH',
        'e-12': 'COMPLIANCE/HIGH',
        'e-13': 'COMPLIANCE/HIGH',
      });
      assert.equal((await db().selectFrom('transaction_outcomes').select('id').where('transaction_id', '=', 'T-1').execute()).length, 1);
      assert.equal((await db().selectFrom('aml_cases').select('status').where('case_id', '=', 'AML-77').executeTakeFirstOrThrow()).status, 'Open');
      const backlog = await db().selectFrom('integration_risk_links').select('risk_id').where('tenant_id', '=', KE).executeTakeFirstOrThrow();
      assert.equal((await db().selectFrom('risks').select('category').where('id', '=', backlog.risk_id).executeTakeFirstOrThrow()).category, 'COMPLIANCE');
      const credit = await db().selectFrom('risk_model_runs').select('result').where('model', '=', 'CREDIT').where('tenant_id', '=', KE).execute();
      assert.equal(credit.length, 4, 'two disbursements, a collateral change and a default each ran the credit model');
      assert.equal(await ready(queue), 0);
      assert.equal(await ready(c.deadLetterQueue), 0);
    });

    it('acks only after the command committed: a crash between commit and ack is redelivered and applied once', async () => {
      const queue = uniqueQueueName('crash');
      let committedBeforeAck = -1;
      const crashing = consumer(queue, {
        beforeAck: async () => {
          committedBeforeAck = await eventsWith('crash-1');
          throw new Error('crash point: the process dies before the ack');
        },
      });
      await crashing.waitUntilConnected();
      await publish(queue, message('crash-1', 'SystemOutage', { affectedSystem: 'Card switch', downtimeMinutes: 10 }));
      await waitFor('the command to commit', () => committedBeforeAck >= 0);
      assert.equal(committedBeforeAck, 1, 'the event was committed before the ack point');
      await crashing.stop();
      assert.equal(await ready(queue), 1, 'unacknowledged: back on the queue');

      const restarted = consumer(queue);
      await waitFor('the redelivery to be acknowledged', async () => restarted.status().repeats === 1 && (await ready(queue)) === 0);
      assert.equal(restarted.status().applied, 0);
      assert.equal(await eventsWith('crash-1'), 1, 'no duplicate event');
      assert.equal(await deliveries('crash-1'), 1);
    });

    it('applies a resent event once across a consumer restart', async () => {
      const queue = uniqueQueueName('restart');
      const first = consumer(queue);
      await first.waitUntilConnected();
      const outage = message('restart-1', 'SystemOutage', { affectedSystem: 'ATM network', downtimeMinutes: 30 });
      await publish(queue, outage);
      await waitFor('the first delivery', () => first.status().applied === 1);
      await first.stop();
      await publish(queue, outage);
      await publish(queue, message('restart-2', 'PolicyViolation', { policy: 'KYC refresh', description: 'Expired KYC used' }));
      const second = consumer(queue);
      await waitFor('both messages', () => second.status().applied + second.status().repeats === 2);
      assert.deepEqual([second.status().applied, second.status().repeats], [1, 1]);
      assert.equal(await eventsWith('restart-1'), 1);
      assert.equal(await eventsWith('restart-2'), 1);
    });

    it("takes seed 000's envelope without a tenant for the configured tenant, and refuses it when none is configured", async () => {
      const queue = uniqueQueueName('tenantless');
      const { tenantId: _tenant, ...seedShape } = message('tenantless-1', 'PolicyViolation', { policy: 'Cash limits', description: 'Teller over cash limit' });
      const addressed = consumer(queue, { defaultTenantId: KE });
      await addressed.waitUntilConnected();
      await publish(queue, seedShape);
      await waitFor('the tenantless event', () => addressed.status().applied === 1);
      const stored = await db().selectFrom('risk_events').select('tenant_id').where('external_id', '=', 'tenantless-1').executeTakeFirst();
      assert.equal(stored?.tenant_id, KE);

      const strictQueue = uniqueQueueName('tenantless-strict');
      const strict = consumer(strictQueue);
      await strict.waitUntilConnected();
      await publish(strictQueue, { ...seedShape, eventId: 'tenantless-2' });
      await waitFor('the refusal', () => strict.status().deadLettered === 1);
      assert.equal(await eventsWith('tenantless-2'), 0);
    });

    it('dead-letters a poison message after three attempts, writing nothing', async () => {
      const queue = uniqueQueueName('poison');
      const c = consumer(queue);
      await c.waitUntilConnected();
      await publish(queue, message('poison-1', 'SystemOutage', { downtimeMinutes: 30 }));
      await publish(queue, '{not json');
      await waitFor('two dead letters', () => c.status().deadLettered === 2);
      assert.equal(c.status().retried, 4, 'two retries each before the third attempt');
      const dead = await channel.get(c.deadLetterQueue, { noAck: true });
      assert.ok(dead, 'the poison message is in the dead-letter queue');
      assert.equal(dead.properties.headers?.['x-attempts'], 3);
      assert.match(String(dead.properties.headers?.['x-last-error']), /payload\.affectedSystem/);
      assert.equal(JSON.parse(dead.content.toString()).eventId, 'poison-1');
      assert.equal(await deliveries('poison-1'), 0);
      assert.equal(await ready(queue), 0);
    });

    it('is started by the service when AMQP_URL is set, and stopped with it', async () => {
      const queue = uniqueQueueName('service');
      const database = await createTestDatabase(dialect);
      const service = await startService({
        mode: dialect === 'sqlite' ? 'standalone' : 'hub',
        host: '127.0.0.1',
        port: 0,
        dataDir: database.dataDir,
        database: database.target,
        rendererDir: null,
        logger: silent,
        env: { WEKEZA_ADMIN_PASSWORD: 'Admin-Test-Password-2026', AMQP_URL: rabbit.url },
        amqpQueue: queue,
        clock,
      });
      try {
        const eventId = `service-${dialect}-${Date.now()}`;
        await publish(queue, message(eventId, 'PolicyViolation', { policy: 'Clean desk', description: 'Files left out' }));
        const applied = async () =>
          (await service.context.db.kysely.selectFrom('integration_inbox').select('id').where('idempotency_key', '=', `event:${eventId}`).execute()).length ===
          1;
        await waitFor('the service to consume the event', applied);
      } finally {
        await service.close();
        await database.drop();
      }
      const consumersLeft = (await channel.checkQueue(queue)).consumerCount;
      assert.equal(consumersLeft, 0, 'closing the service closed its consumer');
      await channel.deleteQueue(queue);
      await channel.deleteQueue(`${queue}.dead`);
    });

    it('reconnects with backoff after the connection is cut, and goes on consuming', async () => {
      const queue = uniqueQueueName('reconnect');
      const broker = new URL(rabbit.url);
      const relay = await startRelay({ host: broker.hostname, port: Number(broker.port || 5672) });
      try {
        const url = new URL(rabbit.url);
        url.port = String(relay.port);
        const c = consumer(queue, { url: url.toString() });
        await c.waitUntilConnected();
        relay.refuse(true);
        relay.cut();
        await waitFor('failed reconnect attempts', () => c.status().failedAttempts >= 3);
        assert.notEqual(c.status().state, 'connected');
        relay.refuse(false);
        await c.waitUntilConnected();
        assert.equal(c.status().connections, 2);
        await publish(queue, message('reconnect-1', 'ProcessException', { process: 'Clearing', description: 'File rejected' }));
        await waitFor('the event after reconnecting', () => c.status().applied === 1);
        assert.equal(await eventsWith('reconnect-1'), 1);
      } finally {
        await relay.close();
      }
    });
  });
}
