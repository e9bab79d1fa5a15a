import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RISK_MATRIX } from '../../../shared/src/risk-register.ts';
import { deriveResidual, type LinkedControl } from './residual.ts';

const control = (reference: string, type: LinkedControl['type'], effectiveness: LinkedControl['effectiveness']): LinkedControl => ({
  id: `00000000-0000-4000-8000-00000000000${reference.slice(-1)}`,
  reference,
  name: `Control ${reference}`,
  type,
  effectiveness,
});

describe('residual derivation (pure)', { timeout: 10_000 }, () => {
  it('equals the inherent position without effective controls', () => {
    const r = deriveResidual(DEFAULT_RISK_MATRIX, 4, 5, [control('CTL-0001', 'PREVENTIVE', 'NOT_TESTED'), control('CTL-0002', 'DETECTIVE', 'INEFFECTIVE')]);
    assert.deepEqual([r.likelihood, r.impact], [4, 5]);
    assert.deepEqual([r.explanation.likelihoodSteps, r.explanation.impactSteps], [0, 0]);
  });

  it('lowers likelihood for preventive controls and impact for detective and corrective ones; halves add up, the sum rounds down', () => {
    const r = deriveResidual(DEFAULT_RISK_MATRIX, 4, 5, [
      control('CTL-0003', 'PREVENTIVE', 'EFFECTIVE'),
      control('CTL-0001', 'DETECTIVE', 'PARTIALLY_EFFECTIVE'),
      control('CTL-0002', 'CORRECTIVE', 'PARTIALLY_EFFECTIVE'),
      control('CTL-0004', 'PREVENTIVE', 'PARTIALLY_EFFECTIVE'),
    ]);
    assert.deepEqual([r.likelihood, r.impact], [3, 4], 'likelihood 1.5 → 1 step, impact 0.5 + 0.5 → 1 step');
    assert.deepEqual(
      r.explanation.controls.map((c) => [c.reference, c.axis, c.credit]),
      [
        ['CTL-0001', 'IMPACT', 0.5],
        ['CTL-0002', 'IMPACT', 0.5],
        ['CTL-0003', 'LIKELIHOOD', 1],
        ['CTL-0004', 'LIKELIHOOD', 0.5],
      ],
    );
    assert.match(r.explanation.lines.at(-1)!, /12 \(High\)$/);
  });

  it('never goes below 1 on either axis', () => {
    const many = ['1', '2', '3'].map((n) => control(`CTL-000${n}`, 'PREVENTIVE', 'EFFECTIVE'));
    const r = deriveResidual(DEFAULT_RISK_MATRIX, 2, 1, [...many, control('CTL-0009', 'CORRECTIVE', 'EFFECTIVE')]);
    assert.deepEqual([r.likelihood, r.impact], [1, 1]);
    assert.equal(r.explanation.likelihoodSteps, 3);
  });
});
