import type { AssessmentOutcome } from './commands.ts';

/** What the pipeline counts for GET /metrics and the health view. */
export interface PipelineStats {
  since: Date;
  assessments: number;
  engineCalls: number;
  engineFailures: number;
  fallbacks: number;
  ruleErrors: number;
  shortCircuited: number;
  /** Recent processing times (ms) for percentiles; a ring of the last 10,000. */
  latencies: Float64Array;
  latencyCount: number;
  /** Assessments per second over the last minute: 60 counters indexed by epoch second, with the second each holds. */
  perSecond: { counts: Int32Array; seconds: Float64Array };
}

export function newPipelineStats(since: Date): PipelineStats {
  return {
    since,
    assessments: 0,
    engineCalls: 0,
    engineFailures: 0,
    fallbacks: 0,
    ruleErrors: 0,
    shortCircuited: 0,
    latencies: new Float64Array(10_000),
    latencyCount: 0,
    perSecond: { counts: new Int32Array(60), seconds: new Float64Array(60) },
  };
}

/** Counts one stored outcome at `nowMs` (the injected clock's time). */
export function countOutcome(s: PipelineStats, outcome: AssessmentOutcome, nowMs: number): void {
  s.assessments += 1;
  const engine = outcome.details?.engine;
  if (engine && engine.outcome !== 'NOT_CALLED') {
    s.engineCalls += 1;
    if (engine.outcome !== 'ANSWERED') s.engineFailures += 1;
    if (engine.fallback) s.fallbacks += 1;
  }
  if (outcome.riskFactors.some((f) => f.outcome === 'ERROR')) s.ruleErrors += 1;
  if (outcome.details?.shortCircuited) s.shortCircuited += 1;
  s.latencies[s.latencyCount % s.latencies.length] = outcome.processingTimeMs;
  s.latencyCount += 1;
  // A fixed ring of per-second counters: constant work per assessment, however high the rate.
  const second = Math.floor(nowMs / 1000);
  const slot = second % 60;
  if (s.perSecond.seconds[slot] !== second) {
    s.perSecond.seconds[slot] = second;
    s.perSecond.counts[slot] = 0;
  }
  s.perSecond.counts[slot] = (s.perSecond.counts[slot] ?? 0) + 1;
}

/** Assessments per second, averaged over the 60 seconds before `nowMs`. */
export function ratePerSecond(s: PipelineStats, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  let total = 0;
  for (let i = 0; i < 60; i++) if (now - s.perSecond.seconds[i]! < 60) total += s.perSecond.counts[i]!;
  return total / 60;
}
