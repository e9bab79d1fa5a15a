import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { ToggleApproval, ToggleConfiguration, ToggleStatistics, type ToggleInput } from '../../../shared/src/toggles.ts';

after(stopTestPostgres);

const BASE = '/api/v1/fraud-api-toggle';
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';

/**
 * Fraud API toggles are scoped to the caller's tenants (issue 10, ARCHITECTURE.md "Tenants"):
 * lists show its tenants' configurations, another tenant's configuration is 404, and naming
 * another tenant in a check or a write is 403 naming the field.
 */
for (const dialect of DIALECTS) {
  describe(`fraud API toggle tenant scope on ${dialect}`, { timeout: 120_000 }, () => {
    let svc: TestService;
    let admin: string;
    let keManager: string;
    let keAnalyst: string;
    let ugConfig: ToggleConfiguration;
    let keConfig: ToggleConfiguration;
    const clock = new ManualClock('2026-11-20T09:00:00Z');

    const create = async (token: string, body: ToggleInput) => svc.request('POST', `${BASE}/configurations`, { token, body });
    const fieldOf = (body: unknown) => ApiErrorBody.parse(body).error.fields?.[0]?.path;

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'kenya.manager', 'RISK_MANAGER', [KE]);
      keManager = (await svc.login('kenya.manager', TEST_USER_PASSWORD)).token;
      await addTestUser(svc, 'kenya.analyst', 'FRAUD_ANALYST', [KE]);
      keAnalyst = (await svc.login('kenya.analyst', TEST_USER_PASSWORD)).token;
      const ug = await create(admin, {
        tenantId: UG,
        paymentType: 'RTGS',
        isEnabled: false,
        disabledReason: 'UG-ONLY engine maintenance',
        disabledBehaviour: 'LOCAL_RULES_ONLY',
      });
      assert.equal(ug.status, 201, JSON.stringify(ug.body));
      ugConfig = ToggleConfiguration.parse(ug.body);
      const ke = await create(keManager, {
        tenantId: KE,
        paymentType: 'RTGS',
        isEnabled: false,
        disabledReason: 'KE engine maintenance',
        disabledBehaviour: 'LOCAL_RULES_ONLY',
      });
      assert.equal(ke.status, 201, JSON.stringify(ke.body));
      keConfig = ToggleConfiguration.parse(ke.body);
    });
    after(async () => svc?.stop());

    it("lists only the caller's tenants' configurations; another tenant's is not found", async () => {
      const list = async (path: string, token: string) =>
        ToggleConfiguration.array()
          .parse((await svc.request('GET', path, { token })).body)
          .map((c) => c.tenantId);
      for (const path of [
        `${BASE}/configurations`,
        `${BASE}/configurations?includeInactive=true`,
        `${BASE}/configurations/effective`,
        `${BASE}/configurations?tenantId=${UG}`,
      ]) {
        const tenants = await list(path, keAnalyst);
        assert.ok(!tenants.includes(UG), `${path}: ${tenants.join(', ')}`);
      }
      assert.deepEqual(await list(`${BASE}/configurations`, keAnalyst), [KE]);
      assert.deepEqual((await list(`${BASE}/configurations`, admin)).sort(), [KE, UG], 'bank-wide callers see every tenant');
      assert.equal((await svc.request('GET', `${BASE}/configurations/${ugConfig.id}`, { token: keAnalyst })).status, 404);
      assert.equal((await svc.request('GET', `${BASE}/configurations/${ugConfig.id}/audit`, { token: keAnalyst })).status, 404);
      assert.equal((await svc.request('GET', `${BASE}/configurations/${keConfig.id}`, { token: keAnalyst })).status, 200);
      const byTenant = await svc.request('GET', `${BASE}/configurations/tenant/${UG}`, { token: keAnalyst });
      assert.equal(byTenant.status, 403);
      assert.equal(fieldOf(byTenant.body), 'params.tenantId');
    });

    it('refuses a check for another tenant with 403 naming the field', async () => {
      const other = await svc.request('GET', `${BASE}/check?tenantId=${UG}&paymentType=RTGS`, { token: keAnalyst });
      assert.equal(other.status, 403);
      assert.equal(fieldOf(other.body), 'query.tenantId');
      const own = await svc.request('GET', `${BASE}/check?tenantId=${KE}&paymentType=RTGS`, { token: keAnalyst });
      assert.equal(own.status, 200);
      assert.equal((own.body as { matchedConfigurationId: string }).matchedConfigurationId, keConfig.id);
    });

    it("refuses writes for another tenant (403 naming the field) and to another tenant's configuration (404)", async () => {
      const created = await create(keManager, { tenantId: UG, isEnabled: true, enabledReason: 'not mine to change' });
      assert.equal(created.status, 403);
      assert.equal(fieldOf(created.body), 'body.tenantId');
      const scheduled = await svc.request('POST', `${BASE}/configurations/schedule`, {
        token: keManager,
        body: { tenantId: UG, isEnabled: false, disabledReason: 'window', disabledBehaviour: 'LOCAL_RULES_ONLY', effectiveFrom: '2026-11-21T00:00:00Z' },
      });
      assert.equal(scheduled.status, 403);
      for (const action of ['enable', 'disable', 'toggle']) {
        const res = await svc.request('POST', `${BASE}/${action}`, { token: keManager, body: { tenantId: UG, reason: 'not my tenant' } });
        assert.equal(res.status, 403, action);
        assert.equal(fieldOf(res.body), 'body.tenantId');
      }
      const moved = await svc.request('PUT', `${BASE}/configurations/${keConfig.id}`, {
        token: keManager,
        body: {
          tenantId: UG,
          paymentType: 'RTGS',
          isEnabled: false,
          disabledReason: 'moved',
          disabledBehaviour: 'LOCAL_RULES_ONLY',
          expectedRowVersion: keConfig.rowVersion,
        },
      });
      assert.equal(moved.status, 403, 'moving a configuration to another tenant');
      assert.equal(fieldOf(moved.body), 'body.tenantId');
      const foreign = await svc.request('PUT', `${BASE}/configurations/${ugConfig.id}`, {
        token: keManager,
        body: { tenantId: KE, paymentType: 'RTGS', isEnabled: true, enabledReason: 'taken over', expectedRowVersion: ugConfig.rowVersion },
      });
      assert.equal(foreign.status, 404, "changing another tenant's configuration");
      const deleted = await svc.request('DELETE', `${BASE}/configurations/${ugConfig.id}?expectedRowVersion=${ugConfig.rowVersion}`, { token: keManager });
      assert.equal(deleted.status, 404);
      // Nothing was written.
      const stillThere = ToggleConfiguration.parse((await svc.request('GET', `${BASE}/configurations/${ugConfig.id}`, { token: admin })).body);
      assert.equal(stillThere.rowVersion, ugConfig.rowVersion);
      assert.equal(stillThere.tenantId, UG);
      // Its own tenant: allowed.
      const enabled = await svc.request('POST', `${BASE}/enable`, {
        token: keManager,
        body: { tenantId: KE, paymentType: 'RTGS', reason: 'maintenance over' },
      });
      assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
      assert.equal(ToggleConfiguration.parse(enabled.body).id, keConfig.id);
    });

    it("shows and decides only its tenants' four-eyes requests", async () => {
      assert.equal((await svc.request('PUT', `${BASE}/settings`, { token: admin, body: { fourEyesForTenantDisable: true } })).status, 200);
      const asked = await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: UG, reason: 'Suspected engine compromise', disabledBehaviour: 'LOCAL_RULES_ONLY' },
      });
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      const approval = ToggleApproval.parse((asked.body as { pendingApproval: unknown }).pendingApproval);
      const visible = ToggleApproval.array().parse((await svc.request('GET', `${BASE}/approvals?status=PENDING`, { token: keManager })).body);
      assert.ok(!visible.some((a) => a.id === approval.id));
      assert.ok(
        ToggleApproval.array()
          .parse((await svc.request('GET', `${BASE}/approvals?status=PENDING`, { token: admin })).body)
          .some((a) => a.id === approval.id),
      );
      const approved = await svc.request('POST', `${BASE}/approvals/${approval.id}/approve`, { token: keManager, body: { note: 'approving blind' } });
      assert.equal(approved.status, 404);
      const stats = ToggleStatistics.parse((await svc.request('GET', `${BASE}/statistics`, { token: keManager })).body);
      assert.equal(stats.pendingApprovals, 0);
      assert.ok(
        stats.recentChanges.every((c) => !c.summary.includes(UG)),
        JSON.stringify(stats.recentChanges),
      );
      assert.equal(ToggleStatistics.parse((await svc.request('GET', `${BASE}/statistics`, { token: admin })).body).pendingApprovals, 1);
      await svc.request('PUT', `${BASE}/settings`, { token: admin, body: { fourEyesForTenantDisable: false } });
    });

    it('checks at the injected clock, not the wall clock', async () => {
      const from = '2026-11-20T10:00:00.000Z';
      const scheduled = await svc.request('POST', `${BASE}/configurations/schedule`, {
        token: admin,
        body: {
          tenantId: KE,
          paymentType: 'EFT',
          isEnabled: false,
          disabledReason: 'ACH window',
          disabledBehaviour: 'LOCAL_RULES_ONLY',
          effectiveFrom: from,
          effectiveUntil: '2026-11-20T11:00:00Z',
        },
      });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      assert.equal(ToggleConfiguration.parse(scheduled.body).state, 'FUTURE');
      const at = async () =>
        (await svc.request('GET', `${BASE}/check?tenantId=${KE}&paymentType=EFT`, { token: keAnalyst })).body as { enabled: boolean; at: string };
      assert.equal((await at()).enabled, true);
      assert.equal((await at()).at, '2026-11-20T09:00:00.000Z');
      clock.set('2026-11-20T10:30:00Z');
      assert.equal((await at()).enabled, false, 'inside the window by the clock');
      clock.set('2026-11-20T09:00:00Z');
    });
  });
}
