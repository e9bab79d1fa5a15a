import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startService, type RunningService } from '../app.ts';
import type { Clock } from '../clock.ts';
import type { HubTransport } from '../sync/workstation/types.ts';
import type { LoginResponse } from '../../../shared/src/auth.ts';
import { SyncStatus } from '../../../shared/src/sync.ts';
import { SecretBox } from '../auth/secret-box.ts';

/** Real HTTP to the hub, with a switch that partitions the workstation from it (connections refused). */
export class HubLink {
  up = true;
  readonly transport: HubTransport = async (url, init) => {
    if (!this.up) throw new TypeError('fetch failed: connect ECONNREFUSED (test partition)');
    return fetch(url, init);
  };
}

/** Polls `check` until it answers something truthy (returned), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface TestWorkstation {
  service: RunningService;
  url: string;
  dataDir: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: unknown; headers: Headers }>;
  login(username: string, password: string): Promise<LoginResponse>;
  status(token: string): Promise<SyncStatus>;
  /** Waits until the status passes `until` (polling every 50 ms), or fails after `timeoutMs`. */
  waitFor(token: string, until: (status: SyncStatus) => boolean, timeoutMs?: number): Promise<SyncStatus>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * A workstation service in this process, syncing with `hubUrl`, over an encrypted SQLite cache in
 * a throwaway folder (or `dataDir`, to restart one). `transport` replaces fetch towards the hub.
 */
export async function startTestWorkstation(
  hubUrl: string,
  options: { dataDir?: string; transport?: HubTransport; clock?: Clock } = {},
): Promise<TestWorkstation> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-test-ws-'));
  const key = SecretBox.fromEnvironmentOrFile(dataDir, {}).deriveKey('workstation-cache');
  const service = await startService({
    mode: 'workstation',
    host: '127.0.0.1',
    port: 0,
    dataDir,
    database: { kind: 'sqlite', file: path.join(dataDir, 'workstation.sqlite'), encryptionKey: key, foreignKeys: false },
    rendererDir: null,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    env: {},
    checkResponses: true,
    hubUrl,
    ...(options.transport ? { hubTransport: options.transport } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const request: TestWorkstation['request'] = async (method, urlPath, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${service.url}${urlPath}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  const status = async (token: string) => {
    const res = await request('GET', '/api/v1/sync/status', { token });
    if (res.status !== 200) throw new Error(`sync status: ${res.status} ${JSON.stringify(res.body)}`);
    return SyncStatus.parse(res.body);
  };
  return {
    service,
    url: service.url,
    dataDir,
    request,
    status,
    async login(username, password) {
      const res = await request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`workstation login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as LoginResponse;
    },
    async waitFor(token, until, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: SyncStatus | null = null;
      while (Date.now() < deadline) {
        last = await status(token);
        if (until(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`sync status did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(last)}`);
    },
    async stop({ keepData = false } = {}) {
      await service.close();
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
