import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestService, type TestService } from '../testing/service.ts';
import { addTestUser, TEST_USER_PASSWORD } from '../testing/service.ts';

/**
 * ARCHITECTURE.md rule 6: the token and the permission are checked before a body is read. A
 * request announcing a 13 MB upload is answered 401 (or 403) after its headers alone; before,
 * fastify read and parsed the whole body first, so 20 such posts took the service from 133 to
 * 486 MiB before each got its 401.
 */
const UPLOAD_BYTES = 13 * 1024 * 1024;

/** Sends the headers and the first kilobyte of a large body, then waits for an answer without sending the rest. */
function answerBeforeBody(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; sentBytes: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 5 s while the body was still being withheld: the body is read before the token is checked'));
    }, 5_000);
    let sentBytes = 0;
    let received = '';
    socket.on('connect', () => {
      const head = [
        `POST ${path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${UPLOAD_BYTES}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const first = Buffer.alloc(1024, 0x20);
      socket.write(first);
      sentBytes = first.length;
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(match[1]), sentBytes });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('authentication before the body is read', { timeout: 60_000 }, () => {
  let svc: TestService;
  let auditorToken: string;
  before(async () => {
    svc = await startTestService('sqlite');
    await addTestUser(svc, 'grace.achieng', 'AUDITOR');
    auditorToken = (await svc.login('grace.achieng', TEST_USER_PASSWORD)).token;
  });
  after(async () => svc?.stop());

  const attachments = '/api/v1/cases/00000000-0000-4000-8000-000000000000/attachments';

  it('answers 401 to an upload without a token after its headers alone', async () => {
    const answer = await answerBeforeBody(svc.url, attachments, {});
    assert.equal(answer.status, 401);
    assert.ok(answer.sentBytes < UPLOAD_BYTES);
  });

  it('answers 401 to an upload with a forged token after its headers alone', async () => {
    const answer = await answerBeforeBody(svc.url, attachments, { Authorization: 'Bearer not.a.token' });
    assert.equal(answer.status, 401);
  });

  it('answers 403 to an upload by a role without the permission after its headers alone', async () => {
    const answer = await answerBeforeBody(svc.url, attachments, { Authorization: `Bearer ${auditorToken}` });
    assert.equal(answer.status, 403);
  });
});
