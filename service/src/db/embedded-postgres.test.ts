import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError, startEmbeddedPostgres, type PostgresBinaries } from './embedded-postgres.ts';
import { removeStaleTestClusters, TEST_PG_PREFIX } from '../testing/databases.ts';

/**
 * Embedded PostgreSQL start and stop are bounded (a hung initdb once held CI for 17 minutes). The
 * misbehaving binaries here are small shell scripts standing in for initdb/postgres; the last
 * test starts the real PostgreSQL 18 of the embedded-postgres package.
 */
const scratch: string[] = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder the "postgres" system user can use too (the binaries run as that user under root). */
function openDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o777);
  scratch.push(dir);
  return dir;
}

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL, bounded', { timeout: 90_000 }, () => {
  it('kills an initdb that never returns, retries once on a fresh folder, and says what happened', async () => {
    const bin = openDir('wekeza-fake-pg-bin-');
    const record = path.join(bin, 'record');
    // Records its pid and the password file it was given, then hangs, as the real one once did.
    const binaries: PostgresBinaries = {
      initdb: script(
        bin,
        'initdb',
        `for a in "$@"; do case "$a" in --pwfile=*) echo "\${a#--pwfile=}" >> "${record}";; esac; done\necho $$ >> "${record}"\nsleep 600`,
      ),
      postgres: script(bin, 'postgres', 'exit 1'),
    };
    const dataDir = openDir(TEST_PG_PREFIX);
    const started = Date.now();
    const error = await startEmbeddedPostgres({ dataDir, persistent: false, binaries, timeouts: { initdbMs: 400 } }).then(
      () => assert.fail('started with an initdb that hangs'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EmbeddedPostgresError, String(error));
    assert.match(error.message, /attempt 1 \(port \d+\): initdb did not finish within 0\.4 s/);
    assert.match(error.message, /attempt 2 \(port \d+\): initdb did not finish within 0\.4 s/);
    assert.match(error.message, /TEST_DATABASE_URL/);
    assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`);
    const lines = fs.readFileSync(record, 'utf8').trim().split('\n');
    const pids = lines.filter((l) => /^\d+$/.test(l)).map(Number);
    const passwordFiles = lines.filter((l) => l.startsWith('/'));
    assert.equal(pids.length, 2, 'two attempts');
    assert.equal(new Set(passwordFiles.map((f) => path.dirname(f))).size, 2, 'each attempt its own folder');
    // The killed processes are gone, and nothing is left: no password file, no cluster folder.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const pid of pids) assert.equal(alive(pid), false, `initdb ${pid} still running`);
    for (const file of passwordFiles) assert.equal(fs.existsSync(path.dirname(file)), false, `${file} left behind`);
    assert.deepEqual(fs.readdirSync(dataDir), []);
  });

  it('reports a server that exits while starting, with what it printed', async () => {
    const bin = openDir('wekeza-fake-pg-bin-');
    const binaries: PostgresBinaries = {
      initdb: script(bin, 'initdb', `for a in "$@"; do case "$a" in --pgdata=*) echo 18 > "\${a#--pgdata=}/PG_VERSION";; esac; done`),
      postgres: script(bin, 'postgres', 'echo "FATAL:  could not create shared memory segment (fake)" >&2\nexit 1'),
    };
    const dataDir = openDir(TEST_PG_PREFIX);
    await assert.rejects(
      startEmbeddedPostgres({ dataDir, persistent: false, binaries }),
      (e: unknown) =>
        e instanceof EmbeddedPostgresError &&
        /attempt 1 \(port \d+\): PostgreSQL exited while starting \(exit 1\).*could not create shared memory segment \(fake\)/.test(e.message) &&
        /attempt 2/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(dataDir), []);
  });

  it('sees the ready line even when clients already knocking print more lines after it in the same chunk', async () => {
    const bin = openDir('wekeza-fake-pg-bin-');
    // One write: the ready line, then 300+ characters of refused early clients (as in a restart
    // under traffic). A reader that trimmed its buffer before looking once missed it and waited 60 s.
    const knocks = Array.from({ length: 5 }, (_, i) => `2026-12-04 22:30:44.9${i} UTC [2925${i}] FATAL:  the database system is starting up`).join('\\n');
    const binaries: PostgresBinaries = {
      initdb: script(bin, 'initdb', `for a in "$@"; do case "$a" in --pgdata=*) echo 18 > "\${a#--pgdata=}/PG_VERSION";; esac; done`),
      postgres: script(bin, 'postgres', `printf 'LOG:  database system is ready to accept connections\\n${knocks}\\n' >&2\nexec sleep 600`), // a background job ignores SIGINT: stop() ends with SIGKILL after stopMs
    };
    const dataDir = openDir(TEST_PG_PREFIX);
    const error = await startEmbeddedPostgres({ dataDir, persistent: false, binaries, timeouts: { startMs: 3_000, stopMs: 500 } }).then(
      () => assert.fail('a fake server cannot serve a database'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EmbeddedPostgresError, String(error));
    // It got past readiness (nothing listens on the port, so creating the database fails), twice.
    assert.doesNotMatch(error.message, /did not accept connections within/);
    assert.match(error.message, /attempt 1 \(port \d+\): .*ECONNREFUSED/);
  });

  it('starts the real PostgreSQL, serves a wekeza database, and stop() removes a throwaway cluster', async () => {
    const dataDir = openDir(TEST_PG_PREFIX);
    fs.chmodSync(dataDir, 0o755);
    const handle = await startEmbeddedPostgres({ dataDir, persistent: false });
    let stopped = false;
    try {
      const client = new pg.Client({ connectionString: handle.url, connectionTimeoutMillis: 10_000 });
      await client.connect();
      const { rows } = await client.query<{ db: string; encoding: string }>(
        'select current_database() as db, pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()',
      );
      await client.end();
      assert.deepEqual(rows, [{ db: 'wekeza', encoding: 'UTF8' }]);
      assert.ok(fs.existsSync(path.join(handle.dataDir, 'PG_VERSION')));
      await handle.stop();
      stopped = true;
      assert.equal(fs.existsSync(handle.dataDir), false);
    } finally {
      if (!stopped) await handle.stop();
    }
  });
});

describe('a cluster outlives no process', { timeout: 90_000 }, () => {
  it('shuts down when the process that started it is killed with SIGKILL', async () => {
    const dataDir = openDir(TEST_PG_PREFIX);
    fs.chmodSync(dataDir, 0o755);
    const code = `
      import { startEmbeddedPostgres } from ${JSON.stringify(new URL('./embedded-postgres.ts', import.meta.url).href)};
      const handle = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: false });
      console.log(handle.dataDir);
      setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const clusterDir = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the owner process did not start PostgreSQL within 60 s')), 60_000);
      owner.stdout.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(chunk.toString('utf8').trim());
      });
      owner.once('exit', (exitCode) => reject(new Error(`the owner process exited (${exitCode})`)));
    });
    const serverPid = Number.parseInt(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8'), 10);
    assert.ok(alive(serverPid));
    owner.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while (alive(serverPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(alive(serverPid), false, `PostgreSQL ${serverPid} still runs after its owner was killed`);
  });
});

describe('leftovers of killed test runs', () => {
  it('removes old throwaway clusters whose server is gone, and nothing else', () => {
    const now = Date.now();
    const make = (ageMs: number, pid?: number) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), TEST_PG_PREFIX));
      scratch.push(dir);
      if (pid !== undefined) {
        fs.mkdirSync(path.join(dir, 'postgres'));
        fs.writeFileSync(path.join(dir, 'postgres', 'postmaster.pid'), `${pid}\n/some/dir\n`);
      }
      const when = new Date(now - ageMs);
      fs.utimesSync(dir, when, when);
      return dir;
    };
    const stale = make(3 * 3_600_000);
    const staleWithDeadServer = make(3 * 3_600_000, 2 ** 22 + 12_345);
    const recent = make(60_000);
    const running = make(3 * 3_600_000, process.pid);
    const removed = removeStaleTestClusters(now, 3_600_000);
    assert.ok(removed.includes(stale) && removed.includes(staleWithDeadServer), removed.join(', '));
    assert.ok(fs.existsSync(recent), 'a recent folder may belong to a run in progress');
    assert.ok(fs.existsSync(running), 'a folder whose server runs is in use');
  });
});
