import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scorePayment, localTime, riskLevelFor } from './engine.ts';
import { DEFAULT_RULE_SET, RuleSet } from './rules.ts';
import { toKes } from './fx.ts';
import { samplePayment } from '../testing/fixtures.ts';

const score = (overrides: Parameters<typeof samplePayment>[0]) => {
  const payment = samplePayment(overrides);
  return scorePayment(payment, toKes(payment.amount, payment.currency), DEFAULT_RULE_SET);
};
const factor = (result: ReturnType<typeof score>, ruleId: string) => {
  const found = result.riskFactors.find((f) => f.ruleId === ruleId);
  assert.ok(found, `rule ${ruleId} missing from the decision log`);
  return found;
};

describe('first rule set', () => {
  it('approves an ordinary daytime mobile payment with every rule logged as NO_HIT', () => {
    const result = score({});
    assert.equal(result.riskScore, 0);
    assert.equal(result.riskLevel, 'LOW');
    assert.equal(result.decision, 'APPROVE');
    assert.deepEqual(result.riskFactors.map((f) => f.outcome), ['NO_HIT', 'NO_HIT', 'NO_HIT']);
  });

  it('sends KES 1M–10M to manual review and holds more than KES 10M (seed 001)', () => {
    const review = score({ amount: 1_000_000 });
    assert.equal(factor(review, 'amount.high').contribution, 0.35);
    assert.equal(review.decision, 'MANUAL_REVIEW');
    const atLimit = score({ amount: 10_000_000 });
    assert.equal(factor(atLimit, 'amount.high').contribution, 0.35, 'exactly 10M is not above the limit');
    const hold = score({ amount: 10_000_000.01 });
    assert.equal(factor(hold, 'amount.high').contribution, 0.6);
    assert.equal(hold.riskLevel, 'HIGH');
    assert.equal(hold.decision, 'HOLD');
  });

  it('converts foreign currency to KES before comparing', () => {
    const usd = score({ amount: 80_000, currency: 'USD' }); // ≈ KES 10.3M
    assert.equal(factor(usd, 'amount.high').outcome, 'HIT');
    assert.equal(factor(usd, 'amount.high').contribution, 0.6);
    assert.match(factor(usd, 'amount.high').explanation, /above the KES\s?10,000,000/);
  });

  it('flags off-hours by Nairobi wall-clock time, not the offset the payment was sent with', () => {
    // 23:30 UTC is 02:30 in Nairobi.
    const night = score({ timestamp: '2026-11-20T23:30:00Z' });
    assert.equal(factor(night, 'time.off-hours').outcome, 'HIT');
    assert.match(factor(night, 'time.off-hours').explanation, /02:30 Africa\/Nairobi/);
    // 18:59 UTC is 21:59 Nairobi: still business hours; 19:00 UTC is 22:00: off-hours start.
    assert.equal(factor(score({ timestamp: '2026-11-20T18:59:00Z' }), 'time.off-hours').outcome, 'NO_HIT');
    assert.equal(factor(score({ timestamp: '2026-11-20T19:00:00Z' }), 'time.off-hours').outcome, 'HIT');
    // 06:00 Nairobi is the first business minute.
    assert.equal(factor(score({ timestamp: '2026-11-20T06:00:00+03:00' }), 'time.off-hours').outcome, 'NO_HIT');
    assert.deepEqual(localTime(new Date('2026-11-20T21:05:00Z'), 'Africa/Nairobi'), { hour: 0, minute: 5 });
  });

  it('weights high-risk and elevated-risk countries differently', () => {
    assert.equal(factor(score({ country: 'IR' }), 'location.high-risk-country').contribution, 0.35);
    assert.equal(factor(score({ country: 'NG' }), 'location.high-risk-country').contribution, 0.2);
    assert.equal(factor(score({ country: 'UG' }), 'location.high-risk-country').outcome, 'NO_HIT');
  });

  it('adds contributions, caps the score at 1 and escalates critical payments', () => {
    const result = score({ amount: 12_500_000, country: 'IR', timestamp: '2026-11-20T02:30:00+03:00' });
    assert.equal(result.riskScore, 1);
    assert.equal(result.riskLevel, 'CRITICAL');
    assert.equal(result.decision, 'ESCALATE');
    assert.match(result.decisionReason, /High amount; High-risk country; Off-hours payment/);
  });

  it('maps scores to levels at the configured thresholds', () => {
    const t = DEFAULT_RULE_SET.thresholds;
    assert.equal(riskLevelFor(t.medium - 0.0001, t), 'LOW');
    assert.equal(riskLevelFor(t.medium, t), 'MEDIUM');
    assert.equal(riskLevelFor(t.high, t), 'HIGH');
    assert.equal(riskLevelFor(t.critical, t), 'CRITICAL');
  });

  it('records a failing rule as ERROR without failing the assessment', () => {
    const broken = RuleSet.parse({
      ...DEFAULT_RULE_SET,
      rules: [{ id: 'time.bad-zone', name: 'Bad zone', family: 'TIME', kind: 'off-hours', weight: 0.2, params: { timeZone: 'Mars/Olympus_Mons', startHour: 22, endHour: 6 } }],
    });
    const payment = samplePayment();
    const result = scorePayment(payment, payment.amount, broken);
    assert.equal(result.riskFactors[0]?.outcome, 'ERROR');
    assert.equal(result.riskScore, 0);
  });
});
