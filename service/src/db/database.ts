import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrator.ts';

export type DatabaseDialect = 'sqlite' | 'postgres';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Db {
  kysely: Kysely<Database>;
  dialect: DatabaseDialect;
  /** A human-readable description for logs, without credentials. */
  describe: string;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  const db = target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url);
  await migrateToLatest(db);
  return db;
}

function openSqlite(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // Larger pages for a new database: an assessment with its per-rule log fits in one page, and
  // a commit writes a quarter of the pages (each page is a write to the WAL).
  sqlite.pragma('page_size = 16384');
  // WAL lets readers run beside the single writer; NORMAL sync is durable across app crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MB of page cache and memory-mapped reads: index pages stay in memory under load.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  // Checkpoint the WAL every ~32 MB (2,000 pages of 16 KB) instead of every 4 MB: under sustained writes each checkpoint
  // (and its fsync) stalls the single writer, so fewer, larger ones cost less in total.
  sqlite.pragma('wal_autocheckpoint = 2000');
  sqlite.pragma('journal_size_limit = 67108864');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    kysely,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely prepares every query afresh; SQLite compiles each statement, which for the wide
 * multi-row inserts of a group commit costs more than running them. Statements are kept by SQL
 * text (the same batch size gives the same text) in a small LRU. Safe because this connection
 * is used by one caller at a time and no query is streamed.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, limit = 200) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh its place in the LRU order.
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'wekeza-risk-workstation' });
  // An idle connection the server ends (a restart, a failover, an administrator) is an 'error'
  // event on the pool; unhandled, it would crash the process. The pool drops that connection and
  // opens a new one on the next query, so there is nothing more to do than note it.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, { code: 'WEKEZA_PG_IDLE_ERROR' });
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    kysely,
    dialect: 'postgres',
    describe: `postgres://${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => kysely.destroy(),
  };
}

/** Normalisers used by the row mappers (see schema.ts for why they exist). */
export function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
export function toIsoOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIso(value);
}
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
export function fromJsonOrNull<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : fromJson<T>(value);
}
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
/** A boolean as the database stores it: boolean on PostgreSQL, 0/1 on SQLite. */
export function dbBool(dialect: DatabaseDialect, value: boolean): boolean | number {
  return dialect === 'postgres' ? value : Number(value);
}
export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}
export function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}
export function toNumberOrNull(value: number | string | null): number | null {
  return value === null ? null : toNumber(value);
}

/** True for a unique-constraint violation on either database (SQLite or PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
