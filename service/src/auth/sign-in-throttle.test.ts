import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import pino from 'pino';
import { startService, type RunningService } from '../app.ts';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { SignInLockList } from '../../../shared/src/sign-in-locks.ts';
import { ManualClock } from '../clock.ts';

after(stopTestPostgres);

/**
 * Issue 11 §3: sign-in throttling by (username, address), username and address, kept in the
 * database. Callers come from different loopback addresses (127.0.0.2, 127.0.0.3, …: the whole
 * 127/8 block is loopback on Linux), so the service sees each as its own client address.
 */
const T = { timeout: 240_000 };

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** Kept-alive connections per local address: a flood of sign-ins need not open 10,000 connections. */
const agents = new Map<string, http.Agent>();
function agentFor(address: string): http.Agent {
  let agent = agents.get(address);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, localAddress: address, maxSockets: 32 });
    agents.set(address, agent);
  }
  return agent;
}
after(() => {
  for (const agent of agents.values()) agent.destroy();
});

/** POST /api/v1/auth/login from a given local address. */
function loginFrom(baseUrl: string, address: string, username: string, password: string): Promise<Answer> {
  const url = new URL('/api/v1/auth/login', baseUrl);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: agentFor(address),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), host: url.host },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const retry = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, retryAfter: typeof retry === 'string' ? retry : null });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

function isThrottled(answer: Answer): boolean {
  return answer.status === 429 && ApiErrorBody.parse(answer.body).error.message.startsWith('too many failed sign-ins');
}

for (const dialect of DIALECTS) {
  describe(`sign-in throttling on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let adminToken: string;
    before(async () => {
      // The general rate limit is raised here so that what is measured is the sign-in throttle.
      // The clock stands still (ARCHITECTURE.md rule 3), so no lock runs out while the test floods.
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T08:00:00Z'), rateLimits: { anonymousPerMinute: 1_000_000 } });
      await addTestUser(svc, 'otieno.test', 'FRAUD_ANALYST');
      await addTestUser(svc, 'kamau.test', 'FRAUD_ANALYST');
      adminToken = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    });
    after(async () => svc?.stop());

    it('lets the admin in from address B while address A is locked out for guessing', T, async () => {
      for (let i = 0; i < 5; i++) assert.equal((await loginFrom(svc.url, '127.0.0.2', 'admin', 'wrong-guess')).status, 401);
      const fromA = await loginFrom(svc.url, '127.0.0.2', 'admin', TEST_ADMIN_PASSWORD);
      assert.ok(isThrottled(fromA), 'A waits, even with the right password');
      assert.equal(fromA.retryAfter, '30', 'Retry-After names the wait');
      const fromB = await loginFrom(svc.url, '127.0.0.3', 'admin', TEST_ADMIN_PASSWORD);
      assert.equal(fromB.status, 200, `B signs in: ${JSON.stringify(fromB.body)}`);
    });

    it('is not reset by 10,000 junk usernames from the same address', T, async () => {
      const before = await svc.service.context.db.kysely
        .selectFrom('sign_in_failures')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirst();
      const answers: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < 10_000) {
            const i = next++;
            answers.push((await loginFrom(svc.url, '127.0.0.2', `junk.user.${i}`, 'whatever')).status);
          }
        }),
      );
      assert.equal(answers.length, 10_000);
      assert.ok(answers.filter((s) => s === 429).length > 9_000, 'the flooding address is held back itself');
      const fromA = await loginFrom(svc.url, '127.0.0.2', 'admin', TEST_ADMIN_PASSWORD);
      assert.ok(isThrottled(fromA), "A's lock on admin is still there");
      const after = await svc.service.context.db.kysely
        .selectFrom('sign_in_failures')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirst();
      // Refused attempts write nothing: the rows are those of the failures before the address was
      // held back (a pair and a username row each), give or take the requests already in flight.
      const added = Number(after?.n) - Number(before?.n);
      assert.ok(added <= 2 * (50 + 16), `the flood wrote ${added} rows, not one per junk username`);
      // Another address is not affected by A's flood.
      assert.equal((await loginFrom(svc.url, '127.0.0.4', 'kamau.test', TEST_USER_PASSWORD)).status, 200);
    });

    it('slows a username guessed from many addresses, but not from an address its user signed in from before', T, async () => {
      assert.equal((await loginFrom(svc.url, '127.0.0.9', 'otieno.test', TEST_USER_PASSWORD)).status, 200, 'the user signs in from home');
      for (let i = 0; i < 20; i++) assert.equal((await loginFrom(svc.url, `127.0.1.${10 + i}`, 'otieno.test', 'guess')).status, 401);
      const stranger = await loginFrom(svc.url, '127.0.2.1', 'otieno.test', TEST_USER_PASSWORD);
      assert.ok(isThrottled(stranger), 'a new address waits');
      assert.equal((await loginFrom(svc.url, '127.0.0.9', 'otieno.test', TEST_USER_PASSWORD)).status, 200, 'the known address is spared');
    });

    it('lists locks for an admin and clears them; analysts may not', T, async () => {
      const analyst = (await svc.login('kamau.test', TEST_USER_PASSWORD)).token;
      assert.equal((await svc.request('GET', '/api/v1/sign-in-locks', { token: analyst })).status, 403);
      assert.equal((await svc.request('POST', '/api/v1/sign-in-locks/clear', { token: analyst, body: { username: 'admin' } })).status, 403);
      const listed = SignInLockList.parse((await svc.request('GET', '/api/v1/sign-in-locks', { token: adminToken })).body);
      assert.ok(listed.items.some((l) => l.kind === 'pair' && l.username === 'admin' && l.address === '127.0.0.2'));
      assert.ok(listed.items.some((l) => l.kind === 'address' && l.address === '127.0.0.2'));
      const empty = await svc.request('POST', '/api/v1/sign-in-locks/clear', { token: adminToken, body: {} });
      assert.equal(empty.status, 400);

      const cleared = await svc.request('POST', '/api/v1/sign-in-locks/clear', { token: adminToken, body: { address: '127.0.0.2' } });
      assert.equal(cleared.status, 200);
      assert.ok((cleared.body as { cleared: number }).cleared >= 2);
      assert.equal((await loginFrom(svc.url, '127.0.0.2', 'admin', TEST_ADMIN_PASSWORD)).status, 200, 'A signs in once the admin cleared it');
      const audit = await svc.service.context.db.kysely.selectFrom('audit_log').selectAll().where('command', '=', 'signInLock.clear').execute();
      assert.equal(audit.length, 1, 'the clearing is audited');
    });

    it('keeps a lock across a restart, and shares it with another service on the same database', T, async () => {
      for (let i = 0; i < 5; i++) await loginFrom(svc.url, '127.0.0.5', 'kamau.test', 'wrong');
      assert.ok(isThrottled(await loginFrom(svc.url, '127.0.0.5', 'kamau.test', TEST_USER_PASSWORD)));
      // A second service on the same database (a restarted one on SQLite, another hub on PostgreSQL).
      let other: RunningService | null = null;
      try {
        if (dialect === 'sqlite') await svc.service.close();
        other = await startService({
          mode: dialect === 'sqlite' ? 'standalone' : 'hub',
          host: '127.0.0.1',
          port: 0,
          dataDir: svc.database.dataDir,
          database: svc.database.target,
          rendererDir: null,
          logger: pino({ level: 'silent' }),
          env: { WEKEZA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
          clock: svc.service.context.clock,
        });
        assert.ok(isThrottled(await loginFrom(other.url, '127.0.0.5', 'kamau.test', TEST_USER_PASSWORD)), 'the other service knows the lock');
        assert.equal((await loginFrom(other.url, '127.0.0.6', 'kamau.test', TEST_USER_PASSWORD)).status, 200, 'another address is free');
      } finally {
        await other?.close();
      }
    });
  });
}
