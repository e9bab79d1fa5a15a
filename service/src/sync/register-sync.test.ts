// The risk register on a workstation (issue 13 with issue 12's sync): a risk officer's register
// arrives with the first sync (their tenants only), is read from the cache, and what they record
// offline — a failed control test, a KRI measurement — runs locally as the same commands and
// reaches the hub once, with the same ids, when the hub is back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { HubLink, startTestWorkstation, waitFor, type TestWorkstation } from '../testing/workstation.ts';
import { z } from 'zod';
import { Risk, RiskDetail, RiskOwner, RiskPage } from '../../../shared/src/risk-register.ts';

after(stopTestPostgres);

const ok = (res: { status: number; body: unknown }, status = 200) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body as Record<string, unknown>;
};

for (const dialect of DIALECTS) {
  describe(`the risk register on a workstation of a ${dialect} hub`, { timeout: 240_000 }, () => {
    let hub: TestService;
    let ws: TestWorkstation;
    const link = new HubLink();
    let ids: Record<string, string> = {};
    let tokens: Record<string, string> = {};
    let wsToken: string;
    let risk: Risk;
    let otherTenantRisk: Risk;
    let controlId: string;
    let kriId: string;

    before(async () => {
      hub = await startTestService(dialect);
      await hub.login('admin', TEST_ADMIN_PASSWORD);
      ({ ids, tokens } = await addTestTeam(hub, [
        ['peter.mwangi', 'RISK_OFFICER', ['WEKEZA-KE']],
        ['faith.wambui', 'RISK_MANAGER'],
      ]));
      const manager = tokens['faith.wambui']!;
      const create = async (tenantId: string, title: string, ownerId = ids['peter.mwangi']) =>
        Risk.parse(
          ok(
            await hub.request('POST', '/api/v1/risks', {
              token: manager,
              body: { tenantId, title, category: 'OPERATIONAL', businessUnit: 'Payments', ownerId, description: 'Card-not-present fraud losses' },
            }),
            201,
          ),
        );
      risk = await create('WEKEZA-KE', 'Card fraud losses exceed appetite');
      otherTenantRisk = await create('WEKEZA-MFB', 'Microfinance agent cash shortfalls', ids['faith.wambui']);
      const control = ok(
        await hub.request('POST', '/api/v1/controls', {
          token: manager,
          body: {
            tenantId: 'WEKEZA-KE',
            name: '3-D Secure on card-not-present payments',
            type: 'PREVENTIVE',
            ownerId: ids['peter.mwangi'],
            frequency: 'MONTHLY',
            riskIds: [risk.id],
          },
        }),
        201,
      );
      controlId = String(control.id);
      ok(
        await hub.request('POST', `/api/v1/controls/${controlId}/tests`, {
          token: manager,
          body: { result: 'PASS', notes: 'Sampled 25 CNP payments: all challenged.' },
        }),
        201,
      );
      const assessed = RiskDetail.parse(ok(await hub.request('GET', `/api/v1/risks/${risk.id}`, { token: manager }))).risk;
      ok(
        await hub.request('POST', `/api/v1/risks/${risk.id}/assessments`, {
          token: manager,
          body: { inherentLikelihood: 4, inherentImpact: 4, note: 'Yearly review', expectedVersion: assessed.version },
        }),
        201,
      );
      const kri = ok(
        await hub.request('POST', '/api/v1/kris', {
          token: manager,
          body: {
            tenantId: 'WEKEZA-KE',
            name: 'Card fraud losses per month',
            unit: 'KES m',
            direction: 'HIGHER_IS_WORSE',
            thresholdWarning: 5,
            thresholdCritical: 10,
            frequency: 'MONTHLY',
            ownerId: ids['peter.mwangi'],
            riskIds: [risk.id],
          },
        }),
        201,
      );
      kriId = String(kri.id);

      ws = await startTestWorkstation(hub.url, { transport: link.transport });
      wsToken = (await ws.login('peter.mwangi', 'Test-User-Password-2026')).token;
      await ws.waitFor(wsToken, (s) => s.initialSync === null && s.lastSyncAt !== null && s.pendingMutations === 0, 30_000);
    });

    after(async () => {
      await ws?.stop();
      await hub?.stop();
    });

    it("holds the officer's tenants' register from the first sync and answers from the cache", async () => {
      const listed = RiskPage.parse(ok(await ws.request('GET', '/api/v1/risks', { token: wsToken })));
      assert.deepEqual(
        listed.items.map((r) => r.id),
        [risk.id],
        "the other tenant's risk never reaches this workstation",
      );
      const local = ws.service.context.db.kysely;
      assert.equal(await local.selectFrom('risks').select('id').where('id', '=', otherTenantRisk.id).executeTakeFirst(), undefined);
      const detail = RiskDetail.parse(ok(await ws.request('GET', `/api/v1/risks/${risk.id}`, { token: wsToken }))).risk;
      assert.equal(detail.inherent?.likelihood, 4);
      assert.ok(detail.residual && detail.residual.likelihood < 4, 'the tested control lowers the residual likelihood');
      ok(await ws.request('GET', `/api/v1/kris/${kriId}`, { token: wsToken }));
      ok(await ws.request('GET', '/api/v1/risk-matrix', { token: wsToken }));
    });

    it('offers risk owners offline, from the synced users table (risk-owner.list is a local query)', async () => {
      link.up = false;
      try {
        const owners = z.array(RiskOwner).parse(ok(await ws.request('GET', '/api/v1/risk-owners?tenantId=WEKEZA-KE', { token: wsToken })));
        const names = owners.map((o) => o.username);
        assert.ok(names.includes('peter.mwangi') && names.includes('faith.wambui'), names.join(', '));
        assert.ok(owners.every((o) => o.role === 'RISK_OFFICER' || o.role === 'RISK_MANAGER' || o.role === 'COMPLIANCE_OFFICER'));
      } finally {
        link.up = true;
      }
    });

    it('records a failed control test and a KRI breach offline, and the hub gets each once with the same ids', async () => {
      link.up = false;
      const before = RiskDetail.parse(ok(await ws.request('GET', `/api/v1/risks/${risk.id}`, { token: wsToken }))).risk;
      const test = ok(
        await ws.request('POST', `/api/v1/controls/${controlId}/tests`, {
          token: wsToken,
          body: { result: 'FAIL', notes: 'Offline review: 3 of 20 CNP payments were not challenged.' },
        }),
        201,
      );
      const measurement = ok(
        await ws.request('POST', `/api/v1/kris/${kriId}/measurements`, {
          token: wsToken,
          body: { value: 12.5, note: 'November losses from the card scheme report' },
        }),
        201,
      );
      const after = RiskDetail.parse(ok(await ws.request('GET', `/api/v1/risks/${risk.id}`, { token: wsToken }))).risk;
      assert.ok(after.residual!.score > before.residual!.score, 'the failed test raises the residual score locally, offline');
      const pending = await ws.service.context.db.kysely.selectFrom('sync_outbox').select(['command', 'status']).orderBy('seq').execute();
      assert.deepEqual(
        pending.map((p) => [p.command, p.status]),
        [
          ['control.record-test', 'pending'],
          ['kri.record-measurement', 'pending'],
        ],
      );

      link.up = true;
      const synced = await ws.waitFor(wsToken, (s) => s.pendingMutations === 0 && s.online, 30_000);
      assert.equal(synced.rejectedMutations, 0, JSON.stringify(await ws.request('GET', '/api/v1/sync/conflicts', { token: wsToken })));
      const manager = tokens['faith.wambui']!;
      const hubTests = ok(await hub.request('GET', `/api/v1/controls/${controlId}/tests`, { token: manager }));
      const localTest = test.test as { id: string; testedAt: string };
      const hubTest = (hubTests as unknown as Array<{ id: string; testedAt: string }>).find((t) => t.id === localTest.id);
      assert.ok(hubTest, 'the offline test has the same id at the hub');
      assert.equal(hubTest.testedAt, localTest.testedAt, 'tested when it was recorded offline');
      const hubMeasurements = ok(await hub.request('GET', `/api/v1/kris/${kriId}/measurements`, { token: manager }));
      const localMeasurement = measurement.measurement as { id: string; measuredAt: string };
      const atHub = (hubMeasurements.measurements as Array<{ id: string; measuredAt: string }>).filter((m) => m.id === localMeasurement.id);
      assert.equal(atHub.length, 1, 'the measurement arrived once, with the same id');
      assert.equal(atHub[0]!.measuredAt, localMeasurement.measuredAt, 'measured when it was recorded offline, not when it was sent');
      const hubRisk = RiskDetail.parse(ok(await hub.request('GET', `/api/v1/risks/${risk.id}`, { token: manager }))).risk;
      assert.equal(hubRisk.residual?.score, after.residual?.score, 'the hub derives the same residual');
      const events = ok(await hub.request('GET', `/api/v1/risk-events?kriId=${kriId}`, { token: manager }));
      const breach = ((events.events ?? []) as Array<{ kriId: string | null; severity: string }>).filter((e) => e.kriId === kriId);
      assert.equal(breach.length, 1, 'one breach event at the hub');
      assert.equal(breach[0]!.severity, 'CRITICAL');
    });

    it("brings the hub's later changes to the workstation", async () => {
      const manager = tokens['faith.wambui']!;
      const current = RiskDetail.parse(ok(await hub.request('GET', `/api/v1/risks/${risk.id}`, { token: manager }))).risk;
      ok(
        await hub.request('PUT', `/api/v1/risks/${risk.id}`, {
          token: manager,
          body: {
            title: 'Card fraud losses exceed the board appetite',
            description: current.description,
            category: current.category,
            businessUnit: current.businessUnit,
            ownerId: current.ownerId,
            causes: current.causes,
            consequences: current.consequences,
            expectedVersion: current.version,
          },
        }),
      );
      await waitFor('the new title on the workstation', async () => {
        const local = RiskDetail.parse(ok(await ws.request('GET', `/api/v1/risks/${risk.id}`, { token: wsToken }))).risk;
        return local.title === 'Card fraud losses exceed the board appetite';
      });
    });
  });
}
