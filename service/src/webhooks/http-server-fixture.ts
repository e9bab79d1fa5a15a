import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Pieces of the small real HTTP servers tests start to play systems we do not own (webhook
 * receivers, SMS gateways, Slack, Teams). Node built-ins only: the e2e imports them without the service.
 */

/** Reads a request to its end, then hands over its string headers and its body as text. */
export function onRequestRead(req: http.IncomingMessage, done: (headers: Record<string, string>, body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    done(headers, Buffer.concat(chunks).toString('utf8'));
  });
}

/** Listens on a free port of 127.0.0.1 and answers it. */
export async function listenOnLoopback(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes the server, cutting kept-alive connections so that it does not wait for them. */
export async function closeHttpServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
