import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { fromJson, toNumber } from '../db/database.ts';
import type { RiskFactor } from '../../../shared/src/assessments.ts';
import { decodeRiskFactors } from '../assessments/risk-factor-codec.ts';
import type { FraudRiskStatistics, StatisticsQuery } from '../../../shared/src/decision-engine.ts';
import type { ReadScope } from '../assessments/queries.ts';
import { utcHour } from '../db/dialect.ts';

/** Percentiles and rule hits come from the most recent rows of the period, at most this many. */
const SAMPLE = 20_000;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Seed 003 GET /fraud-risk/statistics: counts, hourly volume, processing times, engine use, rules.
 * `scope.tenants` are the caller's tenants narrowed to query.tenantId (null = all); the default
 * window ends at the service clock's now (ARCHITECTURE.md "Tenants" and rule 3).
 */
export async function fraudRiskStatistics(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  query: StatisticsQuery,
  /** The slow limit of assessments decided by the built-in rules (no configuration). */
  defaultSlowMs: number,
  scope: ReadScope,
): Promise<FraudRiskStatistics> {
  const to = query.to ? new Date(query.to) : scope.now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 86_400_000);
  // `to` is exclusive, except that the default window includes what was assessed at this instant.
  const end = query.to ? to : new Date(to.getTime() + 1);
  const base = () => {
    let q = db
      .selectFrom('fraud_risk_assessments')
      .where('deleted_at', 'is', null)
      .where('created_at', '>=', from.toISOString())
      .where('created_at', '<', end.toISOString());
    if (scope.tenants) q = q.where('tenant_id', 'in', [...scope.tenants]);
    return q;
  };
  const groupCount = async (column: 'status' | 'decision' | 'risk_level') => {
    const rows = await base()
      .select([column, (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(column)
      .execute();
    return Object.fromEntries(rows.map((r) => [String((r as Record<string, unknown>)[column] ?? 'NONE'), Number(r.n)]));
  };
  const hourExpr = utcHour(dialect, 'created_at');
  const [byStatus, byDecision, byRiskLevel, hourlyRows, engineRow, manualRow, configRows, sample] = await Promise.all([
    groupCount('status'),
    groupCount('decision'),
    groupCount('risk_level'),
    base()
      .select([hourExpr.as('hour'), 'risk_level', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy([hourExpr, 'risk_level'])
      .execute(),
    base()
      .where('external_api_used', 'is not', null)
      .select([
        (eb) => eb.fn.countAll<number | string>().as('calls'),
        (eb) => eb.fn.avg<number | string | null>('external_api_response_time_ms').as('avg'),
        (eb) => eb.fn.sum<number | string | null>(eb.case().when('status', '=', 'TIMEOUT').then(1).else(0).end()).as('timeouts'),
        (eb) => eb.fn.sum<number | string | null>(eb.case().when('status', '=', 'ERROR').then(1).else(0).end()).as('errors'),
      ])
      .executeTakeFirst(),
    base()
      .where('manual_decision', 'is not', null)
      .select([
        (eb) => eb.fn.countAll<number | string>().as('manual'),
        (eb) => eb.fn.sum<number | string | null>(eb.case().when('decision', '!=', eb.ref('engine_decision')).then(1).else(0).end()).as('overturned'),
      ])
      .executeTakeFirst(),
    base()
      .select(['configuration_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('configuration_id')
      .execute(),
    base().select(['processing_time_ms', 'risk_factors', 'configuration_id', 'configuration_version']).orderBy('created_at', 'desc').limit(SAMPLE).execute(),
  ]);

  const ids = configRows.map((r) => r.configuration_id).filter((id): id is string => id !== null);
  const names = new Map(
    (ids.length === 0
      ? []
      : await db.selectFrom('fraud_risk_configurations').select(['id', 'configuration_name', 'deleted_at']).where('id', 'in', ids).execute()
    ).map((c) => [c.id, c.deleted_at ? `${c.configuration_name} (deleted)` : c.configuration_name]),
  );
  const hours = new Map<string, { total: number; flagged: number; byRiskLevel: Record<string, number> }>();
  for (let t = Math.floor(from.getTime() / 3_600_000) * 3_600_000; t < end.getTime(); t += 3_600_000) {
    hours.set(new Date(t).toISOString().slice(0, 13), { total: 0, flagged: 0, byRiskLevel: {} });
  }
  for (const r of hourlyRows) {
    const bucket = hours.get(r.hour);
    if (!bucket) continue;
    const n = Number(r.n);
    const level = r.risk_level ?? 'NONE';
    bucket.total += n;
    if (level !== 'LOW' && level !== 'NONE') bucket.flagged += n;
    bucket.byRiskLevel[level] = (bucket.byRiskLevel[level] ?? 0) + n;
  }

  const slowLimit = await slowLimitsOf(db, sample, defaultSlowMs);
  const slow = sample.filter((s) => toNumber(s.processing_time_ms ?? 0) > slowLimit(s)).length;
  const times = Float64Array.from(sample.map((s) => toNumber(s.processing_time_ms ?? 0))).sort();
  const hits = new Map<string, { name: string; family: RiskFactor['family']; hits: number }>();
  for (const s of sample) {
    for (const f of decodeRiskFactors(s.risk_factors)) {
      if (f.outcome !== 'HIT') continue;
      const entry = hits.get(f.ruleId) ?? { name: f.name, family: f.family, hits: 0 };
      entry.hits++;
      hits.set(f.ruleId, entry);
    }
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const timeouts = Number(engineRow?.timeouts ?? 0);
  const errors = Number(engineRow?.errors ?? 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total,
    byStatus,
    byDecision,
    byRiskLevel,
    hourly: [...hours.entries()].map(([hour, v]) => ({ hour: `${hour}:00:00.000Z`, ...v })),
    processing: {
      averageMs: times.length === 0 ? 0 : Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 100) / 100,
      p50Ms: percentile(times, 0.5),
      p95Ms: percentile(times, 0.95),
      p99Ms: percentile(times, 0.99),
      slow,
    },
    engine: {
      calls: Number(engineRow?.calls ?? 0),
      fallbacks: timeouts + errors,
      timeouts,
      errors,
      averageResponseMs: Math.round(toNumber(engineRow?.avg ?? 0)),
    },
    topRules: [...hits.entries()]
      .map(([ruleId, v]) => ({ ruleId, ...v }))
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 15),
    byConfiguration: configRows
      .map((r) => ({
        configurationId: r.configuration_id,
        configurationName: r.configuration_id ? (names.get(r.configuration_id) ?? 'Unknown configuration') : 'Built-in default rules',
        count: Number(r.n),
      }))
      .sort((a, b) => b.count - a.count),
    manualDecisions: Number(manualRow?.manual ?? 0),
    overturned: Number(manualRow?.overturned ?? 0),
  };
}

type SampledAssessment = { configuration_id: string | null; configuration_version: string | null };

/**
 * Each assessment counts as slow against the `monitoringConfig.slowAssessmentMs` of the
 * configuration version that decided it (the figure the admin set on the configuration screen).
 */
async function slowLimitsOf(db: Kysely<Database>, sample: readonly SampledAssessment[], defaultSlowMs: number): Promise<(s: SampledAssessment) => number> {
  const ids = [...new Set(sample.map((s) => s.configuration_id).filter((id): id is string => id !== null))];
  const versions = [...new Set(sample.map((s) => s.configuration_version).filter((v): v is string => v !== null))];
  const limits = new Map<string, number>();
  if (versions.length === 0) return () => defaultSlowMs;
  // Only the versions that decided sampled assessments: their bodies are read once per call.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('fraud_risk_configuration_versions')
      .select(['configuration_id', 'version', 'body'])
      .where('configuration_id', 'in', ids.slice(i, i + 500))
      .where('version', 'in', versions)
      .execute();
    for (const row of rows) {
      const body = fromJson<{ monitoringConfig?: { slowAssessmentMs?: unknown } }>(row.body);
      const limit = body.monitoringConfig?.slowAssessmentMs;
      if (typeof limit === 'number') limits.set(`${row.configuration_id}|${row.version}`, limit);
    }
  }
  return (s) => (s.configuration_id ? (limits.get(`${s.configuration_id}|${s.configuration_version}`) ?? defaultSlowMs) : defaultSlowMs);
}
