import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newConfigurationTemplate, newRuleOfKind } from '../../../shared/src/decision-engine-defaults.ts';
import type { RuleDefinition } from '../../../shared/src/decision-engine.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { compileRuleSet, evaluateLocal } from './engine.ts';
import { ScoringFacts } from './facts.ts';
import { toKes } from './fx.ts';
import { samplePayment } from '../testing/fixtures.ts';

/**
 * Accounts are optional in ISO 20022 (issue 11 §1): a rule that reads an account the payment does
 * not name is logged NOT_EVALUATED with what was missing, adds nothing, and does not fail the payment.
 */

const template = newConfigurationTemplate();

function outcomeOf(rule: RuleDefinition, payment: PaymentInput, facts = new ScoringFacts()) {
  const set = compileRuleSet([rule], template.thresholds, template.decisionCriteria);
  const result = evaluateLocal(set, { payment, amountKes: toKes(payment.amount, payment.currency), atMs: Date.parse(payment.timestamp) }, facts);
  return result.riskFactors[0]!;
}
const withoutAccounts = (): PaymentInput => {
  const { debtorAccount: _d, creditorAccount: _c, ...rest } = samplePayment();
  return rest;
};
function ruleOf<K extends RuleDefinition['kind']>(kind: K, params: Partial<Extract<RuleDefinition, { kind: K }>['params']>): RuleDefinition {
  const base = newRuleOfKind(kind, new Set()) as Extract<RuleDefinition, { kind: K }>;
  return { ...base, params: { ...base.params, ...params } } as RuleDefinition;
}

describe('rules that need an account the payment does not name', () => {
  it('says "not evaluated: no debtor account" for account velocity and account age', () => {
    for (const rule of [ruleOf('velocity', { subject: 'ACCOUNT' }), ruleOf('new-account', {})]) {
      const factor = outcomeOf(rule, withoutAccounts());
      assert.equal(factor.outcome, 'NOT_EVALUATED', rule.kind);
      assert.equal(factor.explanation, 'Not evaluated: no debtor account');
      assert.equal(factor.contribution, 0);
      assert.notEqual(outcomeOf(rule, samplePayment()).outcome, 'NOT_EVALUATED', `${rule.kind} with an account`);
    }
    // Customer velocity does not need the account.
    assert.equal(outcomeOf(ruleOf('velocity', { subject: 'CUSTOMER' }), withoutAccounts()).outcome, 'NO_HIT');
  });

  it('checks payee names without a creditor account, and says the listed accounts were not checked', () => {
    const rule = ruleOf('merchant-block-list', { merchantIds: ['MW-254712345678'], merchantNames: ['QuickLoan Xpress'] });
    const missing = outcomeOf(rule, withoutAccounts());
    assert.equal(missing.outcome, 'NOT_EVALUATED');
    assert.match(missing.explanation, /no creditor account/);
    assert.equal(outcomeOf(rule, { ...withoutAccounts(), description: 'Loan from QuickLoan Xpress' }).outcome, 'HIT', 'a listed name still hits');
    assert.equal(outcomeOf(rule, samplePayment()).outcome, 'HIT', 'the listed account hits when it is named');
  });

  it('never pools payments without an account into one shared account window', () => {
    const facts = new ScoringFacts();
    const at = Date.parse('2026-11-20T07:00:00Z');
    for (let i = 0; i < 5; i++) facts.observe({ tenantId: 'WEKEZA-KE', customerId: `CIF-${i}`, debtorAccount: '', atMs: at, amountKes: 1000 });
    facts.observe({ tenantId: 'WEKEZA-KE', customerId: 'CIF-9', atMs: at, amountKes: 1000 });
    assert.equal(facts.size.accounts, 0);
    const snapshot = facts.snapshot({ tenantId: 'WEKEZA-KE', customerId: 'CIF-0' }, at + 1000, 1);
    assert.equal(snapshot.velocity.account.day.count, 0);
    assert.equal(snapshot.velocity.customer.day.count, 1);
  });
});
