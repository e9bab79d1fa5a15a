import {
  scoreOn,
  type ControlEffectiveness,
  type ControlType,
  type ResidualControlEffect,
  type ResidualExplanation,
  type RiskMatrixDefinition,
} from '../../../shared/src/risk-register.ts';

/**
 * The residual score is derived, never typed in (issue 13): the inherent likelihood and impact,
 * each lowered by the linked controls' effectiveness. Preventive controls lower likelihood,
 * detective and corrective ones lower impact; an EFFECTIVE control counts a whole step, a
 * PARTIALLY_EFFECTIVE one half a step, an INEFFECTIVE or untested one nothing. The steps per axis
 * are the credits' sum rounded down, and neither axis goes below 1. Pure, so that an assessment's
 * residual can be recomputed from what it stored.
 */

export const EFFECTIVENESS_CREDIT: Record<ControlEffectiveness, number> = {
  EFFECTIVE: 1,
  PARTIALLY_EFFECTIVE: 0.5,
  INEFFECTIVE: 0,
  NOT_TESTED: 0,
};

export interface LinkedControl {
  id: string;
  reference: string;
  name: string;
  type: ControlType;
  effectiveness: ControlEffectiveness;
}

export interface DerivedResidual {
  likelihood: number;
  impact: number;
  explanation: ResidualExplanation;
}

const creditText = (credit: number, axis: string) => (credit === 0 ? 'no reduction' : `−${credit} ${axis} step${credit === 1 ? '' : 's'}`);

export function deriveResidual(
  matrix: RiskMatrixDefinition,
  inherentLikelihood: number,
  inherentImpact: number,
  controls: readonly LinkedControl[],
): DerivedResidual {
  const ordered = [...controls].sort((a, b) => a.reference.localeCompare(b.reference));
  const effects: ResidualControlEffect[] = ordered.map((c) => ({
    controlId: c.id,
    reference: c.reference,
    name: c.name,
    type: c.type,
    effectiveness: c.effectiveness,
    axis: c.type === 'PREVENTIVE' ? 'LIKELIHOOD' : 'IMPACT',
    credit: EFFECTIVENESS_CREDIT[c.effectiveness],
  }));
  const sum = (axis: ResidualControlEffect['axis']) => effects.filter((e) => e.axis === axis).reduce((total, e) => total + e.credit, 0);
  const likelihoodSteps = Math.floor(sum('LIKELIHOOD'));
  const impactSteps = Math.floor(sum('IMPACT'));
  const likelihood = Math.max(1, inherentLikelihood - likelihoodSteps);
  const impact = Math.max(1, inherentImpact - impactSteps);
  const inherent = scoreOn(matrix, inherentLikelihood, inherentImpact);
  const residual = scoreOn(matrix, likelihood, impact);
  const lines = [
    `Inherent: likelihood ${inherent.likelihood} × impact ${inherent.impact} = ${inherent.score} (${inherent.level.name})`,
    ...effects.map(
      (e) =>
        `${e.reference} ${e.name} (${e.type.toLowerCase()}, ${e.effectiveness.replace(/_/g, ' ').toLowerCase()}): ${creditText(e.credit, e.axis === 'LIKELIHOOD' ? 'likelihood' : 'impact')}`,
    ),
    ...(effects.length === 0 ? ['No linked controls: the residual equals the inherent score'] : []),
    `Residual: likelihood ${inherentLikelihood} lowered ${likelihoodSteps} → ${likelihood}, impact ${inherentImpact} lowered ${impactSteps} → ${impact} (never below 1): ${residual.score} (${residual.level.name})`,
  ];
  return {
    likelihood,
    impact,
    explanation: { inherentLikelihood, inherentImpact, likelihoodSteps, impactSteps, controls: effects, lines },
  };
}
