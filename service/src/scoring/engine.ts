import type { Decision, EngineContribution, RiskFactor, RiskLevel } from '../../../shared/src/assessments.ts';
import { DECISION_SEVERITY, type DecisionCriteria, type RuleDefinition, type Thresholds } from '../../../shared/src/decision-engine.ts';
import { ScoringFacts, type PaymentFacts } from './facts.ts';
import { referenceKesRate } from './fx.ts';
import { compileRules, type CompiledRule, type PreparedPayment, type RuleResult } from './rules.ts';

export const SKIPPED_EXPLANATION = 'Not evaluated: the decision was already settled by cheaper rules';

/** A configuration version's rules, thresholds and decision criteria, compiled once. */
export interface CompiledRuleSet {
  rules: CompiledRule[];
  thresholds: Thresholds;
  criteria: DecisionCriteria;
  /** Severity of the override decision of each rule (-1 = none), by position in `rules`. */
  overrideSeverity: number[];
  /** The worst override any rule from position i on could still impose. */
  worstOverrideFrom: number[];
}

export function compileRuleSet(rules: readonly RuleDefinition[], thresholds: Thresholds, criteria: DecisionCriteria): CompiledRuleSet {
  const compiled = compileRules(rules);
  const overrides = new Map(criteria.ruleOverrides.map((o) => [o.ruleId, DECISION_SEVERITY[o.decision]]));
  const overrideSeverity = compiled.map((r) => overrides.get(r.rule.id) ?? -1);
  const worstOverrideFrom = new Array<number>(compiled.length + 1).fill(-1);
  for (let i = compiled.length - 1; i >= 0; i--) worstOverrideFrom[i] = Math.max(worstOverrideFrom[i + 1]!, overrideSeverity[i]!);
  return { rules: compiled, thresholds, criteria, overrideSeverity, worstOverrideFrom };
}

export interface LocalEvaluation {
  riskScore: number;
  riskLevel: RiskLevel;
  decision: Decision;
  decisionReason: string;
  riskFactors: RiskFactor[];
  shortCircuited: boolean;
  anomalyScore: number | null;
  /** Rule whose override set the decision, if any. */
  overriddenBy: string | null;
  /** Rules logged as ERROR (they threw, or ran over their budget): the decision is at least MANUAL_REVIEW. */
  ruleErrors: string[];
}

/** A rule that could not say whether it fires sends the payment at least to review (see evaluateLocal). */
export const RULE_ERROR_DECISION: Decision = 'MANUAL_REVIEW';

/** CPU milliseconds of this thread: confirms a budget overrun was work, not the process waiting for a core. */
const threadCpuMs =
  typeof process.threadCpuUsage === 'function'
    ? () => {
        const used = process.threadCpuUsage();
        return (used.user + used.system) / 1000;
      }
    : () => performance.now();

/**
 * Confirms a wall-time overrun as work rather than the process waiting for a core: the rule is run
 * once more (rules are pure over the facts snapshot) while this thread's CPU time is read. Reading
 * CPU time is a system call (~4 µs, a sixth of a whole decision), so only a candidate pays for it.
 */
function cpuOverBudget(compiled: CompiledRuleSet['rules'][number], p: PreparedPayment, facts: PaymentFacts): boolean {
  const before = threadCpuMs();
  try {
    if (compiled.inScope(p)) compiled.check(p, facts);
  } catch {
    // It failed this time: the overrun stands.
    return true;
  }
  return threadCpuMs() - before > compiled.budgetMs;
}

export function riskLevelFor(score: number, thresholds: Thresholds): RiskLevel {
  if (score >= thresholds.critical) return 'CRITICAL';
  if (score >= thresholds.high) return 'HIGH';
  if (score >= thresholds.medium) return 'MEDIUM';
  return 'LOW';
}

const DECISIONS_BY_SEVERITY = (Object.entries(DECISION_SEVERITY) as Array<[Decision, number]>).sort((a, b) => a[1] - b[1]).map(([d]) => d);
export function worseDecision(a: Decision, b: Decision): Decision {
  return DECISION_SEVERITY[a] >= DECISION_SEVERITY[b] ? a : b;
}
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * Evaluates the local rules cheapest first. A rule that throws, or runs over its evaluation budget
 * (RULE_BUDGET_MS), is recorded as ERROR with no contribution, so one bad rule cannot stop
 * payments; the others still decide. But a rule that could not say whether it fires may have
 * missed fraud, so such a payment is not approved straight through: its decision is at least
 * MANUAL_REVIEW (RULE_ERROR_DECISION) and the reason names the rule (README "Rule safety").
 * Once the score reaches the critical threshold and no remaining rule could impose a worse
 * decision, the rest are SKIPPED (short-circuit): the risk level and decision can no longer change.
 */
export function evaluateLocal(set: CompiledRuleSet, p: PreparedPayment, source: PaymentFacts | ScoringFacts): LocalEvaluation {
  // Live facts (tests, fixtures) are snapshotted first: rules only ever read a snapshot.
  const facts = source instanceof ScoringFacts ? source.factsFor(p.payment, p.atMs, referenceKesRate(p.payment.currency)) : source;
  const riskFactors: RiskFactor[] = [];
  let total = 0;
  let overrideSeverity = -1;
  let overriddenBy: string | null = null;
  let anomalyScore: number | null = null;
  let shortCircuited = false;
  const ruleErrors: string[] = [];
  const criticalDecisionSeverity = DECISION_SEVERITY[set.criteria.byRiskLevel.CRITICAL];

  for (let i = 0; i < set.rules.length; i++) {
    const compiled = set.rules[i]!;
    const { rule } = compiled;
    if (shortCircuited) {
      riskFactors.push({
        ruleId: rule.id,
        name: rule.name,
        family: rule.family,
        outcome: 'SKIPPED',
        weight: rule.weight,
        contribution: 0,
        explanation: SKIPPED_EXPLANATION,
        evaluationMicros: 0,
      });
      continue;
    }
    const started = performance.now();
    let result: RuleResult;
    let outcome: RiskFactor['outcome'];
    try {
      if (!compiled.inScope(p)) {
        result = { fired: false, contribution: 0, explanation: "Out of this rule's scope (channel, payment type or amount)" };
      } else {
        result = compiled.check(p, facts);
      }
      outcome = result.notEvaluated ? 'NOT_EVALUATED' : result.fired ? 'HIT' : 'NO_HIT';
    } catch (error) {
      result = { fired: false, contribution: 0, explanation: `Rule failed: ${error instanceof Error ? error.message : String(error)}` };
      outcome = 'ERROR';
    }
    const wallMs = performance.now() - started;
    // Wall time is cheap to read; a candidate overrun is confirmed against CPU time (see cpuOverBudget).
    if (outcome !== 'ERROR' && wallMs > compiled.budgetMs && cpuOverBudget(compiled, p, facts)) {
      result = {
        fired: false,
        contribution: 0,
        explanation: `Over its evaluation budget: took ${Math.round(wallMs)} ms, the budget is ${compiled.budgetMs} ms; result not counted (${result.explanation})`,
      };
      outcome = 'ERROR';
    }
    if (outcome === 'ERROR') ruleErrors.push(rule.id);
    if (result.anomalyScore !== undefined) anomalyScore = result.anomalyScore;
    total += result.contribution;
    if (result.fired && set.overrideSeverity[i]! > overrideSeverity) {
      overrideSeverity = set.overrideSeverity[i]!;
      overriddenBy = rule.id;
    }
    riskFactors.push({
      ruleId: rule.id,
      name: rule.name,
      family: rule.family,
      outcome,
      weight: rule.weight,
      contribution: round4(result.contribution),
      explanation: result.explanation,
      evaluationMicros: Math.round(wallMs * 1000),
    });
    if (total >= set.thresholds.critical && i + 1 < set.rules.length) {
      const current = Math.max(criticalDecisionSeverity, overrideSeverity);
      if (current >= set.worstOverrideFrom[i + 1]!) shortCircuited = true;
    }
  }

  const riskScore = round4(Math.min(1, total));
  const riskLevel = riskLevelFor(riskScore, set.thresholds);
  let decision = set.criteria.byRiskLevel[riskLevel];
  if (overrideSeverity > DECISION_SEVERITY[decision]) decision = DECISIONS_BY_SEVERITY[overrideSeverity]!;
  else overriddenBy = null;
  const fired = riskFactors.filter((f) => f.outcome === 'HIT').map((f) => f.name);
  let decisionReason =
    fired.length === 0
      ? `${riskLevel} risk (score ${riskScore.toFixed(2)}): no risk rule fired`
      : `${riskLevel} risk (score ${riskScore.toFixed(2)}): ${fired.join('; ')}`;
  if (overriddenBy) decisionReason = `${decision} because rule ${overriddenBy} fired. ${decisionReason}`;
  if (ruleErrors.length > 0) {
    const floored = DECISION_SEVERITY[decision] < DECISION_SEVERITY[RULE_ERROR_DECISION];
    if (floored) decision = RULE_ERROR_DECISION;
    const which = `rule${ruleErrors.length === 1 ? '' : 's'} ${ruleErrors.join(', ')} could not be evaluated (ERROR)`;
    decisionReason = floored ? `${decision} because ${which}. ${decisionReason}` : `${decisionReason}; ${which}`;
  }
  return { riskScore, riskLevel, decision, decisionReason, riskFactors, shortCircuited, anomalyScore, overriddenBy, ruleErrors };
}

export interface FinalDecision {
  riskScore: number;
  riskLevel: RiskLevel;
  decision: Decision;
  decisionReason: string;
  decisionSource: string;
}

/**
 * Combines the local rules with the bank engine's answer (seed 003: its answer is enforced), or
 * applies the fallback when the engine did not answer. Modes:
 * - HIGHEST_RISK: the higher score and the more severe decision win;
 * - WEIGHTED: score = (1 − w)·local + w·engine, decision from the thresholds (rule overrides still apply);
 * - ENGINE_OVERRIDES: the engine's score and decision replace the local ones.
 */
export function combineWithEngine(local: LocalEvaluation, engine: EngineContribution | null, set: CompiledRuleSet, engineWeight: number): FinalDecision {
  if (!engine || engine.outcome === 'NOT_CALLED') {
    return { ...pick(local), decisionSource: 'Local rules' };
  }
  if (engine.outcome !== 'ANSWERED' || engine.score === null) {
    const fallback = engine.fallback ?? 'LOCAL_RULES_ONLY';
    if (fallback === 'LOCAL_RULES_ONLY') {
      return {
        ...pick(local),
        decisionReason: `${local.decisionReason}. Bank engine unavailable (${engine.detail}); decided by local rules only`,
        decisionSource: 'Local rules (bank engine fallback)',
      };
    }
    return {
      riskScore: local.riskScore,
      riskLevel: local.riskLevel,
      decision: fallback,
      decisionReason: `${fallback} by fallback: bank engine unavailable (${engine.detail}). Local rules: ${local.decisionReason}`,
      decisionSource: `Fallback ${fallback}`,
    };
  }
  const engineScore = engine.score;
  const engineText = `${engine.name} (score ${engineScore.toFixed(2)}${engine.decision ? `, ${engine.decision}` : ''}${engine.reason ? `: ${engine.reason}` : ''})`;
  const mode = engine.combination ?? 'HIGHEST_RISK';
  if (mode === 'ENGINE_OVERRIDES') {
    const riskScore = round4(engineScore);
    const riskLevel = riskLevelFor(riskScore, set.thresholds);
    const decision = engine.decision ?? set.criteria.byRiskLevel[riskLevel];
    return {
      riskScore,
      riskLevel,
      decision,
      decisionReason: `${decision} as decided by the ${engineText}. Local rules: ${local.decisionReason}`,
      decisionSource: 'Bank engine (overrides local rules)',
    };
  }
  if (mode === 'WEIGHTED') {
    const riskScore = round4((1 - engineWeight) * local.riskScore + engineWeight * engineScore);
    const riskLevel = riskLevelFor(riskScore, set.thresholds);
    let decision = set.criteria.byRiskLevel[riskLevel];
    if (local.overriddenBy || local.ruleErrors.length > 0) decision = worseDecision(decision, local.decision);
    return {
      riskScore,
      riskLevel,
      decision,
      decisionReason: `${riskLevel} risk (weighted score ${riskScore.toFixed(2)}: local ${local.riskScore.toFixed(2)}, ${engineText})`,
      decisionSource: `Weighted: ${Math.round((1 - engineWeight) * 100)}% local rules, ${Math.round(engineWeight * 100)}% bank engine`,
    };
  }
  const riskScore = round4(Math.max(local.riskScore, engineScore));
  const riskLevel = riskLevelFor(riskScore, set.thresholds);
  let decision = worseDecision(local.decision, set.criteria.byRiskLevel[riskLevel]);
  if (engine.decision) decision = worseDecision(decision, engine.decision);
  const engineWon = engineScore > local.riskScore || (engine.decision !== null && DECISION_SEVERITY[engine.decision] > DECISION_SEVERITY[local.decision]);
  return {
    riskScore,
    riskLevel,
    decision,
    decisionReason: `${decision}: ${engineWon ? `the ${engineText} outranks the local rules` : `local rules outrank the ${engineText}`}. Local: ${local.decisionReason}`,
    decisionSource: engineWon ? 'Bank engine (highest risk wins)' : 'Local rules (highest risk wins)',
  };
}

function pick(local: LocalEvaluation): Omit<FinalDecision, 'decisionSource'> {
  return { riskScore: local.riskScore, riskLevel: local.riskLevel, decision: local.decision, decisionReason: local.decisionReason };
}
