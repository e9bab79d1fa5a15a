import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeploymentChoice } from '../../shared/src/desktop.ts';
import { checkHub, parseDeployment, serviceLaunch } from './deployment.ts';

const USER_DATA = join('/home', 'amina', '.config', 'Wekeza Risk Workstation');

describe('deployment setting schema', () => {
  it('accepts the three choices and trims a trailing slash from the hub address', () => {
    assert.deepEqual(parseDeployment({ kind: 'workstation', hubUrl: 'https://hub.bank.example/' }), {
      kind: 'workstation',
      hubUrl: 'https://hub.bank.example',
    });
    assert.deepEqual(parseDeployment({ kind: 'standalone-demo' }), { kind: 'standalone-demo' });
    assert.deepEqual(parseDeployment({ kind: 'standalone-empty' }), { kind: 'standalone-empty' });
  });

  it('treats unset or hand-edited nonsense as "not chosen" (the first-run screen asks again)', () => {
    for (const raw of [
      undefined,
      null,
      'workstation',
      {},
      { kind: 'hub' },
      { kind: 'workstation' },
      { kind: 'workstation', hubUrl: 'not a url' },
      { kind: 'workstation', hubUrl: 'file:///etc/passwd' },
      { kind: 'workstation', hubUrl: 'javascript:alert(1)' },
      { kind: 'workstation', hubUrl: `https://${'a'.repeat(2050)}.example` },
    ]) {
      assert.equal(parseDeployment(raw), null, JSON.stringify(raw)?.slice(0, 80));
    }
  });

  it('is what the IPC handler validates a renderer payload with (a choice names the field it got wrong)', () => {
    const parsed = DeploymentChoice.safeParse({ kind: 'workstation', hubUrl: 'ftp://hub' });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['hubUrl']);
  });

  it('keeps a stored value stable across save and reload (parse of a parsed value is the same value)', () => {
    const once = DeploymentChoice.parse({ kind: 'workstation', hubUrl: 'http://10.0.0.5:8080//' });
    assert.deepEqual(DeploymentChoice.parse(once), once);
  });
});

describe('serviceLaunch: the service arguments for each choice', () => {
  it('first run: standalone without --demo in a separate setup folder', () => {
    const launch = serviceLaunch(null, USER_DATA);
    const dataDir = join(USER_DATA, 'setup');
    assert.deepEqual(launch, { dataDir, args: ['--mode', 'standalone', '--port', '0', '--data-dir', dataDir], setup: true });
    assert.ok(!launch.args.includes('--demo'));
  });

  it('workstation: --mode workstation --hub-url URL with its own cache folder', () => {
    const dataDir = join(USER_DATA, 'workstation');
    assert.deepEqual(serviceLaunch({ kind: 'workstation', hubUrl: 'https://hub.bank.example' }, USER_DATA), {
      dataDir,
      args: ['--mode', 'workstation', '--hub-url', 'https://hub.bank.example', '--port', '0', '--data-dir', dataDir],
      setup: false,
    });
  });

  it('demo: --mode standalone --demo in the demo folder (the only choice that seeds demo users)', () => {
    const dataDir = join(USER_DATA, 'demo');
    assert.deepEqual(serviceLaunch({ kind: 'standalone-demo' }, USER_DATA), {
      dataDir,
      args: ['--mode', 'standalone', '--demo', '--port', '0', '--data-dir', dataDir],
      setup: false,
    });
  });

  it('empty: --mode standalone without --demo in the data folder', () => {
    const dataDir = join(USER_DATA, 'data');
    const launch = serviceLaunch({ kind: 'standalone-empty' }, USER_DATA);
    assert.deepEqual(launch, { dataDir, args: ['--mode', 'standalone', '--port', '0', '--data-dir', dataDir], setup: false });
  });

  it('never passes --demo except for the demo choice, and every choice has its own folder', () => {
    const choices = [null, { kind: 'workstation', hubUrl: 'https://h.example' }, { kind: 'standalone-demo' }, { kind: 'standalone-empty' }] as const;
    const launches = choices.map((choice) => serviceLaunch(choice, USER_DATA));
    assert.deepEqual(
      launches.map((l) => l.args.includes('--demo')),
      [false, false, true, false],
    );
    assert.equal(new Set(launches.map((l) => l.dataDir)).size, choices.length);
  });
});

describe('checkHub: the address must answer /health as a hub', () => {
  let server: Server;
  let base = '';
  let healthMode = 'hub';
  let hang = false;
  before(async () => {
    server = createServer((req, res) => {
      if (hang) return; // never answers: the timeout must end the check
      if (req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      if (healthMode === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>router login</html>');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', mode: healthMode, version: '0.1.0', database: healthMode === 'hub' ? 'postgres' : 'sqlite', uptimeSeconds: 5 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts a hub (trailing slash or not)', async () => {
    healthMode = 'hub';
    assert.deepEqual(await checkHub(base, fetch), { ok: true });
    assert.deepEqual(await checkHub(`${base}/`, fetch), { ok: true });
  });

  it('refuses a standalone service or a workstation, saying which it is', async () => {
    healthMode = 'standalone';
    const standalone = await checkHub(base, fetch);
    assert.equal(standalone.ok, false);
    assert.match(standalone.ok ? '' : standalone.message, /standalone mode, not a hub/);
    healthMode = 'workstation';
    const ws = await checkHub(base, fetch);
    assert.match(ws.ok ? '' : ws.message, /workstation mode, not a hub/);
  });

  it('refuses something that is not a Wekeza service', async () => {
    healthMode = 'garbage';
    const result = await checkHub(base, fetch);
    assert.match(result.ok ? '' : result.message, /not as a Wekeza service/);
    const notFound = await checkHub(`${base}/some/path`, fetch);
    assert.match(notFound.ok ? '' : notFound.message, /answered 404/);
  });

  it('refuses an address where nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await checkHub(`http://127.0.0.1:${port}`, fetch);
    assert.match(result.ok ? '' : result.message, /cannot be reached \(.*ECONNREFUSED/);
  });

  it('gives up after the timeout when the address never answers', async () => {
    hang = true;
    try {
      const started = Date.now();
      const result = await checkHub(base, fetch, 300);
      assert.match(result.ok ? '' : result.message, /did not answer within 300 ms/);
      assert.ok(Date.now() - started < 3000);
    } finally {
      hang = false;
      server.closeAllConnections();
    }
  });
});
