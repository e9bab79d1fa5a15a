/**
 * The baseline of `npm run bench:sync`: a plain PostgreSQL → SQLite copy of the rows a bank-wide
 * workstation's first sync carries (shared/src/sync.ts SYNC_SCOPE: open cases with their links,
 * assessments, payments, customers, comments and attachment details; users, settings, queues),
 * with no sync logic — one server-side cursor per table, 10,000 rows a fetch, each fetch inserted
 * with one prepared better-sqlite3 statement in one transaction. The target is a fresh file with
 * the workstation's schema and pragmas (the service's migrations), so both sides pay for the same
 * indexes.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';

// The migrations seed queues and settings into the fresh file: the hub's rows replace them.
/** Open cases of every tenant (a bank-wide viewer with nothing assigned sees exactly these). */
const SCOPE = 'select id, customer_ref from cases where deleted_at is null and is_open';
const LINKS = `select l.* from case_assessments l where l.case_id in (select id from (${SCOPE}) s)`;
const ASSESSMENT_IDS = `select assessment_id from (${LINKS}) l`;

/** Each table of the first sync and the select that reads its rows in scope (parents first). */
export const BASELINE_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['users', 'select * from users'],
  ['settings', 'select * from settings'],
  ['case_queues', 'select * from case_queues'],
  ['customers', `select * from customers where customer_ref in (select customer_ref from (${SCOPE}) s)`],
  ['payments', `select * from payments where id in (select payment_id from fraud_risk_assessments where id in (${ASSESSMENT_IDS}))`],
  ['fraud_risk_assessments', `select * from fraud_risk_assessments where id in (${ASSESSMENT_IDS})`],
  ['cases', 'select * from cases where deleted_at is null and is_open'],
  ['case_assessments', LINKS],
  ['case_comments', `select * from case_comments where case_id in (select id from (${SCOPE}) s)`],
  ['case_attachments', `select * from case_attachments where case_id in (select id from (${SCOPE}) s)`],
  // The case history (timeline) travels with its case.
  [
    'audit_log',
    `select * from audit_log where (entity_type = 'case' and entity_id in (select id::text from (${SCOPE}) s))
       or (entity_type = 'assessment' and entity_id in (select assessment_id::text from (${ASSESSMENT_IDS}) a))`,
  ],
];

/** SQLite storage form: the conversions any copy between the two must make. */
function storable(value: unknown): string | number | bigint | Buffer | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

export interface BaselineResult {
  rows: number;
  seconds: number;
  byTable: Record<string, number>;
}

/** Copies the rows in scope from `pgUrl` into a new SQLite file `file`; the schema is made first and not timed. */
export async function plainCopy(pgUrl: string, file: string): Promise<BaselineResult> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const schema = await openDatabase({ kind: 'sqlite', file, foreignKeys: false });
  await schema.close();
  const sqlite = new SqliteDatabase(file);
  // As db/database.ts opens a workstation's cache.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 2000');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const byTable: Record<string, number> = {};
  let rows = 0;
  const t0 = performance.now();
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const [table, select] of BASELINE_TABLES) {
      await client.query(`declare copy_${table} no scroll cursor for ${select}`);
      let insert: SqliteDatabase.Statement | null = null;
      let columns: string[] = [];
      byTable[table] = 0;
      for (;;) {
        const fetched = await client.query(`fetch 10000 from copy_${table}`);
        if (fetched.rows.length === 0) break;
        if (!insert) {
          columns = fetched.fields.map((f) => f.name);
          insert = sqlite.prepare(`insert or replace into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        }
        const statement = insert;
        sqlite.transaction((batch: Array<Record<string, unknown>>) => {
          for (const row of batch) statement.run(columns.map((c) => storable(row[c])));
        })(fetched.rows);
        byTable[table] += fetched.rows.length;
        rows += fetched.rows.length;
      }
      await client.query(`close copy_${table}`);
    }
    await client.query('commit');
  } finally {
    await client.end();
    sqlite.close();
  }
  return { rows, seconds: (performance.now() - t0) / 1000, byTable };
}
