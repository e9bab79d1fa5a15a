import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { io as connect } from 'socket.io-client';
import { buildLockdownPolicy, checkHostAndOrigin } from './lockdown.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';

describe('lockdown policy', () => {
  it('allows only loopback names with our port, and our own origins', () => {
    const policy = buildLockdownPolicy('127.0.0.1', 4780, []);
    assert.deepEqual(checkHostAndOrigin(policy, '127.0.0.1:4780', undefined), { ok: true });
    assert.deepEqual(checkHostAndOrigin(policy, 'localhost:4780', 'http://localhost:4780'), { ok: true });
    assert.deepEqual(checkHostAndOrigin(policy, '[::1]:4780', undefined), { ok: true });
    assert.equal(checkHostAndOrigin(policy, 'attacker.example:4780', undefined).ok, false);
    assert.equal(checkHostAndOrigin(policy, '127.0.0.1:4781', undefined).ok, false, 'another port is another service');
    assert.equal(checkHostAndOrigin(policy, undefined, undefined).ok, false);
    assert.equal(checkHostAndOrigin(policy, '127.0.0.1:4780', 'http://attacker.example').ok, false);
    assert.equal(checkHostAndOrigin(policy, '127.0.0.1:4780', 'null').ok, false);
    assert.equal(checkHostAndOrigin(policy, '127.0.0.1:4780', 'https://127.0.0.1:4780').ok, false);
  });

  it('lets a hub name the hosts it is reached by', () => {
    const policy = buildLockdownPolicy('0.0.0.0', 4780, ['risk-hub.wekeza.local']);
    assert.equal(checkHostAndOrigin(policy, 'risk-hub.wekeza.local:4780', 'https://risk-hub.wekeza.local:4780').ok, true);
    assert.equal(checkHostAndOrigin(policy, '10.0.0.5:4780', undefined).ok, false);
  });
});

/** Raw node:http so the Host header can be set to anything (fetch does not allow it). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET', headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer to GET ${path} within 10 s`)));
    req.end();
  });
}

describe('lockdown on a running service', () => {
  let svc: TestService;
  let token: string;
  before(async () => {
    svc = await startTestService('sqlite');
    token = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
  });
  after(async () => svc.stop());

  it('rejects a rebinding Host and a foreign Origin even with a valid token', async () => {
    const port = new URL(svc.url).port;
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await rawGet(svc.url, '/api/v1/cases', { ...auth, host: `127.0.0.1:${port}` })).status, 200);
    const rebound = await rawGet(svc.url, '/api/v1/cases', { ...auth, host: `attacker.example:${port}` });
    assert.equal(rebound.status, 421);
    assert.equal(JSON.parse(rebound.body).error.code, 'MISDIRECTED_REQUEST');
    assert.equal((await rawGet(svc.url, '/health', { host: `attacker.example:${port}` })).status, 421, 'the open endpoint too');
    const foreign = await rawGet(svc.url, '/api/v1/cases', { ...auth, host: `127.0.0.1:${port}`, origin: 'http://attacker.example' });
    assert.equal(foreign.status, 403);
  });

  it('applies the same checks to the socket.io handshake', async () => {
    const port = new URL(svc.url).port;
    const attempt = (extraHeaders: Record<string, string>, transports: Array<'polling' | 'websocket'>) =>
      new Promise<string>((resolve) => {
        const socket = connect(svc.url, { auth: { token }, extraHeaders, transports, reconnection: false, forceNew: true });
        socket.on('connect', () => {
          socket.disconnect();
          resolve('connected');
        });
        socket.on('connect_error', (error) => resolve(`refused: ${error.message}`));
      });
    assert.equal(await attempt({}, ['polling']), 'connected');
    assert.equal(await attempt({ origin: `http://127.0.0.1:${port}` }, ['websocket']), 'connected');
    // XHR polling may not set Origin or Host; the WebSocket upgrade (ws) sends them as given.
    assert.match(await attempt({ origin: 'http://attacker.example' }, ['websocket']), /^refused/);
    assert.match(await attempt({ host: `attacker.example:${port}` }, ['websocket']), /^refused/);
    const handshake = await rawGet(svc.url, '/socket.io/?EIO=4&transport=polling', { host: `127.0.0.1:${port}`, origin: 'http://attacker.example' });
    assert.equal(handshake.status, 403);
  });
});
