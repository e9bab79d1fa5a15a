import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { SYSTEM_ACTOR, type Actor, type CommandBus, type CommandBusEvents, type CommandDefinition, type ExecuteOptions } from '../commands/bus.ts';
import { isUniqueViolation, toIso, toNumber } from '../db/database.ts';
import { validationFailed } from '../errors.ts';
import { KesRateTimeline, type KesRateSource } from '../scoring/fx.ts';
import { FX_COMMAND_PREFIX, FX_REVISION, seedReferenceFxRates } from './commands.ts';
import { SerialLoads } from '../util/serial-loads.ts';

/** How often a hub checks whether another hub changed a rate (one counter read). */
const DEFAULT_POLL_MS = 2_000;

/**
 * The FX rates scoring uses (issue 11 §1), held in memory as a timeline so that a payment costs a
 * map read and a binary search, never a query. Rebuilt after every rate command this hub commits
 * (the bus's after-commit 'executed' event, ARCHITECTURE.md rule 1) and, for changes made on
 * other hubs, when the revision counter moves (checked every couple of seconds). Scheduled rates
 * need no timer: a look-up compares the payment's own instant (rule 3).
 */
export class FxRateService implements KesRateSource {
  private timeline = new KesRateTimeline([]);
  private revision = -1;
  private poll: NodeJS.Timeout | null = null;
  private readonly loads = new SerialLoads(() => this.load());
  private pollFailing = false;
  private readonly onExecuted = ({ command, outcome }: CommandBusEvents['executed'][0]) => {
    if (outcome === 'ok' && command.startsWith(FX_COMMAND_PREFIX))
      void this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'FX rate reload failed'));
  };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: CommandBus,
    private readonly logger: Logger,
  ) {}

  /** Seeds the reference table on a database that never had a rate, loads the timeline, starts watching. */
  async start(pollMs = DEFAULT_POLL_MS): Promise<void> {
    this.bus.events.on('executed', this.onExecuted);
    await this.seedIfNeverSeeded();
    await this.reload();
    this.poll = setInterval(
      () =>
        void this.reloadIfChanged().then(
          () => {
            if (this.pollFailing) this.logger.info('FX rate revision check works again');
            this.pollFailing = false;
          },
          (error: unknown) => {
            // Once per outage, not every couple of seconds; scoring keeps the rates it holds.
            if (!this.pollFailing) this.logger.warn({ err: error }, 'FX rate revision check failed: keeping the rates in memory');
            this.pollFailing = true;
          },
        ),
      pollMs,
    );
    this.poll.unref();
  }

  stop(): void {
    this.bus.events.off('executed', this.onExecuted);
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /** The hot path: KES per unit of the currency at the instant, or null when it has no rate then. */
  rateAt(currency: string, atMs: number): number | null {
    return this.timeline.rateAt(currency, atMs);
  }

  /**
   * The rate for a payment, or a 400 naming its currency field (issue 11 §1). `path` is where the
   * caller sent the currency (an ISO 20022 path for pacs.008).
   */
  rateForPayment(payment: { currency: string; timestamp: string }, path = 'body.currency'): number {
    const rate = this.timeline.rateAt(payment.currency, Date.parse(payment.timestamp));
    if (rate === null) {
      throw validationFailed([{ path, message: `no KES rate for ${payment.currency} effective at ${new Date(payment.timestamp).toISOString()}` }]);
    }
    return rate;
  }

  get size(): number {
    return this.timeline.size;
  }

  /**
   * Runs a rate command and answers once this hub's timeline holds its result, so that a payment
   * right after the answer is converted with it. The reload itself is started by the bus event.
   */
  async execute<S extends z.ZodType, R>(command: CommandDefinition<S, R>, input: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<R> {
    const result = await this.bus.execute(command, input, actor, options);
    await this.settled();
    return result;
  }

  /** Serialised; each call gets a load that starts after it (no stale in-flight load answers). */
  reload(): Promise<void> {
    return this.loads.run();
  }

  async settled(): Promise<void> {
    await this.loads.settled();
  }

  async reloadIfChanged(): Promise<void> {
    if ((await this.readRevision()) !== this.revision) await this.reload();
  }

  private async readRevision(): Promise<number> {
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', FX_REVISION).executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  private async load(): Promise<void> {
    const revision = await this.readRevision();
    const rows = await this.db.selectFrom('fx_rates').select(['currency', 'kes_per_unit', 'effective_from']).where('deleted_at', 'is', null).execute();
    this.timeline = new KesRateTimeline(
      rows.map((r) => ({ currency: r.currency, kesPerUnit: toNumber(r.kes_per_unit), effectiveFromMs: Date.parse(toIso(r.effective_from)) })),
    );
    this.revision = revision;
  }

  /** Only a database that has never held a rate is seeded: rates the treasury deleted stay deleted. */
  private async seedIfNeverSeeded(): Promise<void> {
    const any = await this.db.selectFrom('fx_rates').select('id').limit(1).executeTakeFirst();
    if (any) return;
    try {
      const seeded = await this.bus.execute(seedReferenceFxRates, {}, SYSTEM_ACTOR);
      this.logger.info({ currencies: seeded }, 'seeded the reference FX rates to KES');
    } catch (error) {
      // Another hub seeding the same database at the same moment won the unique index.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
