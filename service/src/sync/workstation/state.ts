import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromJson, toJson } from '../../db/database.ts';

/**
 * The workstation's sync bookkeeping in `sync_state` (one row per key, JSON values). Each value is
 * written in the transaction of the rows it describes (a pulled page and its cursor commit
 * together), so a crash leaves both or neither.
 */
export interface SnapshotProgress {
  /** The first sync finished; the change feed continues from `cursor`. */
  done: boolean;
  /** The case id the last applied snapshot page ended at ('' = not started). */
  afterCaseId: string;
  /** The hub's change-log sequence taken with the first page: the feed resumes from it. */
  snapshotSeq: number;
  casesDone: number;
  casesTotal: number;
  rowsDone: number;
}

export interface SyncStateValues {
  /** The last change-log sequence applied (sync.changes `after`). */
  cursor: number;
  /** The newest sequence the hub reported. */
  hubSeq: number;
  /** The user whose scope the cache holds (the snapshot was taken for them). */
  owner: string | null;
  snapshot: SnapshotProgress;
  lastSyncAt: string | null;
}

export const FRESH_SNAPSHOT: SnapshotProgress = { done: false, afterCaseId: '', snapshotSeq: 0, casesDone: 0, casesTotal: 0, rowsDone: 0 };

const DEFAULTS: SyncStateValues = { cursor: 0, hubSeq: 0, owner: null, snapshot: FRESH_SNAPSHOT, lastSyncAt: null };

type Reader = Kysely<Database> | Transaction<Database>;

export async function readSyncState(db: Reader): Promise<SyncStateValues> {
  const rows = await db.selectFrom('sync_state').select(['key', 'value']).execute();
  const out: SyncStateValues = { ...DEFAULTS };
  for (const { key, value } of rows) {
    if (Object.hasOwn(DEFAULTS, key)) (out as unknown as Record<string, unknown>)[key] = fromJson<unknown>(value);
  }
  return out;
}

export async function writeSyncState(trx: Reader, values: Partial<SyncStateValues>, now: Date): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const row = { key, value: toJson(value), updated_at: now.toISOString() };
    await trx
      .insertInto('sync_state')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }
}
