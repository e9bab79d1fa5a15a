import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LoginResponse } from '../../shared/src/auth.ts';
import { HealthResponse, pageOf } from '../../shared/src/api.ts';
import { CaseSummary } from '../../shared/src/cases.ts';
import { DashboardSummary } from '../../shared/src/dashboard.ts';
import { createTestDatabase, stopTestPostgres } from './testing/databases.ts';

// The built service: dist/, or the folder WEKEZA_BUILD_OUT names (as scripts/build.mjs does).
const ENTRY = process.env.WEKEZA_BUILD_OUT
  ? path.resolve(process.env.WEKEZA_BUILD_OUT, 'service/index.mjs')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/service/index.mjs');
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  events: Array<Record<string, unknown>>;
  ready: { url: string; mode: string };
  stderr: () => string;
}

/** Runs the built service CLI and collects its stdout JSON events until the ready line. */
function runService(args: string[], env: Record<string, string> = {}, timeoutMs = 90_000): Promise<Started> {
  assert.ok(fs.existsSync(ENTRY), `${ENTRY} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [ENTRY, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const events: Array<Record<string, unknown>> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before ready; stderr: ${stderr}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'ready') {
        clearTimeout(timer);
        resolve({ child, events, ready: event as Started['ready'], stderr: () => stderr });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `wekeza-cli-${name}-`));

async function login(url: string, username: string, password: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login ${username}`);
  return LoginResponse.parse(await res.json());
}

describe('service command line', () => {
  it('prints a one-time admin password on first start only, then the ready line, and stops on SIGTERM', async () => {
    const dataDir = tmp('first');
    const first = await runService(['--mode', 'standalone', '--port', '0', '--data-dir', dataDir], { WEKEZA_ADMIN_PASSWORD: '' });
    assert.deepEqual(
      first.events.map((e) => e.event),
      ['admin-password', 'ready'],
    );
    assert.match(first.ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(first.ready.mode, 'standalone');
    const password = String(first.events[0]!.password);
    assert.ok(!first.stderr().includes(password), 'the password is printed once, not also in the logs');
    await login(first.ready.url, 'admin', password);
    assert.equal(await stop(first.child), 0);

    const second = await runService(['--mode', 'standalone', '--port', '0', '--data-dir', dataDir], { WEKEZA_ADMIN_PASSWORD: '' });
    assert.deepEqual(
      second.events.map((e) => e.event),
      ['ready'],
      'not printed again',
    );
    await login(second.ready.url, 'admin', password);
    assert.equal(await stop(second.child), 0);
  });

  it('uses WEKEZA_ADMIN_PASSWORD when set', async () => {
    const started = await runService(['--port', '0', '--data-dir', tmp('env')], { WEKEZA_ADMIN_PASSWORD: 'Chosen-By-The-Installer-2026' });
    assert.deepEqual(
      started.events.map((e) => e.event),
      ['ready'],
    );
    await login(started.ready.url, 'admin', 'Chosen-By-The-Installer-2026');
    // Not a demo: the sign-in page's demo endpoint names nobody.
    assert.deepEqual(await (await fetch(`${started.ready.url}/api/v1/demo`)).json(), { demo: false, password: null, users: [] });
    assert.equal(await stop(started.child), 0);
  });

  it('refuses bad arguments with exit code 2 and the usage', async () => {
    for (const args of [
      ['--mode', 'cloud'],
      ['--port', 'eighty'],
      ['--frobnicate'],
      ['--mode', 'standalone', '--database-url', 'postgres://x@y/z'],
      ['--mode', 'workstation'],
      ['--mode', 'workstation', '--hub-url', 'ftp://hub.bank.local'],
      ['--mode', 'workstation', '--hub-url', 'http://127.0.0.1:9', '--demo'],
      ['--mode', 'standalone', '--hub-url', 'http://127.0.0.1:9'],
      ['--host', '0.0.0.0'],
    ]) {
      const child = spawn(process.execPath, [ENTRY, ...args, '--data-dir', tmp('bad')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      if (args[1] === '0.0.0.0') {
        assert.equal(code, 1, 'listening on all interfaces without --allowed-host fails at start');
        assert.match(stderr, /--allowed-host/);
      } else {
        assert.equal(code, 2, args.join(' '));
        assert.match(stderr, /Usage: wekeza-service/);
      }
    }
  });

  it('runs as a hub on PostgreSQL (embedded, or TEST_DATABASE_URL)', async () => {
    const args = ['--mode', 'hub', '--port', '0', '--data-dir', tmp('hub')];
    // A database of its own on the given server (never the server's shared default database);
    // without TEST_DATABASE_URL the hub starts its own embedded PostgreSQL, as `npm run hub` does.
    const database = process.env.TEST_DATABASE_URL ? await createTestDatabase('postgres') : null;
    if (database?.target.kind === 'postgres') args.push('--database-url', database.target.url);
    try {
      const hub = await runService(args, { WEKEZA_ADMIN_PASSWORD: 'Hub-Admin-Password-2026' }, 120_000);
      assert.equal(hub.ready.mode, 'hub');
      const health = HealthResponse.parse(await (await fetch(`${hub.ready.url}/health`)).json());
      assert.equal(health.database, 'postgres');
      await login(hub.ready.url, 'admin', 'Hub-Admin-Password-2026');
      assert.equal(await stop(hub.child), 0);
    } finally {
      await database?.drop();
      await stopTestPostgres();
    }
  });

  it('runs as a workstation of a hub, encrypted at rest, ready even while the hub is away', async () => {
    const dataDir = tmp('workstation');
    // Nothing listens on port 9 (discard): the workstation starts offline and says so.
    const ws = await runService(['--mode', 'workstation', '--hub-url', 'http://127.0.0.1:9', '--port', '0', '--data-dir', dataDir]);
    assert.equal(ws.ready.mode, 'workstation');
    assert.deepEqual(
      ws.events.map((e) => e.event),
      ['ready'],
      'no admin password: a workstation has no users of its own',
    );
    const health = HealthResponse.parse(await (await fetch(`${ws.ready.url}/health`)).json());
    assert.equal(health.mode, 'workstation');
    // Nobody has signed in here, and the hub cannot be reached: nobody can sign in.
    const refused = await fetch(`${ws.ready.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'whatever-it-is-2026' }),
    });
    assert.equal(refused.status, 401);
    assert.equal(await stop(ws.child), 0);
    const header = fs.readFileSync(path.join(dataDir, 'workstation.sqlite')).subarray(0, 15).toString('latin1');
    assert.notEqual(header, 'SQLite format 3', 'the cache is encrypted');
  });

  it('seeds a realistic demo bank with --demo, once', async () => {
    const dataDir = tmp('demo');
    const env = { WEKEZA_ADMIN_PASSWORD: 'Demo-Admin-Password-2026', WEKEZA_DEMO_PASSWORD: 'Demo-Users-Password-2026' };
    const demo = await runService(['--port', '0', '--data-dir', dataDir, '--demo'], env, 180_000);
    const analyst = await login(demo.ready.url, 'amina.otieno', 'Demo-Users-Password-2026');
    assert.equal(analyst.user.role, 'FRAUD_ANALYST');
    // Seeding shows progress, and the demo sign-in is printed with the URL (issue 11 §4).
    assert.match(demo.stderr(), /Seeding demo data: payments [\d,]+\/[\d,]+ \(\d+%\)/);
    const signIn = demo.events.find((e) => e.event === 'demo-sign-in');
    assert.ok(signIn, `a demo-sign-in event: ${demo.events.map((e) => e.event).join(', ')}`);
    assert.equal(signIn.password, 'Demo-Users-Password-2026');
    assert.ok((signIn.users as Array<{ username: string }>).some((u) => u.username === 'amina.otieno'));
    assert.match(demo.stderr(), /Demo sign-in at http:\/\/127\.0\.0\.1:\d+ — password Demo-Users-Password-2026 for: amina\.otieno/);
    const info = (await (await fetch(`${demo.ready.url}/api/v1/demo`)).json()) as { demo: boolean; users: unknown[] };
    assert.equal(info.demo, true);
    assert.equal(info.users.length, 8);
    const get = async (p: string, token = analyst.token) => (await fetch(`${demo.ready.url}${p}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const open = pageOf(CaseSummary).parse(await get('/api/v1/cases?pageSize=200'));
    const closed = pageOf(CaseSummary).parse(await get('/api/v1/cases?state=CLOSED&pageSize=1'));
    assert.ok(open.total >= 5, `open cases waiting (${open.total})`);
    assert.ok(closed.total > open.total, 'most older cases were already worked');
    assert.ok(
      open.items.some((c) => c.customerName !== null),
      'cases name the customer',
    );
    const executive = await login(demo.ready.url, 'david.kiprop', 'Demo-Users-Password-2026');
    const summary = DashboardSummary.parse(await get('/api/v1/dashboard/summary', executive.token));
    assert.ok(summary.hourly.reduce((n, h) => n + h.total, 0) > 50, 'payments in the last 24 hours');
    assert.equal(await stop(demo.child), 0);

    const again = await runService(['--port', '0', '--data-dir', dataDir, '--demo'], env);
    const reopened = await login(again.ready.url, 'amina.otieno', 'Demo-Users-Password-2026');
    const total = pageOf(CaseSummary).parse(
      await (await fetch(`${again.ready.url}/api/v1/cases?state=CLOSED&pageSize=1`, { headers: { authorization: `Bearer ${reopened.token}` } })).json(),
    ).total;
    assert.equal(total, closed.total, 'a second start does not seed again');
    assert.equal(await stop(again.child), 0);
  });
});
