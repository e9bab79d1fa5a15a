import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { appliedMigrationName, latestMigrationName } from '../db/migrator.ts';
import type { ReadyResponse } from '../../../shared/src/api.ts';
import type { Heartbeats } from './heartbeats.ts';

export interface ReadinessOptions {
  /** A probe of the database that takes longer than this counts as failed (the probe never hangs). */
  databaseProbeMs: number;
  /** The assessment writer counts as stalled when work waited this long without a commit finishing. */
  writerStallMs: number;
  /** How long each background loop may stay silent (no finished round) before it counts as dead. */
  loopSilenceMs: { toggleSchedules: number; configurationReload: number; batchAssessments: number };
}
export const DEFAULT_READINESS: ReadinessOptions = {
  databaseProbeMs: 2_000,
  writerStallMs: 30_000,
  // The pollers run every second; a batch round scores up to 200 payments, each maybe waiting on the bank's engine.
  loopSilenceMs: { toggleSchedules: 60_000, configurationReload: 60_000, batchAssessments: 300_000 },
};

/**
 * Readiness (`GET /ready`): may a load balancer send this hub work? The database answers and is
 * at this build's schema version, the assessment writer is not stuck, and every background loop
 * is alive. The answer names each check and whether it passed, nothing more (it is public: load
 * balancers probe without tokens); what failed and why goes to the log.
 */
export class Readiness {
  constructor(
    private readonly deps: {
      db: Db;
      heartbeats: Heartbeats;
      writerStalledForMs: () => number;
      logger: Logger;
      options: ReadinessOptions;
    },
  ) {}

  async check(): Promise<ReadyResponse> {
    const checks: ReadyResponse['checks'] = [];
    const failed = (name: string, detail: string) => {
      checks.push({ name, ok: false });
      this.deps.logger.warn({ check: name, detail }, 'readiness check failed');
    };
    const database = await this.probe(async () => {
      await sql`select 1`.execute(this.deps.db.kysely);
      return appliedMigrationName(this.deps.db);
    });
    if (!database.ok) {
      failed('database', database.error);
      failed('schema', 'the database did not answer');
    } else {
      checks.push({ name: 'database', ok: true });
      const latest = latestMigrationName();
      if (database.value === latest) checks.push({ name: 'schema', ok: true });
      else failed('schema', `the database is at migration ${database.value ?? 'none'}, this build needs ${latest}`);
    }
    const stalled = this.deps.writerStalledForMs();
    if (stalled > this.deps.options.writerStallMs) failed('assessment-writer', `no commit finished for ${Math.round(stalled)} ms with work waiting`);
    else checks.push({ name: 'assessment-writer', ok: true });
    for (const loop of this.deps.heartbeats.status()) {
      if (loop.ok) checks.push({ name: `background:${loop.name}`, ok: true });
      else failed(`background:${loop.name}`, `silent for ${loop.silentForMs} ms`);
    }
    return { status: checks.every((c) => c.ok) ? 'ready' : 'not-ready', checks };
  }

  private async probe<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.deps.options.databaseProbeMs} ms`)), this.deps.options.databaseProbeMs);
    });
    try {
      return { ok: true, value: await Promise.race([run(), timeout]) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
