import type { RiskFactor } from '../../../shared/src/assessments.ts';
import { fromJsonOrNull } from '../db/database.ts';
import { SKIPPED_EXPLANATION } from '../scoring/engine.ts';

/**
 * The per-rule log is stored as tuples, not objects: seventeen rules' field names repeated on
 * every payment were a third of the row, pushing it past one database page. The API shape is
 * unchanged; rows written in the object form still read.
 */
type StoredFactor = [
  ruleId: string,
  name: string,
  family: RiskFactor['family'],
  outcome: RiskFactor['outcome'],
  weight: number,
  contribution: number,
  explanation: string,
  micros: number,
];

export function encodeRiskFactors(factors: readonly RiskFactor[]): string {
  return JSON.stringify(
    factors.map(
      (f): StoredFactor => [f.ruleId, f.name, f.family, f.outcome, f.weight, f.contribution, f.outcome === 'SKIPPED' ? '' : f.explanation, f.evaluationMicros],
    ),
  );
}

export function decodeRiskFactors(value: unknown): RiskFactor[] {
  const stored = fromJsonOrNull<Array<StoredFactor | RiskFactor>>(value) ?? [];
  return stored.map((f) => {
    if (!Array.isArray(f)) return f;
    const [ruleId, name, family, outcome, weight, contribution, explanation, evaluationMicros] = f;
    return {
      ruleId,
      name,
      family,
      outcome,
      weight,
      contribution,
      explanation: outcome === 'SKIPPED' && !explanation ? SKIPPED_EXPLANATION : explanation,
      evaluationMicros,
    };
  });
}
