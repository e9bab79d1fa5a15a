import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as oidc from 'openid-client';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { authoriseThroughHint, partnerAppWithAccount, startOauthWorld, type OauthWorld } from '../oauth/oauth-fixture.ts';
import { mutatedArbitrary, validArbitrary } from '../../contract/json-schema-arbitrary.ts';
import { inputJsonSchema, queryString, rowCounts } from '../../contract/generated-inputs-fixture.ts';
import { openBankingOperations } from '../../../../shared/src/contract/open-banking.ts';
import type { OperationSpec } from '../../../../shared/src/contract/operation.ts';
import { ApiErrorBody } from '../../../../shared/src/api.ts';
import type { CreatedConsent } from '../../../../shared/src/open-banking-api.ts';

after(stopTestPostgres);

/**
 * The contract's generated-inputs test (service/src/contract/inputs.property.test.ts) reaches the
 * partner operations only as far as their 401 (no user's token opens them). Here the same
 * generated inputs, valid and hostile, are sent with an app's real tokens: never a 5xx, every 400
 * names a field, and a refused request writes no audit or change-log row.
 */
const RUNS = Number(process.env.WEKEZA_PROPERTY_RUNS ?? 25);
for (const dialect of DIALECTS) {
  describe(`generated inputs against the partner API with real tokens on ${dialect}`, { timeout: 600_000 }, () => {
    let world: OauthWorld;
    let appToken: string;
    let consentToken: string;
    let accountId: string;
    let consentId: string;

    before(async () => {
      world = await startOauthWorld(dialect);
      const redirectUri = 'http://127.0.0.1:9/callback';
      const started = await partnerAppWithAccount(world, redirectUri, { accountNumber: '0119900000099', openingBalance: 1_000_000 });
      const { config } = started;
      accountId = started.accountId;
      appToken = (await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' })).access_token;
      const created = await world.svc.request('POST', '/open-banking/v1/consents', {
        token: appToken,
        body: { permissions: ['accounts.read', 'balances.read', 'transactions.read', 'payments.write'], frequencyPerDay: 1000 },
      });
      const { consent, authorization } = created.body as CreatedConsent;
      consentId = consent.consentId;
      consentToken = (await authoriseThroughHint(config, authorization, redirectUri, { decision: 'approve', accountIds: [accountId] })).access_token;
    });
    after(async () => world?.svc.stop());

    it('answers generated inputs to every partner operation without a 5xx, naming the field of every 400, writing nothing when refused', async () => {
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      // Revoking the consent would end the run's consent: it is exercised last, once.
      const operations = Object.values(openBankingOperations).filter((op: OperationSpec) => op.name !== 'openBanking.consent.revoke') as OperationSpec[];
      for (const op of operations) {
        const body = op.body ? inputJsonSchema(op.body) : null;
        const q = op.query ? inputJsonSchema(op.query) : null;
        const samples = fc.sample(
          fc.record({
            body: body ? fc.oneof(validArbitrary(body), mutatedArbitrary(body)) : fc.constant(undefined),
            query: q ? fc.oneof(validArbitrary(q), mutatedArbitrary(q)) : fc.constant(undefined),
            key: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), fc.constant('key-1')),
          }),
          { numRuns: RUNS, seed: 20261204 },
        );
        for (const [n, sample] of samples.entries()) {
          // Half the payments name the consent's own account, so that valid ones reach the payment logic.
          if (n % 2 === 0 && typeof sample.body === 'object' && sample.body !== null && 'debtorAccountId' in sample.body) {
            (sample.body as Record<string, unknown>).debtorAccountId = accountId;
            // Currency codes are checked against ISO 4217, which the generator cannot hit by chance.
            (sample.body as Record<string, unknown>).currency = 'KES';
            if (n % 4 === 0) (sample.body as Record<string, unknown>).amount = 1 + (n % 7) * 250;
          }
          const before = await rowCounts(world.svc);
          const path = `${op.path.replace(':id', op.name.includes('consent') ? consentId : accountId)}${queryString(sample.query)}`;
          const token = op.name.startsWith('openBanking.consent') ? appToken : consentToken;
          const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (hasBody) headers['content-type'] = 'application/json';
          if (sample.key !== undefined && /^[\x20-\x7e]*$/.test(sample.key)) headers['idempotency-key'] = sample.key;
          const res = await world.svc.request(op.method, path, { headers, ...(hasBody ? { rawBody: JSON.stringify(sample.body ?? {}) } : {}) });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const shown = `${op.name} ${op.method} ${path.slice(0, 120)} ${JSON.stringify(sample.body)?.slice(0, 160)}`;
          if (res.status >= 500) problems.push(`${shown} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          if (res.status === 400) {
            const error = ApiErrorBody.safeParse(res.body);
            const fields = error.success ? (error.data.error.fields ?? []) : [];
            if (fields.length === 0 || fields.some((f) => !/^(body|query|params|headers)(\.|\[|$)/.test(f.path)))
              problems.push(`${shown} → 400 without a named field: ${JSON.stringify(res.body).slice(0, 200)}`);
          }
          if (res.status >= 400 && (await rowCounts(world.svc)) !== before) problems.push(`${shown} → ${res.status} but audit/change rows were written`);
        }
      }
      const revoked = await world.svc.request('DELETE', `/open-banking/v1/consents/${consentId}`, { token: appToken });
      assert.equal(revoked.status, 204);
      assert.deepEqual(problems, []);
      const accepted = [...statuses].filter(([status]) => status < 300).reduce((n, [, count]) => n + count, 0);
      assert.ok(accepted > 0 && (statuses.get(400) ?? 0) > 0, `answers by status: ${JSON.stringify([...statuses])}`);
      console.log(`partner inputs on ${dialect}: answers by status ${JSON.stringify(Object.fromEntries(statuses))}`);
    });
  });
}
