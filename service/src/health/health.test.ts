import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { sql } from 'kysely';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ApiErrorBody, ReadyResponse } from '../../../shared/src/api.ts';
import { ClientCredentialsResponse } from '../../../shared/src/auth.ts';
import { GroupCommitWriter } from '../assessments/group-commit.ts';
import { Heartbeats } from './heartbeats.ts';
import { DEFAULT_READINESS } from './readiness.ts';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { isDatabaseUnavailable } from '../db/database.ts';
import { freePort } from '../db/embedded-postgres.ts';

after(stopTestPostgres);

/** Issue 11 §3: liveness and readiness, Prometheus with a machine client, 5xx logging, rate limits. */
const T = { timeout: 120_000 };

describe('readiness parts', () => {
  it('counts the assessment writer as stalled only while work waits without a commit finishing', T, async () => {
    let release: () => void = () => undefined;
    const writer = new GroupCommitWriter<number, number>(
      (items) =>
        new Promise((resolve) => {
          release = () => resolve(items);
        }),
      async (item) => item,
    );
    assert.equal(writer.stalledForMs(), 0, 'idle is not stalled');
    const written = writer.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.ok(writer.stalledForMs() >= 25, 'a hung commit shows as stalled');
    release();
    assert.equal(await written, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writer.stalledForMs(), 0, 'back to idle once it wrote');
  });

  it('tells a database that is away from other failures', T, async () => {
    const port = await freePort();
    const refused = await new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2_000 }).connect().then(
      () => null,
      (error: unknown) => error,
    );
    assert.equal(isDatabaseUnavailable(refused), true, 'a refused PostgreSQL connection');
    const fetchFailed = await fetch(`http://127.0.0.1:${port}/`).then(
      () => null,
      (error: unknown) => error,
    );
    assert.equal(isDatabaseUnavailable(fetchFailed), false, "another system's refusal is not the database");
    const sqlite = new SqliteDatabase(':memory:');
    const syntax = (() => {
      try {
        sqlite.prepare('selec 1').run();
        return null;
      } catch (error) {
        return error;
      }
    })();
    sqlite.close();
    assert.equal(isDatabaseUnavailable(syntax), false, 'a bad statement is our fault (500)');
  });

  it('names a background loop that stopped beating', T, () => {
    let now = 0;
    const beats = new Heartbeats(() => now);
    const a = beats.register('a', 1_000);
    beats.register('b', 1_000);
    now = 900;
    a.beat();
    now = 1_500;
    assert.deepEqual(
      beats.status().map((s) => [s.name, s.ok]),
      [
        ['a', true],
        ['b', false],
      ],
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`health, readiness and rate limits on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let admin: string;
    let analyst: string;
    const logLines: Array<Record<string, unknown>> = [];
    before(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      svc = await startTestService(dialect, {
        logger: pino({ level: 'info' }, sink),
        rateLimits: { userPerMinute: 40, anonymousPerMinute: 30 },
        readiness: { ...DEFAULT_READINESS, loopSilenceMs: { ...DEFAULT_READINESS.loopSilenceMs, batchAssessments: 1_500 } },
      });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'amina.otieno', 'FRAUD_ANALYST');
      analyst = (await svc.login('amina.otieno', TEST_USER_PASSWORD)).token;
    });
    after(async () => svc?.stop());

    it('answers /health and /ready without a token, naming each check and nothing more', T, async () => {
      const health = await svc.request('GET', '/health');
      assert.equal(health.status, 200);
      const ready = await svc.request('GET', '/ready');
      assert.equal(ready.status, 200);
      const body = ReadyResponse.parse(ready.body);
      assert.equal(body.status, 'ready');
      for (const check of body.checks) assert.deepEqual(Object.keys(check).sort(), ['name', 'ok']);
      assert.ok(body.checks.every((c) => c.ok));
    });

    it('is not ready while the database is at another schema version than this build', T, async () => {
      const db = svc.service.context.db.kysely;
      const stamp = dialect === 'postgres' ? sql`now()` : sql`'2026-11-20T00:00:00.000Z'`;
      // What a newer build that migrated the shared database leaves behind.
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-build', ${stamp})`.execute(db);
      try {
        const ready = await svc.request('GET', '/ready');
        assert.equal(ready.status, 503);
        assert.equal(ready.headers.get('retry-after'), '5');
        const body = ReadyResponse.parse(ready.body);
        assert.deepEqual(
          body.checks.filter((c) => !c.ok).map((c) => c.name),
          ['schema'],
        );
        assert.ok(!JSON.stringify(body).includes('9999'), 'the answer names the check, not the details');
      } finally {
        await sql`delete from kysely_migration where name = '9999-from-a-newer-build'`.execute(db);
      }
      assert.equal((await svc.request('GET', '/ready')).status, 200);
    });

    it('lets Prometheus scrape /metrics with a MONITORING client token; an analyst session gets 403', T, async () => {
      const client = await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: 'Prometheus', role: 'MONITORING', tenantIds: [] } });
      assert.equal(client.status, 201);
      const { clientId, apiKey } = client.body as { clientId: string; apiKey: string };
      const grant = await svc.request('POST', '/api/v1/auth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: apiKey }).toString(),
      });
      assert.equal(grant.status, 200, JSON.stringify(grant.body));
      const token = ClientCredentialsResponse.parse(grant.body).access_token;
      const metrics = await svc.request('GET', '/metrics', { token });
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(String(metrics.body), /^# HELP /m);
      assert.match(String(metrics.body), /wekeza_http_request_duration_seconds_bucket/);
      assert.equal((await svc.request('GET', '/metrics', { token: analyst })).status, 403);
    });

    it('logs a 5xx with its stack and the request id, and answers with that id', T, async () => {
      const db = svc.service.context.db.kysely;
      // A real fault: the users table is missing for a moment.
      await sql`alter table users rename to users_away`.execute(db);
      let res: Awaited<ReturnType<TestService['request']>>;
      try {
        res = await svc.request('GET', '/api/v1/users', { token: admin, headers: { 'x-request-id': 'req-5xx-check-1' } });
      } finally {
        await sql`alter table users_away rename to users`.execute(db);
      }
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('x-request-id'), 'req-5xx-check-1');
      assert.match(ApiErrorBody.parse(res.body).error.message, /req-5xx-check-1/);
      const line = logLines.find((l) => l.reqId === 'req-5xx-check-1' && l.level === 50);
      assert.ok(line, 'an error line carries the request id');
      const err = line.err as { stack?: string };
      assert.match(err.stack ?? '', /\n\s+at /, 'with the stack');
    });

    it('answers 429 with Retry-After past the per-caller limit, per caller, and never refuses the probes', T, async () => {
      let limited: Awaited<ReturnType<TestService['request']>> | null = null;
      for (let i = 0; i < 60 && !limited; i++) {
        const res = await svc.request('GET', '/api/v1/auth/me', { token: analyst });
        if (res.status === 429) limited = res;
        else assert.equal(res.status, 200);
      }
      assert.ok(limited, 'the analyst hit the limit');
      assert.equal(ApiErrorBody.parse(limited.body).error.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After in seconds');
      assert.equal(limited.headers.get('x-ratelimit-limit'), '40');
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: admin })).status, 200, 'another caller is not held back');
      for (let i = 0; i < 40; i++) {
        assert.equal((await svc.request('GET', '/health')).status, 200);
        assert.equal((await svc.request('GET', '/ready')).status, 200);
      }
      let anonymous = 0;
      for (let i = 0; i < 40; i++) if ((await svc.request('GET', '/api/v1/openapi.json')).status === 429) anonymous++;
      assert.ok(anonymous > 0, 'callers without a token are counted by address');
    });

    it('reports a background loop that stopped (the batch processor) by name', T, async () => {
      svc.service.context.decisionEngine.pipeline.stop();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const ready = await svc.request('GET', '/ready');
      assert.equal(ready.status, 503);
      assert.deepEqual(
        ReadyResponse.parse(ready.body)
          .checks.filter((c) => !c.ok)
          .map((c) => c.name),
        ['background:batch-assessments'],
      );
    });
  });
}
