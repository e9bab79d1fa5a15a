import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { NotificationList } from '../../../shared/src/notifications.ts';
import { Risk } from '../../../shared/src/risk-register.ts';
import { RiskAcceptance } from '../../../shared/src/risk-treatments.ts';

after(stopTestPostgres);

const TENANT = 'WEKEZA-KE';

/**
 * Issue 15 "a four-eyes request waiting for them": a tenant-level fraud-API disable and a risk
 * acceptance, each waiting for a second person, reach the people who may decide them (of that
 * tenant), never the maker, with a link that opens the item. (Case four-eyes: people.test.ts.)
 */
for (const dialect of DIALECTS) {
  describe(`four-eyes requests notify the approvers on ${dialect}`, { timeout: 180_000 }, () => {
    let svc: TestService;
    let admin: string;
    let tokens: Record<string, string> = {};
    let ids: Record<string, string> = {};
    const clock = new ManualClock('2026-11-20T09:00:00Z');

    const call = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
      const res = await svc.request(method, path, { token, ...(body === undefined ? {} : { body }) });
      assert.equal(res.status, status, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const inbox = async (token: string, kind: string) =>
      NotificationList.parse(await call('GET', '/api/v1/notifications?limit=500', token)).notifications.filter((n) => n.kind === kind);

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      ({ ids, tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER'],
        ['peter.omondi', 'RISK_MANAGER', ['BANK-B']],
        ['ruth.mutua', 'RISK_OFFICER', [TENANT]],
        ['amina.otieno', 'FRAUD_ANALYST'],
      ]));
    });
    after(async () => svc?.stop());

    it('a tenant-level fraud-API disable waiting for a second admin', async () => {
      const BASE = '/api/v1/fraud-api-toggle';
      await call('PUT', `${BASE}/settings`, admin, { fourEyesForTenantDisable: true });
      const asked = (await call(
        'POST',
        `${BASE}/disable`,
        admin,
        { tenantId: TENANT, reason: 'Suspected engine compromise', disabledBehaviour: 'LOCAL_RULES_ONLY' },
        202,
      )) as { pendingApproval: { id: string } };
      const waiting = await inbox(tokens['faith.wambui']!, 'fraud-api-toggle.approval-requested');
      assert.equal(waiting.length, 1);
      assert.equal(waiting[0]!.entityId, asked.pendingApproval.id);
      assert.equal(waiting[0]!.link, '/fraud-api-toggles');
      assert.match(waiting[0]!.title, new RegExp(TENANT));
      assert.equal((await inbox(admin, 'fraud-api-toggle.approval-requested')).length, 0, 'not the requester');
      assert.equal((await inbox(tokens['peter.omondi']!, 'fraud-api-toggle.approval-requested')).length, 0, 'not an admin of another tenant');
      assert.equal((await inbox(tokens['amina.otieno']!, 'fraud-api-toggle.approval-requested')).length, 0, 'not someone who cannot decide it');
      assert.equal(waiting[0]!.readAt, null);
      await call('POST', `${BASE}/approvals/${asked.pendingApproval.id}/approve`, tokens['faith.wambui']!, { note: 'Confirmed with the CISO' });
      const settled = await inbox(tokens['faith.wambui']!, 'fraud-api-toggle.approval-requested');
      assert.notEqual(settled[0]!.readAt, null, 'once decided it no longer waits: marked read');
    });

    it('a risk acceptance waiting for approval', async () => {
      const officer = tokens['ruth.mutua']!;
      const risk = Risk.parse(
        await call(
          'POST',
          '/api/v1/risks',
          officer,
          { tenantId: TENANT, title: 'Small FX open position', category: 'MARKET', businessUnit: 'Treasury', ownerId: ids['ruth.mutua'] },
          201,
        ),
      );
      await call('POST', `/api/v1/risks/${risk.id}/assessments`, officer, { inherentLikelihood: 2, inherentImpact: 2, expectedVersion: risk.version }, 201);
      const acceptance = RiskAcceptance.parse(
        await call(
          'POST',
          `/api/v1/risks/${risk.id}/acceptances`,
          officer,
          { justification: 'Exposure is within appetite for one quarter', expiresAt: '2027-02-20T00:00:00Z' },
          201,
        ),
      );
      const waiting = await inbox(tokens['faith.wambui']!, 'risk-acceptance.requested');
      assert.equal(waiting.length, 1);
      assert.equal(waiting[0]!.link, `/risks/${risk.id}`);
      assert.match(waiting[0]!.body, /within appetite/);
      assert.equal((await inbox(officer, 'risk-acceptance.requested')).length, 0, 'not the requester (who cannot approve anyway)');
      assert.equal((await inbox(tokens['peter.omondi']!, 'risk-acceptance.requested')).length, 0, 'not an approver of another tenant');
      assert.equal(waiting[0]!.readAt, null);
      await call('POST', `/api/v1/risk-acceptances/${acceptance.id}/reject`, tokens['faith.wambui']!, {
        note: 'Not within appetite',
        expectedVersion: acceptance.version,
      });
      assert.notEqual((await inbox(tokens['faith.wambui']!, 'risk-acceptance.requested'))[0]!.readAt, null, 'a rejected request no longer waits');
    });
  });
}
