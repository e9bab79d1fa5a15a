import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromJson } from '../../db/database.ts';
import { encodeRow, type ColumnKinds } from '../rows.ts';
import type { SyncedTable, SyncTableRows } from '../../../../shared/src/sync.ts';
import { selectSynced, encodingKinds } from './bundles.ts';
import { tenantVisible, type SyncViewer } from './scope.ts';

/**
 * The consent register travels to workstations (shared/src/sync.ts SYNC_SCOPE 'consent-register',
 * issue 14): for callers with consent:read, every consent of their tenants with its latest day's
 * usage count, the apps of those tenants (never a secret: rows.ts redacts them) and the accounts
 * the consents name — what the register's list, detail and review queue read offline. The access
 * log and webhook deliveries stay at the hub. Like the risk register (register.ts), each change-log
 * entity is one row; a consent also carries its accounts, app and usage row so that it reads whole.
 */

type Outcome = { op: 'upsert'; rows: SyncTableRows[] };
type Resolved = Map<string, Outcome>;
type Loader = { db: Kysely<Database>; kinds: ColumnKinds; viewer: SyncViewer };
type Row = Record<string, unknown>;

const IDS_PER_QUERY = 1000;

async function byIds(db: Kysely<Database>, kinds: ColumnKinds, table: 'consents' | 'ob_apps' | 'bank_accounts', ids: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    if (chunk.length === 0) continue;
    out.push(
      ...((await selectSynced(db, kinds, table)
        .where('id' as never, 'in', chunk as never)
        .execute()) as Row[]),
    );
  }
  return out;
}

/** Each consent's usage row of its latest bank day (older days are history a workstation does not need). */
async function latestUsage(db: Kysely<Database>, consentIds: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < consentIds.length; i += IDS_PER_QUERY) {
    const chunk = consentIds.slice(i, i + IDS_PER_QUERY);
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('consent_usage')
        .selectAll()
        .where('consent_id', 'in', chunk)
        .where('day', '=', sql<string>`(select max(u2.day) from consent_usage u2 where u2.consent_id = consent_usage.consent_id)`)
        .execute()),
    );
  }
  return out;
}

const tenantOf = (row: Row) => (typeof row.tenant_id === 'string' ? row.tenant_id : null);
const accountIdsOf = (consent: Row) => fromJson<unknown[]>(consent.account_ids).filter((id): id is string => typeof id === 'string');

function group(kinds: ColumnKinds, entries: ReadonlyArray<{ table: SyncedTable; rows: Row[] }>): SyncTableRows[] {
  const encoding = encodingKinds(kinds);
  return entries.filter((e) => e.rows.length > 0).map(({ table, rows }) => ({ table, rows: rows.map((row) => encodeRow(encoding, table, row)) }));
}

async function resolveConsents({ db, kinds, viewer }: Loader, ids: string[]): Promise<Resolved> {
  const out: Resolved = new Map();
  if (!viewer.readsConsents) return out;
  const consents = (await byIds(db, kinds, 'consents', ids)).filter((c) => tenantVisible(viewer, tenantOf(c)));
  if (consents.length === 0) return out;
  const [apps, accounts, usage] = await Promise.all([
    byIds(db, kinds, 'ob_apps', [...new Set(consents.map((c) => String(c.app_id)))]),
    byIds(db, kinds, 'bank_accounts', [...new Set(consents.flatMap(accountIdsOf))]),
    latestUsage(
      db,
      consents.map((c) => String(c.id)),
    ),
  ]);
  const appById = new Map(apps.map((a) => [String(a.id), a]));
  const accountById = new Map(accounts.map((a) => [String(a.id), a]));
  for (const consent of consents) {
    const id = String(consent.id);
    const app = appById.get(String(consent.app_id));
    const rows = group(kinds, [
      { table: 'ob_apps', rows: app ? [app] : [] },
      {
        table: 'bank_accounts',
        rows: accountIdsOf(consent).flatMap((a): Row[] => {
          const account = accountById.get(a);
          return account ? [account] : [];
        }),
      },
      { table: 'consents', rows: [consent] },
      { table: 'consent_usage', rows: usage.filter((u) => u.consent_id === id) },
    ]);
    out.set(id, { op: 'upsert', rows });
  }
  return out;
}

async function resolveApps({ db, kinds, viewer }: Loader, ids: string[]): Promise<Resolved> {
  const out: Resolved = new Map();
  if (!viewer.readsConsents) return out;
  for (const app of await byIds(db, kinds, 'ob_apps', ids)) {
    if (tenantVisible(viewer, tenantOf(app))) out.set(String(app.id), { op: 'upsert', rows: group(kinds, [{ table: 'ob_apps', rows: [app] }]) });
  }
  return out;
}

/** An account travels when a consent of the caller's tenants names its customer (the register shows its name and number). */
async function resolveAccounts({ db, kinds, viewer }: Loader, ids: string[]): Promise<Resolved> {
  const out: Resolved = new Map();
  if (!viewer.readsConsents) return out;
  const accounts = (await byIds(db, kinds, 'bank_accounts', ids)).filter((a) => tenantVisible(viewer, tenantOf(a)));
  const refs = [...new Set(accounts.map((a) => String(a.customer_ref)))];
  if (refs.length === 0) return out;
  const withConsent = new Set(
    (await db.selectFrom('consents').select(['tenant_id', 'customer_ref']).distinct().where('customer_ref', 'in', refs).execute()).map(
      (r) => `${r.tenant_id}\u0000${r.customer_ref}`,
    ),
  );
  for (const account of accounts) {
    if (withConsent.has(`${String(account.tenant_id)}\u0000${String(account.customer_ref)}`)) {
      out.set(String(account.id), { op: 'upsert', rows: group(kinds, [{ table: 'bank_accounts', rows: [account] }]) });
    }
  }
  return out;
}

/** Change-feed resolvers of the consent register's entity types (shared/src/sync.ts CONSENT_SYNC_ENTITIES). */
export const CONSENT_RESOLVERS: Record<string, (l: Loader, ids: string[]) => Promise<Resolved>> = {
  consent: resolveConsents,
  ob_app: resolveApps,
  bank_account: resolveAccounts,
};

/** The consent register of a first sync (on the snapshot's first page): live rows of the caller's tenants. */
export async function loadConsentRows(db: Kysely<Database>, kinds: ColumnKinds, viewer: SyncViewer): Promise<SyncTableRows[]> {
  if (!viewer.readsConsents) return [];
  const tenants = viewer.scope.sqlList();
  let consentQuery = selectSynced(db, kinds, 'consents').where('deleted_at' as never, 'is', null);
  let appQuery = selectSynced(db, kinds, 'ob_apps').where('deleted_at' as never, 'is', null);
  if (tenants) {
    consentQuery = consentQuery.where('tenant_id' as never, 'in', tenants as never);
    appQuery = appQuery.where('tenant_id' as never, 'in', tenants as never);
  }
  const [consents, apps] = await Promise.all([
    consentQuery.orderBy('id' as never).execute() as Promise<Row[]>,
    appQuery.orderBy('id' as never).execute() as Promise<Row[]>,
  ]);
  const [accounts, usage] = await Promise.all([
    byIds(db, kinds, 'bank_accounts', [...new Set(consents.flatMap(accountIdsOf))]),
    latestUsage(
      db,
      consents.map((c) => String(c.id)),
    ),
  ]);
  return group(kinds, [
    { table: 'ob_apps', rows: apps },
    { table: 'bank_accounts', rows: accounts },
    { table: 'consents', rows: consents },
    { table: 'consent_usage', rows: usage },
  ]);
}
