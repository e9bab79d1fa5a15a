import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explainRiskScore } from '../../../shared/src/risk-score.ts';
import type { EngineContribution } from '../../../shared/src/assessments.ts';

const rule = (ruleId: string, contribution: number) => ({ ruleId, name: ruleId, contribution });
const engine = (score: number, combination: EngineContribution['combination']): EngineContribution => ({
  name: 'Bank engine',
  outcome: 'ANSWERED',
  detail: 'answered',
  score,
  decision: null,
  reason: null,
  attempts: 1,
  responseTimeMs: 12,
  fallback: null,
  combination,
});

/** What the screen shows: each line's points, which must add up to the total shown. */
function addsUp(e: ReturnType<typeof explainRiskScore>): void {
  const sum = [...e.rules, ...e.adjustments].reduce((n, l) => n + l.points, 0);
  assert.equal(sum, e.total, `${e.summary}: lines add to ${sum}`);
}

describe('risk score explanation (issue 11: +35 and +20 shown with a total of 51)', { timeout: 5_000 }, () => {
  it('adds the rule points to the total when only local rules scored', () => {
    const e = explainRiskScore({
      riskScore: 0.55,
      riskFactors: [rule('a', 0.35), rule('b', 0.2), rule('c', 0)],
      assessmentDetails: { localScore: 0.55, engine: null },
    });
    assert.deepEqual(
      e.rules.map((r) => r.points),
      [35, 20],
    );
    assert.deepEqual(e.adjustments, []);
    addsUp(e);
  });

  it('shows the bank engine’s part when its answer was weighted in (35 + 20 → 51)', () => {
    const e = explainRiskScore({
      riskScore: 0.51,
      riskFactors: [rule('a', 0.35), rule('b', 0.2)],
      assessmentDetails: { localScore: 0.55, engine: engine(0.45, 'WEIGHTED') },
    });
    assert.equal(e.total, 51);
    assert.deepEqual(
      e.adjustments.map((l) => [l.kind, l.points]),
      [['engine', -4]],
    );
    assert.match(e.summary, /^51\/100 = rules 55 → local score 55; Bank engine \(score 45\): the local score weighted/);
    addsUp(e);
  });

  it('shows the cap at 100 and the rounding of fractional rule points', () => {
    const capped = explainRiskScore({ riskScore: 1, riskFactors: [rule('a', 0.7), rule('b', 0.6)], assessmentDetails: { localScore: 1, engine: null } });
    assert.deepEqual(
      capped.adjustments.map((l) => [l.kind, l.points]),
      [['cap', -30]],
    );
    addsUp(capped);
    const rounded = explainRiskScore({
      riskScore: 0.0165,
      riskFactors: [rule('a', 0.0055), rule('b', 0.0055), rule('c', 0.0055)],
      assessmentDetails: { localScore: 0.0165, engine: null },
    });
    assert.equal(rounded.total, 2);
    addsUp(rounded);
  });

  it('adds up with the engine winning under highest risk, and without stored details', () => {
    addsUp(explainRiskScore({ riskScore: 0.9, riskFactors: [rule('a', 0.3)], assessmentDetails: { localScore: 0.3, engine: engine(0.9, 'HIGHEST_RISK') } }));
    addsUp(explainRiskScore({ riskScore: 0.42, riskFactors: [rule('a', 0.21), rule('b', 0.21)], assessmentDetails: null }));
  });
});
