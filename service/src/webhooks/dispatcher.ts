import { Webhook } from 'standardwebhooks';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { fromJson } from '../db/database.ts';
import { lockForUpdateSkipLocked } from '../db/dialect.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from '../db/schema-open-banking.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { CommandBus } from '../commands/bus.ts';
import { uuidv7 } from '../commands/ids.ts';
import type { Clock } from '../clock.ts';
import { webhookGeneration } from './enqueue.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The waits before attempts 2, 3, … (issue 14 design): 5 s, 30 s, 2 min, 10 min, 30 min, 2 h. */
export const DEFAULT_WEBHOOK_BACKOFF_MS: readonly number[] = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, 120 * MINUTE];

export interface WebhookDispatcherOptions {
  /** Waits before attempts 2, 3, …; the last one repeats when there are more attempts than waits. */
  backoffMs: readonly number[];
  /** A delivery is DEAD after this many failed attempts. */
  maxAttempts: number;
  /** A receiver that has not answered within this is a failed attempt. */
  timeoutMs: number;
  /** Deliveries claimed per round. */
  batchSize: number;
  /** Sent at once, at most. */
  concurrency: number;
  /** How long a claim keeps other dispatchers (other hubs) off a delivery; longer than timeoutMs. */
  claimMs: number;
  /** The wall timer's period (ms). */
  pollMs: number;
}

export const DEFAULT_WEBHOOK_DISPATCHER_OPTIONS: WebhookDispatcherOptions = {
  backoffMs: DEFAULT_WEBHOOK_BACKOFF_MS,
  maxAttempts: 6,
  timeoutMs: 10 * SECOND,
  batchSize: 16,
  concurrency: 8,
  claimMs: 120 * SECOND,
  pollMs: SECOND,
};

/** What goes on the wire for one attempt. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * How a delivery becomes an HTTP request. The default is Standard Webhooks (a JSON body signed
 * with the subscription's whsec_ secret); issue 15's alert channels can register their own per
 * owner kind (e.g. Slack's or Teams' body), keeping the queue, claims, retries and log.
 */
export type WebhookFormatter = (input: { delivery: WebhookDeliveryRow; subscription: WebhookSubscriptionRow; secret: string; at: Date }) => WebhookRequest;

/** Standard Webhooks: webhook-id (kept across retries and replays), webhook-timestamp (this attempt), webhook-signature. */
export const standardWebhookFormatter: WebhookFormatter = ({ delivery, subscription, secret, at }) => {
  const body = JSON.stringify(fromJson(delivery.payload));
  return {
    url: subscription.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Wekeza-Webhooks/1',
      'webhook-id': delivery.message_id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(delivery.message_id, at, body),
    },
  };
};

/** What one attempt came to: a 2xx (or an SMTP acceptance) has no error; statusCode is the receiver's code when it gave one. */
export interface TransportResult {
  statusCode: number | null;
  error: string | null;
  /**
   * Nothing was sent and nothing ever will be (the destination was deleted or switched off after
   * the message was queued): the delivery is DEAD at once, without counting as an attempt.
   */
  abandoned?: boolean;
}

/**
 * Sends one attempt of a delivery. The default is an HTTP POST of the owner kind's formatter;
 * issue 15's alert channels register one per owner kind (SMTP, SMS gateway, Slack, Teams), keeping
 * the queue, claims, retries, backoff and attempt log of this dispatcher. It must give up within
 * timeoutMs; a throw counts as a failed attempt.
 */
export type WebhookTransport = (input: {
  delivery: WebhookDeliveryRow;
  subscription: WebhookSubscriptionRow;
  secret: string;
  at: Date;
  timeoutMs: number;
}) => Promise<TransportResult>;

/** One HTTP POST, without following redirects (they could point anywhere: a redirect is a failed attempt). */
export async function postOnce(request: WebhookRequest, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<TransportResult> {
  try {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const statusCode = response.status;
    // The body is not needed: read a little so the connection is released, never all of it.
    await response.body?.cancel().catch(() => undefined);
    return { statusCode, error: statusCode < 200 || statusCode >= 300 ? `the receiver answered ${statusCode}` : null };
  } catch (e) {
    const err = e as Error;
    return { statusCode: null, error: err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not deliver: ${describeError(err)}` };
  }
}

/** The HTTP transport: the formatter's request, POSTed once. */
export function httpTransport(formatter: WebhookFormatter, fetchImpl?: typeof fetch): WebhookTransport {
  return async ({ delivery, subscription, secret, at, timeoutMs }) => postOnce(formatter({ delivery, subscription, secret, at }), timeoutMs, fetchImpl);
}

export interface AttemptOutcome {
  deliveryId: string;
  status: 'DELIVERED' | 'FAILED' | 'DEAD' | 'LOST_CLAIM';
  statusCode: number | null;
}

/**
 * Sends the webhook deliveries commands wrote (enqueue.ts), on hubs and standalone. A round claims
 * due deliveries (PENDING or FAILED with next_attempt_at <= now) by setting locked_until, so that
 * several hubs on one database never send one attempt twice; each attempt is recorded in
 * webhook_attempts; a 2xx is DELIVERED, anything else waits the next backoff, and the last
 * allowed failure is DEAD. Rounds run on a wall timer and right after a command that queued
 * deliveries; `runDue()` runs one round (tests call it after moving a ManualClock).
 *
 * The delivery bookkeeping is the dispatcher's own, not a command: it is the outbox being drained
 * (like the AMQP consumer's acknowledgements); the command that queued the delivery was audited.
 */
export class WebhookDispatcher {
  private readonly options: WebhookDispatcherOptions;
  private readonly formatters = new Map<string, WebhookFormatter>();
  private readonly transports = new Map<string, WebhookTransport>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private seenGeneration = -1;
  private stopped = false;
  private readonly onExecuted = ({ outcome }: { outcome: 'ok' | 'error' }) => {
    if (outcome === 'ok' && webhookGeneration() !== this.seenGeneration) this.kick();
  };

  constructor(
    private readonly deps: { db: Db; box: SecretBox; clock: Clock; logger: Logger; bus?: CommandBus; fetch?: typeof fetch },
    options: Partial<WebhookDispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, ...options };
    if (this.options.maxAttempts < 1) throw new Error('maxAttempts must be at least 1');
    if (this.options.backoffMs.length === 0) throw new Error('backoffMs needs at least one wait');
    // A claim must outlast its round even when every receiver times out, or another hub could
    // take the same deliveries and send them a second time.
    const worstRoundMs = Math.ceil(this.options.batchSize / this.options.concurrency) * this.options.timeoutMs;
    if (this.options.claimMs <= worstRoundMs) throw new Error(`claimMs must exceed ${worstRoundMs} ms (batches × timeout)`);
  }

  /** Another body and headers for one owner kind (issue 15's Slack/Teams channels). */
  setFormatter(ownerKind: string, formatter: WebhookFormatter): void {
    this.formatters.set(ownerKind, formatter);
  }

  /** Another way to send one owner kind's deliveries (issue 15: alert channels by SMTP, SMS, Slack, Teams). */
  setTransport(ownerKind: string, transport: WebhookTransport): void {
    this.transports.set(ownerKind, transport);
  }

  /** Polls on the wall timer and after every command that queued deliveries. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.deps.bus?.events.on('executed', this.onExecuted);
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.deps.bus?.events.off('executed', this.onExecuted);
    await this.running;
  }

  /** Starts a round unless one is running; then one more runs after it (it may have missed new work). */
  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runDue();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'webhook dispatch round failed');
      } finally {
        this.running = null;
      }
    })();
  }

  /** One round: claim what is due at the clock's now and send it. Answers what each attempt came to. */
  async runDue(): Promise<AttemptOutcome[]> {
    this.seenGeneration = webhookGeneration();
    const claimed = await this.claim();
    const outcomes: AttemptOutcome[] = [];
    const queue = [...claimed];
    const workers = Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) outcomes.push(await this.attempt(next));
    });
    await Promise.all(workers);
    return outcomes;
  }

  /** Claims due deliveries: skipped when another hub holds them (PostgreSQL) or its claim has not lapsed. */
  private async claim(): Promise<WebhookDeliveryRow[]> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + this.options.claimMs).toISOString();
    return db.kysely.transaction().execute(async (trx) => {
      const due = await lockForUpdateSkipLocked(
        db.dialect,
        trx
          .selectFrom('webhook_deliveries')
          .select(['id', 'version'])
          .where('status', 'in', ['PENDING', 'FAILED'])
          .where('next_attempt_at', '<=', nowIso)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
          .orderBy('next_attempt_at')
          .limit(this.options.batchSize),
      ).execute();
      if (due.length === 0) return [];
      // Re-checked in the update: on SQLite the single writer serialises claims; on PostgreSQL the
      // rows are locked (FOR UPDATE SKIP LOCKED) until this commits.
      return trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({ locked_until: until, version: eb('version', '+', 1) }))
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .where('status', 'in', ['PENDING', 'FAILED'])
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
        .returningAll()
        .execute();
    });
  }

  private async attempt(delivery: WebhookDeliveryRow): Promise<AttemptOutcome> {
    const { db, box, clock } = this.deps;
    const subscription = await db.kysely.selectFrom('webhook_subscriptions').selectAll().where('id', '=', delivery.subscription_id).executeTakeFirst();
    const at = clock.now();
    if (!subscription || subscription.deleted_at !== null || subscription.status !== 'ACTIVE') {
      // Nowhere to send it any more: no attempt is made, and nothing retries it.
      return this.record(delivery, at, { statusCode: null, error: 'the subscription has ended', durationMs: 0, final: 'DEAD', countsAsAttempt: false });
    }
    const transport =
      this.transports.get(delivery.owner_kind) ?? httpTransport(this.formatters.get(delivery.owner_kind) ?? standardWebhookFormatter, this.deps.fetch);
    let result: TransportResult;
    const started = performance.now();
    try {
      result = await transport({ delivery, subscription, secret: box.open(subscription.secret_sealed), at, timeoutMs: this.options.timeoutMs });
    } catch (e) {
      // A transport that throws (a bug, a secret that no longer opens) is a failed attempt, retried like any other.
      result = { statusCode: null, error: `could not deliver: ${describeError(e as Error)}` };
    }
    const { statusCode, error } = result;
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    const abandoned = error !== null && result.abandoned === true;
    const final = error === null ? 'DELIVERED' : abandoned ? 'DEAD' : null;
    return this.record(delivery, at, { statusCode, error, durationMs, final, countsAsAttempt: !abandoned });
  }

  /** Writes the attempt and the delivery's new state, provided this dispatcher still holds the claim. */
  private async record(
    delivery: WebhookDeliveryRow,
    at: Date,
    result: { statusCode: number | null; error: string | null; durationMs: number; final: 'DELIVERED' | 'DEAD' | null; countsAsAttempt: boolean },
  ): Promise<AttemptOutcome> {
    const { db } = this.deps;
    const attempts = delivery.attempts + (result.countsAsAttempt ? 1 : 0);
    const status: AttemptOutcome['status'] = result.final ?? (attempts >= this.options.maxAttempts ? 'DEAD' : 'FAILED');
    const wait = this.options.backoffMs[Math.min(attempts - 1, this.options.backoffMs.length - 1)] ?? 0;
    const atIso = at.toISOString();
    const updated = await db.kysely.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts,
          next_attempt_at: status === 'FAILED' ? new Date(at.getTime() + wait).toISOString() : null,
          locked_until: null,
          ...(result.countsAsAttempt ? { last_attempt_at: atIso } : {}),
          last_status_code: result.statusCode,
          last_error: result.error === null ? null : result.error.slice(0, 1000),
          delivered_at: status === 'DELIVERED' ? atIso : null,
          version: delivery.version + 1,
        })
        .where('id', '=', delivery.id)
        // Our claim: a dispatcher whose claim lapsed (it hung past claimMs) must not overwrite another's.
        .where('version', '=', delivery.version)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) return false;
      if (result.countsAsAttempt) {
        await trx
          .insertInto('webhook_attempts')
          .values({
            id: uuidv7(at.getTime()),
            delivery_id: delivery.id,
            attempt: attempts,
            at: atIso,
            status_code: result.statusCode,
            error: result.error === null ? null : result.error.slice(0, 1000),
            duration_ms: result.durationMs,
          })
          .execute();
      }
      return true;
    });
    if (!updated) {
      this.deps.logger.warn({ deliveryId: delivery.id }, 'webhook delivery was claimed by another dispatcher meanwhile: attempt not recorded');
      return { deliveryId: delivery.id, status: 'LOST_CLAIM', statusCode: result.statusCode };
    }
    if (status === 'DEAD') this.deps.logger.warn({ deliveryId: delivery.id, attempts, error: result.error }, 'webhook delivery is dead');
    return { deliveryId: delivery.id, status, statusCode: result.statusCode };
  }
}

/** A network error's cause is where the useful words are (ECONNREFUSED, ENOTFOUND, …). */
export function describeError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
