import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.ts';
import { PROOF_ADMIN_PASSWORD } from './harness-fixture.ts';
import type { HubSql } from './invariants-fixture.ts';

/**
 * Real processes for the kill and partition proofs: the built service (dist/service/index.mjs, or
 * the folder WEKEZA_BUILD_OUT names, as e2e/support/service.ts finds it) started as a hub on
 * PostgreSQL or as a workstation on SQLite, its {"event":"ready"} line awaited, killed with -9 or
 * stopped, and every process this file started killed at the end whatever happened.
 */

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const DIST = process.env.WEKEZA_BUILD_OUT ? path.resolve(process.env.WEKEZA_BUILD_OUT) : path.join(ROOT, 'dist');
const ENTRY = path.join(DIST, 'service/index.mjs');

/** The built service; built here when missing (`npm test` builds first). */
export function serviceEntry(): string {
  if (fs.existsSync(ENTRY)) return ENTRY;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), 'service'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (result.status !== 0 || !fs.existsSync(ENTRY)) throw new Error('building the service failed (node scripts/build.mjs service)');
  return ENTRY;
}

const running = new Set<ChildProcess>();

/** For after() hooks: every process still running is killed (-9), whatever the test did. */
export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((c) => exited(c, 5_000)));
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** stderr so far (the end of it), for failure messages. */
  logs(): string;
  /** Resolves when the process ended, with how. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

const READY_TIMEOUT_MS = 90_000;
const BASE_ENV = {
  // The proofs hammer the hub from a few callers; the rate limit is not what is under test.
  WEKEZA_RATE_LIMIT_USER_PER_MINUTE: '1000000',
  WEKEZA_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  WEKEZA_RATE_LIMIT_CLIENT_PER_MINUTE: '1000000',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL === 'silent' || !process.env.TEST_LOG_LEVEL ? 'warn' : process.env.TEST_LOG_LEVEL,
};

/** Starts the service with these arguments and waits for its ready line. `crashAt` arms a crash point (WEKEZA_CRASH_AT). */
export async function spawnService(name: string, args: string[], options: { crashAt?: string; env?: Record<string, string> } = {}): Promise<ServiceProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...BASE_ENV, ...options.env };
  delete env.WEKEZA_CRASH_AT;
  if (options.crashAt) env.WEKEZA_CRASH_AT = options.crashAt;
  const child = spawn(process.execPath, [serviceEntry(), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-30_000);
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} printed no ready line within ${READY_TIMEOUT_MS / 1000} s\n${stderr.slice(-3000)}`)),
      READY_TIMEOUT_MS,
    );
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: unknown; url?: unknown };
        if (event.event === 'ready') {
          clearTimeout(timer);
          resolve(String(event.url).replace(/\/+$/, ''));
        }
      } catch {
        // not one of the service's JSON lines
      }
    });
    void ended.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} ended before it was ready (code ${code}, signal ${signal})\n${stderr.slice(-3000)}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited(child, 5_000);
    throw error;
  });
  return { name, url, child, logs: () => stderr, ended, alive: () => child.exitCode === null && child.signalCode === null };
}

/** Stops a process: SIGTERM and a few seconds to close (SIGKILL after), or SIGKILL at once. */
export async function stopService(p: ServiceProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (!p.alive()) return;
  p.child.kill(signal);
  if (!(await exited(p.child, 10_000))) {
    p.child.kill('SIGKILL');
    await exited(p.child, 5_000);
  }
}

// --- a hub on PostgreSQL -----------------------------------------------------------------------

export interface HubHandle {
  port: number;
  url: string;
  database: TestDatabase;
  dataDir: string;
  process: ServiceProcess;
  sql: HubSql;
  /** Starts (again) on the same port, data folder and database. */
  start(crashAt?: string): Promise<ServiceProcess>;
  close(): Promise<void>;
}

/**
 * A hub process on a fresh PostgreSQL database, on a fixed port so that it can be restarted where
 * workstations look for it. `relayPorts`: ports of Cables in front of it (their Host must be allowed).
 */
export async function startHub(relayPorts: readonly number[] = []): Promise<HubHandle> {
  const database = await createTestDatabase('postgres');
  if (database.target.kind !== 'postgres') throw new Error('the hub needs PostgreSQL');
  const databaseUrl = database.target.url;
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-proof-hub-'));
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 15_000, query_timeout: 60_000 });
  await client.connect();
  const handle: HubHandle = {
    port,
    url: `http://127.0.0.1:${port}`,
    database,
    dataDir,
    process: null as unknown as ServiceProcess,
    sql: async (text) => (await client.query(text)).rows as Array<Record<string, unknown>>,
    async start(crashAt) {
      handle.process = await spawnService(
        'hub',
        [
          ...['--mode', 'hub', '--port', String(port), '--data-dir', dataDir, '--database-url', databaseUrl],
          ...relayPorts.flatMap((p) => ['--allowed-host', `127.0.0.1:${p}`]),
        ],
        { env: { WEKEZA_ADMIN_PASSWORD: PROOF_ADMIN_PASSWORD }, ...(crashAt ? { crashAt } : {}) },
      );
      return handle.process;
    },
    async close() {
      if (handle.process) await stopService(handle.process, 'SIGKILL');
      await client.end().catch(() => {});
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await handle.start();
  } catch (error) {
    await client.end().catch(() => {});
    await database.drop();
    throw error;
  }
  return handle;
}

// --- a workstation on SQLite -------------------------------------------------------------------

export interface WorkstationHandle {
  name: string;
  dataDir: string;
  hubUrl: string;
  process: ServiceProcess;
  start(crashAt?: string): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function startWorkstation(name: string, hubUrl: string): Promise<WorkstationHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wekeza-proof-${name}-`));
  const handle: WorkstationHandle = {
    name,
    dataDir,
    hubUrl,
    process: null as unknown as ServiceProcess,
    async start(crashAt) {
      handle.process = await spawnService(
        name,
        ['--mode', 'workstation', '--hub-url', hubUrl, '--port', '0', '--data-dir', dataDir],
        crashAt ? { crashAt } : {},
      );
      return handle.process;
    },
    async close() {
      if (handle.process) await stopService(handle.process, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}

// --- a cable between a workstation and the hub that can be pulled -----------------------------

/**
 * A TCP relay on its own port in front of the hub: a workstation given its URL reaches the hub
 * only through it, so that closing it ("dropping the port") cuts that workstation off alone.
 */
export class Cable {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private hubPort = 0;

  /** `port`: chosen beforehand (freePort), so that the hub can be told to accept it as a Host. */
  constructor(readonly port: number) {}

  /** Where the relay leads (set before connect). */
  to(hubPort: number): this {
    this.hubPort = hubPort;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async connect(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((inbound) => {
      const outbound = net.connect(this.hubPort, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Pulls the cable: the port stops listening and open connections break. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
