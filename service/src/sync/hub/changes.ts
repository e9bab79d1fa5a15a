import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DatabaseDialect } from '../../db/database.ts';
import { encodeRow, type ColumnKinds } from '../rows.ts';
import { crashPoint } from '../../util/crash-points.ts';
import type { SyncChange, SyncChangesPage, SyncChangesQuery, SyncTableRows } from '../../../../shared/src/sync.ts';
import { inSyncScope, scopedCaseIds, tenantVisible, type SyncViewer } from './scope.ts';
import { loadCaseBundles, selectSynced } from './bundles.ts';
import type { HubReader } from './snapshot.ts';
import { REGISTER_RESOLVERS } from './register.ts';
import { CONSENT_RESOLVERS } from './consents.ts';

/**
 * The change feed (shared/src/sync.ts SyncChangesPage). The change log only says *which* entity
 * changed; each change carries the entity's current rows at the hub (so a repeat or a reordering
 * can never resurrect an old state), or its removal when it was deleted or left the caller's
 * scope. Entities of the page are loaded with one query per entity type.
 */

type Outcome = { op: 'upsert'; rows: SyncTableRows[] } | { op: 'remove' };
/** entity id → what to send; an id absent from the map is skipped (not the caller's business). */
type Resolved = Map<string, Outcome>;

interface Loader {
  db: Kysely<Database>;
  dialect: DatabaseDialect;
  kinds: ColumnKinds;
  viewer: SyncViewer;
}

const upsert = (rows: SyncTableRows[]): Outcome => ({ op: 'upsert', rows });
const REMOVE: Outcome = { op: 'remove' };

export async function readChangesPage(reader: HubReader, viewer: SyncViewer, query: SyncChangesQuery): Promise<SyncChangesPage> {
  const { kysely: db, dialect } = reader.db;
  const log = await db
    .selectFrom('change_log')
    .select(['seq', 'entity_type', 'entity_id'])
    .where('seq', '>', query.after)
    .orderBy('seq')
    .limit(query.limit)
    .execute();
  // Read after the page, so that hubSeq is never behind the page's own last sequence.
  const hubSeq = await reader.hubSeq();
  const nextCursor = log.length > 0 ? Number(log.at(-1)!.seq) : query.after;

  // Several changes of one entity in a page: its current rows are sent once, at its last sequence.
  const latest = new Map<string, { seq: number; type: string; id: string }>();
  for (const entry of log) {
    const key = `${entry.entity_type}\u0000${entry.entity_id}`;
    latest.delete(key);
    latest.set(key, { seq: Number(entry.seq), type: entry.entity_type, id: entry.entity_id });
  }
  const idsByType = new Map<string, string[]>();
  for (const { type, id } of latest.values()) {
    if (!RESOLVERS[type]) continue;
    const ids = idsByType.get(type) ?? [];
    ids.push(id);
    idsByType.set(type, ids);
  }
  crashPoint('hub.changes.mid-page');

  const loader: Loader = { db, dialect, kinds: await reader.kinds(), viewer };
  const resolved = new Map<string, Resolved>();
  for (const [type, ids] of idsByType) resolved.set(type, await RESOLVERS[type]!(loader, ids));

  const changes: SyncChange[] = [];
  for (const { seq, type, id } of [...latest.values()].sort((a, b) => a.seq - b.seq)) {
    const outcome = resolved.get(type)?.get(id);
    if (!outcome) continue;
    changes.push({ seq, entityType: type, entityId: id, op: outcome.op, rows: outcome.op === 'upsert' ? outcome.rows : [] });
  }
  return { changes, nextCursor, hubSeq, hasMore: log.length === query.limit || nextCursor < hubSeq };
}

/** How each synced entity type is resolved; other types (configurations, sessions…) are skipped. */
const RESOLVERS: Record<string, (l: Loader, ids: string[]) => Promise<Resolved>> = {
  ...REGISTER_RESOLVERS,
  ...CONSENT_RESOLVERS,
  case: resolveCases,
  'case-comment': (l, ids) => resolveCaseChildren(l, ids, 'case_comments'),
  'case-attachment': (l, ids) => resolveCaseChildren(l, ids, 'case_attachments'),
  'case-queue': async ({ db, kinds }, ids) => {
    const rows = await db.selectFrom('case_queues').selectAll().where('id', 'in', ids).execute();
    const out: Resolved = new Map(ids.map((id) => [id, REMOVE]));
    for (const row of rows) if (row.deleted_at === null) out.set(row.id, upsert([{ table: 'case_queues', rows: [encodeRow(kinds, 'case_queues', row)] }]));
    return out;
  },
  settings: async ({ db, kinds }, ids) => {
    const rows = await db.selectFrom('settings').selectAll().where('name', 'in', ids).execute();
    const out: Resolved = new Map(ids.map((id) => [id, REMOVE]));
    for (const row of rows) out.set(row.name, upsert([{ table: 'settings', rows: [encodeRow(kinds, 'settings', row)] }]));
    return out;
  },
  user: async ({ db, kinds }, ids) => {
    const rows = await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
    const out: Resolved = new Map(ids.map((id) => [id, REMOVE]));
    for (const row of rows) out.set(row.id, upsert([{ table: 'users', rows: [encodeRow(kinds, 'users', row)] }]));
    return out;
  },
  // Assessments, payments and customers travel only as part of an in-scope case.
  assessment: async ({ db, dialect, kinds, viewer }, ids) => {
    const rows = await db
      .selectFrom('fraud_risk_assessments')
      .selectAll()
      .where('id', 'in', ids)
      .where(
        'id',
        'in',
        db
          .selectFrom('case_assessments')
          .select('assessment_id')
          .where('case_id', 'in', scopedCaseIds(db, viewer, dialect)),
      )
      .execute();
    return new Map(rows.map((row) => [row.id, upsert([{ table: 'fraud_risk_assessments', rows: [encodeRow(kinds, 'fraud_risk_assessments', row)] }])]));
  },
  payment: async ({ db, dialect, kinds, viewer }, ids) => {
    const linked = db
      .selectFrom('fraud_risk_assessments')
      .select('payment_id')
      .where(
        'id',
        'in',
        db
          .selectFrom('case_assessments')
          .select('assessment_id')
          .where('case_id', 'in', scopedCaseIds(db, viewer, dialect)),
      );
    const rows = await db.selectFrom('payments').selectAll().where('id', 'in', ids).where('id', 'in', linked).execute();
    return new Map(rows.map((row) => [row.id, upsert([{ table: 'payments', rows: [encodeRow(kinds, 'payments', row)] }])]));
  },
  customer: async ({ db, dialect, kinds, viewer }, ids) => {
    const refs = inSyncScope(db.selectFrom('cases'), viewer, dialect).select('cases.customer_ref');
    const rows = await db.selectFrom('customers').selectAll().where('id', 'in', ids).where('customer_ref', 'in', refs).execute();
    return new Map(rows.map((row) => [row.id, upsert([{ table: 'customers', rows: [encodeRow(kinds, 'customers', row)] }])]));
  },
};

/** A case in scope: its whole bundle; deleted or out of scope: removal; another tenant's: skipped. */
async function resolveCases({ db, dialect, kinds, viewer }: Loader, ids: string[]): Promise<Resolved> {
  if (!viewer.readsCases) return new Map();
  const [all, inScope] = await Promise.all([
    db.selectFrom('cases').select(['id', 'tenant_id']).where('id', 'in', ids).execute(),
    inSyncScope(selectSynced(db, kinds, 'cases'), viewer, dialect)
      .where('cases.id', 'in', ids)
      .execute(),
  ]);
  const out: Resolved = new Map();
  const known = new Map(all.map((c) => [c.id, c.tenant_id]));
  for (const id of ids) {
    // Gone altogether (never expected: cases leave tombstones), or left the caller's scope.
    if (!known.has(id) || tenantVisible(viewer, known.get(id) ?? null)) out.set(id, REMOVE);
  }
  const bundles = await loadCaseBundles(db, kinds, inScope, { perCase: true });
  for (const row of inScope) out.set(row.id, upsert(bundles.byCase.get(row.id) ?? []));
  return out;
}

/** Comments and attachment details follow their case: sent when it is in scope, else skipped (the case's removal covers them). */
async function resolveCaseChildren({ db, dialect, kinds, viewer }: Loader, ids: string[], table: 'case_comments' | 'case_attachments'): Promise<Resolved> {
  if (!viewer.readsCases) return new Map();
  const rows = await db
    .selectFrom(table)
    .selectAll()
    .where('id', 'in', ids)
    .where('case_id', 'in', scopedCaseIds(db, viewer, dialect))
    .execute();
  return new Map(rows.map((row) => [row.id, upsert([{ table, rows: [encodeRow(kinds, table, row as Record<string, unknown>)] }])]));
}
