import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Dialect } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService, type TestTeamMember } from '../../testing/service.ts';
import { criticalPayment } from '../../testing/fixtures.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { upsertCustomer } from '../../customers/customers.ts';
import type { Customer } from '../../../../shared/src/customers.ts';
import { CaseDetail, type CaseSummary } from '../../../../shared/src/cases.ts';
import { SyncChangesPage, SyncHubInfo, SyncPushResponse, type SyncChange, type SyncMutation, type SyncTableRows } from '../../../../shared/src/sync.ts';

/**
 * The hub sync tests' world (hub-sync.test.ts, hub-push.test.ts): a real service on SQLite or
 * PostgreSQL, a team in two tenants, seven tenant-A cases (two of known customers) and three
 * tenant-B cases opened by scoring real payments, and HTTP helpers for the sync operations.
 */

export const TENANT_B = 'BANK-B';
export const WORKSTATION = randomUUID();
export const KNOWN_CUSTOMERS = ['CIF-SYNC-0001', 'CIF-SYNC-0002'];
const TEAM: TestTeamMember[] = [
  ['amina.otieno', 'FRAUD_ANALYST'],
  ['brian.kamau', 'FRAUD_ANALYST'],
  ['bob.mwangi', 'FRAUD_ANALYST', [TENANT_B]],
  ['wanjiru.njoroge', 'COMPLIANCE_OFFICER'],
];

function coreRecord(customerRef: string, nationalId: string): Omit<Customer, 'id'> {
  return {
    customerRef,
    fullName: `Customer ${customerRef}`,
    nationalId,
    phone: `+2547000000${nationalId.slice(-2)}`,
    email: null,
    county: 'Nairobi',
    segment: 'RETAIL',
    kycStatus: 'VERIFIED',
    riskRating: 'LOW',
    customerSince: '2019-05-01',
    accounts: [{ accountNumber: `01200000${nationalId}`, type: 'CURRENT', openedOn: '2019-05-01', status: 'ACTIVE' }],
  };
}

export { openSocket, type ClientSocket } from '../../testing/sockets.ts';

export const rowsOf = (tables: readonly SyncTableRows[], table: SyncTableRows['table']) => tables.find((t) => t.table === table)?.rows ?? [];

export interface HubFixture {
  svc: TestService;
  tokens: Record<string, string>;
  ids: Record<string, string>;
  /** Case ids of tenant A (the test tenant) and of tenant B. */
  casesA: string[];
  casesB: string[];
  call(token: string, method: string, path: string, body?: unknown): ReturnType<TestService['request']>;
  caseOf(token: string, caseId: string): Promise<CaseSummary>;
  hubSeq(token: string): Promise<number>;
  /** Every change after the cursor, page by page, and the cursor at the end. */
  changesAfter(token: string, after: number, limit?: number): Promise<{ changes: SyncChange[]; cursor: number }>;
  push(token: string, mutations: SyncMutation[]): Promise<SyncPushResponse>;
  mutation(command: string, input: Record<string, unknown>, version?: number): SyncMutation;
}

export async function startHubFixture(dialect: Dialect): Promise<HubFixture> {
  const svc = await startTestService(dialect);
  const call: HubFixture['call'] = (token, method, path, body) => svc.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  const adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
  const { ids, tokens } = await addTestTeam(svc, TEAM);
  // Two customers the core banking system knows (their rows travel with their cases).
  for (const [i, ref] of KNOWN_CUSTOMERS.entries()) {
    await svc.service.context.bus.execute(upsertCustomer, coreRecord(ref, `3000000${i}`), SYSTEM_ACTOR);
  }
  for (let i = 0; i < 7; i++) {
    const res = await call(adminToken, 'POST', '/api/v1/fraud-risk/assessments', criticalPayment(i < 2 ? { customerId: KNOWN_CUSTOMERS[i]! } : {}));
    assert.equal(res.status, 201);
  }
  for (let i = 0; i < 3; i++) {
    const res = await call(adminToken, 'POST', '/api/v1/fraud-risk/assessments', criticalPayment({ tenantId: TENANT_B }));
    assert.equal(res.status, 201);
  }
  // The alert detectors check these payments after commit and may raise alerts (change-log rows):
  // let them finish so that the tests' reads of the change log are not raced by them.
  await svc.service.context.alerting?.flush();
  const casesA: string[] = [];
  const casesB: string[] = [];
  const cases = await svc.service.context.db.kysely.selectFrom('cases').select(['id', 'tenant_id']).execute();
  for (const c of cases) (c.tenant_id === TENANT_B ? casesB : casesA).push(c.id);
  assert.equal(casesA.length, 7);
  assert.equal(casesB.length, 3);

  return {
    svc,
    tokens,
    ids,
    casesA,
    casesB,
    call,
    caseOf: async (token, caseId) => CaseDetail.parse((await call(token, 'GET', `/api/v1/cases/${caseId}`)).body).case,
    hubSeq: async (token) => SyncHubInfo.parse((await call(token, 'GET', '/api/v1/sync/info')).body).hubSeq,
    async changesAfter(token, after, limit = 500) {
      const out: SyncChange[] = [];
      let cursor = after;
      for (;;) {
        const res = await call(token, 'GET', `/api/v1/sync/changes?after=${cursor}&limit=${limit}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const page = SyncChangesPage.parse(res.body);
        out.push(...page.changes);
        assert.ok(page.nextCursor >= cursor && page.nextCursor <= page.hubSeq);
        cursor = page.nextCursor;
        if (!page.hasMore) return { changes: out, cursor };
      }
    },
    async push(token, mutations) {
      const res = await call(token, 'POST', '/api/v1/sync/push', { workstationId: WORKSTATION, mutations });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return SyncPushResponse.parse(res.body);
    },
    mutation: (command, input, version = 1) => ({ mutationId: randomUUID(), command, commandVersion: version, input, clientTime: '2026-11-20T09:00:00.000Z' }),
  };
}
