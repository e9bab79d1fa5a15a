import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES, newConfigurationTemplate, newRuleOfKind } from '../../../shared/src/decision-engine-defaults.ts';
import { RULE_KINDS, type DecisionCriteria, type RuleDefinition } from '../../../shared/src/decision-engine.ts';
import type { EngineContribution } from '../../../shared/src/assessments.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { combineWithEngine, compileRuleSet, evaluateLocal, type LocalEvaluation } from './engine.ts';
import { ScoringFacts } from './facts.ts';
import { toKes } from './fx.ts';
import { localTime } from './local-time.ts';
import { samplePayment, criticalPayment } from '../testing/fixtures.ts';
import { trainIsolationForest, scoreIsolationForest } from './anomaly/isolation-forest.ts';
import { scorerFor } from '../decision-engine/anomaly-model.ts';

const template = newConfigurationTemplate();
const criteria: DecisionCriteria = template.decisionCriteria;

/** Evaluates one rule alone (weight 1 unless set) so its outcome is what we look at. */
function only(rule: RuleDefinition, payment: PaymentInput, facts = new ScoringFacts()) {
  const set = compileRuleSet([rule], template.thresholds, criteria);
  const result = evaluateLocal(set, { payment, amountKes: toKes(payment.amount, payment.currency), atMs: Date.parse(payment.timestamp) }, facts);
  const factor = result.riskFactors[0]!;
  return { ...factor, result };
}

function rule<K extends RuleDefinition['kind']>(
  kind: K,
  patch: (r: Extract<RuleDefinition, { kind: K }>) => Partial<Extract<RuleDefinition, { kind: K }>> = () => ({}),
): RuleDefinition {
  const base = newRuleOfKind(kind, new Set()) as Extract<RuleDefinition, { kind: K }>;
  return { ...base, ...patch(base) } as RuleDefinition;
}

function evaluateAll(payment: PaymentInput, facts = new ScoringFacts(), rules = template.riskRules): LocalEvaluation {
  const set = compileRuleSet(rules, template.thresholds, criteria);
  return evaluateLocal(set, { payment, amountKes: toKes(payment.amount, payment.currency), atMs: Date.parse(payment.timestamp) }, facts);
}

describe('rule families', () => {
  it('ships at least one default rule of every kind and family', () => {
    assert.deepEqual(new Set(DEFAULT_RULES.map((r) => r.kind)), new Set(RULE_KINDS));
  });

  it('amount: high amount with the seed 001 10M KES severe limit, and round amounts', () => {
    assert.equal(only(rule('high-amount'), samplePayment({ amount: 999_999 })).outcome, 'NO_HIT');
    const review = only(rule('high-amount'), samplePayment({ amount: 1_000_000 }));
    assert.equal(review.outcome, 'HIT');
    assert.equal(review.contribution, 0.35);
    const severe = only(rule('high-amount'), samplePayment({ amount: 10_000_001 }));
    assert.equal(severe.contribution, 0.6);
    assert.match(severe.explanation, /above the KES 10,000,000 high-risk limit/);
    // USD is converted to KES first.
    assert.equal(only(rule('high-amount'), samplePayment({ amount: 8_000, currency: 'USD' })).outcome, 'HIT');
    assert.equal(only(rule('round-amount'), samplePayment({ amount: 500_000 })).outcome, 'HIT');
    assert.equal(only(rule('round-amount'), samplePayment({ amount: 512_340 })).outcome, 'NO_HIT');
    assert.equal(only(rule('round-amount'), samplePayment({ amount: 50_000 })).outcome, 'NO_HIT', 'below the floor');
  });

  it('frequency: count and sum per account and per customer over a day and a week, from windowed aggregates', () => {
    const facts = new ScoringFacts();
    const at = Date.parse('2026-11-20T10:00:00+03:00');
    const accountDay = rule('velocity', (r) => ({ params: { ...r.params, subject: 'ACCOUNT', window: 'DAY', maxCount: 3, maxSumKes: 1e9 } }));
    for (let i = 0; i < 3; i++)
      facts.observe({ tenantId: 'WEKEZA-KE', customerId: 'CIF-1', debtorAccount: 'ACC-1', atMs: at - i * 3_600_000, amountKes: 1000 });
    // A payment 3 days ago is outside the day window but inside the week.
    facts.observe({ tenantId: 'WEKEZA-KE', customerId: 'CIF-1', debtorAccount: 'ACC-1', atMs: at - 3 * 86_400_000, amountKes: 1000 });
    const payment = samplePayment({ customerId: 'CIF-1', debtorAccount: 'ACC-1', timestamp: new Date(at + 60_000).toISOString() });
    const fourth = only(accountDay, payment, facts);
    assert.equal(fourth.outcome, 'HIT');
    assert.match(fourth.explanation, /4 payments from this account in 24 hours/);
    assert.equal(
      only(accountDay, samplePayment({ customerId: 'CIF-1', debtorAccount: 'ACC-2', timestamp: payment.timestamp }), facts).outcome,
      'NO_HIT',
      'another account',
    );
    const customerWeek = rule('velocity', (r) => ({ params: { ...r.params, subject: 'CUSTOMER', window: 'WEEK', maxCount: 100, maxSumKes: 8_000 } }));
    const week = only(customerWeek, samplePayment({ customerId: 'CIF-1', debtorAccount: 'ACC-9', amount: 4_500, timestamp: payment.timestamp }), facts);
    assert.equal(week.outcome, 'HIT', '4,000 earlier + 4,500 now is above 8,000 in the week');
    // Large-transaction frequency (seed 001 credit risk).
    const credit = rule('credit-velocity', (r) => ({ params: { ...r.params, window: 'WEEK', largeAmountKes: 500_000, maxLargeCount: 2 } }));
    for (let i = 0; i < 2; i++)
      facts.observe({ tenantId: 'WEKEZA-KE', customerId: 'CIF-2', debtorAccount: 'ACC-3', atMs: at - (i + 1) * 86_400_000, amountKes: 600_000 });
    assert.equal(only(credit, samplePayment({ customerId: 'CIF-2', amount: 550_000, timestamp: payment.timestamp }), facts).outcome, 'HIT');
    assert.equal(only(credit, samplePayment({ customerId: 'CIF-2', amount: 50_000, timestamp: payment.timestamp }), facts).outcome, 'NO_HIT');
  });

  it('location: high-risk and elevated countries; suspicious IPs and CIDR ranges (v4 and v6)', () => {
    assert.equal(only(rule('high-risk-country'), samplePayment({ country: 'IR' })).contribution, 0.35);
    assert.equal(only(rule('high-risk-country'), samplePayment({ country: 'NG' })).contribution, 0.2);
    assert.equal(only(rule('high-risk-country'), samplePayment({ country: 'KE' })).outcome, 'NO_HIT');
    const ip = rule('suspicious-ip', () => ({ params: { ranges: ['185.220.100.0/22', '2a0b:f4c0::/32', '45.9.20.1'] } }));
    assert.equal(only(ip, samplePayment({ ipAddress: '185.220.103.254' })).outcome, 'HIT');
    assert.equal(only(ip, samplePayment({ ipAddress: '185.220.104.1' })).outcome, 'NO_HIT');
    assert.equal(only(ip, samplePayment({ ipAddress: '2a0b:f4c0:1::7' })).outcome, 'HIT');
    assert.equal(only(ip, samplePayment({ ipAddress: '45.9.20.1' })).outcome, 'HIT');
    assert.equal(only(ip, samplePayment({ ipAddress: undefined })).outcome, 'NO_HIT');
  });

  it('time: off-hours across midnight and weekends in the bank time zone', () => {
    assert.deepEqual(localTime(Date.parse('2026-11-19T23:30:00Z'), 'Africa/Nairobi'), { hour: 2, minute: 30, weekday: 5 });
    assert.equal(only(rule('off-hours'), samplePayment({ timestamp: '2026-11-20T02:30:00+03:00' })).outcome, 'HIT');
    assert.equal(only(rule('off-hours'), samplePayment({ timestamp: '2026-11-20T21:59:00+03:00' })).outcome, 'NO_HIT');
    // 22:00 Nairobi is 19:00 UTC: the zone, not UTC, decides.
    assert.equal(only(rule('off-hours'), samplePayment({ timestamp: '2026-11-20T19:00:00Z' })).outcome, 'HIT');
    // Saturday 21 Nov 2026 in Nairobi, though still Friday in UTC-5.
    assert.equal(only(rule('weekend'), samplePayment({ timestamp: '2026-11-21T01:00:00+03:00' })).outcome, 'HIT');
    assert.equal(only(rule('weekend'), samplePayment({ timestamp: '2026-11-20T12:00:00+03:00' })).outcome, 'NO_HIT');
  });

  it('account: new accounts by age, cross-border payments', () => {
    const facts = new ScoringFacts();
    facts.setAccountOpened('NEW-ACC', '2026-11-01');
    facts.setAccountOpened('OLD-ACC', '2019-06-01');
    assert.equal(only(rule('new-account'), samplePayment({ debtorAccount: 'NEW-ACC' }), facts).outcome, 'HIT');
    assert.equal(only(rule('new-account'), samplePayment({ debtorAccount: 'OLD-ACC' }), facts).outcome, 'NO_HIT');
    assert.match(only(rule('new-account'), samplePayment({ debtorAccount: 'ELSEWHERE' }), facts).explanation, /not held at this bank/);
    assert.equal(only(rule('cross-border'), samplePayment({ country: 'UG' })).outcome, 'HIT');
    assert.equal(only(rule('cross-border'), samplePayment({ country: 'KE' })).outcome, 'NO_HIT');
  });

  it('device: first use of a device after enough history; suspicious user agents', () => {
    const facts = new ScoringFacts();
    for (let i = 0; i < 3; i++)
      facts.observe({
        tenantId: 'WEKEZA-KE',
        customerId: 'CIF-1',
        debtorAccount: 'A',
        deviceId: 'dev-known',
        atMs: Date.parse('2026-11-18T10:00:00Z') + i,
        amountKes: 100,
      });
    assert.equal(only(rule('new-device'), samplePayment({ customerId: 'CIF-1', deviceId: 'dev-known' }), facts).outcome, 'NO_HIT');
    assert.equal(only(rule('new-device'), samplePayment({ customerId: 'CIF-1', deviceId: 'dev-new' }), facts).outcome, 'HIT');
    assert.equal(only(rule('new-device'), samplePayment({ customerId: 'CIF-NEW', deviceId: 'dev-new' }), facts).outcome, 'NO_HIT', 'no history yet');
    assert.equal(only(rule('suspicious-user-agent'), samplePayment({ userAgent: 'Mozilla/5.0 HeadlessChrome/120.0' })).outcome, 'HIT');
    assert.equal(only(rule('suspicious-user-agent'), samplePayment({ userAgent: 'python-requests/2.31' })).outcome, 'HIT');
    assert.equal(only(rule('suspicious-user-agent'), samplePayment()).outcome, 'NO_HIT');
  });

  it('pattern: suspicious references and descriptions', () => {
    assert.equal(only(rule('suspicious-text'), samplePayment({ description: 'USDT top-up' })).outcome, 'HIT');
    assert.equal(only(rule('suspicious-text'), samplePayment({ transactionReference: 'GIFTCARD-PROMO-77', description: 'gift cards' })).outcome, 'HIT');
    assert.equal(only(rule('suspicious-text'), samplePayment({ description: 'Rent November' })).outcome, 'NO_HIT');
  });

  it('merchant block list (by id and by name) and channel risk', () => {
    const block = rule('merchant-block-list', () => ({ params: { merchantIds: ['MID-666'], merchantNames: ['FastCash Betting'] } }));
    assert.equal(only(block, samplePayment({ creditorAccount: 'MID-666' })).outcome, 'HIT');
    assert.equal(only(block, samplePayment({ description: 'Deposit fastcash betting ltd' })).outcome, 'HIT');
    assert.equal(only(block, samplePayment()).outcome, 'NO_HIT');
    const channel = rule('channel-risk');
    assert.equal(only(channel, samplePayment({ channel: 'WEB' })).contribution, 0.06);
    assert.equal(only(channel, samplePayment({ channel: 'MOBILE' })).contribution, 0.03);
    assert.equal(only(channel, samplePayment({ channel: 'BRANCH' })).outcome, 'NO_HIT');
  });

  it('anomaly: the isolation forest score is a rule input; no model means no hit', () => {
    assert.match(only(rule('anomaly'), samplePayment()).explanation, /No anomaly model/);
    // Train on ordinary KES daytime mobile payments, then score an extreme one.
    const rows: number[][] = [];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) rows.push([3 + rand(), Math.sin(rand() * 3), Math.cos(rand() * 3), 0, 0.5, 0, rand() * 0.2, 1]);
    const model = trainIsolationForest(rows, { trees: 100, subsampleSize: 256, seed: 1 });
    const facts = new ScoringFacts();
    facts.anomaly = scorerFor('test-model', model);
    const odd = only(
      rule('anomaly', () => ({ params: { minScore: 0.55 } })),
      criticalPayment({ amount: 40_000_000, channel: 'WEB', country: 'IR' }),
      facts,
    );
    assert.equal(odd.outcome, 'HIT');
    assert.ok((odd.result.anomalyScore ?? 0) >= 0.55);
    assert.ok(scoreIsolationForest(model, rows[0]!) < 0.55);
  });

  it('a scope limits a rule cheaply; a failing rule is an ERROR with no contribution', () => {
    const scoped = rule('high-amount', (r) => ({ scope: { channels: ['WEB'] }, params: r.params }));
    const mobile = only(scoped, samplePayment({ amount: 5_000_000, channel: 'MOBILE' }));
    assert.equal(mobile.outcome, 'NO_HIT');
    assert.match(mobile.explanation, /Out of this rule's scope/);
    const facts = new ScoringFacts();
    facts.anomaly = {
      modelId: 'broken',
      score: () => {
        throw new Error('model file corrupt');
      },
    };
    const failed = only(rule('anomaly'), samplePayment(), facts);
    assert.equal(failed.outcome, 'ERROR');
    assert.equal(failed.contribution, 0);
    assert.match(failed.explanation, /model file corrupt/);
  });
});

describe('facts', () => {
  it('keys every window and device history by tenant, and takes back a payment that was not stored', () => {
    const facts = new ScoringFacts();
    const at = Date.parse('2026-11-20T10:00:00+03:00');
    const seen = { customerId: 'CIF-T', debtorAccount: 'ACC-T', deviceId: 'dev-t' };
    for (let i = 0; i < 3; i++) facts.observe({ tenantId: 'BANK-A', ...seen, atMs: at - (i + 1) * 3_600_000, amountKes: 2_000_000 });
    const inA = facts.snapshot({ tenantId: 'BANK-A', ...seen }, at, 1);
    assert.deepEqual(inA.velocity.account.day, { count: 3, sumKes: 6_000_000 });
    assert.deepEqual(inA.largePaymentsKes, { day: [2_000_000, 2_000_000, 2_000_000], earlierInWeek: [] });
    assert.deepEqual(inA.device, { known: true, priorPayments: 3 });
    const inB = facts.snapshot({ tenantId: 'BANK-B', ...seen }, at, 1);
    assert.deepEqual(inB.velocity, {
      account: { day: { count: 0, sumKes: 0 }, week: { count: 0, sumKes: 0 } },
      customer: { day: { count: 0, sumKes: 0 }, week: { count: 0, sumKes: 0 } },
    });
    assert.deepEqual(inB.largePaymentsKes, { day: [], earlierInWeek: [] });
    assert.deepEqual(inB.device, { known: false, priorPayments: 0 });
    const velocity = evaluateAll(samplePayment({ tenantId: 'BANK-A', ...seen, amount: 10_000, timestamp: new Date(at).toISOString() }), facts);
    const other = evaluateAll(samplePayment({ tenantId: 'BANK-B', ...seen, amount: 10_000, timestamp: new Date(at).toISOString() }), facts);
    assert.equal(velocity.riskFactors.find((f) => f.ruleId === 'frequency.account-day')?.outcome, 'HIT');
    assert.equal(other.riskFactors.find((f) => f.ruleId === 'frequency.account-day')?.outcome, 'NO_HIT');

    const repeat = { tenantId: 'BANK-A', ...seen, deviceId: 'dev-u', atMs: at - 60_000, amountKes: 2_000_000 };
    facts.observe(repeat);
    facts.forget(repeat);
    assert.deepEqual(facts.snapshot({ tenantId: 'BANK-A', ...seen }, at, 1), inA, 'forget undoes observe');
    assert.equal(facts.snapshot({ tenantId: 'BANK-A', ...seen, deviceId: 'dev-u' }, at, 1).device?.known, false);
  });

  it("judges an account's age as of the payment, not as of today", () => {
    const facts = new ScoringFacts();
    facts.setAccountOpened('ACC-AGE', '2026-11-01');
    const young = only(rule('new-account'), samplePayment({ debtorAccount: 'ACC-AGE', timestamp: '2026-11-20T10:00:00+03:00' }), facts);
    const later = only(rule('new-account'), samplePayment({ debtorAccount: 'ACC-AGE', timestamp: '2027-06-01T10:00:00+03:00' }), facts);
    assert.equal(young.outcome, 'HIT');
    assert.match(young.explanation, /opened 19 days ago/);
    assert.equal(later.outcome, 'NO_HIT');
  });
});

describe('evaluation', () => {
  it('evaluates cheap rules first and skips the rest once the decision is settled', () => {
    const facts = new ScoringFacts();
    facts.anomaly = {
      modelId: 'counting',
      score: () => {
        throw new Error('must not be evaluated');
      },
    };
    const result = evaluateAll(criticalPayment({ amount: 40_000_000, description: 'crypto investment return – urgent' }), facts);
    assert.equal(result.riskLevel, 'CRITICAL');
    assert.equal(result.shortCircuited, true);
    const order = result.riskFactors.map((f) => f.family);
    assert.ok(order.indexOf('ANOMALY') > order.indexOf('AMOUNT'), 'model rules come after field rules');
    assert.equal(result.riskFactors.find((f) => f.family === 'ANOMALY')?.outcome, 'SKIPPED');
    assert.ok(result.riskFactors.filter((f) => f.outcome === 'SKIPPED').every((f) => f.contribution === 0));
    // Every rule is logged, evaluated or not, with its time.
    assert.equal(result.riskFactors.length, template.riskRules.length);
  });

  it('does not skip a rule that could still impose a worse decision (a block-list override)', () => {
    const result = evaluateAll(criticalPayment({ amount: 40_000_000, description: 'Deposit to FastCash Betting' }));
    assert.equal(result.decision, 'REJECT');
    assert.equal(result.overriddenBy, 'merchant.block-list');
    assert.match(result.decisionReason, /REJECT because rule merchant.block-list fired/);
  });

  it('maps the score through the thresholds to a level and through the criteria to a decision', () => {
    const low = evaluateAll(samplePayment());
    assert.equal(low.riskLevel, 'LOW');
    assert.equal(low.decision, 'APPROVE');
    const custom = compileRuleSet(
      template.riskRules,
      { medium: 0.05, high: 0.1, critical: 0.9 },
      { byRiskLevel: { LOW: 'APPROVE', MEDIUM: 'APPROVE', HIGH: 'REJECT', CRITICAL: 'REJECT' }, ruleOverrides: [] },
    );
    const web = evaluateLocal(
      custom,
      { payment: samplePayment({ channel: 'WEB', country: 'UG' }), amountKes: 4_500, atMs: Date.parse('2026-11-20T10:15:00+03:00') },
      new ScoringFacts(),
    );
    assert.equal(web.riskLevel, 'HIGH');
    assert.equal(web.decision, 'REJECT');
  });
});

describe('combining with the bank engine', () => {
  const set = compileRuleSet(template.riskRules, template.thresholds, criteria);
  const local = evaluateAll(samplePayment());
  const engine = (patch: Partial<EngineContribution>): EngineContribution => ({
    name: 'Bank engine',
    outcome: 'ANSWERED',
    detail: 'answered',
    score: 0.9,
    decision: 'REJECT',
    reason: 'mule network',
    attempts: 1,
    responseTimeMs: 40,
    fallback: null,
    combination: 'HIGHEST_RISK',
    ...patch,
  });

  it('highest risk wins', () => {
    const final = combineWithEngine(local, engine({}), set, 0.5);
    assert.equal(final.decision, 'REJECT');
    assert.equal(final.riskLevel, 'CRITICAL');
    assert.equal(final.decisionSource, 'Bank engine (highest risk wins)');
    const calm = combineWithEngine(evaluateAll(criticalPayment()), engine({ score: 0.1, decision: 'APPROVE' }), set, 0.5);
    assert.equal(calm.decision, 'ESCALATE', 'a calm engine does not lower the local risk');
  });

  it('weighted and engine-overrides', () => {
    const weighted = combineWithEngine(local, engine({ combination: 'WEIGHTED', score: 0.8 }), set, 0.5);
    assert.equal(weighted.riskScore, Math.round((0.5 * local.riskScore + 0.4) * 10_000) / 10_000);
    const overrides = combineWithEngine(
      evaluateAll(criticalPayment()),
      engine({ combination: 'ENGINE_OVERRIDES', score: 0.05, decision: 'APPROVE' }),
      set,
      0.5,
    );
    assert.equal(overrides.decision, 'APPROVE');
    assert.equal(overrides.riskLevel, 'LOW');
  });

  it('falls back when the engine did not answer: local rules only, or a fixed decision', () => {
    const down = engine({ outcome: 'TIMEOUT', score: null, decision: null, detail: 'timed out after 1350 ms', fallback: 'LOCAL_RULES_ONLY' });
    const localOnly = combineWithEngine(local, down, set, 0.5);
    assert.equal(localOnly.decision, local.decision);
    assert.match(localOnly.decisionReason, /Bank engine unavailable \(timed out after 1350 ms\)/);
    const hold = combineWithEngine(local, { ...down, outcome: 'BREAKER_OPEN', fallback: 'HOLD' }, set, 0.5);
    assert.equal(hold.decision, 'HOLD');
    assert.equal(hold.decisionSource, 'Fallback HOLD');
  });
});
