import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromJsonOrNull } from '../../db/database.ts';
import type { AssessmentDetails } from '../../../../shared/src/assessments.ts';
import { DEFAULT_PATTERN_THRESHOLDS } from '../../../../shared/src/alert-threshold-defaults.ts';
import { evidenceOf, MINUTE_MS } from './evidence.ts';
import { paymentRows, toDetectorPayment } from './facts.ts';
import type { Thresholds } from './payment-detectors.ts';
import { thresholdsFor } from './thresholds.ts';
import type { DetectorCandidate, DetectorPayment } from './types.ts';

/**
 * ENGINE_FAILURE (seed 003 "bank fraud-API failure patterns"): per tenant and bank engine, the
 * share of calls in the window that failed or timed out, and calls refused because the circuit
 * breaker was open (the configuration's fallback decided those payments). Measured on a schedule
 * over the stored assessments, not per payment: a rate needs a window of calls.
 */
export interface EngineWindow {
  tenantId: string;
  engine: string;
  windowMinutes: number;
  at: string;
  calls: number;
  failed: number;
  timedOut: number;
  breakerOpen: number;
  /** A few of the failed calls' payments, newest first. */
  samples: DetectorPayment[];
}

export function detectEngineFailure(w: EngineWindow, t: Thresholds<'ENGINE_FAILURE'>): DetectorCandidate | null {
  const failures = w.failed + w.timedOut;
  const rate = w.calls > 0 ? failures / w.calls : 0;
  const rateBreached = w.calls >= t.minCalls && rate > t.maxErrorRate;
  if (!rateBreached && w.breakerOpen === 0) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const explanation: string[] = [];
  if (rateBreached) {
    explanation.push(
      `${failures} of ${w.calls} calls to ${w.engine} in the last ${w.windowMinutes} minutes failed (${w.failed} errors, ${w.timedOut} timeouts): ${pct(rate)}, above ${pct(t.maxErrorRate)}.`,
    );
  }
  if (w.breakerOpen > 0) explanation.push(`The circuit breaker was open for ${w.breakerOpen} calls: the configuration's fallback decided those payments.`);
  const title = rateBreached
    ? `${w.engine} failing: ${pct(rate)} of ${w.calls} calls in ${w.windowMinutes} min`
    : `${w.engine} circuit breaker open (${w.breakerOpen} calls in ${w.windowMinutes} min)`;
  return {
    tenantId: w.tenantId,
    pattern: 'ENGINE_FAILURE',
    severity: t.severity,
    title: title.slice(0, 300),
    entityType: 'ENGINE',
    entityId: w.engine.slice(0, 200),
    detectedAt: w.at,
    evidence: evidenceOf(
      w.samples,
      {
        calls: w.calls,
        failed: w.failed,
        timedOut: w.timedOut,
        breakerOpen: w.breakerOpen,
        errorRate: Math.round(rate * 1000) / 1000,
        maxErrorRate: t.maxErrorRate,
        minCalls: t.minCalls,
        windowMinutes: w.windowMinutes,
      },
      explanation,
    ),
    configurationId: null,
  };
}

const SAMPLES = 20;

/** The engine windows of every tenant that called an engine lately, each with its own thresholds, as of `at`. */
export async function engineFailureCandidates(db: Kysely<Database>, at: Date): Promise<DetectorCandidate[]> {
  // Which tenants to look at: those with calls within the widest window any stored row (or the default) asks for.
  const stored = await db.selectFrom('alert_thresholds').select('thresholds').where('pattern', '=', 'ENGINE_FAILURE').execute();
  const widest = Math.max(
    DEFAULT_PATTERN_THRESHOLDS.ENGINE_FAILURE.windowMinutes,
    ...stored.map((r) => fromJsonOrNull<{ windowMinutes?: number }>(r.thresholds)?.windowMinutes ?? 0),
  );
  const atIso = at.toISOString();
  const tenants = await db
    .selectFrom('fraud_risk_assessments')
    .select('tenant_id')
    .distinct()
    .where('external_api_used', 'is not', null)
    .where('created_at', '>', new Date(at.getTime() - widest * MINUTE_MS).toISOString())
    .where('created_at', '<=', atIso)
    .execute();
  const out: DetectorCandidate[] = [];
  for (const { tenant_id: tenantId } of tenants) {
    const t = (await thresholdsFor(db, tenantId)).ENGINE_FAILURE;
    if (!t) continue;
    const since = new Date(at.getTime() - t.windowMinutes * MINUTE_MS).toISOString();
    const rows = await db
      .selectFrom('fraud_risk_assessments')
      .select(['id', 'external_api_used', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('external_api_used', 'is not', null)
      .where('deleted_at', 'is', null)
      .where('created_at', '>', since)
      .where('created_at', '<=', atIso)
      .execute();
    const byEngine = new Map<string, { calls: number; failed: string[]; timedOut: string[] }>();
    for (const r of rows) {
      const engine = r.external_api_used!;
      const w = byEngine.get(engine) ?? { calls: 0, failed: [], timedOut: [] };
      w.calls += 1;
      if (r.status === 'ERROR') w.failed.push(r.id);
      if (r.status === 'TIMEOUT') w.timedOut.push(r.id);
      byEngine.set(engine, w);
    }
    for (const [engine, w] of byEngine) {
      const failing = [...w.failed, ...w.timedOut];
      // The breaker's refusals are ERROR rows whose engine outcome says so (details are read for failures only).
      const details =
        w.failed.length > 0
          ? await db.selectFrom('fraud_risk_assessments').select(['id', 'assessment_details']).where('id', 'in', w.failed.slice(0, 5000)).execute()
          : [];
      const breakerOpen = details.filter((d) => fromJsonOrNull<AssessmentDetails>(d.assessment_details)?.engine?.outcome === 'BREAKER_OPEN').length;
      const sampleRows =
        failing.length > 0 ? await paymentRows(db).where('a.id', 'in', failing.slice(0, 5000)).orderBy('p.occurred_at', 'desc').limit(SAMPLES).execute() : [];
      const candidate = detectEngineFailure(
        {
          tenantId,
          engine,
          windowMinutes: t.windowMinutes,
          at: atIso,
          // Calls the breaker refused never reached the engine: they are counted apart, not in the rate.
          calls: w.calls - breakerOpen,
          failed: w.failed.length - breakerOpen,
          timedOut: w.timedOut.length,
          breakerOpen,
          samples: sampleRows.map(toDetectorPayment),
        },
        t,
      );
      if (candidate) out.push(candidate);
    }
  }
  return out;
}
