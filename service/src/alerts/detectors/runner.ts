import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { SYSTEM_ACTOR, type Announcement, type CommandBus } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import type { RiskJob } from '../../risk-schedules/jobs.ts';
import { raiseAlerts } from '../raise.ts';
import { detectPayment } from './detect.ts';
import { engineFailureCandidates } from './engine-failure.ts';
import { withRuleHits } from './evidence.ts';
import { batchCompletions, loadBatchFacts, ruleHitsOf } from './facts.ts';
import { thresholdsFor } from './thresholds.ts';
import type { DetectorCandidate } from './types.ts';

export interface DetectorDeps {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
}

/** A batch closes after this long or this many payments, whichever comes first. */
export const BATCH_MS = 250;
export const BATCH_SIZE = 200;
/** Beyond this backlog new payments are dropped (and counted) rather than growing memory without bound. */
const MAX_BACKLOG = 50_000;
/** alert.raise takes at most 500 candidates per command. */
const RAISE_CHUNK = 500;

export interface DetectorStats {
  evaluated: number;
  candidates: number;
  errors: number;
  dropped: number;
}

export interface AlertDetectors {
  stop(): Promise<void>;
  /** Resolves once every payment announced so far has been evaluated and its alerts raised (tests wait on it). */
  flush(): Promise<void>;
  readonly stats: DetectorStats;
}

/** Candidates with the evidence's fired rules filled in, then raised through slice A's command in chunks. */
export async function raiseCandidates(deps: DetectorDeps, candidates: DetectorCandidate[], at?: Date): Promise<number> {
  if (candidates.length === 0) return 0;
  const ids = [...new Set(candidates.flatMap((c) => c.evidence.payments.map((p) => p.assessmentId)))];
  const hits = await ruleHitsOf(deps.db.kysely, ids);
  const enriched = candidates.map((c) => ({ ...c, evidence: withRuleHits(c.evidence, hits) }));
  for (let i = 0; i < enriched.length; i += RAISE_CHUNK) {
    await deps.bus.execute(raiseAlerts, { candidates: enriched.slice(i, i + RAISE_CHUNK) }, SYSTEM_ACTOR, at ? { at } : {});
  }
  return enriched.length;
}

/**
 * The per-payment detectors over one batch of assessments, per tenant with its thresholds, each
 * payment as of its time. `updated` entries (assessment.updated) count only when the update was a
 * batch assessment being scored (facts.ts batchCompletions).
 */
export async function evaluateAssessments(
  deps: DetectorDeps,
  batch: ReadonlyArray<{ id: string; tenantId: string; updated?: boolean }>,
): Promise<DetectorCandidate[]> {
  const updated = batch.filter((b) => b.updated).map((b) => b.id);
  const completed = updated.length > 0 ? await batchCompletions(deps.db.kysely, updated) : new Set<string>();
  const byTenant = new Map<string, string[]>();
  for (const { id, tenantId, updated: isUpdate } of batch) {
    if (isUpdate && !completed.has(id)) continue;
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), id]);
  }
  const out: DetectorCandidate[] = [];
  for (const [tenantId, ids] of byTenant) {
    const thresholds = await thresholdsFor(deps.db.kysely, tenantId);
    for (const facts of await loadBatchFacts(deps.db.kysely, tenantId, ids, thresholds)) out.push(...detectPayment(facts, thresholds));
  }
  return out;
}

/**
 * The detectors on the assessment stream: every scored assessment announced after commit is queued
 * (the bus's after-commit hook, ARCHITECTURE.md rule 1), evaluated in batches of ≤ 200 or ≤ 250 ms
 * off the scoring path, and what they find is raised through alert.raise. A failure is logged and
 * counted; it never reaches scoring.
 */
export function startAlertDetectors(deps: DetectorDeps): AlertDetectors {
  const stats: DetectorStats = { evaluated: 0, candidates: 0, errors: 0, dropped: 0 };
  const queue: Array<{ id: string; tenantId: string; updated?: boolean }> = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const runBatch = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, BATCH_SIZE);
      try {
        const candidates = await evaluateAssessments(deps, batch);
        stats.evaluated += batch.length;
        stats.candidates += await raiseCandidates(deps, candidates);
      } catch (error) {
        stats.errors += 1;
        deps.logger.error({ err: error, payments: batch.length }, 'alert detectors failed on a batch of payments');
      }
    }
  };
  const drain = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    chain = chain.then(runBatch);
    return chain;
  };
  const onAnnounce = (a: Announcement) => {
    if (stopped) return;
    let entry: { id: string; tenantId: string; updated?: boolean };
    // Only scored payments: a queued batch assessment has no risk level until it is processed,
    // which announces an update (checked when evaluated: evaluateAssessments).
    if (a.event === 'assessment.created' && a.payload.riskLevel !== null) entry = { id: a.payload.id, tenantId: a.payload.tenantId };
    else if (a.event === 'assessment.updated' && a.payload.decision !== null && a.tenantId) entry = { id: a.payload.id, tenantId: a.tenantId, updated: true };
    else return;
    if (queue.length >= MAX_BACKLOG) {
      stats.dropped += 1;
      return;
    }
    queue.push(entry);
    if (queue.length >= BATCH_SIZE) void drain();
    else timer ??= setTimeout(() => void drain(), BATCH_MS);
  };
  deps.bus.events.on('announce', onAnnounce);
  return {
    stats,
    async flush() {
      // Payments announced while a batch runs join the queue; keep going until it is empty.
      do await drain();
      while (queue.length > 0);
    },
    async stop() {
      deps.bus.events.off('announce', onAnnounce);
      stopped = true;
      await this.flush();
    },
  };
}

/** The scheduled detectors (RiskScheduler extraJobs via slice A's alertingJobs): the engine-failure rates every minute. */
export function detectorJobs(deps: DetectorDeps): RiskJob[] {
  return [
    {
      name: 'alerts.engine-failure',
      cron: '* * * * *',
      async run(at) {
        const candidates = await engineFailureCandidates(deps.db.kysely, at);
        const raised = await raiseCandidates(deps, candidates, at);
        return raised === 0 ? 'no engine failing' : `${raised} engine alerts raised`;
      },
    },
  ];
}
