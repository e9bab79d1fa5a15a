import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfigurations, summariseChanges, type DiffableConfiguration } from '../../../shared/src/decision-engine-diff.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate, newRuleOfKind } from '../../../shared/src/decision-engine-defaults.ts';
import type { RuleDefinition } from '../../../shared/src/decision-engine.ts';

function body(): DiffableConfiguration {
  return { ...newConfigurationTemplate(), bankFraudApiConfig: null } as DiffableConfiguration;
}

describe('configuration diff', { timeout: 10_000 }, () => {
  it('finds nothing between a configuration and itself', () => {
    assert.deepEqual(diffConfigurations(body(), body()), []);
    assert.equal(summariseChanges([]), 'No changes');
  });

  it('lists rules added, removed and changed with before → after values, and thresholds, weights and settings', () => {
    const before = body();
    const after = body();
    const high = after.riskRules.find((r) => r.id === 'amount.high');
    assert.ok(high?.kind === 'high-amount');
    high.params.thresholdKes = 2_000_000;
    high.weight = 0.4;
    after.riskRules = after.riskRules.filter((r) => r.id !== 'amount.round');
    const text = after.riskRules.find((r) => r.id === 'pattern.text');
    assert.ok(text?.kind === 'suspicious-text');
    text.params.patterns = [...text.params.patterns.filter((p) => p !== '\\blottery\\b'), '\\bwire now\\b'];
    const added = { ...newRuleOfKind('cross-border', new Set(after.riskRules.map((r) => r.id))), id: 'account.abroad', name: 'Paid abroad' } as RuleDefinition;
    after.riskRules.push(added);
    after.thresholds = { ...after.thresholds, medium: 0.25 };
    after.decisionCriteria.byRiskLevel.HIGH = 'ESCALATE';
    after.monitoringConfig.slowAssessmentMs = 400;
    after.alertingConfig.channels = ['EMAIL'];
    after.configurationName = 'Renamed';

    const changes = diffConfigurations(before, after);
    const find = (path: string) => changes.find((c) => c.path === path);

    assert.deepEqual(find('riskRules.amount.high.params.thresholdKes'), {
      section: 'Rules',
      kind: 'changed',
      subject: 'Rule “High amount” (amount.high)',
      setting: 'Review threshold (KES)',
      path: 'riskRules.amount.high.params.thresholdKes',
      before: 'KES 1,000,000',
      after: 'KES 2,000,000',
    });
    assert.equal(find('riskRules.amount.high.weight')?.before, '0.35');
    assert.equal(find('riskRules.amount.high.weight')?.after, '0.4');
    const removed = find('riskRules.amount.round');
    assert.equal(removed?.kind, 'removed');
    assert.match(removed?.before ?? '', /round-amount, weight 0\.1, enabled — Minimum \(KES\): KES 100,000; Multiple of \(KES\): KES 50,000/);
    assert.equal(removed?.after, null);
    assert.equal(find('riskRules.account.abroad')?.kind, 'added');
    const patterns = find('riskRules.pattern.text.params.patterns');
    assert.deepEqual(patterns?.added, ['\\bwire now\\b']);
    assert.deepEqual(patterns?.removed, ['\\blottery\\b']);
    assert.equal(find('thresholds.medium')?.setting, 'Medium risk from score');
    assert.equal(find('thresholds.medium')?.after, '0.25');
    assert.equal(find('decisionCriteria.byRiskLevel.HIGH')?.setting, 'Decision at HIGH risk');
    assert.equal(find('decisionCriteria.byRiskLevel.HIGH')?.after, 'ESCALATE');
    assert.equal(find('monitoringConfig.slowAssessmentMs')?.before, '250 ms');
    assert.equal(find('configurationName')?.section, 'Basics');
    assert.equal(find('configurationName')?.after, 'Renamed');
    assert.ok(find('alertingConfig.channels'));

    // Sections come in a fixed order, Basics first.
    assert.equal(changes[0]?.section, 'Basics');
    assert.equal(summariseChanges(changes), '1 rule added, 1 rule removed, 2 rules changed, 5 other settings changed');
  });

  it('reports the bank engine added, and never shows credentials, only whether they are set', () => {
    const before = body();
    const after = body();
    after.bankFraudApiConfig = {
      ...EXAMPLE_BANK_API,
      credentialsSet: { apiKey: true, password: false, token: false, headerNames: [] },
      credentials: { apiKey: 'SECRET-KEY-123' },
    } as unknown as DiffableConfiguration['bankFraudApiConfig'];
    const added = diffConfigurations(before, after);
    assert.equal(added.length, 1);
    assert.equal(added[0]?.kind, 'added');
    assert.equal(added[0]?.section, 'Bank engine');

    const rotated = structuredClone(after);
    (rotated.bankFraudApiConfig as unknown as { credentials: unknown }).credentials = { apiKey: 'ANOTHER-SECRET' };
    rotated.bankFraudApiConfig!.credentialsSet = { apiKey: true, password: false, token: true, headerNames: [] };
    rotated.bankFraudApiConfig!.combination = { mode: 'WEIGHTED', engineWeight: 0.5 };
    const changes = diffConfigurations(after, rotated);
    assert.ok(!JSON.stringify(changes).includes('SECRET'), 'secrets are never compared or shown');
    assert.deepEqual(
      changes.map((c) => [c.setting, c.before, c.after]).sort(),
      [
        ['Credential set: token', 'off', 'on'],
        ['Mode', 'HIGHEST_RISK', 'WEIGHTED'],
        ['Engine weight', String(EXAMPLE_BANK_API.combination.engineWeight), '0.5'],
      ]
        .filter(([, b, a]) => b !== a)
        .sort(),
    );
  });
});
