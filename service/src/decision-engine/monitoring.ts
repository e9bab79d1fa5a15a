import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromJsonOrNull, toNumber } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { AssessmentDetails } from '../../../shared/src/assessments.ts';
import { FraudRiskHealth, type FraudRiskMetrics } from '../../../shared/src/decision-engine.ts';
import { decodeRiskFactors } from '../assessments/risk-factor-codec.ts';
import type { DecisionEngine } from './decision-engine.ts';
import { configurationVisible } from './tenancy.ts';

/** Latency percentiles of a restricted caller come from its most recent assessments, at most this many. */
const SAMPLE = 10_000;

const round2 = (n: number) => Math.round(n * 100) / 100;

function percentiles(values: Float64Array): FraudRiskMetrics['latencyMs'] {
  const sorted = values.sort();
  const n = sorted.length;
  const at = (p: number) => (n === 0 ? 0 : round2(sorted[Math.min(n - 1, Math.floor(p * n))]!));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: n === 0 ? 0 : round2(sorted[n - 1]!) };
}

/**
 * Seed 003 GET /fraud-risk/metrics since the service started. A caller acting for every tenant
 * gets the pipeline's in-memory counters; a caller restricted to some tenants gets the same
 * figures counted from its tenants' stored assessments, since the counters mix every tenant
 * (ARCHITECTURE.md "Tenants").
 */
export async function fraudRiskMetrics(engine: DecisionEngine, db: Kysely<Database>, scope: TenantScope, now: Date): Promise<FraudRiskMetrics> {
  const s = engine.pipeline.stats;
  const tenants = scope.sqlList();
  if (tenants === null) {
    const n = Math.min(s.latencyCount, s.latencies.length);
    return {
      since: s.since.toISOString(),
      assessments: s.assessments,
      perSecondLastMinute: round2(engine.pipeline.ratePerSecond()),
      latencyMs: percentiles(Float64Array.from(s.latencies.subarray(0, n))),
      engineCalls: s.engineCalls,
      engineFailures: s.engineFailures,
      fallbacks: s.fallbacks,
      ruleErrors: s.ruleErrors,
      shortCircuited: s.shortCircuited,
    };
  }
  const base = () =>
    db.selectFrom('fraud_risk_assessments').where('deleted_at', 'is', null).where('tenant_id', 'in', tenants).where('created_at', '>=', s.since.toISOString());
  const [counts, lastMinute, sample] = await Promise.all([
    base()
      .select([
        (eb) => eb.fn.countAll<number | string>().as('assessments'),
        (eb) => eb.fn.sum<number | string | null>(eb.case().when('external_api_used', 'is not', null).then(1).else(0).end()).as('calls'),
        (eb) =>
          eb.fn
            .sum<number | string | null>(
              eb
                .case()
                .when(eb.and([eb('external_api_used', 'is not', null), eb('status', 'in', ['ERROR', 'TIMEOUT'])]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('failures'),
      ])
      .executeTakeFirst(),
    base()
      .where('created_at', '>=', new Date(now.getTime() - 60_000).toISOString())
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    base().select(['processing_time_ms', 'risk_factors', 'assessment_details']).orderBy('created_at', 'desc').limit(SAMPLE).execute(),
  ]);
  let ruleErrors = 0;
  let shortCircuited = 0;
  for (const row of sample) {
    if (decodeRiskFactors(row.risk_factors).some((f) => f.outcome === 'ERROR')) ruleErrors++;
    if (fromJsonOrNull<AssessmentDetails>(row.assessment_details)?.shortCircuited) shortCircuited++;
  }
  const failures = Number(counts?.failures ?? 0);
  return {
    since: s.since.toISOString(),
    assessments: Number(counts?.assessments ?? 0),
    perSecondLastMinute: round2(Number(lastMinute?.n ?? 0) / 60),
    latencyMs: percentiles(Float64Array.from(sample.map((r) => toNumber(r.processing_time_ms ?? 0)))),
    engineCalls: Number(counts?.calls ?? 0),
    engineFailures: failures,
    // A failed call is answered by the configuration's fallback.
    fallbacks: failures,
    ruleErrors,
    shortCircuited,
  };
}

/**
 * Seed 003 GET /fraud-risk/health: the database, the group-commit writer and the anomaly model
 * (bank-wide), the bank engines of the configurations the caller may see, and the caller's
 * tenants' pending assessments. `down` is true when the database did not answer (HTTP 503).
 */
export async function fraudRiskHealth(
  engine: DecisionEngine,
  db: Kysely<Database>,
  scope: TenantScope,
  now: Date,
): Promise<{ health: FraudRiskHealth; down: boolean }> {
  let database: 'UP' | 'DOWN' = 'UP';
  let pending = 0;
  try {
    let q = db
      .selectFrom('fraud_risk_assessments')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', 'in', ['PENDING', 'IN_PROGRESS']);
    const tenants = scope.sqlList();
    if (tenants) q = q.where('tenant_id', 'in', tenants);
    pending = Number((await q.executeTakeFirst())?.n ?? 0);
  } catch {
    database = 'DOWN';
  }
  const status = new Map(engine.adapter.status().map((s) => [s.key, s]));
  const bankEngines = engine.registry.configurations
    .filter((c) => c.id && c.body.bankFraudApiConfig?.enabled && configurationVisible(scope, c.body.tenantId))
    .map((c) => {
      const s = status.get(`${c.id}:${c.versionNumber}`);
      return {
        configurationId: c.id!,
        configurationName: c.name,
        name: c.body.bankFraudApiConfig!.name,
        breakerState: s?.breakerState ?? 'CLOSED',
        lastError: s?.lastError ?? null,
        lastSuccessAt: s?.lastSuccessAt ?? null,
      };
    });
  const degraded = bankEngines.some((b) => b.breakerState !== 'CLOSED');
  const writer = engine.pipeline.writer;
  const health = FraudRiskHealth.parse({
    status: database === 'DOWN' ? 'DOWN' : degraded ? 'DEGRADED' : 'UP',
    database,
    checkedAt: now.toISOString(),
    writer: { queued: writer.queued, lastBatchSize: writer.lastBatchSize, lastFlushMs: round2(writer.lastFlushMs) },
    anomalyModel: engine.anomalyModel,
    bankEngines,
    pendingAssessments: pending,
  });
  return { health, down: database === 'DOWN' };
}
