import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { chunks } from '../commands/bus.ts';
import { SYNCED_TABLE_KEYS, SYNCED_TABLES, type SyncedTable, type SyncRow, type SyncTableRows } from '../../../shared/src/sync.ts';

/**
 * Rows travel between hub and workstation in SQLite's storage form (shared/src/sync.ts SyncRow):
 * JSON as text, booleans 0/1, timestamps as ISO strings, numerics as numbers. A PostgreSQL hub
 * encodes by each column's type, read once from information_schema (so a new migration's columns
 * travel without a code change here); a SQLite node's rows are already in that form.
 */

type ColumnKind = 'json' | 'bool' | 'number' | 'timestamp' | 'text';
export type ColumnKinds = Map<string, Map<string, ColumnKind>>;

/** Columns never sent to a workstation, with the value it stores instead. */
const REDACTED: Partial<Record<SyncedTable, Record<string, string | number | null>>> = {
  // Workstations verify passwords with their own offline verifiers (sync/offline-credentials.ts).
  users: { password_hash: '', password_history: '[]' },
  // An app's client secrets never leave the hub (ARCHITECTURE.md rule 6); a workstation serves no OAuth.
  ob_apps: { secret_sealed: '', previous_secret_sealed: null },
};

export async function readColumnKinds(db: Kysely<Database>, dialect: DatabaseDialect): Promise<ColumnKinds> {
  const kinds: ColumnKinds = new Map();
  if (dialect !== 'postgres') return kinds;
  const result = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name in (${sql.join([...SYNCED_TABLES])})`.execute(db);
  for (const { table_name, column_name, data_type } of result.rows) {
    const kind: ColumnKind =
      data_type === 'jsonb' || data_type === 'json'
        ? 'json'
        : data_type === 'boolean'
          ? 'bool'
          : data_type === 'numeric' ||
              data_type === 'bigint' ||
              data_type === 'integer' ||
              data_type === 'double precision' ||
              data_type === 'real' ||
              data_type === 'smallint'
            ? 'number'
            : data_type.startsWith('timestamp')
              ? 'timestamp'
              : 'text';
    if (!kinds.has(table_name)) kinds.set(table_name, new Map());
    kinds.get(table_name)!.set(column_name, kind);
  }
  return kinds;
}

/** One database row in SQLite storage form. */
export function encodeRow(kinds: ColumnKinds, table: SyncedTable, row: Record<string, unknown>): SyncRow {
  const columns = kinds.get(table);
  const out: SyncRow = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = encodeValue(columns?.get(column), value);
  }
  const redacted = REDACTED[table];
  if (redacted) Object.assign(out, redacted);
  return out;
}

function encodeValue(kind: ColumnKind | undefined, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (kind === 'json') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (kind === 'number' && typeof value === 'string') return Number(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  // A JSON column of a SQLite node, or an unexpected object: keep it as JSON text.
  return JSON.stringify(value);
}

/** Groups rows by table, in SYNCED_TABLES order (parents before children). */
export function byTable(rows: ReadonlyArray<{ table: SyncedTable; row: SyncRow }>): SyncTableRows[] {
  const grouped = new Map<SyncedTable, SyncRow[]>();
  for (const { table, row } of rows) {
    if (!grouped.has(table)) grouped.set(table, []);
    grouped.get(table)!.push(row);
  }
  return SYNCED_TABLES.filter((t) => grouped.has(t)).map((table) => ({ table, rows: grouped.get(table)! }));
}

/**
 * Writes rows into a workstation's SQLite cache (insert, or replace the columns of an existing
 * row), in SYNCED_TABLES order. Runs inside the caller's transaction.
 */
export async function upsertRows(trx: Transaction<Database>, tables: readonly SyncTableRows[]): Promise<number> {
  let written = 0;
  const ordered = [...tables].sort((a, b) => SYNCED_TABLES.indexOf(a.table) - SYNCED_TABLES.indexOf(b.table));
  for (const { table, rows } of ordered) {
    if (rows.length === 0) continue;
    // A case's history arrives whole: it replaces what the cache had for those entities (the
    // entries local commands wrote; waiting actions are re-run after the page and write theirs again).
    if (table === 'audit_log') await deleteHistoryOf(trx, [...new Set(rows.map((r) => String(r.entity_id)))]);
    const keys = SYNCED_TABLE_KEYS[table];
    const columns = Object.keys(rows[0]!);
    // SQLite allows 32,766 bound variables per statement.
    const perChunk = Math.max(1, Math.floor(30_000 / Math.max(1, columns.length)));
    for (const chunk of chunks(rows, perChunk)) {
      const updates = columns.filter((c) => !keys.includes(c));
      const insert = trx.insertInto(table as never).values(chunk as never);
      const query =
        updates.length === 0
          ? insert.onConflict((oc) => oc.columns(keys as never).doNothing())
          : insert.onConflict((oc) => oc.columns(keys as never).doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)])) as never));
      await query.execute();
      written += chunk.length;
    }
  }
  return written;
}

/** What a removal of an entity deletes from a workstation's cache (children first). */
export async function removeEntity(trx: Transaction<Database>, entityType: string, entityId: string): Promise<void> {
  switch (entityType) {
    case 'case':
      await deleteHistoryOf(trx, [entityId]);
      await trx.deleteFrom('case_comments').where('case_id', '=', entityId).execute();
      await trx.deleteFrom('case_attachments').where('case_id', '=', entityId).execute();
      await trx.deleteFrom('case_assessments').where('case_id', '=', entityId).execute();
      await trx.deleteFrom('cases').where('id', '=', entityId).execute();
      return;
    case 'case-comment':
      await trx.deleteFrom('case_comments').where('id', '=', entityId).execute();
      return;
    case 'case-attachment':
      await trx.deleteFrom('case_attachments').where('id', '=', entityId).execute();
      return;
    case 'case-queue':
      await trx.deleteFrom('case_queues').where('id', '=', entityId).execute();
      return;
    case 'user':
      await trx.deleteFrom('users').where('id', '=', entityId).execute();
      return;
    default:
      return;
  }
}

/** Case and payment history entries of these entities (the audit rows a case timeline shows). */
async function deleteHistoryOf(trx: Transaction<Database>, entityIds: readonly string[]): Promise<void> {
  for (const chunk of chunks(entityIds, 500)) {
    await trx.deleteFrom('audit_log').where('entity_type', 'in', ['case', 'assessment']).where('entity_id', 'in', chunk).execute();
  }
}

/** Empties the cache (a new owner, or the owner lost access): the outbox and conflicts stay. */
export async function clearCache(trx: Transaction<Database>): Promise<void> {
  for (const table of [...SYNCED_TABLES].reverse()) {
    if (table === 'users' || table === 'settings' || table === 'case_queues') continue;
    // The workstation's own entries (sign-ins, sessions) stay; case history goes with the cases.
    if (table === 'audit_log') await trx.deleteFrom('audit_log').where('entity_type', 'in', ['case', 'assessment']).execute();
    else await trx.deleteFrom(table as never).execute();
  }
}
