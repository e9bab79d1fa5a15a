import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromJsonOrNull, toIso } from '../../db/database.ts';
import { validationFailed } from '../../errors.ts';
import type { AlertBacktestResult, AlertPattern, PatternThresholds } from '../../../../shared/src/alerts.ts';
import type { AssessmentDetails } from '../../../../shared/src/assessments.ts';
import { BANK_TIME_ZONE } from '../../../../shared/src/bank-time.ts';
import { detectPayment } from './detect.ts';
import { detectEngineFailure } from './engine-failure.ts';
import { HOUR_MS, MINUTE_MS } from './evidence.ts';
import { alertingOf, contactChanges, paidBefore, PaymentIndex, paymentRows, toDetectorPayment, widestWindowMs, windowsFor } from './facts.ts';
import { thresholdsFor } from './thresholds.ts';
import type { DetectorCandidate, DetectorPayment, ThresholdMap, TriggerExtras } from './types.ts';

/**
 * Backtest of one detector's thresholds (issue 15: "thresholds are data per tenant, backtestable
 * like rules"): the tenant's stored payments of the period replayed through the detector with the
 * candidate thresholds and with those in force now, each payment as of its own time. Alerts are
 * counted after deduplication by entity within the pattern's window (as alert.raise folds
 * repeats), and matched with the cases of their payments closed as confirmed fraud (BLOCKED) or as
 * a false positive (APPROVED), as the analytics count them. Read-only.
 */

/** A period's payments are held in memory: beyond this the period must be narrowed. */
export const MAX_BACKTEST_PAYMENTS = 300_000;
/** A quarter at most: the engine replay walks the period minute by minute. */
export const MAX_PERIOD_DAYS = 92;
const DAY_MS = 86_400_000;
const MAX_SAMPLES = 20;

/** How long repeats of one entity stay one alert in the replay: the pattern's own window (an hour for single payments). */
function dedupWindowMs(t: PatternThresholds): number {
  if ('windowMinutes' in t) return t.windowMinutes * MINUTE_MS;
  if ('windowHours' in t) return t.windowHours * HOUR_MS;
  if ('lookbackHours' in t) return t.lookbackHours * HOUR_MS;
  return HOUR_MS;
}

interface Tally {
  alerts: number;
  confirmedFraud: number;
  falsePositive: number;
  byDay: Map<string, number>;
  samples: AlertBacktestResult['samples'];
  lastSeen: Map<string, number>;
}

const newTally = (): Tally => ({ alerts: 0, confirmedFraud: 0, falsePositive: 0, byDay: new Map(), samples: [], lastSeen: new Map() });

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: BANK_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
/** The bank's calendar day (Nairobi) of an instant, YYYY-MM-DD. */
const bankDay = (ms: number) => dayFormat.format(new Date(ms));

function count(tally: Tally, c: DetectorCandidate, atMs: number, windowMs: number, outcomes: ReadonlyMap<string, string>): void {
  const key = `${c.entityType}|${c.entityId}`;
  const last = tally.lastSeen.get(key);
  tally.lastSeen.set(key, atMs);
  if (last !== undefined && atMs - last <= windowMs) return;
  tally.alerts += 1;
  const caseOutcomes = new Set(c.evidence.payments.flatMap((p) => (p.caseId ? [outcomes.get(p.caseId)] : [])));
  if (caseOutcomes.has('BLOCKED')) tally.confirmedFraud += 1;
  else if (caseOutcomes.has('APPROVED')) tally.falsePositive += 1;
  const day = bankDay(atMs);
  tally.byDay.set(day, (tally.byDay.get(day) ?? 0) + 1);
  if (tally.samples.length < MAX_SAMPLES) {
    tally.samples.push({
      entityId: c.entityId,
      detectedAt: new Date(atMs).toISOString(),
      severity: c.severity,
      explanation: c.evidence.explanation.join(' ').slice(0, 1000),
    });
  }
}

async function closedCaseOutcomes(db: Kysely<Database>, caseIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'outcome'])
      .where('id', 'in', caseIds.slice(i, i + 500))
      .where('state', '=', 'CLOSED')
      .execute();
    for (const r of rows) if (r.outcome) out.set(r.id, r.outcome);
  }
  return out;
}

export async function backtestAlertThresholds(
  db: Kysely<Database>,
  input: { tenantId: string; thresholds: PatternThresholds; from: string; to: string },
): Promise<AlertBacktestResult> {
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  if (!(toMs > fromMs)) throw validationFailed([{ path: 'body.to', message: 'must be after from' }]);
  if (toMs - fromMs > MAX_PERIOD_DAYS * DAY_MS) throw validationFailed([{ path: 'body.from', message: `at most ${MAX_PERIOD_DAYS} days before to` }]);
  const pattern: AlertPattern = input.thresholds.pattern;
  const candidateMap = { [pattern]: input.thresholds } as ThresholdMap;
  const inForce = (await thresholdsFor(db, input.tenantId))[pattern];
  const currentMap = (inForce ? { [pattern]: inForce } : {}) as ThresholdMap;
  const candidate = newTally();
  const current = newTally();
  let replayed: number;
  if (pattern === 'ENGINE_FAILURE') {
    replayed = await replayEngine(db, input.tenantId, fromMs, toMs, input.thresholds, inForce, candidate, current);
  } else {
    replayed = await replayPayments(db, input.tenantId, fromMs, toMs, candidateMap, currentMap, candidate, current);
  }
  const days = new Set([...candidate.byDay.keys(), ...current.byDay.keys()]);
  return {
    pattern,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    paymentsReplayed: replayed,
    alerts: candidate.alerts,
    confirmedFraud: candidate.confirmedFraud,
    falsePositive: candidate.falsePositive,
    current: { alerts: current.alerts, confirmedFraud: current.confirmedFraud, falsePositive: current.falsePositive },
    byDay: [...days].sort().map((day) => ({ day, alerts: candidate.byDay.get(day) ?? 0, current: current.byDay.get(day) ?? 0 })),
    samples: candidate.samples,
  };
}

async function replayPayments(
  db: Kysely<Database>,
  tenantId: string,
  fromMs: number,
  toMs: number,
  candidateMap: ThresholdMap,
  currentMap: ThresholdMap,
  candidate: Tally,
  current: Tally,
): Promise<number> {
  const w = windowsFor(candidateMap, currentMap);
  const startIso = new Date(fromMs - widestWindowMs(w)).toISOString();
  const rows = await paymentRows(db)
    .select(['a.configuration_id', 'a.configuration_version'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.occurred_at', '>=', startIso)
    .where('p.occurred_at', '<=', new Date(toMs).toISOString())
    .limit(MAX_BACKTEST_PAYMENTS + 1)
    .execute();
  if (rows.length > MAX_BACKTEST_PAYMENTS)
    throw validationFailed([{ path: 'body.from', message: `more than ${MAX_BACKTEST_PAYMENTS} payments: choose a shorter period` }]);
  const index = new PaymentIndex();
  const config = new Map<string, { configurationId: string | null; version: string | null }>();
  index.add(
    rows.map((r) => {
      config.set(r.assessment_id, { configurationId: r.configuration_id, version: r.configuration_version });
      return toDetectorPayment(r);
    }),
  );
  if (w.contactMs > 0) index.addContactChanges(await contactChanges(db, tenantId, null, fromMs - w.contactMs, toMs));
  const triggers = index.payments().filter((p) => p.atMs >= fromMs && p.atMs <= toMs);

  const pattern = Object.keys(candidateMap)[0] as AlertPattern;
  const anomaly = pattern === 'UNUSUAL_TRANSACTION' ? await anomalyScores(db, triggers) : new Map<string, number | null>();
  const alertings = new Map<string, Awaited<ReturnType<typeof alertingOf>>>();
  const ato = [candidateMap.ACCOUNT_TAKEOVER, currentMap.ACCOUNT_TAKEOVER].flatMap((t) => (t ? [t.minTransferKes] : []));
  const atoMin = ato.length > 0 ? Math.min(...ato) : null;

  const found: Array<{ trigger: DetectorPayment; candidate: DetectorCandidate[]; current: DetectorCandidate[] }> = [];
  for (const trigger of triggers) {
    const extras: TriggerExtras = { anomalyScore: anomaly.get(trigger.assessmentId) ?? null, configurationId: null, alerting: null, payeeKnown: null };
    if (pattern === 'RISKY_PAYMENT') {
      const c = config.get(trigger.assessmentId)!;
      const key = `${c.configurationId}|${c.version}`;
      if (!alertings.has(key)) alertings.set(key, await alertingOf(db, c.configurationId, c.version));
      extras.configurationId = c.configurationId;
      extras.alerting = alertings.get(key) ?? null;
    }
    let facts = index.factsFor(trigger, extras, w);
    // "A payee it never paid" reaches before the period: asked only where the rest of the takeover pattern is there.
    if (atoMin !== null && trigger.amountKes >= atoMin && trigger.creditorAccount && facts.contactChanges.length > 0) {
      facts = { ...facts, extras: { ...extras, payeeKnown: await paidBefore(db, trigger) } };
    }
    const a = detectPayment(facts, candidateMap);
    const b = detectPayment(facts, currentMap);
    if (a.length > 0 || b.length > 0) found.push({ trigger, candidate: a, current: b });
  }
  const caseIds = [
    ...new Set(found.flatMap((f) => [...f.candidate, ...f.current].flatMap((c) => c.evidence.payments.flatMap((p) => (p.caseId ? [p.caseId] : []))))),
  ];
  const outcomes = await closedCaseOutcomes(db, caseIds);
  const candWindow = candidateMap[pattern] ? dedupWindowMs(candidateMap[pattern]) : HOUR_MS;
  const curWindow = currentMap[pattern] ? dedupWindowMs(currentMap[pattern]) : HOUR_MS;
  for (const f of found) {
    for (const c of f.candidate) count(candidate, c, f.trigger.atMs, candWindow, outcomes);
    for (const c of f.current) count(current, c, f.trigger.atMs, curWindow, outcomes);
  }
  return triggers.length;
}

async function anomalyScores(db: Kysely<Database>, triggers: DetectorPayment[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  const ids = triggers.map((t) => t.assessmentId);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('fraud_risk_assessments')
      .select(['id', 'assessment_details'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, fromJsonOrNull<AssessmentDetails>(r.assessment_details)?.anomalyScore ?? null);
  }
  return out;
}

/** ENGINE_FAILURE replayed as its job runs it: once a minute over the period, each time over the window before. */
async function replayEngine(
  db: Kysely<Database>,
  tenantId: string,
  fromMs: number,
  toMs: number,
  candidateT: PatternThresholds,
  currentT: PatternThresholds | undefined,
  candidate: Tally,
  current: Tally,
): Promise<number> {
  if (candidateT.pattern !== 'ENGINE_FAILURE') return 0;
  const cur = currentT?.pattern === 'ENGINE_FAILURE' ? currentT : null;
  const widest = Math.max(candidateT.windowMinutes, cur?.windowMinutes ?? 0) * MINUTE_MS;
  const rows = await db
    .selectFrom('fraud_risk_assessments')
    .select(['id', 'external_api_used', 'status', 'created_at', 'assessment_details'])
    .where('tenant_id', '=', tenantId)
    .where('external_api_used', 'is not', null)
    .where('deleted_at', 'is', null)
    .where('created_at', '>', new Date(fromMs - widest).toISOString())
    .where('created_at', '<=', new Date(toMs).toISOString())
    .limit(MAX_BACKTEST_PAYMENTS + 1)
    .execute();
  if (rows.length > MAX_BACKTEST_PAYMENTS)
    throw validationFailed([{ path: 'body.from', message: `more than ${MAX_BACKTEST_PAYMENTS} engine calls: choose a shorter period` }]);
  const calls = rows
    .map((r) => ({
      engine: r.external_api_used!,
      atMs: Date.parse(toIso(r.created_at)),
      kind:
        r.status === 'TIMEOUT'
          ? 'timeout'
          : r.status === 'ERROR'
            ? fromJsonOrNull<AssessmentDetails>(r.assessment_details)?.engine?.outcome === 'BREAKER_OPEN'
              ? 'breaker'
              : 'failed'
            : 'ok',
    }))
    .sort((a, b) => a.atMs - b.atMs);
  const engines = [...new Set(calls.map((c) => c.engine))];
  const runs: Array<[Tally, typeof candidateT]> = [[candidate, candidateT]];
  if (cur) runs.push([current, cur]);
  for (const [tally, t] of runs) {
    const windowMs = t.windowMinutes * MINUTE_MS;
    for (const engine of engines) {
      const list = calls.filter((c) => c.engine === engine);
      let lo = 0;
      let hi = 0;
      // Running counts of the window's calls by kind, moved along with its two ends.
      const inWindow: Record<string, number> = { ok: 0, failed: 0, timeout: 0, breaker: 0 };
      // Minute slots, as the job's cron runs it.
      for (let at = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS; at <= toMs; at += MINUTE_MS) {
        while (hi < list.length && list[hi]!.atMs <= at) inWindow[list[hi++]!.kind]! += 1;
        while (lo < hi && list[lo]!.atMs <= at - windowMs) inWindow[list[lo++]!.kind]! -= 1;
        if (hi === lo) continue;
        const breakerOpen = inWindow.breaker!;
        const found = detectEngineFailure(
          {
            tenantId,
            engine,
            windowMinutes: t.windowMinutes,
            at: new Date(at).toISOString(),
            calls: hi - lo - breakerOpen,
            failed: inWindow.failed!,
            timedOut: inWindow.timeout!,
            breakerOpen,
            samples: [],
          },
          t,
        );
        if (found) count(tally, found, at, windowMs, new Map());
      }
    }
  }
  return calls.filter((c) => c.atMs >= fromMs).length;
}
