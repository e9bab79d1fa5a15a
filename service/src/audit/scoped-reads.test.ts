import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { readableAuditTypes } from './queries.ts';
import { AuditPage } from '../../../shared/src/audit.ts';
import { DashboardSummary } from '../../../shared/src/dashboard.ts';
import { ToggleConfiguration } from '../../../shared/src/toggles.ts';
import type { Permission } from '../../../shared/src/roles.ts';

after(stopTestPostgres);

const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';
const NATIONAL_ID = '27845123';

it('lets a reader see the audit rows of entity types it may read itself, and no unknown type', { timeout: 5_000 }, () => {
  const types = readableAuditTypes(new Set<Permission>(['audit:read', 'toggle:read']));
  assert.deepEqual(
    types.tenantScoped.sort(),
    ['api_client', 'fraud_api_toggle', 'fraud_api_toggle_approval', 'session', 'user'],
    'no case, assessment or customer rows without their permission',
  );
  assert.deepEqual(types.bankWide.sort(), ['service_secret', 'settings']);
  const all = readableAuditTypes(new Set<Permission>(['audit:read', 'case:read', 'assessment:read', 'customer:read', 'configuration:read', 'toggle:read']));
  assert.ok(all.tenantScoped.includes('case') && all.tenantScoped.includes('customer') && all.bankWide.includes('case-queue'));
  assert.ok(![...all.tenantScoped, ...all.bankWide].includes('no-such-entity'));
});

/**
 * Issue 10 item 10: audit trails are read by entity type and by the reader's right to the entity
 * and its tenant; the dashboard counts only the caller's tenants (ARCHITECTURE.md "Tenants").
 */
for (const dialect of DIALECTS) {
  describe(`scoped audit and dashboard reads on ${dialect}`, { timeout: 120_000 }, () => {
    let svc: TestService;
    let admin: string;
    let keEngineKey: string;
    let caseId: string;
    let keToggle: ToggleConfiguration;
    let ugToggle: ToggleConfiguration;
    const clock = new ManualClock('2026-11-20T09:00:00Z');
    const tokens: Record<string, string> = {};

    const ok = async (res: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body as Record<string, unknown>;
    };
    const engine = async (tenantIds: string[]) =>
      String(
        (
          await ok(
            svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: `Engine ${tenantIds.join(' ')}`, role: 'PAYMENT_ENGINE', tenantIds } }),
            201,
          )
        ).apiKey,
      );
    const score = async (key: string, payment: ReturnType<typeof samplePayment>) => {
      const res = await svc.request('POST', '/api/v1/fraud-risk/assessments', { headers: { 'x-api-key': key }, body: payment });
      assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
      return String((res.body as { assessmentId: string }).assessmentId);
    };
    const audit = async (token: string, query = '') => AuditPage.parse(await ok(svc.request('GET', `/api/v1/audit?pageSize=500${query}`, { token })));
    const summary = async (token: string) => DashboardSummary.parse(await ok(svc.request('GET', '/api/v1/dashboard/summary', { token })));

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      for (const [username, role, tenants] of [
        ['grace.achieng', 'AUDITOR', []],
        ['uganda.auditor', 'AUDITOR', [UG]],
        ['kenya.analyst', 'FRAUD_ANALYST', [KE]],
        ['david.kiprop', 'EXECUTIVE', []],
      ] as const) {
        await addTestUser(svc, username, role, tenants);
        tokens[username] = (await svc.login(username, TEST_USER_PASSWORD)).token;
      }
      keEngineKey = await engine([KE]);
      const ugEngineKey = await engine([UG]);
      const keAssessment = await score(keEngineKey, criticalPayment({ tenantId: KE }));
      await score(keEngineKey, samplePayment({ tenantId: KE }));
      await score(ugEngineKey, criticalPayment({ tenantId: UG }));
      await score(ugEngineKey, samplePayment({ tenantId: UG }));
      await score(ugEngineKey, samplePayment({ tenantId: UG }));
      caseId = String((await ok(svc.request('GET', `/api/v1/fraud-risk/assessments/${keAssessment}`, { token: admin }))).caseId);
      const comment = await svc.request('POST', `/api/v1/cases/${caseId}/comments`, {
        token: admin,
        body: { body: `Customer confirmed national ID ${NATIONAL_ID} and phone +254712000111 at the branch.` },
      });
      assert.ok(comment.status === 200 || comment.status === 201, JSON.stringify(comment.body));
      keToggle = ToggleConfiguration.parse(
        await ok(
          svc.request('POST', '/api/v1/fraud-api-toggle/configurations', {
            token: admin,
            body: { tenantId: KE, paymentType: 'EFT', isEnabled: false, disabledReason: 'KE ACH replay', disabledBehaviour: 'LOCAL_RULES_ONLY' },
          }),
          201,
        ),
      );
      ugToggle = ToggleConfiguration.parse(
        await ok(
          svc.request('POST', '/api/v1/fraud-api-toggle/configurations', {
            token: admin,
            body: { tenantId: UG, paymentType: 'EFT', isEnabled: false, disabledReason: 'UG ACH replay', disabledBehaviour: 'LOCAL_RULES_ONLY' },
          }),
          201,
        ),
      );
    });
    after(async () => svc?.stop());

    it("does not show a case's audit trail through the toggle audit to a machine client", async () => {
      const commented = await audit(tokens['grace.achieng']!, `&entityId=${caseId}`);
      assert.ok(JSON.stringify(commented.items).includes(NATIONAL_ID), 'the comment is in the case audit trail');
      const asToggle = await svc.request('GET', `/api/v1/fraud-api-toggle/configurations/${caseId}/audit`, { headers: { 'x-api-key': keEngineKey } });
      assert.equal(asToggle.status, 404);
      assert.ok(!JSON.stringify(asToggle.body).includes(NATIONAL_ID));
      assert.equal((await svc.request('GET', `/api/v1/cases/${caseId}`, { headers: { 'x-api-key': keEngineKey } })).status, 403, 'no case:read');
      const trail = await svc.request('GET', `/api/v1/fraud-api-toggle/configurations/${keToggle.id}/audit`, { headers: { 'x-api-key': keEngineKey } });
      assert.equal(trail.status, 200);
      assert.deepEqual(
        (trail.body as Array<{ command: string }>).map((e) => e.command),
        ['fraud-api-toggle.create'],
      );
    });

    it('lets an auditor read the whole audit log', async () => {
      const page = await audit(tokens['grace.achieng']!);
      const ids = new Set(page.items.map((e) => e.entityId));
      assert.ok(ids.has(keToggle.id) && ids.has(ugToggle.id) && ids.has(caseId));
      assert.ok(
        page.items.some((e) => e.entityType === 'user'),
        'bank-wide rows too',
      );
      assert.equal(page.total, page.items.length);
    });

    it("shows a restricted reader only its tenants' rows", async () => {
      const page = await audit(tokens['uganda.auditor']!);
      const ids = new Set(page.items.map((e) => e.entityId));
      assert.ok(ids.has(ugToggle.id), 'its tenant');
      assert.ok(!ids.has(keToggle.id) && !ids.has(caseId), 'not another tenant');
      assert.ok(!JSON.stringify(page.items).includes(NATIONAL_ID));
      assert.ok(!JSON.stringify(page.items).includes('KE ACH replay'));
      assert.ok(
        page.items.some((e) => e.entityType === 'service_secret'),
        'bank-wide rows stay visible',
      );
      assert.ok(
        !page.items.some((e) => e.entityType === 'user' || e.entityType === 'api_client' || e.entityType.startsWith('customer')),
        'rows that name tenants or customers: readers of every tenant only',
      );
      assert.equal((await audit(tokens['uganda.auditor']!, `&entityId=${keToggle.id}`)).total, 0);
      assert.equal((await svc.request('GET', '/api/v1/audit', { token: tokens['kenya.analyst']! })).status, 403, 'analysts have no audit:read');
    });

    it("counts only the caller's tenants on the dashboard", async () => {
      const all = await summary(tokens['david.kiprop']!);
      const kenya = await summary(tokens['kenya.analyst']!);
      assert.equal(all.assessmentsToday, 5);
      assert.equal(kenya.assessmentsToday, 2);
      assert.equal(all.openCases, 2);
      assert.equal(kenya.openCases, 1);
      assert.equal(kenya.generatedAt, '2026-11-20T09:00:00.000Z', 'as of the injected clock');
      assert.equal(
        kenya.hourly.reduce((n, h) => n + h.total, 0),
        2,
      );
    });
  });
}
