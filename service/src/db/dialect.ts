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

// --- Nairobi bank time and rule hits (issue 15 dashboards) -------------------------------------
// Kenya keeps UTC+3 all year (no daylight saving), so a fixed offset is exact on both databases.

/** The Nairobi bank day of a timestamp column, as YYYY-MM-DD. */
export function nairobiDay(dialect: DatabaseDialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC' + interval '3 hours', 'YYYY-MM-DD')`
    : sql<string>`date(${sql.ref(column)}, '+3 hours')`;
}

/** The Nairobi hour (0–23) of a timestamp column. */
export function nairobiHour(dialect: DatabaseDialect, column: string): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`cast(extract(hour from ${sql.ref(column)} at time zone 'UTC' + interval '3 hours') as integer)`
    : sql<number>`cast(strftime('%H', ${sql.ref(column)}, '+3 hours') as integer)`;
}

/** The ISO weekday in Nairobi (1 = Monday … 7 = Sunday) of a timestamp column. */
export function nairobiWeekday(dialect: DatabaseDialect, column: string): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`cast(extract(isodow from ${sql.ref(column)} at time zone 'UTC' + interval '3 hours') as integer)`
    : sql<number>`((cast(strftime('%w', ${sql.ref(column)}, '+3 hours') as integer) + 6) % 7 + 1)`;
}

/** A risk-factors JSON array column holds a factor of rule `ruleId` with outcome HIT. */
export function ruleHit(dialect: DatabaseDialect, column: string, ruleId: string): RawBuilder<boolean> {
  const elements =
    dialect === 'postgres'
      ? sql`jsonb_array_elements(coalesce(${sql.ref(column)}, '[]'::jsonb)) as f(value)`
      : sql`json_each(coalesce(${sql.ref(column)}, '[]')) as f`;
  return sql<boolean>`exists (select 1 from ${elements} where ${riskFactorField(dialect, 'f', 'ruleId')} = ${ruleId} and ${riskFactorField(dialect, 'f', 'outcome')} = 'HIT')`;
}

/** Where each field sits in a stored risk factor tuple (service/src/assessments/risk-factor-codec.ts). */
const RISK_FACTOR_INDEX = { ruleId: 0, name: 1, outcome: 3 } as const;

/**
 * One field of a stored risk factor (an element `alias.value` of risk_factors): scoring stores
 * tuples `[ruleId, name, family, outcome, …]` (risk-factor-codec.ts); rows from before that hold
 * objects. Reading the tuple position falls back to the object key.
 */
export function riskFactorField(dialect: DatabaseDialect, alias: string, field: keyof typeof RISK_FACTOR_INDEX): RawBuilder<string | null> {
  const index = RISK_FACTOR_INDEX[field];
  const value = sql.ref(`${alias}.value`);
  return dialect === 'postgres'
    ? sql<string | null>`coalesce(${value}->>${sql.lit(index)}, ${value}->>${field})`
    : sql<string | null>`coalesce(json_extract(${value}, ${`$[${index}]`}), json_extract(${value}, ${`$.${field}`}))`;
}

/**
 * A join of the elements of a JSON array column, one row each as `alias.value` (read its fields
 * with `riskFactorField`); written after the table that holds the column.
 */
export function jsonElements(dialect: DatabaseDialect, column: string, alias: string): RawBuilder<unknown> {
  if (dialect === 'postgres') return sql`cross join lateral jsonb_array_elements(coalesce(${sql.ref(column)}, '[]'::jsonb)) as ${sql.id(alias)}(value)`;
  // SQLite's table-valued json_each may read a column of a table joined before it.
  return sql`cross join json_each(coalesce(${sql.ref(column)}, '[]')) as ${sql.id(alias)}`;
}

/** A UUID key column as text, to match a text column holding ids (e.g. audit_log.entity_id); SQLite keeps UUIDs as text already. */
export function idAsText(dialect: DatabaseDialect, column: string): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`cast(${sql.ref(column)} as text)` : sql<string>`${sql.ref(column)}`;
}
