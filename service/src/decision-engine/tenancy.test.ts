import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { Backtest, FraudRiskConfiguration, FraudRiskHealth, type ConfigurationInput } from '../../../shared/src/decision-engine.ts';

after(stopTestPostgres);

/**
 * Tenant scope of decision-engine configurations (ARCHITECTURE.md "Tenants"): a risk manager
 * acting for BANK-A sees BANK-A's configurations and those of every tenant ("*"), never BANK-B's
 * (404, also for versions and backtests), and cannot create or change one outside its scope (403).
 */
const BASE = '/api/v1/fraud-risk';
const A = 'BANK-A';
const B = 'BANK-B';

const configuration = (overrides: Partial<ConfigurationInput> = {}): ConfigurationInput => ({ ...newConfigurationTemplate(), ...overrides });

for (const dialect of DIALECTS) {
  describe(`tenant scope of decision-engine configurations on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let admin: string;
    let managerA: string;
    const ids: Record<string, FraudRiskConfiguration> = {};

    const call = (token: string, method: string, path: string, body?: unknown) =>
      svc.request(method, `${BASE}${path}`, { token, ...(body === undefined ? {} : { body }) });
    const expectStatus = (res: { status: number; body: unknown }, status: number, what: string) =>
      assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    const configurationCount = async () =>
      Number(
        (
          await svc.service.context.db.kysely
            .selectFrom('fraud_risk_configuration_versions')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T12:00:00Z') });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'manager.a', 'RISK_MANAGER', [A]);
      managerA = (await svc.login('manager.a', TEST_USER_PASSWORD)).token;
      const bankEngine = { ...EXAMPLE_BANK_API, name: 'B-SECRET-ENGINE' };
      for (const [name, tenantId, extra] of [
        ['Every tenant', '*', {}],
        ['Bank A rules', A, {}],
        ['B-SECRET-CONFIG', B, { bankFraudApiConfig: bankEngine }],
      ] as const) {
        const res = await call(admin, 'POST', '/configurations', configuration({ configurationName: name, tenantId, ...extra }));
        expectStatus(res, 201, `create ${name}`);
        ids[tenantId] = FraudRiskConfiguration.parse(res.body);
      }
    });
    after(async () => svc?.stop());

    it("lists the caller's tenants' configurations and every tenant's, and answers 404 for another tenant's", async () => {
      const names = (body: unknown) =>
        FraudRiskConfiguration.array()
          .parse(body)
          .map((c) => c.configurationName)
          .sort();
      assert.deepEqual(names((await call(managerA, 'GET', '/configurations')).body), ['Bank A rules', 'Every tenant']);
      assert.deepEqual(names((await call(managerA, 'GET', `/configurations?tenantId=${B}`)).body), []);
      assert.deepEqual(names((await call(admin, 'GET', '/configurations')).body), ['B-SECRET-CONFIG', 'Bank A rules', 'Every tenant']);
      const b = ids[B]!.id;
      for (const path of [`/configurations/${b}`, `/configurations/${b}/versions`, `/configurations/${b}/versions/1`]) {
        const res = await call(managerA, 'GET', path);
        expectStatus(res, 404, path);
        assert.equal(ApiErrorBody.parse(res.body).error.code, 'NOT_FOUND');
      }
      expectStatus(await call(managerA, 'GET', `/configurations/${ids['*']!.id}`), 200, "every tenant's configuration");
      await svc.service.context.decisionEngine.registry.settled();
      const health = FraudRiskHealth.parse((await call(managerA, 'GET', '/health')).body);
      assert.deepEqual(health.bankEngines, [], "B's bank engine is not A's");
      assert.equal(FraudRiskHealth.parse((await call(admin, 'GET', '/health')).body).bankEngines[0]?.name, 'B-SECRET-ENGINE');
    });

    it('refuses to create or change a configuration outside the caller’s tenants, and writes nothing', async () => {
      const before = await configurationCount();
      const forB = await call(managerA, 'POST', '/configurations', configuration({ configurationName: 'For B', tenantId: B }));
      expectStatus(forB, 403, 'create for B');
      assert.equal(ApiErrorBody.parse(forB.body).error.fields?.[0]?.path, 'body.tenantId');
      expectStatus(
        await call(managerA, 'POST', '/configurations', configuration({ configurationName: 'For all', tenantId: '*' })),
        403,
        'create for every tenant',
      );

      const b = ids[B]!;
      const a = ids[A]!;
      const every = ids['*']!;
      expectStatus(
        await call(managerA, 'PUT', `/configurations/${b.id}`, {
          ...configuration({ tenantId: B }),
          expectedRowVersion: b.rowVersion,
          changeNote: 'Tenancy check',
        }),
        404,
        "update B's",
      );
      expectStatus(await call(managerA, 'DELETE', `/configurations/${b.id}?expectedRowVersion=${b.rowVersion}`), 404, "delete B's");
      expectStatus(await call(managerA, 'PUT', `/configurations/${b.id}/draft`, configuration({ tenantId: B })), 404, "draft on B's");
      expectStatus(
        await call(managerA, 'POST', `/configurations/${b.id}/draft/publish`, { expectedRowVersion: b.rowVersion, changeNote: 'Not mine to publish' }),
        404,
        "publish B's",
      );
      expectStatus(await call(managerA, 'POST', `/configurations/${b.id}/test-api`, {}), 404, "test B's engine");
      expectStatus(await call(managerA, 'POST', `/configurations/${b.id}/backtests`, { days: 7, versionNumber: 1 }), 404, "backtest B's");
      const moved = await call(managerA, 'PUT', `/configurations/${a.id}`, {
        ...configuration({ configurationName: 'Bank A rules', tenantId: B }),
        expectedRowVersion: a.rowVersion,
        changeNote: 'Tenancy check',
      });
      expectStatus(moved, 403, "move A's to B");
      assert.equal(ApiErrorBody.parse(moved.body).error.fields?.[0]?.path, 'body.tenantId');
      expectStatus(
        await call(managerA, 'PUT', `/configurations/${every.id}`, {
          ...configuration({ tenantId: '*' }),
          expectedRowVersion: every.rowVersion,
          changeNote: 'Tenancy check',
        }),
        403,
        "change every tenant's",
      );
      assert.equal(await configurationCount(), before, 'nothing written');

      const own = await call(managerA, 'PUT', `/configurations/${a.id}`, {
        ...configuration({ configurationName: 'Bank A rules', tenantId: A, priority: 50 }),
        expectedRowVersion: a.rowVersion,
        changeNote: 'Tenancy check',
      });
      expectStatus(own, 200, "update A's own");
      expectStatus(await call(managerA, 'POST', '/configurations', configuration({ configurationName: 'More A rules', tenantId: A })), 201, 'create for A');
    });

    it("answers 404 for a backtest of another tenant's configuration", async () => {
      const started = await call(admin, 'POST', `/configurations/${ids[B]!.id}/backtests`, { days: 7, versionNumber: 1 });
      expectStatus(started, 202, 'backtest B');
      const backtest = Backtest.parse(started.body);
      expectStatus(await call(managerA, 'GET', `/backtests/${backtest.id}`), 404, "read B's backtest");
      expectStatus(await call(managerA, 'POST', `/backtests/${backtest.id}/cancel`), 404, "cancel B's backtest");
      expectStatus(await call(admin, 'GET', `/backtests/${backtest.id}`), 200, 'the admin reads it');
    });
  });
}
