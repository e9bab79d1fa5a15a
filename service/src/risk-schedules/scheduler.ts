import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { CommandBus } from '../commands/bus.ts';
import type { Clock } from '../clock.ts';
import { BANK_TIME_ZONE } from '../../../shared/src/bank-time.ts';
import { riskJobs, type RiskJob } from './jobs.ts';

export interface RiskSchedulerOptions {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  /** Slice A's acceptance expiry (risks/acceptance-expiry.ts), run every 15 minutes. */
  expireAcceptances?: (bus: CommandBus, now: Date) => Promise<unknown>;
  /**
   * Other features' scheduled work (issue 15: alert escalation and quiet-hours release, the
   * engine-failure detector, SLA notifications), each run once per slot across hubs like the rest.
   */
  extraJobs?: ReadonlyArray<() => RiskJob[]>;
  /** Who runs the slots it claims, for the record (default host:pid:random). */
  runner?: string;
  /** Slots at or before this instant are not run (default: the clock when the scheduler is made). */
  since?: Date;
  /** When the wall timer wakes it (default each minute; tests use a six-field cron with seconds). */
  wakeCron?: string;
}

export interface SlotRun {
  job: string;
  slot: string;
  outcome: string;
}

/** The latest instant ≤ `now` a cron string fires at, in the bank's time zone (seed 000's crons are the bank's wall time). */
export function latestSlot(cron: string, now: Date): Date | null {
  const pattern = new Cron(cron, { paused: true, timezone: BANK_TIME_ZONE });
  // previousRuns is exclusive of its reference: 1 ms later includes a slot exactly at `now`.
  return pattern.previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
}

/**
 * Runs issue 13's scheduled work on hubs and standalone services (never on a workstation): the
 * automatic KRIs by seed 000's crons (or a KRI's own), the staleness check and the acceptance
 * expiry. croner only wakes it once a wall-clock minute; what is due is decided by `runDue(now)`
 * from the injected clock (ARCHITECTURE.md rule 3), so tests drive it with a ManualClock. Each
 * (job, slot) is claimed by inserting its scheduled_job_runs row first: with several hubs on one
 * database exactly one runs it. A slot missed while no hub was running is not caught up; the next
 * one runs (a KRI measured late is flagged stale meanwhile).
 */
export class RiskScheduler {
  private readonly runner: string;
  private readonly since: number;
  private timer: Cron | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: RiskSchedulerOptions) {
    this.runner = options.runner ?? `${hostname().slice(0, 60)}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.since = (options.since ?? options.clock.now()).getTime();
  }

  /** Starts the wall timer (once a minute by default; unref'd so it never keeps a closing process alive). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = new Cron(this.options.wakeCron ?? '* * * * *', { unref: true, protect: true }, () => {
      this.running = this.runDue(this.options.clock.now()).catch((error: unknown) => this.options.logger.error({ err: error }, 'risk scheduler round failed'));
    });
  }

  /** Stops the timer and waits for a round in progress, so the database can close after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.stop();
    this.timer = null;
    await this.running;
  }

  /** The jobs as of now: the fixed ones and one per KRI with its own schedule. */
  jobs(): Promise<RiskJob[]> {
    return riskJobs(this.options.db.kysely, this.options.bus, this.options.expireAcceptances).then((jobs) => [
      ...jobs,
      ...(this.options.extraJobs ?? []).flatMap((make) => make()),
    ]);
  }

  /** Runs every job whose latest slot ≤ now is after `since` and not yet claimed by any runner. */
  async runDue(now: Date): Promise<SlotRun[]> {
    const runs: SlotRun[] = [];
    for (const job of await this.jobs()) {
      if (this.stopped) break;
      let slot: Date | null;
      try {
        slot = latestSlot(job.cron, now);
      } catch (error) {
        this.options.logger.error({ err: error, job: job.name, cron: job.cron }, 'scheduled risk job has a bad cron');
        continue;
      }
      if (!slot || slot.getTime() <= this.since) continue;
      const slotIso = slot.toISOString();
      if (!(await this.claim(job.name, slotIso, now))) continue;
      let outcome: string;
      try {
        outcome = await job.run(now);
      } catch (error) {
        outcome = `error: ${(error as Error).message}`.slice(0, 2000);
        this.options.logger.error({ err: error, job: job.name, slot: slotIso }, 'scheduled risk job failed');
      }
      await this.options.db.kysely
        .updateTable('scheduled_job_runs')
        .set({ finished_at: this.options.clock.now().toISOString(), outcome })
        .where('job', '=', job.name)
        .where('slot', '=', slotIso)
        .execute();
      runs.push({ job: job.name, slot: slotIso, outcome });
    }
    return runs;
  }

  /** Inserts the slot's row; the primary key (job, slot) lets one runner in, the others see a unique violation. */
  private async claim(job: string, slot: string, now: Date): Promise<boolean> {
    try {
      await this.options.db.kysely
        .insertInto('scheduled_job_runs')
        .values({ job, slot, hub: this.runner, started_at: now.toISOString(), finished_at: null, outcome: null })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
