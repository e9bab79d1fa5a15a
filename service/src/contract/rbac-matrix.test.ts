import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_OPERATIONS } from '../../../shared/src/contract/index.ts';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, type TestService } from '../testing/service.ts';
import { createCallers, createTenantBRecords, expectedAccess, pathWithUnknownIds, TENANT_B, type Caller, type TenantBRecords } from './matrix-fixture.ts';

after(stopTestPostgres);

/**
 * The RBAC matrix, generated from the contract registry (ARCHITECTURE.md rules 2 and 6): every
 * operation × every role (users and machine clients) × no token, asserting what the contract
 * declares; then every operation again as a caller of tenant A against tenant B's records.
 * A new operation is covered without writing a test.
 */

/** Operations whose call would end the caller's own session or slow the suite for nothing. */
const SELF_ENDING = new Set(['auth.logout']);

function bodyFor(op: OperationSpec): string | undefined {
  return op.method === 'GET' || op.method === 'DELETE'
    ? undefined
    : op.tenant === 'input' && op.tenantField?.startsWith('body.')
      ? JSON.stringify({ [op.tenantField.slice(5)]: TENANT_B })
      : '{}';
}

for (const dialect of DIALECTS) {
  describe(`contract RBAC matrix on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let callers: Caller[];
    let tenantB: TenantBRecords;
    before(async () => {
      svc = await startTestService(dialect);
      const created = await createCallers(svc);
      callers = created.callers;
      tenantB = await createTenantBRecords(svc, created.admin);
    });
    after(async () => svc?.stop());

    it('answers every operation for every role as the contract declares (401, 403 or let in), never with a 5xx', async () => {
      const wrong: string[] = [];
      for (const op of ALL_OPERATIONS) {
        for (const caller of callers) {
          if (SELF_ENDING.has(op.name) && caller.role !== null) continue;
          const body = bodyFor(op);
          const res = await svc.request(op.method, pathWithUnknownIds(op), {
            headers: { ...caller.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
            ...(body ? { rawBody: body } : {}),
          });
          const expected = expectedAccess(op, caller);
          const ok = expected === 'allowed' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === expected;
          // A caller let in may still be refused for naming tenant B in the input (403 with the field).
          const tenantRefusal =
            expected === 'allowed' && res.status === 403 && op.tenant === 'input' && JSON.stringify(res.body).includes(op.tenantField ?? '\u0000');
          if (!ok && !tenantRefusal)
            wrong.push(
              `${op.name} (${op.method} ${op.path}) as ${caller.label}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
        }
      }
      assert.deepEqual(wrong, []);
    });

    it("refuses tenant B's records and input to every caller of tenant A, and never shows them in a list", async () => {
      const wrong: string[] = [];
      const uncovered = new Set<string>();
      for (const op of ALL_OPERATIONS) {
        if (op.tenant === 'global' || SELF_ENDING.has(op.name)) continue;
        for (const caller of callers) {
          if (expectedAccess(op, caller) !== 'allowed' || caller.role === null) continue;
          if (op.tenant === 'input') {
            if (!op.tenantField) {
              uncovered.add(`${op.name}: tenant rule 'input' without tenantField`);
              continue;
            }
            const [where, ...rest] = op.tenantField.split('.');
            const field = rest.join('.');
            const path = where === 'query' ? `${pathWithUnknownIds(op)}?${field}=${TENANT_B}` : pathWithUnknownIds(op);
            const res = await svc.request(
              op.method,
              path,
              where === 'body' ? { headers: caller.headers, body: { [field]: TENANT_B } } : { headers: caller.headers },
            );
            if (res.status !== 403) wrong.push(`${op.name} as ${caller.label} naming ${TENANT_B}: expected 403, got ${res.status}`);
            continue;
          }
          if (op.tenant === 'record') {
            const prefix = op.name.split('.')[0]!;
            const ids = tenantB.ids[prefix];
            const names = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
            if (!ids || names.some((n) => !(n in ids) && !/Id$/.test(n))) {
              uncovered.add(`${op.name}: no tenant-B record for :${names.join(', :')} (add one to matrix-fixture.ts)`);
              continue;
            }
            const path = op.path.replace(/:([A-Za-z0-9_]+)/g, (_m, n: string) => ids[n] ?? '00000000-0000-4000-8000-000000000000');
            const body = op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} };
            const res = await svc.request(op.method, path, { headers: caller.headers, ...body });
            // 404 (not yours); 400 only where the input is judged before the record is looked up.
            if (res.status !== 404 && res.status !== 400) wrong.push(`${op.name} as ${caller.label} on tenant B's record: expected 404, got ${res.status}`);
            if (res.status === 200) wrong.push(`${op.name} as ${caller.label} read tenant B's record`);
            continue;
          }
          // 'list': lists and aggregates of the caller's tenants only.
          if (op.method !== 'GET' || op.path.includes(':')) continue;
          const res = await svc.request('GET', op.path, { headers: caller.headers });
          const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
          const leaked = tenantB.markers.filter((m) => text.includes(m));
          if (leaked.length) wrong.push(`${op.name} as ${caller.label} shows tenant B's ${leaked.join(', ')}`);
        }
      }
      assert.deepEqual([...uncovered], [], 'every tenant-scoped operation is covered');
      assert.deepEqual(wrong, []);
    });
  });
}
