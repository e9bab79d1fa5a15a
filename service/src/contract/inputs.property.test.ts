import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALL_OPERATIONS } from '../../../shared/src/contract/index.ts';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { mutatedArbitrary, validArbitrary } from './json-schema-arbitrary.ts';
import { inputJsonSchema, queryString, rowCounts } from './generated-inputs-fixture.ts';
import { pathWithUnknownIds } from './matrix-fixture.ts';

after(stopTestPostgres);

/**
 * Inputs generated from every operation's own schemas (ARCHITECTURE.md rules 2 and 6), valid and
 * hostile, sent to the running service as its most powerful user: never a 5xx, every 400 names a
 * field, and a refused request writes nothing (no audit or change-log row appears).
 */

/** Operations that would end the session under test. */
const SKIP = new Set(['auth.logout']);
const RUNS_PER_OPERATION = Number(process.env.WEKEZA_PROPERTY_RUNS ?? 12);

for (const dialect of DIALECTS) {
  describe(`generated inputs against every operation on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let token: string;
    before(async () => {
      svc = await startTestService(dialect);
      token = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    });
    after(async () => svc?.stop());

    const operations = ALL_OPERATIONS.filter((op: OperationSpec) => !SKIP.has(op.name) && (op.body || op.query));
    it(`answers ${operations.length} operations' generated inputs with no 5xx, fields named on every 400, nothing half-written`, async () => {
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      for (const op of operations) {
        const bodySchema = op.body ? inputJsonSchema(op.body) : null;
        const querySchema = op.query ? inputJsonSchema(op.query) : null;
        const input = fc.record({
          body: bodySchema ? fc.oneof(validArbitrary(bodySchema), mutatedArbitrary(bodySchema)) : fc.constant(undefined),
          query: querySchema ? fc.oneof(validArbitrary(querySchema), mutatedArbitrary(querySchema)) : fc.constant(undefined),
        });
        const samples = fc.sample(input, { numRuns: RUNS_PER_OPERATION, seed: 20261204 });
        for (const sample of samples) {
          const before = await rowCounts(svc);
          const path = `${pathWithUnknownIds(op)}${queryString(sample.query)}`;
          const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
          const res = await svc.request(op.method, path, {
            token,
            ...(hasBody ? { rawBody: JSON.stringify(sample.body ?? {}), headers: { 'content-type': 'application/json' } } : {}),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const shown = `${op.name} ${op.method} ${path.slice(0, 120)} ${JSON.stringify(sample.body)?.slice(0, 160)}`;
          if (res.status >= 500) problems.push(`${shown} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          if (res.status === 400) {
            const error = ApiErrorBody.safeParse(res.body);
            const fields = error.success ? (error.data.error.fields ?? []) : [];
            if (fields.length === 0 || fields.some((f) => !/^(body|query|params|headers)(\.|\[|$)/.test(f.path)))
              problems.push(`${shown} → 400 without a named field: ${JSON.stringify(res.body).slice(0, 200)}`);
          }
          if (res.status >= 400 && (await rowCounts(svc)) !== before) problems.push(`${shown} → ${res.status} but audit/change rows were written`);
        }
      }
      assert.deepEqual(problems, []);
      // The generator must reach the service's logic, not only its validation: some inputs pass.
      const accepted = [...statuses].filter(([status]) => status < 300).reduce((n, [, count]) => n + count, 0);
      const refused = statuses.get(400) ?? 0;
      assert.ok(accepted > 0 && refused > 0, `answers by status: ${JSON.stringify([...statuses])}`);
      console.log(`generated inputs on ${dialect}: answers by status ${JSON.stringify(Object.fromEntries(statuses))}`);
    });
  });
}
