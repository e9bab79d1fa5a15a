import type { Kysely } from 'kysely';
import { z } from 'zod';
import { validationFailed } from '../../errors.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { readColumnKinds, type ColumnKinds } from '../rows.ts';
import type { SyncSnapshotPage, SyncSnapshotQuery } from '../../../../shared/src/sync.ts';
import { inSyncScope, type SyncViewer } from './scope.ts';
import { loadCaseBundles, loadReferenceRows, selectSynced } from './bundles.ts';
import { loadRegisterRows } from './register.ts';
import { loadConsentRows } from './consents.ts';

/** What the hub's sync reads need: the database and, read once per service, its column types. */
export class HubReader {
  private kindsOnce: Promise<ColumnKinds> | null = null;
  /** Scope counts per (viewer, change-log seq): exact for that seq, so the pages of one snapshot count once. */
  private readonly totals = new Map<string, number>();

  constructor(readonly db: Db) {}

  kinds(): Promise<ColumnKinds> {
    this.kindsOnce ??= readColumnKinds(this.db.kysely, this.db.dialect).catch((error: unknown) => {
      this.kindsOnce = null;
      throw error;
    });
    return this.kindsOnce;
  }

  /** The newest change-log sequence (0 before any change). */
  hubSeq(db: Kysely<Database> = this.db.kysely): Promise<number> {
    return currentHubSeq(db);
  }

  async totalCases(viewer: SyncViewer, seq: number): Promise<number> {
    const key = `${viewer.userId}|${viewer.readsCases}|${JSON.stringify(viewer.scope.sqlList())}|${seq}`;
    const known = this.totals.get(key);
    if (known !== undefined) return known;
    const row = await inSyncScope(this.db.kysely.selectFrom('cases'), viewer, this.db.dialect)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const total = Number(row.n);
    if (this.totals.size >= 200) this.totals.clear();
    this.totals.set(key, total);
    return total;
  }
}

export async function currentHubSeq(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('change_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * One page of the first sync: the caller's cases by id after `afterCaseId` with their bundles,
 * and on the first page the reference data. `snapshotSeq` is read before anything else, so every
 * change the page might have missed has a higher sequence and reaches the workstation through the
 * change feed it continues with (shared/src/sync.ts SyncSnapshotPage).
 */
export async function readSnapshotPage(reader: HubReader, viewer: SyncViewer, query: SyncSnapshotQuery): Promise<SyncSnapshotPage> {
  const { kysely: db, dialect } = reader.db;
  // Case ids are UUIDs (ARCHITECTURE.md rule 5); anything else would be a database error, not an answer.
  if (query.afterCaseId !== '' && !z.uuid().safeParse(query.afterCaseId).success) {
    throw validationFailed([{ path: 'query.afterCaseId', message: 'must be a case id (UUID) or empty' }]);
  }
  const snapshotSeq = await reader.hubSeq();
  const kinds = await reader.kinds();
  let cases = inSyncScope(selectSynced(db, kinds, 'cases'), viewer, dialect);
  if (query.afterCaseId !== '') cases = cases.where('cases.id', '>', query.afterCaseId);
  const found = await cases
    .orderBy('cases.id')
    .limit(query.limit + 1)
    .execute();
  const hasMore = found.length > query.limit;
  const page = hasMore ? found.slice(0, query.limit) : found;
  const first = query.afterCaseId === '';
  const [bundles, reference, register, consents, totalCases] = await Promise.all([
    loadCaseBundles(db, kinds, page, { perCase: false }),
    first ? loadReferenceRows(db, kinds) : Promise.resolve([]),
    // The register is small (hundreds of risks): it travels whole on the first page.
    first ? loadRegisterRows(db, kinds, viewer) : Promise.resolve([]),
    // The consent register (issue 14) likewise: consents of the caller's tenants with their apps and accounts.
    first ? loadConsentRows(db, kinds, viewer) : Promise.resolve([]),
    reader.totalCases(viewer, snapshotSeq),
  ]);
  return {
    rows: [...reference, ...bundles.tables, ...register, ...consents],
    lastCaseId: page.at(-1)?.id ?? null,
    hasMore,
    snapshotSeq,
    totalCases,
  };
}
