// Issue 11: admin-written patterns are refused when RE2 cannot run them and never hold the event
// loop when they run; publishing a draft needs a change note. On SQLite and PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { ConfigurationVersion, FraudRiskConfiguration, type ConfigurationInput } from '../../../shared/src/decision-engine.ts';
import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { ManualClock } from '../clock.ts';

after(stopTestPostgres);

const BASE = '/api/v1/fraud-risk';
const TENANT = 'WEKEZA-KE';

/** The shipped template for the test tenant, with the text rule's patterns replaced. */
function withTextPatterns(patterns: string[], patch: Partial<ConfigurationInput> = {}): { input: ConfigurationInput; index: number } {
  const input: ConfigurationInput = { ...newConfigurationTemplate(), configurationName: 'Safeguards', tenantId: TENANT, ...patch };
  const index = input.riskRules.findIndex((r) => r.kind === 'suspicious-text');
  const rule = input.riskRules[index];
  assert.ok(rule?.kind === 'suspicious-text');
  input.riskRules[index] = { ...rule, params: { ...rule.params, patterns } };
  return { input, index };
}

function fieldsOf(body: unknown) {
  return ApiErrorBody.parse(body).error.fields ?? [];
}

for (const dialect of DIALECTS) {
  describe(`decision-engine safeguards on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let admin: string;
    let apiKey: string;

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T12:00:00Z') });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: [TENANT] },
      });
      apiKey = (client.body as { apiKey: string }).apiKey;
    });
    after(async () => {
      await svc?.stop();
    });

    it('refuses a pattern RE2 cannot run with a 400 naming the rule and the field; nothing is written', async () => {
      const { input, index } = withTextPatterns(['\\burgent\\b', '(a)\\1']);
      const refused = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: input });
      assert.equal(refused.status, 400);
      const field = fieldsOf(refused.body).find((f) => f.path === `body.riskRules.${index}.params.patterns.1`);
      assert.ok(field, JSON.stringify(refused.body));
      assert.match(field.message, /^rule pattern\.text: .*linear time/);
      assert.deepEqual((await svc.request('GET', `${BASE}/configurations`, { token: admin })).body, [], 'nothing was half-written');

      const created = FraudRiskConfiguration.parse(
        (await svc.request('POST', `${BASE}/configurations`, { token: admin, body: withTextPatterns(['\\burgent\\b']).input })).body,
      );
      const lookbehind = await svc.request('PUT', `${BASE}/configurations/${created.id}/draft`, {
        token: admin,
        body: withTextPatterns(['(?<!not )urgent']).input,
      });
      assert.equal(lookbehind.status, 400);
      assert.ok(fieldsOf(lookbehind.body).some((f) => f.path === `body.riskRules.${index}.params.patterns.0`));
      assert.equal(FraudRiskConfiguration.parse((await svc.request('GET', `${BASE}/configurations/${created.id}`, { token: admin })).body).draft, null);
      await svc.request('DELETE', `${BASE}/configurations/${created.id}?expectedRowVersion=${created.rowVersion}`, { token: admin });
    });

    it('scores (a+)+$ against a 32-character description without holding the event loop', async () => {
      const created = FraudRiskConfiguration.parse(
        (await svc.request('POST', `${BASE}/configurations`, { token: admin, body: withTextPatterns(['(a+)+$', '\\burgent\\b']).input })).body,
      );
      // The service runs in this process: a stalled event loop would stop this ticker too.
      let last = performance.now();
      let longestGapMs = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 5);
      const started = performance.now();
      // The text rule reads the reference too: a random hex one ending in 'A' would match (a+)+$ case-insensitively.
      const [hostile, ordinary] = await Promise.all([
        svc.request('POST', `${BASE}/assessments`, {
          body: samplePayment({ description: `${'a'.repeat(31)}!`, transactionReference: `REDOS-${Date.now()}-Z` }),
          headers: { 'x-api-key': apiKey },
        }),
        svc.request('POST', `${BASE}/assessments`, { body: samplePayment(), headers: { 'x-api-key': apiKey } }),
      ]);
      const tookMs = performance.now() - started;
      clearInterval(ticker);
      assert.equal(hostile.status, 201, JSON.stringify(hostile.body));
      assert.equal(ordinary.status, 201, JSON.stringify(ordinary.body));
      assert.ok(tookMs < 1000, `both assessments answered in ${Math.round(tookMs)} ms`);
      assert.ok(longestGapMs < 500, `the event loop was held for ${Math.round(longestGapMs)} ms`);
      const answer = AssessmentResponse.parse(hostile.body);
      assert.equal(answer.configurationId, created.id);
      const factor = answer.riskFactors.find((f) => f.ruleId === 'pattern.text');
      assert.equal(factor?.outcome, 'NO_HIT', factor?.explanation);
      assert.ok((factor?.evaluationMicros ?? Infinity) < 100_000);
      const stored = Assessment.parse((await svc.request('GET', `${BASE}/assessments/${answer.assessmentId}`, { token: admin })).body);
      assert.equal(stored.riskFactors.find((f) => f.ruleId === 'pattern.text')?.outcome, 'NO_HIT');
      await svc.request('DELETE', `${BASE}/configurations/${created.id}?expectedRowVersion=${created.rowVersion}`, { token: admin });
    });

    it('publishes a draft only with a change note (400 naming changeNote), and keeps the note with the version', async () => {
      const created = FraudRiskConfiguration.parse(
        (await svc.request('POST', `${BASE}/configurations`, { token: admin, body: withTextPatterns(['\\burgent\\b'], { configurationName: 'Noted' }).input }))
          .body,
      );
      const { input } = withTextPatterns(['\\burgent\\b', '\\bwire now\\b'], { configurationName: 'Noted' });
      assert.equal((await svc.request('PUT', `${BASE}/configurations/${created.id}/draft`, { token: admin, body: input })).status, 200);
      const publish = (body: Record<string, unknown>) =>
        svc.request('POST', `${BASE}/configurations/${created.id}/draft/publish`, { token: admin, body: { expectedRowVersion: created.rowVersion, ...body } });

      for (const body of [{}, { changeNote: '' }, { changeNote: '   \n  ' }]) {
        const refused = await publish(body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        const fields = fieldsOf(refused.body);
        assert.deepEqual(
          fields.map((f) => f.path),
          ['body.changeNote'],
        );
        assert.match(fields[0]!.message, /change note is required/);
      }
      const still = FraudRiskConfiguration.parse((await svc.request('GET', `${BASE}/configurations/${created.id}`, { token: admin })).body);
      assert.equal(still.version, '1.0', 'a refused publish changes nothing');
      assert.equal(still.draft?.versionNumber, 2);

      const published = await publish({ changeNote: '  Flag "wire now" pressure scams  ' });
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(FraudRiskConfiguration.parse(published.body).version, '2.0');
      const v2 = ConfigurationVersion.parse((await svc.request('GET', `${BASE}/configurations/${created.id}/versions/2`, { token: admin })).body);
      assert.equal(v2.status, 'PUBLISHED');
      assert.equal(v2.changeNote, 'Flag "wire now" pressure scams');
      const audit = await svc.request('GET', `/api/v1/audit?entityId=${created.id}`, { token: admin });
      assert.match(JSON.stringify(audit.body), /Flag \\"wire now\\" pressure scams/);
    });
  });
}
