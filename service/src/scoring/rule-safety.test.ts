// Issue 11 §2: admin-written patterns run in linear time (RE2), every rule has an evaluation
// budget, and a rule that errors is logged as ERROR while the other rules still decide — and the
// payment goes at least to review.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newConfigurationTemplate, newRuleOfKind } from '../../../shared/src/decision-engine-defaults.ts';
import { ConfigurationInput, RULE_BUDGET_MS, type RuleDefinition } from '../../../shared/src/decision-engine.ts';
import type { EngineContribution } from '../../../shared/src/assessments.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { combineWithEngine, compileRuleSet, evaluateLocal, RULE_ERROR_DECISION } from './engine.ts';
import { ScoringFacts } from './facts.ts';
import { toKes } from './fx.ts';
import { samplePayment } from '../testing/fixtures.ts';

const template = newConfigurationTemplate();

function textRule(patterns: string[]): RuleDefinition {
  const base = newRuleOfKind('suspicious-text', new Set());
  return { ...base, id: 'pattern.admin', name: 'Admin pattern', weight: 0.3, params: { fields: ['description'], patterns } } as RuleDefinition;
}

function evaluate(rules: RuleDefinition[], payment: PaymentInput, facts = new ScoringFacts()) {
  const set = compileRuleSet(rules, template.thresholds, template.decisionCriteria);
  return evaluateLocal(set, { payment, amountKes: toKes(payment.amount, payment.currency), atMs: Date.parse(payment.timestamp) }, facts);
}

/** Resolves with how long after scheduling a setImmediate ran: long if the event loop was held. */
function immediateDelay(): Promise<number> {
  const scheduled = performance.now();
  return new Promise((resolve) => setImmediate(() => resolve(performance.now() - scheduled)));
}

describe('linear-time patterns', { timeout: 60_000 }, () => {
  it('evaluates (a+)+$ on a 32-character description at once (a backtracking RegExp takes more than 10 s)', async () => {
    // 31 × "a" then "!": the classic catastrophic case for a backtracking engine, whose time
    // doubles with each "a" (measured with V8's RegExp: 0.3 s at 26 characters, so about 19 s here).
    const description = `${'a'.repeat(31)}!`;
    assert.equal(description.length, 32);
    const delay = immediateDelay();
    const started = performance.now();
    const result = evaluate([textRule(['(a+)+$'])], samplePayment({ description }));
    const tookMs = performance.now() - started;
    const factor = result.riskFactors[0]!;
    assert.equal(factor.outcome, 'NO_HIT', factor.explanation);
    assert.ok(tookMs < 1000, `evaluation took ${tookMs} ms`);
    assert.ok((await delay) < 1000, 'a setImmediate scheduled before the evaluation ran promptly: the event loop was not held');
    assert.equal(result.decision, 'APPROVE');
  });

  it('keeps matching case-insensitively and names the pattern that matched', () => {
    const hit = evaluate([textRule(['(a+)+$', '\\bcrypto\\b'])], samplePayment({ description: 'Buy CRYPTO now' })).riskFactors[0]!;
    assert.equal(hit.outcome, 'HIT');
    assert.match(hit.explanation, /matches \/\\bcrypto\\b\//);
    assert.equal(evaluate([textRule(['^(a+)+$'])], samplePayment({ description: 'AAAA' })).riskFactors[0]!.outcome, 'HIT');
  });

  it('refuses, when saving, a pattern RE2 cannot run (backreference, lookaround), naming the rule and the field', () => {
    const input = newConfigurationTemplate();
    const index = input.riskRules.findIndex((r) => r.kind === 'suspicious-text');
    const uaIndex = input.riskRules.findIndex((r) => r.kind === 'suspicious-user-agent');
    input.riskRules[index] = textRule(['\\burgent\\b', '(a)\\1']);
    const ua = input.riskRules[uaIndex]!;
    if (ua.kind === 'suspicious-user-agent') ua.params.patterns = ['(?=curl)curl'];
    const parsed = ConfigurationInput.safeParse(input);
    assert.equal(parsed.success, false);
    const issues = parsed.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
    const backreference = issues.find((i) => i.path === `riskRules.${index}.params.patterns.1`);
    assert.ok(backreference, JSON.stringify(issues));
    assert.match(backreference.message, /rule pattern\.admin: .*\\1/);
    assert.match(backreference.message, /linear time/);
    const lookahead = issues.find((i) => i.path === `riskRules.${uaIndex}.params.patterns.0`);
    assert.ok(lookahead, JSON.stringify(issues));
    assert.match(lookahead.message, /\(\?=/);
    assert.ok(ConfigurationInput.safeParse(newConfigurationTemplate()).success, 'the shipped patterns are RE2 patterns');
  });
});

describe('rule errors and budgets', { timeout: 60_000 }, () => {
  const bigAmount = () => samplePayment({ amount: 2_000_000 });

  it('logs a stored pattern RE2 refuses as ERROR; the other rules still decide, and the payment goes to review', () => {
    // As if saved before patterns were checked: compiled straight from the stored body.
    const rules = [textRule(['(?<!x)urgent']), newRuleOfKind('high-amount', new Set()) as RuleDefinition];
    const result = evaluate(rules, bigAmount());
    const broken = result.riskFactors.find((f) => f.ruleId === 'pattern.admin')!;
    assert.equal(broken.outcome, 'ERROR');
    assert.equal(broken.contribution, 0);
    assert.match(broken.explanation, /cannot run in linear time/);
    const amount = result.riskFactors.find((f) => f.ruleId !== 'pattern.admin')!;
    assert.equal(amount.outcome, 'HIT', 'the other rule was evaluated and counted');
    assert.equal(result.riskScore, amount.contribution);
    assert.deepEqual(result.ruleErrors, ['pattern.admin']);
    assert.equal(RULE_ERROR_DECISION, 'MANUAL_REVIEW');
    const calm = evaluate([textRule(['(?<!x)urgent'])], samplePayment());
    assert.equal(calm.riskLevel, 'LOW');
    assert.equal(calm.decision, 'MANUAL_REVIEW', 'a LOW payment is not approved straight through when a rule could not run');
    assert.match(calm.decisionReason, /rule pattern\.admin could not be evaluated \(ERROR\)/);
  });

  it('logs a rule over its evaluation budget as ERROR and does not count it', () => {
    const facts = new ScoringFacts();
    const spinMs = RULE_BUDGET_MS.MODEL + 60;
    facts.anomaly = {
      modelId: 'slow',
      score: () => {
        // Busy for spinMs of this thread's CPU time, as a runaway rule would be (a loaded machine
        // stretches the wall time, not the work).
        const cpuMs = () => {
          const used = process.threadCpuUsage();
          return (used.user + used.system) / 1000;
        };
        const until = cpuMs() + spinMs;
        while (cpuMs() < until) {
          // spinning
        }
        return 0.99;
      },
    };
    const anomaly = newRuleOfKind('anomaly', new Set()) as RuleDefinition;
    const result = evaluate([anomaly, newRuleOfKind('high-amount', new Set()) as RuleDefinition], bigAmount(), facts);
    const slow = result.riskFactors.find((f) => f.family === 'ANOMALY')!;
    assert.equal(slow.outcome, 'ERROR');
    assert.equal(slow.contribution, 0, 'a late answer is not counted');
    assert.match(slow.explanation, new RegExp(`Over its evaluation budget: took \\d+ ms, the budget is ${RULE_BUDGET_MS.MODEL} ms`));
    assert.ok(slow.evaluationMicros >= spinMs * 1000);
    assert.equal(result.anomalyScore, null);
    assert.equal(result.riskFactors.find((f) => f.family === 'AMOUNT')?.outcome, 'HIT');
    assert.equal(result.decision, 'MANUAL_REVIEW');
  });

  it('keeps the review floor when the bank engine is weighted in, not when it overrides', () => {
    const set = compileRuleSet([textRule(['(?<!x)urgent'])], template.thresholds, template.decisionCriteria);
    const local = evaluateLocal(set, { payment: samplePayment(), amountKes: 4_500, atMs: Date.parse('2026-11-20T07:15:00Z') }, new ScoringFacts());
    const engine = (combination: EngineContribution['combination']): EngineContribution => ({
      name: 'Bank engine',
      outcome: 'ANSWERED',
      detail: 'answered',
      score: 0.05,
      decision: null,
      reason: null,
      attempts: 1,
      responseTimeMs: 10,
      fallback: null,
      combination,
    });
    assert.equal(combineWithEngine(local, engine('WEIGHTED'), set, 0.5).decision, 'MANUAL_REVIEW');
    assert.equal(combineWithEngine(local, engine('HIGHEST_RISK'), set, 0.5).decision, 'MANUAL_REVIEW');
    // The bank's engine decides outright in this mode: its answer is the decision (seed 003).
    assert.equal(combineWithEngine(local, engine('ENGINE_OVERRIDES'), set, 0.5).decision, 'APPROVE');
  });
});
