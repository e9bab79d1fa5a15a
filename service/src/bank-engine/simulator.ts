import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { mulberry32 } from '../util/prng.ts';

/**
 * A stand-in for the bank's own fraud engine, for tests, demos and connectivity checks without
 * the bank: a real HTTP server on loopback that scores payments deterministically and can be
 * made slow, flaky or down on demand (in-process or through POST /__control).
 */

export type SimulatorOutage = 'none' | 'refuse' | 'hang' | 'error';

export type SimulatorAuth =
  | { kind: 'NONE' }
  | { kind: 'API_KEY'; headerName: string; apiKey: string }
  | { kind: 'BASIC'; username: string; password: string }
  | { kind: 'BEARER'; token: string }
  | { kind: 'CUSTOM_HEADERS'; headers: Record<string, string> };

export interface SimulatorBehaviour {
  latencyMs: number;
  jitterMs: number;
  /** 0..1: share of scoring requests answered HTTP 503. */
  errorRate: number;
  /** refuse: connection reset; hang: never answers; error: HTTP 500. */
  outage: SimulatorOutage;
}

export interface SimulatorOptions extends Partial<SimulatorBehaviour> {
  port?: number;
  host?: string;
  auth?: SimulatorAuth;
  /** Seeds the error-rate and jitter draws and the score's small per-payment variation. */
  seed?: number;
}

export interface SimulatorStats {
  /** Requests other than the control endpoints (/__control, /__stats). */
  requests: number;
  /** Scoring requests answered with a score. */
  answered: number;
  /** Requests refused, hung, rejected or answered with an error. */
  failed: number;
  byPath: Record<string, number>;
}

export interface ReceivedRequest {
  at: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
}

export interface BankEngineSimulator {
  /** Base URL, e.g. http://127.0.0.1:4790 */
  url: string;
  scoreUrl: string;
  port: number;
  setBehaviour(partial: Partial<SimulatorBehaviour>): SimulatorBehaviour;
  behaviour(): SimulatorBehaviour;
  stats(): SimulatorStats;
  /** The most recent requests (up to 100), oldest first. */
  received(): ReceivedRequest[];
  resetStats(): void;
  close(): Promise<void>;
}

export const SIMULATOR_ENGINE_NAME = 'Wekeza bank engine simulator';
export const SIMULATOR_MODEL_VERSION = 'sim-2026.1';
const MAX_BODY_BYTES = 1_000_000;
const MAX_RECEIVED = 100;

const BehaviourPatch = z
  .object({
    latencyMs: z.number().min(0).max(120_000),
    jitterMs: z.number().min(0).max(120_000),
    errorRate: z.number().min(0).max(1),
    outage: z.enum(['none', 'refuse', 'hang', 'error']),
  })
  .partial()
  .strict();

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/** Sanctioned or high-fraud corridors (weights on the 0..1000 scale). */
const COUNTRY_RISK: Record<string, number> = { KP: 450, IR: 420, SY: 400, YE: 320, SO: 320, RU: 280, NG: 250, AE: 180 };
const CHANNEL_RISK: Record<string, number> = { WEB: 60, USSD: 40, AGENT: 35, ATM: 30, MOBILE: 15, BRANCH: 0 };

export type SimulatorDecision = 'ALLOW' | 'REVIEW' | 'HOLD' | 'DECLINE';
export interface SimulatorScore {
  riskScore: number;
  decision: SimulatorDecision;
  reasons: string[];
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function field(source: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(source, name) ? source[name] : undefined;
}
function numberField(source: Record<string, unknown>, name: string): number | null {
  const value = field(source, name);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}
function stringField(source: Record<string, unknown>, name: string): string | null {
  const value = field(source, name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nairobi hour of an ISO timestamp, or null when absent or unreadable (never the wall clock: scores stay reproducible). */
function nairobiHour(timestamp: string | null): number | null {
  if (!timestamp) return null;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + 3 * 3_600_000).getUTCHours(); // East Africa Time, UTC+3 all year
}

const kes = (n: number) => `KES ${Math.round(n).toLocaleString('en-KE')}`;

/** Deterministic and plausible: large amounts, risky corridors, night time and remote channels raise the score. */
export function scoreSimulatedPayment(payload: unknown, seed = 1): SimulatorScore {
  const root = isRecord(payload) ? payload : {};
  const tx = isRecord(root.transaction) ? root.transaction : root;
  const amountKes = numberField(tx, 'amountKes') ?? numberField(tx, 'amount') ?? 0;
  const country = stringField(tx, 'country')?.toUpperCase() ?? null;
  const channel = stringField(tx, 'channel')?.toUpperCase() ?? null;
  const hour = nairobiHour(stringField(tx, 'timestamp'));

  const parts: Array<{ points: number; reason: string }> = [];
  if (amountKes > 10_000) {
    const points = Math.min(450, 150 * Math.log10(amountKes / 10_000));
    parts.push({ points, reason: `amount ${kes(amountKes)} is large for this customer segment` });
  }
  if (amountKes > 10_000_000) parts.push({ points: 100, reason: `amount above KES 10,000,000` });
  if (country && COUNTRY_RISK[country] !== undefined) parts.push({ points: COUNTRY_RISK[country], reason: `destination country ${country} is high risk` });
  if (hour !== null && hour < 5) parts.push({ points: 120, reason: `initiated at night (${String(hour).padStart(2, '0')}:00 Nairobi time)` });
  if (channel && CHANNEL_RISK[channel]) parts.push({ points: CHANNEL_RISK[channel], reason: `${channel} channel` });

  // Small per-payment variation so equal payments to different customers do not score identically.
  const identity = [stringField(tx, 'reference'), stringField(tx, 'customerId'), stringField(root, 'requestId')].filter(Boolean).join('|');
  const noise = fnv1a(`${seed}:${identity}`) % 41;
  const total = 30 + noise + parts.reduce((sum, p) => sum + p.points, 0);
  const riskScore = Math.max(0, Math.min(1000, Math.round(total)));
  const decision: SimulatorDecision = riskScore >= 800 ? 'DECLINE' : riskScore >= 600 ? 'HOLD' : riskScore >= 400 ? 'REVIEW' : 'ALLOW';
  const reasons = parts.sort((a, b) => b.points - a.points).map((p) => p.reason);
  return { riskScore, decision, reasons: reasons.length > 0 ? reasons : ['no risk indicators'] };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function authProblem(auth: SimulatorAuth, req: IncomingMessage): { problem: string; challenge: string | null } | null {
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  switch (auth.kind) {
    case 'NONE':
      return null;
    case 'API_KEY':
      return header(auth.headerName) === auth.apiKey ? null : { problem: `missing or wrong ${auth.headerName}`, challenge: null };
    case 'BASIC': {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
      const given = header('authorization') ?? '';
      return given.replace(/^basic /i, 'Basic ') === expected
        ? null
        : { problem: 'missing or wrong Basic credentials', challenge: 'Basic realm="bank-engine"' };
    }
    case 'BEARER': {
      const given = header('authorization') ?? '';
      return given.replace(/^bearer /i, 'Bearer ') === `Bearer ${auth.token}`
        ? null
        : { problem: 'missing or wrong bearer token', challenge: 'Bearer realm="bank-engine"' };
    }
    case 'CUSTOM_HEADERS': {
      const wrong = Object.entries(auth.headers)
        .filter(([name, value]) => header(name) !== value)
        .map(([name]) => name);
      return wrong.length === 0 ? null : { problem: `missing or wrong ${wrong.join(', ')}`, challenge: null };
    }
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBankEngineSimulator(options: SimulatorOptions = {}): Promise<BankEngineSimulator> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? { kind: 'NONE' };
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const behaviour: SimulatorBehaviour = {
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
    errorRate: options.errorRate ?? 0,
    outage: options.outage ?? 'none',
  };
  const emptyStats = (): SimulatorStats => ({ requests: 0, answered: 0, failed: 0, byPath: {} });
  let stats = emptyStats();
  let received: ReceivedRequest[] = [];
  let sequence = 0;
  let closing = false;
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const method = req.method ?? 'GET';

    if (path === '/__stats' && method === 'GET') return sendJson(res, 200, { ...stats, byPath: { ...stats.byPath } });
    if (path === '/__control') {
      if (method === 'GET') return sendJson(res, 200, behaviour);
      if (method !== 'POST') return sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED' }, { Allow: 'GET, POST' });
      let patch: z.infer<typeof BehaviourPatch>;
      try {
        patch = BehaviourPatch.parse(JSON.parse(await readBody(req)));
      } catch (error) {
        return sendJson(res, 400, { error: 'BAD_REQUEST', message: error instanceof Error ? error.message : String(error) });
      }
      return sendJson(res, 200, Object.assign(behaviour, patch));
    }

    stats.requests++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (path === '/health' && method === 'GET') {
      return sendJson(res, 200, { status: behaviour.outage === 'none' ? 'UP' : 'DOWN', engine: SIMULATOR_ENGINE_NAME, modelVersion: SIMULATOR_MODEL_VERSION });
    }
    if (path !== '/v1/score') {
      stats.failed++;
      return sendJson(res, 404, { error: 'NOT_FOUND', message: `no route ${method} ${path}; score with POST /v1/score` });
    }
    if (method !== 'POST' && method !== 'PUT') {
      stats.failed++;
      return sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED' }, { Allow: 'POST, PUT' });
    }

    // Outages come first: a down engine neither authenticates nor reads.
    if (behaviour.outage === 'refuse') {
      stats.failed++;
      req.socket.resetAndDestroy();
      return;
    }
    if (behaviour.outage === 'hang') {
      stats.failed++;
      return; // close() destroys the socket
    }

    const text = await readBody(req);
    let body: unknown = text;
    let isJson = false;
    try {
      body = JSON.parse(text);
      isJson = true;
    } catch {
      // kept as text for received()
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    received.push({ at: new Date().toISOString(), method, path, headers, body });
    if (received.length > MAX_RECEIVED) received = received.slice(-MAX_RECEIVED);

    await sleep(behaviour.latencyMs + (behaviour.jitterMs > 0 ? random() * behaviour.jitterMs : 0));
    if (closing) return;

    if (behaviour.outage === 'error') {
      stats.failed++;
      return sendJson(res, 500, { error: 'INTERNAL_ERROR', message: 'simulated engine failure' });
    }
    const denied = authProblem(auth, req);
    if (denied) {
      stats.failed++;
      return sendJson(res, 401, { error: 'UNAUTHORIZED', message: denied.problem }, denied.challenge ? { 'WWW-Authenticate': denied.challenge } : {});
    }
    if (behaviour.errorRate > 0 && random() < behaviour.errorRate) {
      stats.failed++;
      return sendJson(res, 503, { error: 'UNAVAILABLE', message: 'simulated overload, try again' }, { 'Retry-After': '1' });
    }
    if (!isJson) {
      stats.failed++;
      return sendJson(res, 400, { error: 'BAD_REQUEST', message: 'the body is not JSON' });
    }
    sequence++;
    const requestId = isRecord(body) && typeof body.requestId === 'string' ? body.requestId : `sim-${sequence}`;
    stats.answered++;
    return sendJson(res, 200, { requestId, result: scoreSimulatedPayment(body, seed), engine: SIMULATOR_ENGINE_NAME, modelVersion: SIMULATOR_MODEL_VERSION });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) });
    });
  });
  // Many short test runs share the machine: do not let idle keep-alive sockets pile up.
  server.keepAliveTimeout = 2_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    scoreUrl: `${url}/v1/score`,
    port,
    setBehaviour(partial) {
      return { ...Object.assign(behaviour, BehaviourPatch.parse(partial)) };
    },
    behaviour: () => ({ ...behaviour }),
    stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
    received: () => [...received],
    resetStats() {
      stats = emptyStats();
      received = [];
    },
    close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging and keep-alive sockets would otherwise hold close() (and the test run) open.
        server.closeAllConnections();
      });
    },
  };
}
