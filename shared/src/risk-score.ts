import type { AssessmentDetails, RiskFactor } from './assessments.ts';

/**
 * How a payment's risk score (0–100 points) is made up, in the points the screens show (issue 11:
 * "+35 and +20 add to a total shown as 51/100"). One function, so the case page, the assessment
 * drawer and any export explain the score the same way, and the lines always add up to the total:
 * - each rule's contribution in whole points (the engine stores a share of 0..1);
 * - "Capped at 100" when the rules add up to more (service/src/scoring/engine.ts: min(1, Σ));
 * - "Rounding" when whole points per rule and the stored 4-decimal score differ by a point;
 * - the bank engine's part when its answer was combined (highest risk wins, weighted, override).
 */
export interface ScoreLine {
  kind: 'rule' | 'cap' | 'rounding' | 'engine';
  label: string;
  points: number;
  ruleId?: string;
}

export interface ScoreExplanation {
  /** The score shown, 0–100 points. */
  total: number;
  /** The local rules' score after the cap, 0–100 points. */
  localTotal: number;
  /** Rules with a non-zero contribution, largest first. */
  rules: ScoreLine[];
  /** What turns the sum of the rules into the total (cap, rounding, engine); empty when they are equal. */
  adjustments: ScoreLine[];
  /** One sentence: "51/100 = rules 55, capped at 100 → local 55; weighted with the bank engine (…) → 51". */
  summary: string;
}

/** Whole points (0–100) of a 0..1 share. */
export function toPoints(share: number): number {
  return Math.round(Math.max(0, Math.min(1, share)) * 100);
}

const COMBINATION_WORDS = {
  HIGHEST_RISK: 'the higher of the local score and the bank engine’s',
  WEIGHTED: 'the local score weighted with the bank engine’s',
  ENGINE_OVERRIDES: 'the bank engine’s score replaces the local one',
} as const;

export function explainRiskScore(a: {
  riskScore: number | null;
  riskFactors: readonly Pick<RiskFactor, 'ruleId' | 'name' | 'contribution'>[];
  assessmentDetails: Pick<AssessmentDetails, 'localScore' | 'engine'> | null;
}): ScoreExplanation {
  const total = toPoints(a.riskScore ?? 0);
  const rules: ScoreLine[] = a.riskFactors
    .filter((f) => f.contribution > 0)
    .sort((x, y) => y.contribution - x.contribution)
    .map((f) => ({ kind: 'rule' as const, label: f.name, points: Math.round(f.contribution * 100), ruleId: f.ruleId }));
  const ruleSum = rules.reduce((n, r) => n + r.points, 0);
  const localShare =
    a.assessmentDetails?.localScore ??
    Math.min(
      1,
      a.riskFactors.reduce((n, f) => n + Math.max(0, f.contribution), 0),
    );
  const localTotal = toPoints(localShare);
  const adjustments: ScoreLine[] = [];
  let running = ruleSum;
  if (running > 100) {
    adjustments.push({ kind: 'cap', label: 'Capped at 100', points: 100 - running });
    running = 100;
  }
  if (running !== localTotal) {
    adjustments.push({ kind: 'rounding', label: 'Rounding of the rule points', points: localTotal - running });
    running = localTotal;
  }
  const engine = a.assessmentDetails?.engine ?? null;
  let engineWords = '';
  if (running !== total) {
    const combined = engine?.outcome === 'ANSWERED' && engine.combination;
    const label = combined ? `${engine.name} (score ${toPoints(engine.score ?? 0)}): ${COMBINATION_WORDS[engine.combination!]}` : 'Other scoring components';
    adjustments.push({ kind: 'engine', label, points: total - running });
    engineWords = `; ${label} → ${total}`;
    running = total;
  }
  const capWords = ruleSum > 100 ? ', capped at 100' : '';
  const summary = `${total}/100 = rules ${ruleSum}${capWords} → local score ${localTotal}${engineWords}`;
  return { total, localTotal, rules, adjustments, summary };
}
