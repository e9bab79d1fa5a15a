/**
 * npm run bench:sync — issue 12 "Proof", last bullet:
 *
 * 1. The first sync of a NEW workstation (SQLite, encrypted as the CLI keeps it) from a hub on
 *    PostgreSQL holding BENCH_CASES (default 100,000) open cases with their customers, payments,
 *    assessments and case links: total seconds and rows/s, and the ratio to a plain
 *    PostgreSQL → SQLite copy of the same rows measured in the same run (sync-baseline.ts; the
 *    aim is a ratio of at least 0.5).
 * 2. A change at the hub (a comment through the hub's HTTP API) → the hub's `sync.changed`
 *    socket.io event, and → `sync.applied` on the workstation's local socket (what the renderer
 *    listens to) once the workstation pulled and applied it: p50/p95/p99 over BENCH_CHANGES
 *    (default 200) changes; the aim is p99 ≤ 100 ms on loopback. The baseline is the comment
 *    request's own round trip.
 *
 * Hub and workstation run as separate CLI processes. The hub's data is seeded through commands
 * (sync-seed.ts) into a PostgreSQL database named after its size and reused when complete (the
 * hub's data folder, with the master key that seals its secrets, is kept in .data/bench-sync/).
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else an embedded server kept in
 * .data/bench-sync-pg. Figures are printed; nothing here asserts a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import EncryptedSqliteDatabase from 'better-sqlite3-multiple-ciphers';
import type { SyncStatus } from '../../shared/src/sync.ts';
import { SecretBox } from '../src/auth/secret-box.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/db/embedded-postgres.ts';
import { BASELINE_TABLES, plainCopy, type BaselineResult } from './sync-baseline.ts';
import { ADMIN_PASSWORD, seedHubDatabase } from './sync-seed.ts';
import { printProfile, profileSnapshot } from './sync-profile.ts';
import { api, ensureHubUser, initialSyncDone, login, spawnService, stats, syncStatus, type ServiceProcess } from './sync-procs.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const USER = 'bench.compliance';
const PASSWORD = 'Bench-Compliance-Password-2026';
const EVENT_TIMEOUT_MS = 5_000;
/** The first sync is given up when its progress stands still this long (a hub refusing every page). */
const STALL_MS = 120_000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-bench-sync-'));
const logs = path.join(work, 'logs');
fs.mkdirSync(logs);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function postgresServer(): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  const fromEnv = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (fromEnv) return { url: fromEnv, embedded: null };
  // Persistent, so the seeded database outlives this run.
  const embedded = await startEmbeddedPostgres({ dataDir: path.resolve('.data/bench-sync-pg'), persistent: true });
  return { url: embedded.url, embedded };
}

/** Rows per table in the workstation's encrypted cache (read beside the running workstation: WAL). */
function cacheCounts(dataDir: string): Record<string, number> {
  const key = SecretBox.fromEnvironmentOrFile(dataDir).deriveKey('workstation-cache');
  const db = new EncryptedSqliteDatabase(path.join(dataDir, 'workstation.sqlite'), { readonly: true });
  try {
    db.pragma("cipher = 'chacha20'");
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    // The cache's audit_log also holds the workstation's own entries (its sign-in): count case history only.
    const where = (table: string) => (table === 'audit_log' ? " where entity_type in ('case', 'assessment')" : '');
    return Object.fromEntries(
      BASELINE_TABLES.map(([table]) => [table, (db.prepare(`select count(*) as n from ${table}${where(table)}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

async function initialSync(hub: ServiceProcess): Promise<{
  ws: ServiceProcess;
  dataDir: string;
  token: string;
  seconds: number;
  last: SyncStatus;
  phases: { signInSeconds: number; firstPageSeconds: number };
}> {
  const dataDir = path.join(work, 'workstation');
  const ws = await spawnService(['--mode', 'workstation', '--hub-url', hub.url, '--data-dir', dataDir, '--port', '0'], {}, path.join(logs, 'workstation.log'));
  const t0 = performance.now();
  // Signing in online makes this user the cache owner: the first sync of their scope starts.
  const session = await login(ws.url, USER, PASSWORD);
  const signedIn = performance.now();
  let firstPage: number | null = null;
  let last = await syncStatus(ws.url, session.token);
  let lastPrint = 0;
  let lastError: string | null = null;
  let moved = { at: performance.now(), mark: '' };
  while (!initialSyncDone(last)) {
    await new Promise((r) => setTimeout(r, 100));
    last = await syncStatus(ws.url, session.token);
    if (firstPage === null && (last.initialSync?.rowsDone ?? 0) > 0) firstPage = performance.now();
    const mark = `${last.initialSync?.rowsDone}|${last.lastPulledSeq}|${last.state}`;
    if (mark !== moved.mark) moved = { at: performance.now(), mark };
    else if (performance.now() - moved.at > STALL_MS) throw new Error(`the first sync made no progress for ${STALL_MS / 1000} s: ${JSON.stringify(last)}`);
    if (process.env.BENCH_TRACE) {
      const { state, initialSync: p, lastPulledSeq, hubSeq, online } = last;
      process.stderr.write(`\n  ${((performance.now() - t0) / 1000).toFixed(2)} s ${JSON.stringify({ state, online, p, lastPulledSeq, hubSeq })}`);
    }
    if (last.lastError && last.lastError !== lastError) process.stderr.write(`\n  workstation: ${last.lastError}\n`);
    lastError = last.lastError;
    if (performance.now() - lastPrint > 1_000 && last.initialSync) {
      lastPrint = performance.now();
      const p = last.initialSync;
      process.stderr.write(`\r  first sync: ${fmt(p.casesDone)}/${fmt(p.casesTotal)} cases, ${fmt(p.rowsDone)} rows, ${p.secondsLeft ?? '?'} s left   `);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  const phases = { signInSeconds: (signedIn - t0) / 1000, firstPageSeconds: ((firstPage ?? signedIn) - signedIn) / 1000 };
  return { ws, dataDir, token: session.token, seconds, last, phases };
}

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const timer = setTimeout(() => reject(new Error(`no socket.io connection to ${url}`)), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The next event `name` whose payload passes `accept`, as performance.now(); null after the timeout. */
function nextEvent(socket: Socket, name: string, accept: (payload: unknown) => boolean): { at: Promise<number | null>; cancel(): void } {
  let cancel = () => {};
  const at = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => done(null), EVENT_TIMEOUT_MS);
    const handler = (payload: unknown) => {
      if (accept(payload)) done(performance.now());
    };
    const done = (value: number | null) => {
      clearTimeout(timer);
      socket.off(name, handler);
      resolve(value);
    };
    cancel = () => done(null);
    socket.on(name, handler);
  });
  return { at, cancel };
}

async function latency(hub: ServiceProcess, ws: ServiceProcess, wsToken: string) {
  const hubSession = await login(hub.url, USER, PASSWORD);
  const cases = await api<{ items: Array<{ id: string }> }>(hub.url, 'GET', `/api/v1/cases?pageSize=${Math.min(CHANGES, 200)}`, { token: hubSession.token });
  if (cases.status !== 200 || cases.body.items.length === 0) throw new Error(`no cases to comment on: ${cases.status}`);
  const hubSocket = await connect(hub.url, hubSession.token);
  const wsSocket = await connect(ws.url, wsToken);
  const post: number[] = [];
  const changed: number[] = [];
  const applied: number[] = [];
  /** From the hub's announcement to the workstation's event: the pull, the apply and the local emit. */
  const pulled: number[] = [];
  let missed = 0;
  try {
    for (let i = 0; i < CHANGES; i++) {
      const caseId = cases.body.items[i % cases.body.items.length]!.id;
      const hubEvent = nextEvent(hubSocket, 'sync.changed', () => true);
      const wsEvent = nextEvent(wsSocket, 'sync.applied', (p) => (p as { tables?: string[] }).tables?.includes('case_comments') === true);
      const t0 = performance.now();
      const res = await api(hub.url, 'POST', `/api/v1/cases/${caseId}/comments`, { token: hubSession.token, body: { body: `bench:sync latency probe ${i}` } });
      post.push(performance.now() - t0);
      if (res.status >= 300) throw new Error(`comment: ${res.status} ${JSON.stringify(res.body)}`);
      const [hubAt, wsAt] = await Promise.all([hubEvent.at, wsEvent.at]);
      if (hubAt === null || wsAt === null) missed++;
      if (hubAt !== null) changed.push(hubAt - t0);
      if (wsAt !== null) applied.push(wsAt - t0);
      if (hubAt !== null && wsAt !== null) pulled.push(wsAt - hubAt);
      // Changes arrive apart, as people make them (not folded into one pull).
      await new Promise((r) => setTimeout(r, 10 + (i % 7) * 3));
    }
  } finally {
    hubSocket.disconnect();
    wsSocket.disconnect();
  }
  return { post: stats(post), changed: stats(changed), applied: stats(applied), pulled: stats(pulled), missed };
}

function printBaseline(label: string, b: BaselineResult): void {
  console.log(`${label.padEnd(44)} ${fmt(b.rows).padStart(9)} rows in ${b.seconds.toFixed(1).padStart(6)} s = ${fmt(b.rows / b.seconds).padStart(7)} rows/s`);
}

const { url: adminUrl, embedded } = await postgresServer();
console.log(`\n== bench:sync: ${fmt(CASES)} open cases at the hub (BENCH_CASES), ${CHANGES} changes for latency (BENCH_CHANGES) ==`);
const hubDir = path.resolve(`.data/bench-sync/hub-${CASES}`);
const seeded = await seedHubDatabase(adminUrl, CASES, hubDir);
console.log(
  seeded.reused
    ? `hub data: REUSED database ${new URL(seeded.url).pathname.slice(1)} (seeded through commands by an earlier run; drop it to re-seed)`
    : seeded.resumed
      ? `hub data: an interrupted seeding through commands was finished in ${seeded.seedSeconds.toFixed(1)} s`
      : `hub data: seeded through commands (customer.upsert, assessment.record) in ${seeded.seedSeconds.toFixed(1)} s = ${fmt(CASES / seeded.seedSeconds)} cases/s`,
);

const hub = await spawnService(
  ['--mode', 'hub', '--database-url', seeded.url, '--data-dir', hubDir, '--port', '0'],
  { WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD },
  path.join(logs, 'hub.log'),
);
/** Processes to stop at the end, besides the hub. */
const stops: Array<() => Promise<void>> = [];
try {
  await ensureHubUser(hub.url, ADMIN_PASSWORD, USER, PASSWORD);
  // The baseline before and after the sync: the faster of the two is the one compared against.
  const before = await plainCopy(seeded.url, path.join(work, 'copy-1.sqlite'));
  printBaseline('baseline: plain PostgreSQL → SQLite copy', before);
  const synced = await initialSync(hub);
  stops.push(synced.ws.stop);
  const after = await plainCopy(seeded.url, path.join(work, 'copy-2.sqlite'));
  printBaseline('baseline: plain copy, again', after);
  const baseline = before.seconds <= after.seconds ? before : after;
  const counts = cacheCounts(synced.dataDir);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  // Checked against the copy taken after the sync (the hub writes its id row on the first sync.info).
  const differs = Object.keys(after.byTable).filter((t) => counts[t] !== after.byTable[t]);
  const syncRate = rows / synced.seconds;
  const baseRate = baseline.rows / baseline.seconds;
  console.log(
    `${'first sync: hub (PG) → new workstation (SQLite)'.padEnd(44)} ${fmt(rows).padStart(9)} rows in ${synced.seconds.toFixed(1).padStart(6)} s = ${fmt(syncRate).padStart(7)} rows/s`,
  );
  console.log(
    `  of which: sign-in at the hub through the workstation ${synced.phases.signInSeconds.toFixed(1)} s, then ${synced.phases.firstPageSeconds.toFixed(1)} s until the first page was committed (polled every 100 ms)`,
  );
  console.log(
    `  cache per table: ${Object.entries(counts)
      .map(([t, n]) => `${t} ${fmt(n)}`)
      .join(', ')}`,
  );
  console.log(
    differs.length === 0
      ? '  the cache holds exactly the rows the plain copy copied'
      : `  DIFFERS from the plain copy in: ${differs.map((t) => `${t} ${counts[t]} vs ${after.byTable[t]}`).join(', ')}`,
  );
  const ratio = syncRate / baseRate;
  console.log(`  ratio sync/baseline (rows/s): ${ratio.toFixed(2)} (aim ≥ 0.5: ${ratio >= 0.5 ? 'meets' : 'MISSES'})`);

  if (process.env.BENCH_PROFILE) {
    const hubSession = await login(hub.url, USER, PASSWORD);
    printProfile(await profileSnapshot(hub.url, hubSession.token, work), synced.seconds);
  }

  console.log(`\n== hub change → socket events, ${CHANGES} comments made through the hub's HTTP API ==`);
  const lat = await latency(hub, synced.ws, synced.token);
  const line = (label: string, s: ReturnType<typeof stats>) =>
    `${label.padEnd(52)} n ${String(s.n).padStart(4)}  p50 ${s.p50.toFixed(1).padStart(6)} ms  p95 ${s.p95.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms  max ${s.max.toFixed(1).padStart(6)} ms`;
  console.log(line('baseline: the comment request itself (HTTP round trip)', lat.post));
  console.log(line('hub socket `sync.changed` (after the request began)', lat.changed));
  console.log(line('workstation socket `sync.applied` (pulled + applied)', lat.applied));
  console.log(line('  of which after the hub announced it', lat.pulled));
  if (lat.missed > 0) console.log(`  ${lat.missed} change(s) without an event within ${EVENT_TIMEOUT_MS} ms`);

  console.log('\n== summary ==');
  const rowsOut: Array<[string, string, string]> = [
    ['hub data', seeded.reused ? 'reused' : `seeded in ${seeded.seedSeconds.toFixed(0)} s`, `${fmt(CASES)} cases`],
    ['first sync', `${synced.seconds.toFixed(1)} s, ${fmt(syncRate)} rows/s`, `${fmt(rows)} rows`],
    ['plain PG → SQLite copy', `${baseline.seconds.toFixed(1)} s, ${fmt(baseRate)} rows/s`, `${fmt(baseline.rows)} rows`],
    ['ratio sync/copy', ratio.toFixed(2), ratio >= 0.5 ? 'meets ≥ 0.5' : 'MISSES ≥ 0.5'],
    ['hub → hub sync.changed', `p50 ${lat.changed.p50.toFixed(1)} / p99 ${lat.changed.p99.toFixed(1)} ms`, `n ${lat.changed.n}`],
    [
      'hub → workstation sync.applied',
      `p50 ${lat.applied.p50.toFixed(1)} / p95 ${lat.applied.p95.toFixed(1)} / p99 ${lat.applied.p99.toFixed(1)} ms`,
      `n ${lat.applied.n}, ${lat.applied.p99 <= 100 && lat.missed === 0 ? 'meets' : 'MISSES'} p99 ≤ 100 ms`,
    ],
  ];
  for (const [a, b, c] of rowsOut) console.log(`${a.padEnd(32)} ${b.padEnd(40)} ${c}`);
} finally {
  for (const stop of stops) await stop();
  await hub.stop();
  await embedded?.stop();
  if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`(kept ${work})`);
}
