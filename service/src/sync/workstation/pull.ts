import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { CommandBus } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import { crashPoint } from '../../util/crash-points.ts';
import type { SyncSnapshotPage, SyncTableRows } from '../../../../shared/src/sync.ts';
import { removeEntity, upsertRows } from '../rows.ts';
import { accessChanges, caseEntities, rebaseEntities, tablesOf } from './apply.ts';
import { HubError, type HubClient } from './hub-client.ts';
import { readSyncState, writeSyncState, type SnapshotProgress, type SyncStateValues } from './state.ts';
import type { UserAccessChange } from './types.ts';

export interface PullContext {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  client: HubClient;
  signal: AbortSignal;
  snapshotPageSize: number;
  changesPageSize: number;
  /** After each committed page: what it wrote, whose access changed, and where the sync stands. */
  committed(page: { tables: string[]; access: UserAccessChange[]; state: SyncStateValues; changes: number }): void;
}

/**
 * Downloads for the cache owner: the snapshot pages while the first sync is not complete, then
 * the change feed from the cursor until the hub has nothing newer. Each page commits with its
 * progress (snapshot position, or cursor) in ONE SQLite transaction, and the owner's waiting
 * actions are rebased on it inside that transaction. Returns false when the cache was reset for
 * another owner meanwhile (the page is dropped, the caller starts again).
 */
export async function pullForOwner(ctx: PullContext, owner: string, token: string): Promise<boolean> {
  let state = await readSyncState(ctx.db.kysely);
  let prefetched: { afterCaseId: string; page: Promise<SyncSnapshotPage> } | null = null;
  while (!state.snapshot.done) {
    const afterCaseId = state.snapshot.afterCaseId;
    const page: SyncSnapshotPage = await (prefetched?.afterCaseId === afterCaseId
      ? prefetched.page
      : ctx.client.snapshot(token, { afterCaseId, limit: ctx.snapshotPageSize }, ctx.signal));
    prefetched = null;
    if (page.hasMore && page.lastCaseId === null) throw new HubError('refused', 'sync.snapshot: a page with more to come must say where it ended');
    // The hub reads the next page while this one is written here (a first sync is mostly these two waits).
    if (page.hasMore && page.lastCaseId !== null) {
      const next = ctx.client.snapshot(token, { afterCaseId: page.lastCaseId, limit: ctx.snapshotPageSize }, ctx.signal);
      next.catch(() => {}); // awaited (and its failure seen) on the next round, or dropped after a reset
      prefetched = { afterCaseId: page.lastCaseId, page: next };
    }
    const seen = state;
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const now = await readSyncState(trx);
      // Reset for another owner (or resumed by another round) while the page was on its way.
      if (now.owner !== owner || now.snapshot.done || now.snapshot.afterCaseId !== seen.snapshot.afterCaseId) return null;
      const access = await accessChanges(trx, page.rows);
      const rows = await upsertRows(trx, page.rows);
      await rebaseEntities(trx, ctx.bus, caseEntities(page.rows), ctx.logger);
      const first = seen.snapshot.afterCaseId === '';
      const snapshotSeq = first ? page.snapshotSeq : seen.snapshot.snapshotSeq;
      const snapshot: SnapshotProgress = {
        done: !page.hasMore,
        afterCaseId: page.lastCaseId ?? seen.snapshot.afterCaseId,
        snapshotSeq,
        casesDone: seen.snapshot.casesDone + countRows(page.rows, 'cases'),
        casesTotal: page.totalCases,
        rowsDone: seen.snapshot.rowsDone + rows,
      };
      const values: Partial<SyncStateValues> = { snapshot, hubSeq: Math.max(seen.hubSeq, page.snapshotSeq) };
      // The feed continues from the sequence the snapshot is at least as new as.
      if (snapshot.done) Object.assign(values, { cursor: snapshotSeq, lastSyncAt: ctx.clock.now().toISOString() });
      await writeSyncState(trx, values, ctx.clock.now());
      return { access, state: { ...seen, ...values } as SyncStateValues };
    });
    if (!result) return false;
    state = result.state;
    ctx.committed({ tables: tablesOf(page.rows), access: result.access, state, changes: countRows(page.rows, 'cases') });
  }
  for (;;) {
    const page = await ctx.client.changes(token, { after: state.cursor, limit: ctx.changesPageSize }, ctx.signal);
    if (page.hasMore && page.nextCursor <= state.cursor) throw new HubError('refused', 'sync.changes: a page with more to come must move the cursor');
    const seen = state;
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const now = await readSyncState(trx);
      if (now.owner !== owner || !now.snapshot.done || now.cursor !== seen.cursor) return null;
      const access: UserAccessChange[] = [];
      const written: SyncTableRows[] = [];
      const entities: Array<{ type: string; id: string }> = [];
      for (const change of page.changes) {
        if (change.op === 'remove') {
          if (change.entityType === 'user') access.push({ userId: change.entityId, deactivated: true, rightsChanged: false });
          await removeEntity(trx, change.entityType, change.entityId);
        } else {
          access.push(...(await accessChanges(trx, change.rows)));
          await upsertRows(trx, change.rows);
          written.push(...change.rows);
        }
        if (change.entityType === 'case') entities.push({ type: 'case', id: change.entityId });
      }
      entities.push(...caseEntities(written));
      await rebaseEntities(trx, ctx.bus, entities, ctx.logger);
      // kill -9 tests: dying here must leave neither the page's rows nor its cursor.
      crashPoint('ws.pull.mid-page');
      const values: Partial<SyncStateValues> = {
        cursor: page.nextCursor,
        hubSeq: Math.max(seen.hubSeq, page.hubSeq),
        lastSyncAt: ctx.clock.now().toISOString(),
      };
      // An empty poll changes nothing worth a write but the time; it is kept in memory by the caller.
      if (page.changes.length > 0 || page.nextCursor !== seen.cursor || page.hubSeq !== seen.hubSeq) await writeSyncState(trx, values, ctx.clock.now());
      const removed = page.changes.filter((c) => c.op === 'remove').flatMap((c) => REMOVED_TABLES[c.entityType] ?? []);
      return { access, tables: [...new Set([...tablesOf(written), ...removed])], state: { ...seen, ...values } as SyncStateValues };
    });
    if (!result) return false;
    state = result.state;
    ctx.committed({ tables: result.tables, access: result.access, state, changes: page.changes.length });
    if (!page.hasMore) return true;
  }
}

/** What a removal of each entity type deletes (rows.ts removeEntity), for the renderer's refresh. */
const REMOVED_TABLES: Record<string, string[]> = {
  case: ['cases', 'case_comments', 'case_attachments', 'case_assessments'],
  'case-comment': ['case_comments'],
  'case-attachment': ['case_attachments'],
  'case-queue': ['case_queues'],
  user: ['users'],
};

function countRows(tables: readonly SyncTableRows[], table: string): number {
  return tables.filter((t) => t.table === table).reduce((n, t) => n + t.rows.length, 0);
}
