import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { encodeRow, type ColumnKinds } from '../rows.ts';
import { REGISTER_SYNC_ENTITIES, type RegisterSyncedTable, type SyncTableRows } from '../../../../shared/src/sync.ts';
import { selectSynced, encodingKinds } from './bundles.ts';
import { tenantVisible, type SyncViewer } from './scope.ts';

/**
 * The risk register travels to workstations row by row (shared/src/sync.ts SYNC_SCOPE
 * 'risk-register'): every register row of the caller's tenants, for callers who may read the
 * register (a risk officer reviews and records offline, issue 13). Unlike a case, a register row
 * has no bundle: each change-log entity is one row of one table (REGISTER_SYNC_ENTITIES), and a
 * deleted row travels as its tombstone (ARCHITECTURE.md rule 5), which the local queries skip.
 */

type Outcome = { op: 'upsert'; rows: SyncTableRows[] };
type Resolved = Map<string, Outcome>;

const IDS_PER_QUERY = 5000;

async function rowsOf(db: Kysely<Database>, kinds: ColumnKinds, table: RegisterSyncedTable, ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const rows = await selectSynced(db, kinds, table)
      .where('id' as never, 'in', chunk as never)
      .execute();
    out.push(...(rows as Array<Record<string, unknown>>));
  }
  return out;
}

/** Is this register row the caller's business? Global rows (the matrix) are everyone's who reads the register. */
function visible(viewer: SyncViewer, table: RegisterSyncedTable, row: Record<string, unknown>): boolean {
  if (!viewer.readsRisks) return false;
  if (table === 'risk_matrix_versions') return true;
  return tenantVisible(viewer, typeof row.tenant_id === 'string' ? row.tenant_id : null);
}

/**
 * Change-feed resolvers for the register's entity types: the entity's current row (or tombstone)
 * when the caller may see it; otherwise skipped — another tenant's row is not even sent as a removal.
 */
export const REGISTER_RESOLVERS: Record<string, (l: { db: Kysely<Database>; kinds: ColumnKinds; viewer: SyncViewer }, ids: string[]) => Promise<Resolved>> =
  Object.fromEntries(
    Object.entries(REGISTER_SYNC_ENTITIES).map(([entityType, table]) => [
      entityType,
      async ({ db, kinds, viewer }: { db: Kysely<Database>; kinds: ColumnKinds; viewer: SyncViewer }, ids: string[]): Promise<Resolved> => {
        const out: Resolved = new Map();
        if (!viewer.readsRisks) return out;
        const encoding = encodingKinds(kinds);
        for (const row of await rowsOf(db, kinds, table, ids)) {
          if (!visible(viewer, table, row)) continue;
          out.set(String(row.id), { op: 'upsert', rows: [{ table, rows: [encodeRow(encoding, table, row)] }] });
        }
        return out;
      },
    ]),
  );

/**
 * The register rows of a first sync (on the snapshot's first page): live rows only — tombstones
 * of rows deleted before the workstation ever saw them have nothing to remove.
 */
export async function loadRegisterRows(db: Kysely<Database>, kinds: ColumnKinds, viewer: SyncViewer): Promise<SyncTableRows[]> {
  if (!viewer.readsRisks) return [];
  const encoding = encodingKinds(kinds);
  const tenants = viewer.scope.sqlList();
  const tables = [...new Set(Object.values(REGISTER_SYNC_ENTITIES))];
  const loaded = await Promise.all(
    tables.map(async (table) => {
      let query = selectSynced(db, kinds, table).where('deleted_at' as never, 'is', null);
      if (table !== 'risk_matrix_versions' && tenants) query = query.where('tenant_id' as never, 'in', tenants as never);
      const rows = (await query.orderBy('id' as never).execute()) as Array<Record<string, unknown>>;
      return { table, rows: rows.map((row) => encodeRow(encoding, table, row)) };
    }),
  );
  return loaded.filter((t) => t.rows.length > 0);
}
