/**
 * Real processes and HTTP for `npm run bench:sync`: the hub and the workstation run as the CLI
 * runs them (`service/src/cli.ts --mode hub|workstation`), each in its own Node process, so the
 * figures include what production pays (separate event loops, loopback HTTP, the workstation's
 * encrypted cache).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoginResponse } from '../../shared/src/auth.ts';
import type { SyncStatus } from '../../shared/src/sync.ts';
import type { UserWithOneTimePassword } from '../../shared/src/users.ts';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the service CLI with `args`; resolves on its ready line. Its log goes to `logFile`. */
export function spawnService(args: string[], env: Record<string, string>, logFile: string): Promise<ServiceProcess> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', log],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(' ')}: no ready line within 120 s (see ${logFile})`));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready (see ${logFile})`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'ready' && event.url) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ url: event.url, child, stop });
        }
      } catch {
        // Not an event line.
      }
    });
  });
}

export async function api<T>(
  base: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${route}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function ok<T>(base: string, method: string, route: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await api<T>(base, method, route, options);
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function login(base: string, username: string, password: string): Promise<LoginResponse> {
  return ok<LoginResponse>(base, 'POST', '/api/v1/auth/login', { body: { username, password } });
}

/**
 * A bank-wide compliance officer at the hub, made as an admin would make one: created through the
 * API (a one-time password), then their own password set at first sign-in. An earlier run's user
 * (the bench database is reused) is signed in as it is.
 */
export async function ensureHubUser(hub: string, adminPassword: string, username: string, password: string): Promise<void> {
  const existing = await api<LoginResponse>(hub, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (existing.status === 200) return;
  const admin = await login(hub, 'admin', adminPassword);
  const created = await ok<UserWithOneTimePassword>(hub, 'POST', '/api/v1/users', {
    token: admin.token,
    body: { username, displayName: 'Bench Compliance', role: 'COMPLIANCE_OFFICER', tenantIds: [] },
  });
  const first = await login(hub, username, created.oneTimePassword);
  await ok(hub, 'POST', '/api/v1/auth/password', { token: first.token, body: { currentPassword: created.oneTimePassword, newPassword: password } });
}

export function syncStatus(base: string, token: string): Promise<SyncStatus> {
  return ok<SyncStatus>(base, 'GET', '/api/v1/sync/status', { token });
}

/** The first sync is complete: no progress left and the change feed reached the hub's sequence. */
export function initialSyncDone(status: SyncStatus): boolean {
  return (
    status.cacheOwner !== null &&
    status.initialSync === null &&
    status.lastSyncAt !== null &&
    status.state !== 'initial-sync' &&
    status.lastPulledSeq >= status.hubSeq
  );
}

export function stats(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))] ?? Number.NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.at(-1) ?? Number.NaN };
}
