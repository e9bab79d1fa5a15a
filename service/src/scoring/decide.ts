import {
  RISK_LEVEL_ORDER,
  type AssessmentDetails,
  type AssessmentStatus,
  type EngineContribution,
  type RiskAssessmentType,
} from '../../../shared/src/assessments.ts';
import { combineWithEngine, type CompiledRuleSet, type FinalDecision, type LocalEvaluation } from './engine.ts';

/**
 * The last steps of a decision, shared by live scoring, replay and backtests so that all three
 * decide the same way from the same inputs (ARCHITECTURE.md rule 3): whether the bank's engine is
 * wanted, how its answer (or its absence) combines with the local rules, and what a fraud API
 * toggle does to the result. No clock, no I/O.
 */

export type ToggleState = NonNullable<AssessmentDetails['toggle']>;

/** What of a configuration version these steps read. */
export interface DecidingConfiguration {
  ruleSet: CompiledRuleSet;
  body: {
    riskAssessmentType: RiskAssessmentType;
    bankFraudApiConfig: { enabled: boolean; name: string; combination: { mode: NonNullable<EngineContribution['combination']>; engineWeight: number } } | null;
  };
}

/** Why the bank engine is not called for this configuration (null = it is called). */
export function engineSkipReason(configuration: DecidingConfiguration, local: LocalEvaluation | null): string | null {
  const bank = configuration.body.bankFraudApiConfig;
  if (!bank?.enabled) return 'no bank engine configured';
  if (configuration.body.riskAssessmentType === 'HYBRID' && local && RISK_LEVEL_ORDER[local.riskLevel] < RISK_LEVEL_ORDER.MEDIUM) {
    return `HYBRID assessment: local risk ${local.riskLevel}, so the bank engine was not needed`;
  }
  return null;
}

/** The local rules combined with the engine's contribution, then the toggle's behaviour applied. */
export function decideWith(
  configuration: DecidingConfiguration,
  local: LocalEvaluation,
  engine: EngineContribution | null,
  toggle: ToggleState | null,
): FinalDecision {
  const bank = configuration.body.bankFraudApiConfig;
  const final = combineWithEngine(local, engine, configuration.ruleSet, bank?.combination.engineWeight ?? 0);
  if (toggle && !toggle.enabled && toggle.behaviour === 'APPROVE') {
    // Seed 003: while the fraud API is disabled, payments are approved without assessment.
    return {
      riskScore: local.riskScore,
      riskLevel: local.riskLevel,
      decision: 'APPROVE',
      decisionReason: `APPROVE: fraud API disabled for this context (${toggle.reason}); local rules for the record: ${local.decisionReason}`,
      decisionSource: 'Fraud API toggle (disabled): approved without assessment',
    };
  }
  if (toggle && !toggle.enabled) return { ...final, decisionSource: 'Local rules only (fraud API disabled by toggle)' };
  return final;
}

const ENGINE_STATUS: Record<Exclude<EngineContribution['outcome'], 'NOT_CALLED'>, AssessmentStatus> = {
  ANSWERED: 'COMPLETED',
  TIMEOUT: 'TIMEOUT',
  FAILED: 'ERROR',
  BREAKER_OPEN: 'ERROR',
  INVALID_ANSWER: 'ERROR',
};

/** An assessment's status follows the engine call: an unanswered call leaves it TIMEOUT or ERROR (retryable). */
export function statusFor(engine: EngineContribution | null): AssessmentStatus {
  return engine && engine.outcome !== 'NOT_CALLED' ? ENGINE_STATUS[engine.outcome] : 'COMPLETED';
}

/**
 * The engine's part when a configuration is re-run over a stored decision (backtests): the
 * answer the engine gave at the time, as the version being tested would have combined it. The
 * engine is never called for history; where the version would have asked it but it was not asked
 * at the time, the local rules decide and the detail says so.
 */
/** The engine's part of an assessment when it was not asked (switched off, or not needed). */
export function engineNotCalled(bank: { name: string; combination: { mode: EngineContribution['combination'] } }, detail: string): EngineContribution {
  return {
    name: bank.name,
    outcome: 'NOT_CALLED',
    detail,
    score: null,
    decision: null,
    reason: null,
    attempts: 0,
    responseTimeMs: null,
    fallback: null,
    combination: bank.combination.mode,
  };
}

export function engineFromHistory(
  configuration: DecidingConfiguration,
  local: LocalEvaluation,
  stored: EngineContribution | null,
  toggle: ToggleState | null,
  fallbackMode: EngineContribution['fallback'],
): EngineContribution | null {
  const bank = configuration.body.bankFraudApiConfig;
  if (!bank) return null;
  const notCalled = (detail: string) => engineNotCalled(bank, detail);
  if (toggle && !toggle.enabled)
    return notCalled(stored?.detail ?? `Fraud API switched off for this context by toggle ${toggle.configurationId}: ${toggle.reason}`);
  const skip = engineSkipReason(configuration, local);
  if (skip !== null) return notCalled(skip);
  if (!stored || stored.outcome === 'NOT_CALLED') return notCalled('Not asked at the time: decided by the local rules');
  const answered = stored.outcome === 'ANSWERED' && stored.score !== null;
  return { ...stored, name: bank.name, combination: bank.combination.mode, fallback: answered ? null : fallbackMode };
}
