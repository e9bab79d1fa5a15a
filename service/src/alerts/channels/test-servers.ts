import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { closeHttpServer, listenOnLoopback, onRequestRead } from '../../webhooks/http-server-fixture.ts';

/**
 * Small real servers that play the systems an alert channel talks to and we do not own: the
 * bank's SMTP relay, an SMS gateway, a webhook receiver, Slack and Teams incoming webhooks. Used by
 * the service tests and by the e2e tests, so this module imports nothing of the service.
 */

const WAIT_STEP_MS = 50;

async function waitUntil(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

// ---------------------------------------------------------------------------------------------
// SMTP
// ---------------------------------------------------------------------------------------------

/** One message as the relay received it, with its MIME parts decoded. */
export interface CaughtMail {
  /** SMTP envelope. */
  mailFrom: string | null;
  rcptTo: string[];
  /** The user that authenticated, if any. */
  user: string | null;
  /** Header names lower-cased; values unfolded and encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string | null;
  html: string | null;
  raw: string;
}

export interface SmtpCatcherOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain text: a loopback test relay). */
  auth?: { username: string; password: string };
}

/**
 * An SMTP relay on 127.0.0.1 (no TLS) that keeps every message. `rejectNext(code, times)` answers
 * the next messages' DATA with an SMTP error (e.g. 451 = try again later).
 */
export async function startSmtpCatcher(options: SmtpCatcherOptions = {}) {
  const messages: CaughtMail[] = [];
  const rejections: number[] = [];
  const serverOptions: SMTPServerOptions = {
    secure: false,
    // A loopback test relay: no certificate, so no STARTTLS; plain-text AUTH is allowed here only.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.username && auth.password === options.auth.password) {
        callback(null, { user: auth.username ?? null });
        return;
      }
      const error = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = rejections.shift();
        if (code !== undefined) {
          callback(Object.assign(new Error(`rejected by the test relay (${code})`), { responseCode: code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMime(raw);
        const envelope = session.envelope;
        messages.push({
          mailFrom: envelope.mailFrom ? envelope.mailFrom.address : null,
          rcptTo: envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          headers: parsed.headers,
          subject: parsed.headers.subject ?? '',
          text: parsed.text,
          html: parsed.html,
          raw,
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    rejectNext(code: number, times = 1) {
      for (let i = 0; i < times; i++) rejections.push(code);
    },
    async waitFor(count: number, timeoutMs = 10_000) {
      await waitUntil(
        () => messages.length >= count,
        timeoutMs,
        () => `the SMTP catcher got ${messages.length} of ${count} messages`,
      );
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type SmtpCatcher = Awaited<ReturnType<typeof startSmtpCatcher>>;

interface MimePart {
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
}

/** Enough MIME for what nodemailer writes: headers, multipart/alternative|mixed, base64 and quoted-printable. */
export function parseMime(raw: string): MimePart {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split < 0 ? normalised : normalised.slice(0, split);
  const body = split < 0 ? '' : normalised.slice(split + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const result: MimePart = { headers, text: null, html: null };
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const inner = parseMime(part.replace(/^\n/, ''));
      result.text ??= inner.text;
      result.html ??= inner.html;
    }
    return result;
  }
  const content = decodeBody(body, headers['content-transfer-encoding'] ?? '7bit');
  return { headers, text: /^text\/html/i.test(type) ? null : content, html: /^text\/html/i.test(type) ? content : null };
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\n/g, ''));
    default:
      return body.replace(/\n$/, '');
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\n$/, '');
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=); whitespace between two of them is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP (SMS gateway, webhook receiver, Slack, Teams)
// ---------------------------------------------------------------------------------------------

export interface CaughtRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/**
 * An HTTP receiver on 127.0.0.1 that keeps every request and answers 200 (Slack and Teams answer
 * "1"/"ok"; Africa's Talking answers 201 with JSON — set `okStatus`). `failNext(status, times)`
 * answers the next requests with that status, to exercise retries.
 */
export async function startHttpCatcher(options: { okStatus?: number; okBody?: string } = {}) {
  const requests: CaughtRequest[] = [];
  const plan: number[] = [];
  const okStatus = options.okStatus ?? 200;
  const server = http.createServer((req, res) => {
    onRequestRead(req, (headers, body) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '/', headers, body });
      const status = plan.shift() ?? okStatus;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? (options.okBody ?? 'ok') : 'failed');
    });
  });
  const port = await listenOnLoopback(server);
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    /** A URL on this server, e.g. url('/teams/hook'). */
    url(path = '/') {
      return `${base}${path.startsWith('/') ? path : `/${path}`}`;
    },
    requests,
    failNext(status: number, times = 1) {
      for (let i = 0; i < times; i++) plan.push(status);
    },
    /** Requests to one path (several channels may share a catcher). */
    at(path: string): CaughtRequest[] {
      return requests.filter((r) => r.path === path);
    },
    async waitFor(count: number, timeoutMs = 10_000, path?: string) {
      const got = () => (path ? requests.filter((r) => r.path === path).length : requests.length);
      await waitUntil(
        () => got() >= count,
        timeoutMs,
        () => `the HTTP catcher got ${got()} of ${count} requests${path ? ` to ${path}` : ''}`,
      );
    },
    async stop() {
      await closeHttpServer(server);
    },
  };
}
export type HttpCatcher = Awaited<ReturnType<typeof startHttpCatcher>>;
