import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import { integrationOperations } from '../../../shared/src/contract/integration.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { ApiClientWithKey } from '../../../shared/src/users.ts';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { mutatedArbitrary, validArbitrary } from '../contract/json-schema-arbitrary.ts';
import { inputJsonSchema } from '../contract/generated-inputs-fixture.ts';

after(stopTestPostgres);

/**
 * The contract-wide property test calls every operation as an administrator, whom the integration
 * endpoints refuse (403) before reading the body. Here the same generated inputs (valid and hostile)
 * reach them as core banking: never a 5xx, every 400 names a field, a refusal writes nothing.
 */
const RUNS = Number(process.env.WEKEZA_PROPERTY_RUNS ?? 16);

for (const dialect of DIALECTS) {
  describe(`generated inputs against the integration endpoints on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let key: string;
    before(async () => {
      svc = await startTestService(dialect);
      const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const res = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Fuzzed core banking', role: 'CORE_BANKING', tenantIds: ['WEKEZA-KE'] },
      });
      key = ApiClientWithKey.parse(res.body).apiKey;
    });
    after(async () => svc?.stop());

    it('answers generated bodies with no 5xx, a named field on every 400 and nothing written on a refusal', async () => {
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      const counts = async () => {
        const db = svc.service.context.db.kysely;
        const a = await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow();
        const i = await db
          .selectFrom('integration_inbox')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow();
        return `${Number(a.n)}/${Number(i.n)}`;
      };
      for (const op of Object.values(integrationOperations) as OperationSpec[]) {
        if (!op.body) continue;
        const samples = fc.sample(fc.oneof(validArbitrary(inputJsonSchema(op.body)), mutatedArbitrary(inputJsonSchema(op.body))), {
          numRuns: RUNS,
          seed: 20261120,
        });
        for (const body of samples) {
          const before = await counts();
          const res = await svc.request(op.method, op.path, {
            headers: { 'x-api-key': key, 'content-type': 'application/json' },
            rawBody: JSON.stringify(body ?? {}),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const shown = `${op.name} ${JSON.stringify(body)?.slice(0, 200)}`;
          if (res.status >= 500) problems.push(`${shown} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          if (res.status === 400) {
            const parsed = ApiErrorBody.safeParse(res.body);
            const fields = parsed.success ? (parsed.data.error.fields ?? []) : [];
            if (fields.length === 0 || fields.some((f) => !/^(body|query|headers)(\.|$)/.test(f.path))) problems.push(`${shown} → 400 without a named field`);
          }
          if (res.status >= 400 && (await counts()) !== before) problems.push(`${shown} → ${res.status} but rows were written`);
        }
      }
      assert.deepEqual(problems, []);
      const accepted = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
      assert.ok(accepted > 0 && (statuses.get(400) ?? 0) > 0, `answers by status: ${JSON.stringify([...statuses])}`);
    });
  });
}
