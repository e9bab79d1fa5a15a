import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { deactivateUser } from '../users/users.ts';
import { RiskOwner } from '../../../shared/src/risk-register.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const KE = 'WEKEZA-KE';
const UG = 'WEKEZA-UG';

for (const dialect of DIALECTS) {
  describe(`risk owners (risk-owner.list) on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let ids: Record<string, string>;
    let tokens: Record<string, string>;
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      ({ ids, tokens } = await addTestTeam(svc, [
        ['ruth.mutua', 'RISK_OFFICER', [KE]],
        ['okello.james', 'RISK_OFFICER', [UG]],
        ['faith.wambui', 'RISK_MANAGER'],
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [KE, UG]],
        ['left.company', 'RISK_OFFICER', [KE]],
        ['amina.otieno', 'FRAUD_ANALYST', [KE]],
        ['grace.achieng', 'AUDITOR'],
      ]));
      await svc.service.context.bus.execute(deactivateUser, { id: ids['left.company']! }, SYSTEM_ACTOR);
    });
    after(async () => svc?.stop());

    const owners = async (token: string, tenantId?: string) => {
      const res = await svc.request('GET', `/api/v1/risk-owners${tenantId ? `?tenantId=${tenantId}` : ''}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return z.array(RiskOwner).parse(res.body);
    };
    const usernames = (list: RiskOwner[]) => list.map((o) => o.username).sort();

    // The bootstrap administrator is a RISK_MANAGER acting for every tenant (users/access.ts).
    it('lists active risk managers and officers with id, name and role; analysts, auditors and inactive users are not offered', async () => {
      const list = await owners(tokens['grace.achieng']!);
      assert.deepEqual(usernames(list), ['admin', 'faith.wambui', 'okello.james', 'ruth.mutua', 'wanjiru.njoroge']);
      const ruth = list.find((o) => o.username === 'ruth.mutua');
      assert.deepEqual(ruth, { id: ids['ruth.mutua'], displayName: 'Ruth Mutua', username: 'ruth.mutua', role: 'RISK_OFFICER' });
      assert.equal(list.find((o) => o.username === 'faith.wambui')?.role, 'RISK_MANAGER');
    });

    it('narrows to the people acting for one tenant; bank-wide users count for every tenant', async () => {
      assert.deepEqual(usernames(await owners(tokens['grace.achieng']!, KE)), ['admin', 'faith.wambui', 'ruth.mutua', 'wanjiru.njoroge']);
      assert.deepEqual(usernames(await owners(tokens['grace.achieng']!, UG)), ['admin', 'faith.wambui', 'okello.james', 'wanjiru.njoroge']);
      assert.deepEqual(usernames(await owners(tokens['grace.achieng']!, 'WEKEZA-TZ')), ['admin', 'faith.wambui']);
    });

    it("a caller limited to one tenant sees only that tenant's owners, and nobody for a tenant it does not act for", async () => {
      assert.deepEqual(usernames(await owners(tokens['ruth.mutua']!)), ['admin', 'faith.wambui', 'ruth.mutua', 'wanjiru.njoroge']);
      assert.deepEqual(usernames(await owners(tokens['ruth.mutua']!, UG)), []);
    });

    it('refuses a role without risk:read (403) and a malformed tenant (400 naming the field)', async () => {
      const denied = await svc.request('GET', '/api/v1/risk-owners', { token: tokens['amina.otieno']! });
      assert.equal(denied.status, 403);
      const bad = await svc.request('GET', '/api/v1/risk-owners?tenantId=%20bad%20id%20', { token: tokens['grace.achieng']! });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /query\.tenantId/);
    });
  });
}
