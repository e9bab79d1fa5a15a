/**
 * Where the first sync's time goes (BENCH_PROFILE=1 in `npm run bench:sync`): the same snapshot
 * pages the workstation pulls, read from the hub's HTTP API by this process, with each step timed
 * on its own — the hub's answer (its queries, encoding and JSON), the bytes on the wire, parsing,
 * and writing the page into a fresh workstation cache with the sync's own upsertRows (one
 * transaction a page, as pull.ts commits them), into an encrypted and a plain SQLite file.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SyncSnapshotPage } from '../../shared/src/sync.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { upsertRows } from '../src/sync/rows.ts';

export interface SyncProfile {
  pages: number;
  rows: number;
  hubMs: number;
  bytes: number;
  parseMs: number;
  validateMs: number;
  upsertEncryptedMs: number;
  upsertPlainMs: number;
}

export async function profileSnapshot(hubUrl: string, token: string, dir: string, pageSize = 1000): Promise<SyncProfile> {
  const encrypted = await openDatabase({
    kind: 'sqlite',
    file: path.join(dir, 'profile-encrypted.sqlite'),
    encryptionKey: randomBytes(32),
    foreignKeys: false,
  });
  const plain = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'profile-plain.sqlite'), foreignKeys: false });
  const p: SyncProfile = { pages: 0, rows: 0, hubMs: 0, bytes: 0, parseMs: 0, validateMs: 0, upsertEncryptedMs: 0, upsertPlainMs: 0 };
  const write = async (db: Db, page: SyncSnapshotPage) => {
    const t0 = performance.now();
    await db.kysely.transaction().execute((trx) => upsertRows(trx, page.rows));
    return performance.now() - t0;
  };
  try {
    let after = '';
    for (;;) {
      const t0 = performance.now();
      const res = await getOnce(`${hubUrl}/api/v1/sync/snapshot?afterCaseId=${encodeURIComponent(after)}&limit=${pageSize}`, token);
      const text = await res.text();
      p.hubMs += performance.now() - t0;
      if (res.status !== 200) throw new Error(`sync.snapshot: ${res.status} ${text.slice(0, 300)}`);
      p.bytes += Buffer.byteLength(text);
      const t1 = performance.now();
      const raw: unknown = JSON.parse(text);
      const t2 = performance.now();
      const page = SyncSnapshotPage.parse(raw);
      p.validateMs += performance.now() - t2;
      p.parseMs += t2 - t1;
      p.upsertEncryptedMs += await write(encrypted, page);
      p.upsertPlainMs += await write(plain, page);
      p.pages += 1;
      p.rows += page.rows.reduce((n, t) => n + t.rows.length, 0);
      if (!page.hasMore || page.lastCaseId === null) break;
      after = page.lastCaseId;
    }
  } finally {
    await encrypted.close();
    await plain.close();
  }
  return p;
}

/** A kept-alive connection the hub closed while this process was writing the previous page is tried once more. */
async function getOnce(url: string, token: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return fetch(url, { headers: { authorization: `Bearer ${token}`, connection: 'close' } });
  }
}

export function printProfile(p: SyncProfile, syncSeconds: number): void {
  const line = (label: string, ms: number, extra = '') =>
    console.log(
      `  ${label.padEnd(50)} ${(ms / 1000).toFixed(1).padStart(6)} s  ${((ms / 1000 / syncSeconds) * 100).toFixed(0).padStart(4)}% of the sync${extra}`,
    );
  console.log(`\n== where the first sync's time goes: ${p.pages} snapshot pages, ${p.rows.toLocaleString('en-GB')} rows, read again step by step ==`);
  line(
    'hub: sync.snapshot answer (queries + encode + send)',
    p.hubMs,
    `  (${(p.hubMs / p.pages).toFixed(0)} ms a page, ${(p.bytes / 1e6).toFixed(1)} MB JSON, ${(p.bytes / p.rows).toFixed(0)} B a row)`,
  );
  line('workstation: JSON.parse', p.parseMs);
  line('workstation: zod check of the page (SyncSnapshotPage)', p.validateMs);
  line('workstation: upsertRows into an encrypted cache', p.upsertEncryptedMs, `  (${(p.upsertEncryptedMs / p.pages).toFixed(0)} ms a page)`);
  line('(for comparison: upsertRows into a plain SQLite file)', p.upsertPlainMs);
}
