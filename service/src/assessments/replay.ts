import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { conflict } from '../errors.ts';
import { toIso, toNumber } from '../db/database.ts';
import type { AssessmentReplayResult, ReplayedDecision, RiskFactor, ScoringFactsSnapshot, StoredPayment } from '../../../shared/src/assessments.ts';
import { LARGE_PAYMENT_FLOOR_KES } from '../../../shared/src/decision-engine.ts';
import { evaluateLocal } from '../scoring/engine.ts';
import { decideWith } from '../scoring/decide.ts';
import { ScoringFacts, WINDOW_HOURS, type AnomalyScorer } from '../scoring/facts.ts';
import { toKesAt, type KesRateSource } from '../scoring/fx.ts';
import type { ConfigurationRegistry } from '../decision-engine/registry.ts';
import { loadAccountOpenings, type AnomalyModelCache } from '../decision-engine/anomaly-model.ts';
import { getAssessment } from './queries.ts';

export interface ReplayDeps {
  db: Kysely<Database>;
  registry: ConfigurationRegistry;
  facts: ScoringFacts;
  models: AnomalyModelCache;
  /** FX rates to KES: facts of assessments from before facts were kept take the rate effective at the payment's time. */
  rates: KesRateSource;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far back device history reaches (the live windows are warmed with 90 days at start-up). */
const DEVICE_HISTORY_DAYS = 90;
const DECISION_REASON_LENGTH = 500;

/**
 * Re-runs a stored assessment (ARCHITECTURE.md rule 3): its payment, through the configuration
 * version that decided it, from the facts stored with it, with the fraud API toggle and the bank
 * engine's answer recorded at the time (the engine is not called again), and compares the result
 * with what was stored. Read-only. Assessments made before facts were kept get their facts
 * recomputed from the stored payments as of the payment's time (`factsSource: RECOMPUTED`); those
 * can differ where live windows counted payments in the order they arrived.
 */
export async function replayAssessment(deps: ReplayDeps, id: string): Promise<AssessmentReplayResult> {
  const current = await getAssessment(deps.db, { id });
  const details = current.assessmentDetails;
  if (!details || current.engineDecision === null || current.riskLevel === null) {
    throw conflict(`assessment ${current.assessmentId} is ${current.status} and has no scored decision to replay`);
  }
  const choice = details.configuration;
  const versionNumber = choice.versionNumber ?? (current.configurationVersion ? Number.parseInt(current.configurationVersion, 10) : Number.NaN);
  const configuration = choice.configurationId === null ? deps.registry.builtInDefault : await deps.registry.loadVersion(choice.configurationId, versionNumber);
  if (!configuration)
    throw conflict(
      `version ${current.configurationVersion ?? '?'} of configuration ${choice.configurationId ?? '?'} that decided ${current.assessmentId} is no longer stored`,
    );

  const { amountKes: storedAmountKes, ...payment } = current.payment;
  const atMs = Date.parse(payment.timestamp);
  const facts = current.scoringFacts ?? (await recomputeFacts(deps, current.payment, current.createdAt));
  const anomaly = await scorerFor(deps, facts.anomalyModelId);
  // The KES amount is recomputed from the stored FX rate: the rate is an input like any other fact.
  const amountKes = toKesAt(payment.amount, facts.fxRate);
  const local = evaluateLocal(configuration.ruleSet, { payment, amountKes, atMs }, { snapshot: facts, anomaly });
  const final = decideWith(configuration, local, details.engine, details.toggle);

  const stored: ReplayedDecision = {
    riskScore: current.riskScore,
    riskLevel: current.riskLevel,
    decision: current.engineDecision,
    decisionReason: current.engineDecisionReason,
    decisionSource: details.decisionSource,
    localScore: details.localScore,
    localRiskLevel: details.localRiskLevel,
    anomalyScore: details.anomalyScore,
    riskFactors: current.riskFactors.map(factorView),
  };
  const replayed: ReplayedDecision = {
    riskScore: final.riskScore,
    riskLevel: final.riskLevel,
    decision: final.decision,
    // Stored reasons are cut to the column's length.
    decisionReason: final.decisionReason.slice(0, DECISION_REASON_LENGTH),
    decisionSource: final.decisionSource,
    localScore: local.riskScore,
    localRiskLevel: local.riskLevel,
    anomalyScore: local.anomalyScore,
    riskFactors: local.riskFactors.map(factorView),
  };
  const differences = compare(stored, replayed);
  if (amountKes !== storedAmountKes) differences.unshift({ path: 'amountKes', stored: storedAmountKes, replayed: amountKes });
  return {
    assessmentId: current.assessmentId,
    matches: differences.length === 0,
    configurationId: choice.configurationId,
    configurationVersion: current.configurationVersion,
    factsSource: current.scoringFacts ? 'STORED' : 'RECOMPUTED',
    facts,
    stored,
    replayed,
    differences,
  };
}

function factorView(f: RiskFactor): ReplayedDecision['riskFactors'][number] {
  return { ruleId: f.ruleId, outcome: f.outcome, contribution: f.contribution, explanation: f.explanation };
}

async function scorerFor(deps: ReplayDeps, id: string | null): Promise<AnomalyScorer | null> {
  if (id === null) return null;
  if (deps.facts.anomaly?.modelId === id) return deps.facts.anomaly;
  return deps.models.get(id);
}

type Difference = AssessmentReplayResult['differences'][number];

/** Every value that differs, by path; rule factors are matched by rule id. */
function compare(stored: ReplayedDecision, replayed: ReplayedDecision): Difference[] {
  const out: Difference[] = [];
  const fields = ['riskScore', 'riskLevel', 'decision', 'decisionReason', 'decisionSource', 'localScore', 'localRiskLevel', 'anomalyScore'] as const;
  for (const field of fields) if (stored[field] !== replayed[field]) out.push({ path: field, stored: stored[field], replayed: replayed[field] });
  const before = new Map(stored.riskFactors.map((f) => [f.ruleId, f]));
  const after = new Map(replayed.riskFactors.map((f) => [f.ruleId, f]));
  for (const ruleId of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(ruleId);
    const b = after.get(ruleId);
    if (!a || !b) {
      out.push({ path: `riskFactors.${ruleId}`, stored: a ?? null, replayed: b ?? null });
      continue;
    }
    for (const field of ['outcome', 'contribution', 'explanation'] as const) {
      if (a[field] !== b[field]) out.push({ path: `riskFactors.${ruleId}.${field}`, stored: a[field], replayed: b[field] });
    }
  }
  return out;
}

/**
 * Facts for an assessment made before facts were stored, as of the payment's time: the tenant's
 * payments by the same account and customer in the hourly windows before it, the customer's large
 * payments and devices before it, the account's opening date, and the anomaly model that was
 * active when the assessment was made.
 */
async function recomputeFacts(deps: ReplayDeps, payment: StoredPayment, assessedAt: string): Promise<ScoringFactsSnapshot> {
  const atMs = Date.parse(payment.timestamp);
  const hour = Math.floor(atMs / HOUR_MS);
  const windowStart = new Date((hour - WINDOW_HOURS.WEEK + 1) * HOUR_MS).toISOString();
  const deviceStart = new Date(atMs - DEVICE_HISTORY_DAYS * DAY_MS).toISOString();
  const at = new Date(atMs).toISOString();
  const earlier = await deps.db
    .selectFrom('payments')
    .select(['customer_ref', 'debtor_account', 'device_id', 'occurred_at', 'amount_kes'])
    .where('tenant_id', '=', payment.tenantId)
    .where((eb) =>
      // A payment without a debtor account has no account history ('' is "none", never a shared account).
      payment.debtorAccount === undefined
        ? eb('customer_ref', '=', payment.customerId)
        : eb.or([eb('customer_ref', '=', payment.customerId), eb('debtor_account', '=', payment.debtorAccount)]),
    )
    .where('occurred_at', '>=', deviceStart)
    .where('occurred_at', '<', at)
    .execute();
  const empty = () => ({ count: 0, sumKes: 0 });
  const velocity = { account: { day: empty(), week: empty() }, customer: { day: empty(), week: empty() } };
  const largePaymentsKes: ScoringFactsSnapshot['largePaymentsKes'] = { day: [], earlierInWeek: [] };
  let devicePayments = 0;
  let deviceKnown = false;
  for (const p of earlier) {
    const ms = Date.parse(toIso(p.occurred_at));
    const amount = toNumber(p.amount_kes);
    const inWeek = toIso(p.occurred_at) >= windowStart;
    const inDay = Math.floor(ms / HOUR_MS) > hour - WINDOW_HOURS.DAY;
    const add = (w: { day: { count: number; sumKes: number }; week: { count: number; sumKes: number } }) => {
      if (!inWeek) return;
      w.week.count++;
      w.week.sumKes += amount;
      if (inDay) {
        w.day.count++;
        w.day.sumKes += amount;
      }
    };
    if (payment.debtorAccount !== undefined && p.debtor_account === payment.debtorAccount) add(velocity.account);
    if (p.customer_ref === payment.customerId) {
      add(velocity.customer);
      if (amount >= LARGE_PAYMENT_FLOOR_KES && ms > atMs - WINDOW_HOURS.WEEK * HOUR_MS) {
        (ms > atMs - WINDOW_HOURS.DAY * HOUR_MS ? largePaymentsKes.day : largePaymentsKes.earlierInWeek).push(amount);
      }
      if (p.device_id) {
        devicePayments++;
        if (p.device_id === payment.deviceId) deviceKnown = true;
      }
    }
  }
  const accounts = new ScoringFacts();
  await loadAccountOpenings(deps.db, accounts, [payment.customerId]);
  const model = await deps.db
    .selectFrom('anomaly_models')
    .select('id')
    .where('trained_at', '<=', assessedAt)
    .orderBy('trained_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  // The rate in effect at the payment's time; before the first rate, the one its KES amount implies.
  const fxRate = deps.rates.rateAt(payment.currency, atMs) ?? payment.amountKes / payment.amount;
  const base = accounts.snapshot(payment, atMs, fxRate);
  return {
    ...base,
    velocity,
    largePaymentsKes,
    device: payment.deviceId ? { known: deviceKnown, priorPayments: devicePayments } : null,
    anomalyModelId: model?.id ?? null,
  };
}
