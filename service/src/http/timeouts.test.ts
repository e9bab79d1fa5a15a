import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestService, type TestService } from '../testing/service.ts';

/**
 * A slow or silent client cannot hold a connection open (issue 11: 100 slow-body connections
 * stayed open for 150 s). The limits are shortened here; the defaults are in http/server.ts.
 */
const LIMITS = { requestMs: 1_000, headersMs: 800, idleMs: 1_500, keepAliveMs: 500 };

/** Opens a connection, writes `sent`, and reports how the server ended it, or null if it did not within 6 s. */
function endedBy(url: string, sent: string): Promise<{ afterMs: number; answer: string } | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(sent));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, 6_000);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ afterMs: Date.now() - started, answer });
    });
    socket.on('error', () => undefined);
  });
}

describe('client time limits', { timeout: 60_000 }, () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService('sqlite', { httpTimeouts: LIMITS });
  });
  after(async () => svc?.stop());

  it('ends a request whose body trickles in slower than the request limit', async () => {
    const { host } = new URL(svc.url);
    const ended = await endedBy(
      svc.url,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user`,
    );
    assert.ok(ended, 'the connection was still open after 6 s');
    assert.ok(ended.afterMs < 5_000, `ended after ${ended.afterMs} ms`);
  });

  it('ends a connection whose headers never finish', async () => {
    const { host } = new URL(svc.url);
    const ended = await endedBy(svc.url, `GET /health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    assert.ok(ended, 'the connection was still open after 6 s');
    assert.ok(ended.afterMs < 5_000, `ended after ${ended.afterMs} ms`);
  });

  it('closes a connection on which nothing is sent', async () => {
    const ended = await endedBy(svc.url, '');
    assert.ok(ended, 'the connection was still open after 6 s');
  });
});
