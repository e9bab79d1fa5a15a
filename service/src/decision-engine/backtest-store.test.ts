import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startService, type RunningService } from '../app.ts';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { Backtest, FraudRiskConfiguration } from '../../../shared/src/decision-engine.ts';
import { BacktestList } from '../../../shared/src/backtests.ts';
import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { BACKTEST_LEASE_MS, INTERRUPTED, recordBacktest } from './backtest-store.ts';

after(stopTestPostgres);

/**
 * Issue 11 §3: backtests are stored. A finished one is read back after a restart (SQLite) or from
 * another hub (PostgreSQL), a configuration lists its backtests, and one whose hub stopped while
 * it ran becomes FAILED (interrupted) instead of RUNNING for ever.
 */
const NOW = '2026-11-20T12:00:00Z';
const BASE = '/api/v1/fraud-risk';
const T = { timeout: 120_000 };

for (const dialect of DIALECTS) {
  describe(`stored backtests on ${dialect}`, { timeout: 300_000 }, () => {
    const clock = new ManualClock(NOW);
    let svc: TestService;
    let admin: string;
    let configurationId: string;
    let finished: Backtest;
    /** The service that reads after the first one (a restart on SQLite, a second hub on PostgreSQL). */
    let other: RunningService | null = null;

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const template = { ...newConfigurationTemplate(), configurationName: 'Kenya retail', tenantId: 'WEKEZA-KE' };
      const created = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: template });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      configurationId = FraudRiskConfiguration.parse(created.body).id;
      assert.equal((await svc.request('PUT', `${BASE}/configurations/${configurationId}/draft`, { token: admin, body: template })).status, 200);
      const client = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
      });
      const apiKey = (client.body as { apiKey: string }).apiKey;
      for (let i = 0; i < 3; i++) {
        const res = await svc.request('POST', `${BASE}/assessments`, { headers: { 'x-api-key': apiKey }, body: samplePayment() });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
    });
    after(async () => {
      await other?.close();
      await svc?.stop();
    });

    const startOther = () =>
      startService({
        mode: dialect === 'sqlite' ? 'standalone' : 'hub',
        host: '127.0.0.1',
        port: 0,
        dataDir: svc.database.dataDir,
        database: svc.database.target,
        rendererDir: null,
        logger: pino({ level: 'silent' }),
        env: { WEKEZA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
        clock,
      });
    const get = async (url: string, path: string) => {
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
      });
      const token = ((await login.json()) as { token: string }).token;
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    it('stores a backtest as it runs and when it finishes, and lists it under its configuration', T, async () => {
      const started = await svc.request('POST', `${BASE}/configurations/${configurationId}/backtests`, { token: admin, body: { days: 7 } });
      assert.equal(started.status, 202);
      const { id } = Backtest.parse(started.body);
      for (let i = 0; i < 200; i++) {
        finished = Backtest.parse((await svc.request('GET', `${BASE}/backtests/${id}`, { token: admin })).body);
        if (finished.status !== 'RUNNING') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(finished.status, 'COMPLETED');
      assert.equal(finished.summary?.evaluated, 3, 'the three payments were replayed');
      assert.equal(finished.startedBy, 'System Administrator');
      const row = await svc.service.context.db.kysely.selectFrom('backtests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'COMPLETED');
      assert.equal(row.requested_by_id.length > 0, true);

      const listed = BacktestList.parse((await svc.request('GET', `${BASE}/configurations/${configurationId}/backtests`, { token: admin })).body);
      assert.equal(listed.items[0]?.id, id);
      assert.deepEqual(listed.items[0]?.summary, finished.summary);
      assert.equal('changes' in (listed.items[0] ?? {}), false, 'the list leaves the changed payments out');
      const audit = await svc.service.context.db.kysely.selectFrom('audit_log').select('command').where('entity_id', '=', id).execute();
      assert.deepEqual(audit.map((a) => a.command).sort(), ['backtest.finish', 'backtest.start']);
    });

    it('marks a backtest whose hub stopped while it ran as FAILED (interrupted), and keeps finished ones', T, async () => {
      // What a process that recorded a start and then died leaves behind: a RUNNING row with a lease.
      clock.advance(1_000);
      await svc.service.context.bus.execute(recordBacktest, { id: 'BT-DEADHUB1', configurationId, versionNumber: 2, days: 7, windowEnd: NOW }, SYSTEM_ACTOR);
      if (dialect === 'sqlite') {
        // SQLite: the service stops; the next start on the file is the only process on it.
        await svc.service.close();
        other = await startOther();
      } else {
        // PostgreSQL: another hub does not touch a backtest whose lease still holds (its hub may be alive)…
        other = await startOther();
        const running = Backtest.parse((await get(other.url, `${BASE}/backtests/BT-DEADHUB1`)).body);
        assert.equal(running.status, 'RUNNING');
        // …and marks it once the lease has run out.
        clock.advance(BACKTEST_LEASE_MS + 1_000);
      }
      const interrupted = Backtest.parse((await get(other.url, `${BASE}/backtests/BT-DEADHUB1`)).body);
      assert.equal(interrupted.status, 'FAILED');
      assert.equal(interrupted.error, INTERRUPTED);

      const again = Backtest.parse((await get(other.url, `${BASE}/backtests/${finished.id}`)).body);
      assert.deepEqual(again, finished, 'the finished backtest reads the same after the restart / on the other hub');
      const listed = BacktestList.parse((await get(other.url, `${BASE}/configurations/${configurationId}/backtests`)).body);
      assert.deepEqual(
        listed.items.map((b) => [b.id, b.status]),
        [
          ['BT-DEADHUB1', 'FAILED'],
          [finished.id, 'COMPLETED'],
        ],
      );
    });
  });
}
