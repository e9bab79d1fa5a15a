import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import EncryptedSqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrator.ts';

export type DatabaseDialect = 'sqlite' | 'postgres';

export type DatabaseTarget =
  | {
      kind: 'sqlite';
      file: string;
      /**
       * Encrypts the whole file (SQLCipher via better-sqlite3-multiple-ciphers): a workstation's
       * cache holds customer data on a laptop. The key comes from the master key (SecretBox.deriveKey).
       */
      encryptionKey?: Buffer;
      /** A workstation's cache is a partial copy of the hub: its rows need not have their parents. */
      foreignKeys?: boolean;
    }
  | { kind: 'postgres'; url: string };

export interface Db {
  kysely: Kysely<Database>;
  dialect: DatabaseDialect;
  /** A human-readable description for logs, without credentials. */
  describe: string;
  close(): Promise<void>;
}

/**
 * How long the service waits on PostgreSQL. A restarting or frozen database must turn requests
 * into a quick 503 (see isDatabaseUnavailable), never into requests that wait for ever.
 * - connectMs: a new connection (or a free one from the pool) must be had within this.
 * - statementMs: the server cancels a statement running longer (statement_timeout).
 * - queryMs: the client gives up on an answer after this, for a server that does not answer at
 *   all (frozen, or a network that drops packets); a little above statementMs so a live server's
 *   own cancel arrives first.
 */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
}
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, statementMs: 15_000, queryMs: 17_000 };

/** WEKEZA_DB_CONNECT_TIMEOUT_MS and WEKEZA_DB_STATEMENT_TIMEOUT_MS (milliseconds), when set. */
export function databaseTimeoutsFromEnv(env: NodeJS.ProcessEnv): Partial<DatabaseTimeouts> {
  const read = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name} must be a positive number of milliseconds, not "${value}"`);
    return ms;
  };
  const connectMs = read('WEKEZA_DB_CONNECT_TIMEOUT_MS');
  const statementMs = read('WEKEZA_DB_STATEMENT_TIMEOUT_MS');
  return { ...(connectMs ? { connectMs } : {}), ...(statementMs ? { statementMs, queryMs: statementMs + 2_000 } : {}) };
}

export async function openDatabase(target: DatabaseTarget, options: { timeouts?: Partial<DatabaseTimeouts> } = {}): Promise<Db> {
  if (target.kind === 'sqlite') {
    const db = openSqlite(target.file, target.encryptionKey, target.foreignKeys ?? true);
    await migrateToLatest(db);
    return db;
  }
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  // A migration (an index over a large table) may rightly run longer than any request's statement:
  // it gets a connection of its own without the statement timeouts.
  const migrating = openPostgres(target.url, { ...timeouts, statementMs: 0, queryMs: 0 });
  try {
    await migrateToLatest(migrating);
  } finally {
    await migrating.close();
  }
  return openPostgres(target.url, timeouts);
}

function openSqlite(file: string, encryptionKey: Buffer | undefined, foreignKeys: boolean): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = encryptionKey ? openEncryptedSqlite(file, encryptionKey) : new SqliteDatabase(file);
  // Larger pages for a new database: an assessment with its per-rule log fits in one page, and
  // a commit writes a quarter of the pages (each page is a write to the WAL).
  sqlite.pragma('page_size = 16384');
  // WAL lets readers run beside the single writer; NORMAL sync is durable across app crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
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
 * ChaCha20-Poly1305 (sqleet, the library's default): authenticated encryption of every page, and
 * measured 1.3× faster on writes than SQLCipher's AES-CBC + HMAC-SHA512 here (a first sync is
 * mostly writes). The key is given as raw hex, so no key derivation runs on open. A wrong key fails
 * the first read, which is done here so the caller gets a clear error.
 */
function openEncryptedSqlite(file: string, key: Buffer): SqliteDatabase.Database {
  const sqlite = new EncryptedSqliteDatabase(file) as unknown as SqliteDatabase.Database;
  sqlite.pragma("cipher = 'chacha20'");
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
  try {
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    sqlite.close();
    throw new Error(`${file} cannot be opened with this workstation's key (${error instanceof Error ? error.message : String(error)})`);
  }
  return sqlite;
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

function openPostgres(url: string, timeouts: DatabaseTimeouts): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'wekeza-risk-workstation',
    connectionTimeoutMillis: timeouts.connectMs,
    // 0 = no limit (the migration connection).
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.queryMs > 0 ? { query_timeout: timeouts.queryMs } : {}),
    // A transaction left open by a hub that froze must not hold its locks for ever.
    ...(timeouts.statementMs > 0 ? { idle_in_transaction_session_timeout: Math.max(timeouts.statementMs * 2, 30_000) } : {}),
    // Notice a peer that vanished (a failover, a dropped link) without waiting for the OS default.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection the server ends (a restart, a failover, an administrator) is an 'error'
  // event on the pool; unhandled, it would crash the process. The pool drops that connection and
  // opens a new one on the next query, so there is nothing more to do than note it.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, { code: 'WEKEZA_PG_IDLE_ERROR' });
  });
  // A connection the server ends while a query runs on it (57P01 "terminating connection" at a
  // restart) emits 'error' on the checked-out client too, where the pool does not listen: without
  // this listener that is an uncaught exception and the process exits. The query itself fails
  // with the same error, which the HTTP layer answers with 503 (isDatabaseUnavailable).
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      process.emitWarning(`PostgreSQL connection lost: ${error.message}`, { code: 'WEKEZA_PG_CLIENT_ERROR' });
    });
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingBrokenConnections(pool) }) });
  const parsed = new URL(url);
  return {
    kysely,
    dialect: 'postgres',
    describe: `postgres://${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely gives a connection back to the pool as healthy after a failed query (unless a rollback
 * failed too). After a client-side read timeout the connection still waits for the answer of the
 * query that timed out, so every later query on it would wait behind that one: a connection whose
 * query failed because the database was unreachable is destroyed instead, and the pool opens a
 * fresh one when the database answers again.
 */
function discardingBrokenConnections(pool: pg.Pool): PostgresPool {
  return {
    Client: pg.Client,
    options: pool.options,
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken: unknown = null;
      const query = async (sqlText: string, parameters: ReadonlyArray<unknown>) => {
        // The rollback Kysely sends after a failed query would wait its own timeout behind the
        // lost one: fail it at once with the same error.
        if (broken) throw broken;
        try {
          return await client.query(sqlText, [...parameters]);
        } catch (error) {
          if (isDatabaseUnavailable(error)) broken = error;
          throw error;
        }
      };
      return {
        // Kysely reads it to cancel a query (pg_cancel_backend).
        get processID() {
          return (client as pg.PoolClient & { processID?: number }).processID;
        },
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy === true || broken !== null),
      };
    },
  };
}

/** PostgreSQL SQLSTATE classes and codes that mean "the database is not there right now". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '53400']);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'SQLITE_BUSY',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Connection terminated due to connection timeout',
];

/**
 * True when an error means the database cannot be reached or does not answer in time (a restart,
 * a failover, a frozen server, a statement timeout, SQLite busy beyond its busy_timeout): the
 * request should be retried later (503 + Retry-After), not reported as a fault of ours (500).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const code = 'code' in error ? String((error as { code: unknown }).code) : '';
  if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = 'message' in error ? String((error as { message: unknown }).message) : '';
  if (UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m))) return true;
  // AggregateError: a connect to every address of the database host failed. Causes are not
  // followed: a `fetch failed` to another system (the bank's engine) is not the database.
  return (
    'errors' in error &&
    Array.isArray((error as { errors: unknown }).errors) &&
    (error as { errors: unknown[] }).errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  );
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
