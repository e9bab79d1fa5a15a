import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { CommandBus } from '../../commands/bus.ts';
import { applyRiskQueueEvent, RISK_QUEUE_ACTOR } from './events.ts';
import type { IngestOutcome } from '../ingest.ts';

export const DEFAULT_RISK_QUEUE = 'risk-events';

export interface RiskEventConsumerOptions {
  /** amqp://user:pass@host:port/vhost (--amqp-url or AMQP_URL). */
  url: string;
  bus: CommandBus;
  logger: Logger;
  /** Seed 000's durable queue; tests use their own. */
  queue?: string;
  /**
   * The tenant of messages that name none: seed 000's messages are `{eventId, type, occurredAt,
   * payload}`, which suits a bank with one tenant (AMQP_TENANT). Without it such a message is refused.
   */
  defaultTenantId?: string;
  /** Where poison messages go (default `<queue>.dead`). */
  deadLetterQueue?: string;
  /** Unacknowledged messages the broker may hand over at once. */
  prefetch?: number;
  /** Deliveries a message gets before it is dead-lettered. */
  maxAttempts?: number;
  /** Reconnect delays: initialMs, doubled after each failed attempt, at most maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Fault injection (tests): runs after the command committed and before the ack. When it throws,
   * the consumer behaves as if the process died there: no ack, no retry.
   */
  beforeAck?: (eventId: string) => Promise<void> | void;
}

export type ConsumerState = 'stopped' | 'connecting' | 'connected' | 'waiting';

export interface ConsumerStatus {
  state: ConsumerState;
  queue: string;
  deadLetterQueue: string;
  connectedAt: string | null;
  lastError: string | null;
  /** Successful connections so far (more than one = it reconnected). */
  connections: number;
  /** Failed connection attempts since the last success. */
  failedAttempts: number;
  applied: number;
  /** Deliveries of an event already applied (redeliveries, resends): acknowledged, nothing written. */
  repeats: number;
  retried: number;
  deadLettered: number;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * The consumer of seed 000's `risk-events` queue (issue 13). Durable queue, manual acks, prefetch.
 * A message is acknowledged only after its command committed; an event already applied (same
 * eventId) is acknowledged without writing anything, so a redelivery after a crash between commit
 * and ack changes nothing. A message that fails is republished with an `x-attempts` header
 * (confirmed before the original is acked) and, at `maxAttempts`, moved to the dead-letter queue
 * with its last error. A lost connection is re-established with exponential backoff.
 */
export class RiskEventConsumer {
  readonly queue: string;
  readonly deadLetterQueue: string;
  private readonly prefetch: number;
  private readonly maxAttempts: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private connection: ChannelModel | null = null;
  private generation = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private chain: Promise<void> = Promise.resolve();
  private readonly current: ConsumerStatus;

  constructor(private readonly options: RiskEventConsumerOptions) {
    this.queue = options.queue ?? DEFAULT_RISK_QUEUE;
    this.deadLetterQueue = options.deadLetterQueue ?? `${this.queue}.dead`;
    this.prefetch = options.prefetch ?? 10;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.current = {
      state: 'stopped',
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      connectedAt: null,
      lastError: null,
      connections: 0,
      failedAttempts: 0,
      applied: 0,
      repeats: 0,
      retried: 0,
      deadLettered: 0,
    };
  }

  status(): ConsumerStatus {
    return { ...this.current };
  }

  /** Starts connecting in the background (the service does not wait for the broker). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connectLoop();
  }

  /** Waits until connected (tests), or throws after `timeoutMs`. */
  async waitUntilConnected(timeoutMs = 20_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (this.current.state !== 'connected') {
      if (performance.now() > until)
        throw new Error(`risk-events consumer not connected after ${timeoutMs} ms: ${this.current.lastError ?? this.current.state}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops consuming: in-flight messages finish (and are acked) first, then the connection closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await Promise.allSettled([...this.inFlight]);
    const connection = this.connection;
    this.connection = null;
    this.generation += 1;
    await connection?.close().catch(() => undefined);
    this.setState('stopped');
  }

  private setState(state: ConsumerState): void {
    this.current.state = state;
  }

  private async connectLoop(): Promise<void> {
    while (!this.stopped) {
      this.setState('connecting');
      try {
        await this.connectOnce();
        return;
      } catch (error) {
        this.current.failedAttempts += 1;
        this.current.lastError = errorText(error);
        if (this.stopped) return;
        const delay = Math.min(this.backoff.initialMs * 2 ** (this.current.failedAttempts - 1), this.backoff.maxMs);
        this.options.logger.warn(
          { queue: this.queue, attempt: this.current.failedAttempts, retryInMs: delay, err: this.current.lastError },
          'risk-events: cannot connect to the broker; retrying',
        );
        this.setState('waiting');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, delay);
        });
      }
    }
  }

  private async connectOnce(): Promise<void> {
    const connection = await amqp.connect(this.options.url);
    const generation = ++this.generation;
    connection.on('error', (error: unknown) => {
      this.current.lastError = errorText(error);
    });
    connection.on('close', () => this.onClosed(generation));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: unknown) => {
        this.current.lastError = errorText(error);
      });
      // A channel the broker closed (e.g. a protocol error) stops deliveries while the connection
      // lives on: closing the connection too brings the reconnect path in.
      channel.on('close', () => {
        if (generation === this.generation && !this.stopped) void connection.close().catch(() => undefined);
      });
      // Seed 000 declares the queue durable with no arguments: declared the same way, so the bank's
      // own declaration and ours agree. Dead-lettering is done by republishing (no broker policy needed).
      await channel.assertQueue(this.queue, { durable: true, exclusive: false, autoDelete: false });
      await channel.assertQueue(this.deadLetterQueue, { durable: true, exclusive: false, autoDelete: false });
      await channel.prefetch(this.prefetch);
      // One message at a time, in delivery order (a LoanDefaulted follows its LoanDisbursed); the
      // prefetch window keeps the next ones ready meanwhile.
      await channel.consume(this.queue, (message) => this.enqueue(channel, message, generation), { noAck: false });
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await connection.close().catch(() => undefined);
      return;
    }
    this.connection = connection;
    this.current.connections += 1;
    this.current.failedAttempts = 0;
    this.current.connectedAt = this.options.bus.clock.now().toISOString();
    this.setState('connected');
    this.options.logger.info({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, prefetch: this.prefetch }, 'risk-events: consuming');
  }

  private onClosed(generation: number): void {
    if (generation !== this.generation || this.stopped) return;
    this.connection = null;
    this.current.lastError ??= 'connection closed';
    this.options.logger.warn({ queue: this.queue, err: this.current.lastError }, 'risk-events: connection lost; reconnecting');
    this.current.failedAttempts = 1;
    this.setState('waiting');
    this.timer = setTimeout(() => void this.connectLoop(), this.backoff.initialMs);
  }

  private enqueue(channel: ConfirmChannel, message: ConsumeMessage | null, generation: number): void {
    this.chain = this.chain.then(() => this.handle(channel, message, generation)).catch((error: unknown) => this.noteError(error));
    this.track(this.chain);
  }

  private noteError(error: unknown): void {
    // An ack on a channel that just closed: the broker redelivers the message, the inbox answers the repeat.
    this.current.lastError = errorText(error);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage | null, generation: number): Promise<void> {
    if (message === null) {
      // The broker cancelled the consumer (queue deleted): reconnecting declares it again.
      this.current.lastError = 'consumer cancelled by the broker';
      if (generation === this.generation) await this.connection?.close().catch(() => undefined);
      return;
    }
    // Stopping: messages still in the prefetch window stay unacknowledged and go back to the queue.
    if (this.stopped) return;
    let outcome: IngestOutcome;
    try {
      const json: unknown = JSON.parse(message.content.toString('utf8'));
      const tenant = this.options.defaultTenantId;
      const addressed = tenant && typeof json === 'object' && json !== null && !('tenantId' in json) ? { ...json, tenantId: tenant } : json;
      outcome = await this.options.bus.execute(applyRiskQueueEvent, addressed, RISK_QUEUE_ACTOR);
    } catch (error) {
      await this.retryOrDeadLetter(channel, message, error, generation);
      return;
    }
    if (outcome.replayed) this.current.repeats += 1;
    else this.current.applied += 1;
    try {
      await this.options.beforeAck?.(outcome.result.idempotencyKey);
    } catch {
      return;
    }
    if (generation !== this.generation) return; // that channel is gone: the broker redelivers, the inbox answers the repeat.
    channel.ack(message);
  }

  private attemptsSoFar(message: ConsumeMessage): number {
    const headers = message.properties.headers ?? {};
    const counted = Number(headers['x-attempts'] ?? 0);
    // A broker-side dead-letter policy counts in x-death instead; whichever is higher wins.
    const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as Array<{ queue?: string; count?: number }>) : [];
    const died = deaths.filter((d) => d.queue === this.queue).reduce((sum, d) => sum + Number(d.count ?? 0), 0);
    return Math.max(Number.isFinite(counted) ? counted : 0, died);
  }

  private async retryOrDeadLetter(channel: ConfirmChannel, message: ConsumeMessage, error: unknown, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const attempts = this.attemptsSoFar(message) + 1;
    const reason = errorText(error);
    const headers = { ...(message.properties.headers ?? {}), 'x-attempts': attempts, 'x-last-error': reason };
    const properties = {
      persistent: true,
      headers,
      ...(message.properties.contentType ? { contentType: message.properties.contentType } : {}),
      ...(message.properties.messageId ? { messageId: message.properties.messageId } : {}),
    };
    try {
      if (attempts >= this.maxAttempts) {
        channel.sendToQueue(this.deadLetterQueue, message.content, { ...properties, headers: { ...headers, 'x-dead-lettered-from': this.queue } });
        await channel.waitForConfirms();
        channel.ack(message);
        this.current.deadLettered += 1;
        this.options.logger.warn({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, attempts, err: reason }, 'risk-events: message dead-lettered');
      } else {
        // To the back of the queue with its attempt count: the copy is confirmed before the original is acked.
        channel.sendToQueue(this.queue, message.content, properties);
        await channel.waitForConfirms();
        channel.ack(message);
        this.current.retried += 1;
        this.options.logger.info({ queue: this.queue, attempts, err: reason }, 'risk-events: message failed; requeued');
      }
    } catch (publishError) {
      // The channel or connection failed: the original stays unacked and is redelivered.
      this.current.lastError = errorText(publishError);
    }
  }
}
