import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { CasesTable, Database } from '../../db/schema.ts';
import { chunks } from '../../commands/bus.ts';
import { byTable, encodeRow, type ColumnKinds } from '../rows.ts';
import { SYNCED_TABLES, type SyncedTable, type SyncRow, type SyncTableRows } from '../../../../shared/src/sync.ts';

/**
 * A case travels as a bundle (shared/src/sync.ts SYNC_SCOPE 'case'): its row, its assessment links,
 * the linked assessments and payments, its customer, comments and attachment details (never the
 * attachment bytes). Loaded for a whole page at once with one `in (…)` query per table, so a page
 * of 1,000 cases costs seven queries, not seven thousand (the initial-sync bench).
 */

export type CaseRow = Selectable<CasesTable>;
type Encoded = { table: SyncedTable; row: SyncRow };

export interface CaseBundles {
  /** Every row of the page once (a customer shared by several cases appears once). */
  tables: SyncTableRows[];
  /** Each case's own rows, for the change feed (only when asked for). */
  byCase: Map<string, SyncTableRows[]>;
}

/** Ids per query: far under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters. */
const IDS_PER_QUERY = 5000;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  const out: T[] = [];
  for (const chunk of chunks(ids, IDS_PER_QUERY)) out.push(...(await load(chunk)));
  return out;
}

const unique = (values: Iterable<string | null | undefined>): string[] => [...new Set([...values].filter((v): v is string => typeof v === 'string'))];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type Kind = ColumnKinds extends Map<string, Map<string, infer K>> ? K : never;
const asText = new WeakMap<ColumnKinds, ColumnKinds>();

/**
 * The column kinds to encode rows read by selectSynced with: their JSON columns arrive as text
 * already (on SQLite, and on PostgreSQL through `::text`), so they are sent as they are.
 */
export function encodingKinds(kinds: ColumnKinds): ColumnKinds {
  let text = asText.get(kinds);
  if (!text) {
    text = new Map([...kinds].map(([table, columns]) => [table, new Map([...columns].map(([c, k]): [string, Kind] => [c, k === 'json' ? 'text' : k]))]));
    asText.set(kinds, text);
  }
  return text;
}

/**
 * `select` of a synced table for sending: on PostgreSQL its JSON columns as text (`::text`), which
 * spares parsing every JSON document into objects only to stringify it again (most of an
 * assessment's bytes are JSON). Encode the rows with encodingKinds(kinds).
 */
export function selectSynced<T extends SyncedTable>(
  db: Kysely<Database>,
  kinds: ColumnKinds,
  table: T,
): SelectQueryBuilder<Database, T, Selectable<Database[T]>> {
  const columns = kinds.get(table);
  const from = db.selectFrom(table) as unknown as SelectQueryBuilder<Database, T, object>;
  if (!columns || ![...columns.values()].includes('json')) return from.selectAll() as unknown as SelectQueryBuilder<Database, T, Selectable<Database[T]>>;
  const list = [...columns].map(([column, kind]) =>
    kind === 'json' ? sql<string>`${sql.ref(`${table}.${column}`)}::text`.as(column) : sql.ref(`${table}.${column}`).as(column),
  );
  return from.select(list) as unknown as SelectQueryBuilder<Database, T, Selectable<Database[T]>>;
}

/** `cases` must have been read with selectSynced (their JSON columns as text). */
export async function loadCaseBundles(
  db: Kysely<Database>,
  kinds: ColumnKinds,
  cases: readonly CaseRow[],
  options: { perCase: boolean },
): Promise<CaseBundles> {
  const caseIds = cases.map((c) => c.id);
  // Independent reads run side by side (separate pool connections on PostgreSQL).
  const [links, customers, comments, attachments] = await Promise.all([
    inChunks(caseIds, (ids) => selectSynced(db, kinds, 'case_assessments').where('case_id', 'in', ids).execute()),
    inChunks(unique(cases.map((c) => c.customer_ref)), (refs) => selectSynced(db, kinds, 'customers').where('customer_ref', 'in', refs).execute()),
    inChunks(caseIds, (ids) => selectSynced(db, kinds, 'case_comments').where('case_id', 'in', ids).orderBy('created_at').orderBy('id').execute()),
    inChunks(caseIds, (ids) => selectSynced(db, kinds, 'case_attachments').where('case_id', 'in', ids).orderBy('uploaded_at').orderBy('id').execute()),
  ]);
  const assessments = await inChunks(unique(links.map((l) => l.assessment_id)), (ids) =>
    selectSynced(db, kinds, 'fraud_risk_assessments').where('id', 'in', ids).execute(),
  );
  const [payments, history] = await Promise.all([
    inChunks(unique(assessments.map((a) => a.payment_id)), (ids) => selectSynced(db, kinds, 'payments').where('id', 'in', ids).execute()),
    // The case timeline: entries about the cases and their payments' assessments.
    inChunks([...caseIds, ...unique(links.map((l) => l.assessment_id))], (ids) =>
      selectSynced(db, kinds, 'audit_log').where('entity_type', 'in', ['case', 'assessment']).where('entity_id', 'in', ids).execute(),
    ),
  ]);

  const encoding = encodingKinds(kinds);
  const enc = (table: SyncedTable, row: object): SyncRow => encodeRow(encoding, table, row as Record<string, unknown>);
  const encCases = cases.map((c) => enc('cases', c));
  const encLinks = links.map((l) => enc('case_assessments', l));
  const encAssessments = assessments.map((a) => enc('fraud_risk_assessments', a));
  const encPayments = payments.map((p) => enc('payments', p));
  const encCustomers = customers.map((c) => enc('customers', c));
  const encComments = comments.map((c) => enc('case_comments', c));
  const encAttachments = attachments.map((a) => enc('case_attachments', a));
  const encHistory = history.map((h) => enc('audit_log', h));

  const all: Partial<Record<SyncedTable, SyncRow[]>> = {
    users: [],
    settings: [],
    case_queues: [],
    customers: encCustomers,
    payments: encPayments,
    fraud_risk_assessments: encAssessments,
    cases: encCases,
    case_assessments: encLinks,
    case_comments: encComments,
    case_attachments: encAttachments,
    audit_log: encHistory,
  };
  const tables = SYNCED_TABLES.filter((t) => (all[t]?.length ?? 0) > 0).map((table) => ({ table, rows: all[table]! }));
  return {
    tables,
    byCase: options.perCase
      ? groupByCase(cases, {
          links,
          encLinks,
          assessments,
          encAssessments,
          payments,
          encPayments,
          customers,
          encCustomers,
          comments,
          encComments,
          attachments,
          encAttachments,
          history,
          encHistory,
          encCases,
        })
      : new Map(),
  };
}

function groupByCase(
  cases: readonly CaseRow[],
  r: {
    encCases: SyncRow[];
    links: ReadonlyArray<{ case_id: string; assessment_id: string }>;
    encLinks: SyncRow[];
    assessments: ReadonlyArray<{ id: string; payment_id: string }>;
    encAssessments: SyncRow[];
    payments: ReadonlyArray<{ id: string }>;
    encPayments: SyncRow[];
    customers: ReadonlyArray<{ customer_ref: string }>;
    encCustomers: SyncRow[];
    comments: ReadonlyArray<{ case_id: string }>;
    encComments: SyncRow[];
    attachments: ReadonlyArray<{ case_id: string }>;
    encAttachments: SyncRow[];
    history: ReadonlyArray<{ entity_type: string; entity_id: string }>;
    encHistory: SyncRow[];
  },
): Map<string, SyncTableRows[]> {
  const assessmentAt = new Map(r.assessments.map((a, i) => [a.id, i]));
  const paymentAt = new Map(r.payments.map((p, i) => [p.id, i]));
  const customerAt = new Map(r.customers.map((c, i) => [c.customer_ref, i]));
  const rowsOf = new Map<string, Encoded[]>();
  cases.forEach((c, i) => {
    push(rowsOf, c.id, { table: 'cases', row: r.encCases[i]! });
    const customer = customerAt.get(c.customer_ref);
    if (customer !== undefined) push(rowsOf, c.id, { table: 'customers', row: r.encCustomers[customer]! });
  });
  r.links.forEach((link, i) => {
    push(rowsOf, link.case_id, { table: 'case_assessments', row: r.encLinks[i]! });
    const a = assessmentAt.get(link.assessment_id);
    if (a === undefined) return;
    push(rowsOf, link.case_id, { table: 'fraud_risk_assessments', row: r.encAssessments[a]! });
    const p = paymentAt.get(r.assessments[a]!.payment_id);
    if (p !== undefined) push(rowsOf, link.case_id, { table: 'payments', row: r.encPayments[p]! });
  });
  for (const [i, c] of r.comments.entries()) push(rowsOf, c.case_id, { table: 'case_comments', row: r.encComments[i]! });
  for (const [i, a] of r.attachments.entries()) push(rowsOf, a.case_id, { table: 'case_attachments', row: r.encAttachments[i]! });
  const casesOfAssessment = new Map<string, string[]>();
  for (const link of r.links) push(casesOfAssessment, link.assessment_id, link.case_id);
  for (const [i, h] of r.history.entries()) {
    const owners = h.entity_type === 'case' ? [h.entity_id] : (casesOfAssessment.get(h.entity_id) ?? []);
    for (const caseId of owners) push(rowsOf, caseId, { table: 'audit_log', row: r.encHistory[i]! });
  }
  const out = new Map<string, SyncTableRows[]>();
  for (const [caseId, rows] of rowsOf) out.set(caseId, byTable(rows));
  return out;
}

/** The reference data every workstation holds: the user directory (no password hashes), queues, settings. */
export async function loadReferenceRows(db: Kysely<Database>, kinds: ColumnKinds): Promise<SyncTableRows[]> {
  const [users, settings, queues] = await Promise.all([
    db.selectFrom('users').selectAll().orderBy('id').execute(),
    db.selectFrom('settings').selectAll().orderBy('name').execute(),
    db.selectFrom('case_queues').selectAll().orderBy('id').execute(),
  ]);
  const out: SyncTableRows[] = [
    { table: 'users', rows: users.map((u) => encodeRow(kinds, 'users', u)) },
    { table: 'settings', rows: settings.map((s) => encodeRow(kinds, 'settings', s)) },
    { table: 'case_queues', rows: queues.map((q) => encodeRow(kinds, 'case_queues', q)) },
  ];
  return out.filter((t) => t.rows.length > 0);
}
