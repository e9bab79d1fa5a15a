import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface TestDatabase {
  dialect: Dialect;
  target: DatabaseTarget;
  dataDir: string;
  drop(): Promise<void>;
}

let server: Promise<{ adminUrl: string; handle: EmbeddedPostgresHandle | null; dir: string | null }> | null = null;

/** Every client here gives up instead of waiting for ever on a server that does not answer. */
const CLIENT_LIMITS = { connectionTimeoutMillis: 15_000, query_timeout: 60_000 };

export const TEST_PG_PREFIX = 'wekeza-test-pg-';

/**
 * The PostgreSQL server for tests: TEST_DATABASE_URL when set, otherwise PostgreSQL 18 from the
 * embedded-postgres package, started once per test process in a throwaway folder (bounded, with
 * one retry: see startEmbeddedPostgres).
 */
function postgresServer() {
  server ??= (async () => {
    const fromEnv = process.env.TEST_DATABASE_URL;
    if (fromEnv) return { adminUrl: fromEnv, handle: null, dir: null };
    removeStaleTestClusters();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), TEST_PG_PREFIX));
    // As root PostgreSQL runs as the postgres user, which must reach the cluster inside.
    fs.chmodSync(dir, 0o755);
    try {
      const handle = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
      return { adminUrl: handle.url, handle, dir };
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      server = null;
      throw error;
    }
  })();
  return server;
}

/**
 * Throwaway clusters of test runs that were killed (so their after() hooks never ran): folders
 * older than an hour whose server is not running. Other runs on this machine may be using
 * theirs, so a live postmaster.pid or a recent folder is left alone.
 */
export function removeStaleTestClusters(now = Date.now(), minAgeMs = 3_600_000): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(TEST_PG_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      if (now - fs.statSync(dir).mtimeMs < minAgeMs) continue;
      const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
      if (fs.existsSync(pidFile) && processAlive(Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another run removed it first, or it is not ours to read: leave it.
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wekeza-test-${dialect}-`));
  if (dialect === 'sqlite') {
    return {
      dialect,
      dataDir,
      target: { kind: 'sqlite', file: path.join(dataDir, 'wekeza.sqlite') },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const { adminUrl } = await postgresServer();
  const name = `wekeza_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, ...CLIENT_LIMITS });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    dialect,
    dataDir,
    target: { kind: 'postgres', url: withDatabase(adminUrl, name) },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl, ...CLIENT_LIMITS });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Call from a test file's after() hook: stops the embedded server this process started. */
export async function stopTestPostgres(): Promise<void> {
  if (!server) return;
  const { handle, adminUrl, dir } = await server;
  server = null;
  if (!handle || !dir) return;
  // A fast shutdown terminates open connections, and a pg client that receives that after its
  // test ended fails the run. Connections we closed can still be on their way out, so wait for
  // them; one that stays open is a leak, and is named.
  const lingering = await waitForNoOtherConnections(adminUrl, 5_000);
  await handle.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  if (lingering.length > 0) throw new Error(`connections left open at the end of the tests: ${lingering.join(', ')}`);
}

async function waitForNoOtherConnections(adminUrl: string, timeoutMs: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl, ...CLIENT_LIMITS });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ datname: string | null; application_name: string; state: string | null }>(
        "select datname, application_name, state from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      if (rows.length === 0 || Date.now() > deadline)
        return rows.map((r) => `${r.datname ?? '?'}/${r.application_name || 'unnamed'} (${r.state ?? 'unknown'})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}
