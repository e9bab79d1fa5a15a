import http from 'node:http';
import { mock } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { closeHttpServer, listenOnLoopback, onRequestRead } from './http-server-fixture.ts';

/**
 * A webhook receiver for tests (a system we do not own, played by a small real server): it records
 * each request and answers with the next planned status ('hang' never answers).
 */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

export async function startReceiver() {
  const received: Received[] = [];
  const plan: Array<number | 'hang'> = [];
  let delayMs = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    onRequestRead(req, (headers, body) => {
      received.push({ headers, body });
      for (const w of waiters.splice(0)) w();
      const next = plan.shift() ?? 200;
      if (next === 'hang') return; // never answers: the sender's timeout must end it
      setTimeout(() => res.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'no'), delayMs);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    plan,
    setDelay(ms: number) {
      delayMs = ms;
    },
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    async stop() {
      await closeHttpServer(server);
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Standard Webhooks' own verification, as a receiver would run it when the message arrived (`atMs`). */
export function verifyAt(secret: string, message: Received, atMs: number): unknown {
  // verify() checks the timestamp against Date.now(); the messages were sent at the test clock's time.
  mock.timers.enable({ apis: ['Date'], now: atMs });
  try {
    return new Webhook(secret).verify(message.body, message.headers);
  } finally {
    mock.timers.reset();
  }
}
