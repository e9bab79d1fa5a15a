// Real processes for the sync story (README "Workstations and sync"): a hub on PostgreSQL and
// workstations on SQLite, each the built dist/service/index.mjs as a child process on a free port
// with its own data folder. Each waits for its {"event":"ready"} line and is stopped afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { SyncStatus } from '../../shared/src/sync.ts';
import { call } from './api.ts';
import { ADMIN_PASSWORD, ensureBuilt, ROOT, SERVICE_ENTRY, waitForExit } from './service.ts';

const READY_TIMEOUT_MS = Number(process.env.WEKEZA_E2E_READY_TIMEOUT_MS) || 120_000;

export interface NodeProcess {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly mode: string;
  readonly dataDir: string;
  /** What the node logged so far (stdout and stderr), for failure messages. */
  logs(): string;
  /** SIGTERM, then SIGKILL if it does not stop; the data folder is kept unless asked. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

/** Spawns the service with `args` (the data folder is added) and waits for its ready line. */
export async function spawnNode(
  name: string,
  args: string[],
  { env = {}, dataDir }: { env?: Record<string, string>; dataDir?: string } = {},
): Promise<NodeProcess> {
  ensureBuilt();
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `wekeza-e2e-${name}-`));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // Each node keeps its own master key in its data folder (as on separate machines).
  delete childEnv.WEKEZA_MASTER_KEY;
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [SERVICE_ENTRY, ...args, '--data-dir', dir], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  // The node's log (pino writes JSON lines to stdout; crashes go to stderr), kept for failure messages.
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-60_000);
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', keep);
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', keep);

  const stop = async ({ removeData = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    if (removeData) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ready = await new Promise<{ url: string; mode: string }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not print its ready line within ${READY_TIMEOUT_MS / 1000} s\n${output.slice(-3000)}`)),
        READY_TIMEOUT_MS,
      );
      const lines = readline.createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let event: { event?: unknown; url?: unknown; mode?: unknown };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          return; // not one of the service's JSON lines
        }
        if (event.event === 'ready') {
          clearTimeout(timer);
          resolve({ url: String(event.url).replace(/\/+$/, ''), mode: String(event.mode) });
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})\n${output.slice(-3000)}`));
      });
    });
    return { name, url: ready.url, port: Number(new URL(ready.url).port), mode: ready.mode, dataDir: dir, logs: () => output, stop };
  } catch (error) {
    await stop({ removeData: dataDir === undefined });
    throw error;
  }
}

/**
 * A hub on PostgreSQL. `allowedHosts` are the host:port names it is also reached by (here the
 * proxies in front of it: a hub checks the Host header, ARCHITECTURE.md rule 6).
 */
export function startHub(databaseUrl: string, { allowedHosts = [] }: { allowedHosts?: string[] } = {}): Promise<NodeProcess> {
  const args = ['--mode', 'hub', '--database-url', databaseUrl, '--port', '0'];
  for (const host of allowedHosts) args.push('--allowed-host', host);
  return spawnNode('hub', args, { env: { WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD } });
}

/** A workstation syncing with the hub at `hubUrl`, with an encrypted SQLite cache in its own folder. */
export function startWorkstation(name: string, hubUrl: string): Promise<NodeProcess> {
  return spawnNode(name, ['--mode', 'workstation', '--hub-url', hubUrl, '--port', '0']);
}

/** Polls a workstation's GET /api/v1/sync/status until `until` holds, or fails with the last status. */
export async function waitForStatus(url: string, token: string, until: (status: SyncStatus) => boolean, timeoutMs: number): Promise<SyncStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: SyncStatus | null = null;
  while (Date.now() < deadline) {
    last = await call<SyncStatus>(url, 'GET', '/api/v1/sync/status', { token });
    if (until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the workstation's sync status did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(last)}`);
}
