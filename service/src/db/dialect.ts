import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DatabaseDialect } from './database.ts';

/**
 * Every difference between SQLite and PostgreSQL that a feature needs, in one place
 * (ARCHITECTURE.md rule 4). Features call these instead of branching on the dialect or writing
 * their own SQL for each database. (Migrations have their own column-type helper.)
 */

/**
 * A row read to be changed in the same transaction: FOR UPDATE on PostgreSQL (several hubs write
 * at once). SQLite has a single writer, so a write transaction already excludes the others.
 */
export function lockForUpdate<Q extends { forUpdate(): Q }>(dialect: DatabaseDialect, query: Q): Q {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/** Skim & lock: rows another transaction holds are skipped (PostgreSQL); SQLite has one writer. */
export function lockForUpdateSkipLocked<Q extends { forUpdate(): Q; skipLocked(): Q }>(dialect: DatabaseDialect, query: Q): Q {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Serialises transactions that work on the same keys (e.g. two hubs resolving one person) with
 * transaction-scoped advisory locks on PostgreSQL, taken in sorted order so they cannot deadlock.
 * SQLite's single writer already serialises them.
 */
export async function lockKeys<DB>(dialect: DatabaseDialect, trx: Kysely<DB>, keys: readonly string[]): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const key of [...new Set(keys)].sort()) await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/** A JSON array column holds the string `value` (a GIN-indexed jsonb containment on PostgreSQL). */
export function jsonArrayContains(dialect: DatabaseDialect, column: string, value: string): RawBuilder<boolean> {
  if (dialect === 'postgres') return sql<boolean>`${sql.ref(column)} @> ${JSON.stringify([value])}::jsonb`;
  // SQLite keeps the array as JSON text: look for the quoted value.
  return sql<boolean>`${sql.ref(column)} like ${`%${likeEscape(JSON.stringify(value))}%`} escape '\\'`;
}

/** Seconds from `earlier` to `later`; each is a column name or an ISO instant. */
export function secondsBetween(dialect: DatabaseDialect, later: TimeOperand, earlier: TimeOperand): RawBuilder<number> {
  const a = timeOperand(dialect, later);
  const b = timeOperand(dialect, earlier);
  return dialect === 'postgres' ? sql<number>`extract(epoch from (${a} - ${b}))` : sql<number>`(julianday(${a}) - julianday(${b})) * 86400`;
}

/** The UTC hour of a timestamp column as "YYYY-MM-DDTHH", for hourly buckets. */
export function utcHour(dialect: DatabaseDialect, column: string): RawBuilder<string> {
  // SQLite stores ISO strings in UTC: the first 13 characters are the hour.
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`
    : sql<string>`substr(${sql.ref(column)}, 1, 13)`;
}

/**
 * How many write transactions may be in flight at once: SQLite has one writer and blocks while it
 * writes; PostgreSQL transactions wait on the network, so a few overlap.
 */
export function writerConcurrency(dialect: DatabaseDialect): number {
  return dialect === 'postgres' ? 4 : 1;
}

export type TimeOperand = { column: string } | { instant: string };

function timeOperand(dialect: DatabaseDialect, operand: TimeOperand): RawBuilder<unknown> {
  if ('column' in operand) return sql`${sql.ref(operand.column)}`;
  return dialect === 'postgres' ? sql`${operand.instant}::timestamptz` : sql`${operand.instant}`;
}

/** Escapes LIKE wildcards (with `escape '\'`). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
