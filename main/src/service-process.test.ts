import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { serviceLaunch } from './deployment.ts';
import { ServiceStartError, startService, type ForkService } from './service-process.ts';

const fakeService = fileURLToPath(new URL('./fixtures/fake-service.mjs', import.meta.url));
const KEY = Buffer.alloc(32, 7).toString('base64');

function harness(scenario: string) {
  const children: ChildProcess[] = [];
  const nodeFork: ForkService = (modulePath, args, env) => {
    const child = fork(modulePath, args, { env: { ...env, FAKE_SERVICE_SCENARIO: scenario }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    children.push(child);
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      on: (_event: 'exit', listener: (code: number) => void) => child.on('exit', (code) => listener(code ?? 1)),
      kill: () => child.kill('SIGTERM'),
    };
  };
  const log = new PassThrough();
  let logged = '';
  log.on('data', (chunk: Buffer) => {
    logged += chunk.toString('utf8');
  });
  const passwords: string[] = [];
  const start = (readyTimeoutMs = 5000) =>
    startService({
      fork: nodeFork,
      servicePath: fakeService,
      args: serviceLaunch({ kind: 'standalone-demo' }, '/tmp/wekeza-test').args,
      masterKey: KEY,
      readyTimeoutMs,
      onAdminPassword: ({ password }) => passwords.push(password),
      log,
    });
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { start, passwords, logged: () => logged, children, killAll };
}

describe('startService', () => {
  it('resolves on ready, reports the admin password once and never logs it', async () => {
    const h = harness('normal');
    const service = await h.start();
    try {
      assert.equal(service.url, 'http://127.0.0.1:45678/');
      assert.equal(service.origin, 'http://127.0.0.1:45678');
      assert.equal(service.mode, 'standalone');
      assert.deepEqual(h.passwords, ['S3cret-once']);
      assert.equal(service.running, true);
      // The password echoed on stderr may be read before or after the protocol line; either
      // way the tail kept for dialogs must not hold it.
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.ok(service.stderrTail().some((line) => line.includes('admin password is')));
      assert.ok(service.stderrTail().every((line) => !line.includes('S3cret-once')));
    } finally {
      await service.stop(3000);
    }
    assert.equal(service.running, false);
    const logged = h.logged();
    assert.match(logged, /fake-service args=\["--mode","standalone","--demo","--port","0","--data-dir","\/tmp\/wekeza-test\/demo"\] keyBytes=32/);
    assert.match(logged, /\[service stdout\] plain text that is not protocol/);
    assert.match(logged, /fake-service stopping/);
    assert.match(logged, /ignored an unrecognised JSON line/);
    assert.doesNotMatch(logged, /S3cret-once|second-copy|malformed/);
  });

  it('rejects with the stderr tail when the service exits during start-up', async () => {
    const h = harness('exit-early');
    await assert.rejects(h.start(), (error: unknown) => {
      assert.ok(error instanceof ServiceStartError);
      assert.match(error.message, /exit code 3/);
      assert.ok(error.stderrTail.includes('database is locked'));
      return true;
    });
  });

  it('rejects and stops the child when ready does not come in time', async () => {
    const h = harness('hang');
    await assert.rejects(h.start(300), /did not become ready within/);
    const child = h.children[0];
    assert.ok(child);
    assert.ok(child.exitCode !== null || child.signalCode !== null, 'the hung service was stopped');
  });

  it('refuses a ready URL that is not a loopback http address', async () => {
    const h = harness('bad-url');
    await assert.rejects(h.start(), /not a local loopback http URL/);
  });

  it('reports an exit that was not requested, with the stderr tail', async () => {
    const h = harness('crash-after-ready');
    const service = await h.start();
    const exit = await new Promise<{ code: number; tail: string[] }>((resolve) => {
      service.onUnexpectedExit((code, tail) => resolve({ code, tail }));
    });
    assert.equal(exit.code, 7);
    assert.ok(exit.tail.includes('out of memory'));
    assert.equal(service.running, false);
  });

  it('does not report a requested stop as unexpected, and gives up waiting after the timeout', async () => {
    const h = harness('ignore-sigterm');
    const service = await h.start();
    let unexpected = false;
    service.onUnexpectedExit(() => {
      unexpected = true;
    });
    try {
      const started = Date.now();
      await service.stop(300);
      assert.ok(Date.now() - started < 2000);
      assert.equal(service.running, true, 'still running: it ignored SIGTERM');
    } finally {
      h.killAll();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(unexpected, false);
  });
});
