import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ConsentRow } from '../db/schema-open-banking.ts';
import { fromJson, toIso, toIsoOrNull } from '../db/database.ts';
import type { Actor } from '../commands/bus.ts';
import { AppStatus, ConsentStatus, ConsentStatusReason, ObScope, type ConsentView } from '../../../shared/src/open-banking.ts';
import type { ConsentChangedEvent } from '../../../shared/src/events.ts';
import { isoInBankZone, zoneOffsetAt } from '../../../shared/src/bank-time.ts';

export const CONSENT_ENTITY = 'consent';
/** A consent AwaitingAuthorisation longer than this is refused at authorisation (AUTHORISATION_TIMEOUT). */
export const AUTHORISATION_WINDOW_MS = 60 * 60 * 1000;
export const DEFAULT_FREQUENCY_PER_DAY = 4;

/**
 * The consent's status as of `now`: an Authorised consent whose expiry has passed is Expired,
 * whatever the stored row says. Expiry is decided at request and read time, never left to a batch
 * job (issue 14; the implementers' bug "expiry never applied").
 */
export function effectiveStatus(row: Pick<ConsentRow, 'status' | 'expires_at'>, now: Date): ConsentStatus {
  const stored = ConsentStatus.parse(row.status);
  if (stored === 'Authorised' && row.expires_at !== null && Date.parse(toIso(row.expires_at)) <= now.getTime()) return 'Expired';
  return stored;
}

/** The bank day (Africa/Nairobi, YYYY-MM-DD) an instant falls on: the frequency limit's day. */
export function bankDay(at: Date): string {
  return isoInBankZone(at).slice(0, 10);
}

/** When the bank day of `at` starts (offset 0) or the one `offsetDays` later, as an instant. */
export function bankDayStart(at: Date, offsetDays = 0): Date {
  const [y, m, d] = bankDay(at).split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d + offsetDays);
  // Wall-clock midnight in the zone: shift by the zone's offset at (about) that instant; the IANA data decides.
  const guess = midnightUtc - zoneOffsetAt(midnightUtc) * 60_000;
  return new Date(midnightUtc - zoneOffsetAt(guess) * 60_000);
}

/** When the next bank day starts (the frequency counter starts again). */
export function nextBankDayStart(at: Date): Date {
  return bankDayStart(at, 1);
}

/** Permission sets compare as sets (order and repeats do not matter). */
export function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((p) => sb.has(p));
}

/**
 * The actor for a customer acting on the service's customer pages (authorise, reject, revoke their
 * own consent). Customers are no role of the bank's staff: the service acts for the customer it
 * authenticated (CustomerAuthenticator), recorded as "customer:<ref>" in the audit log.
 */
export function customerActor(customerRef: string, tenantId: string): Actor {
  return { kind: 'system', id: customerActorId(customerRef), name: `Customer ${customerRef}`, role: 'SYSTEM', tenants: [tenantId] };
}

export function customerActorId(customerRef: string): string {
  return `customer:${customerRef}`;
}

export function consentChanged(view: ConsentView): ConsentChangedEvent {
  return { id: view.id, appId: view.appId, tenantId: view.tenantId, status: view.status, version: view.version };
}

/**
 * Consents as the API shows them, as of `now`: effective status, the app's name and state, the
 * selected accounts, the customer's name, unattended calls counted today and the last access. One
 * query per related table for the whole page; on a workstation the same tables come from the
 * synced cache (the access log stays at the hub: lastAccessAt is then null).
 */
/** A user id (officers act by id; customers, apps and the service by a prefixed name). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function toConsentViews(db: Kysely<Database>, rows: readonly ConsentRow[], now: Date): Promise<ConsentView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const appIds = [...new Set(rows.map((r) => r.app_id))];
  const accountIds = [...new Set(rows.flatMap((r) => fromJson<string[]>(r.account_ids)))];
  const customerRefs = [...new Set(rows.map((r) => r.customer_ref).filter((c): c is string => c !== null))];
  const officerIds = [...new Set(rows.map((r) => r.status_changed_by).filter((by) => UUID.test(by)))];
  const [apps, accounts, customers, usage, lastAccess, officers] = await Promise.all([
    db.selectFrom('ob_apps').select(['id', 'name', 'status']).where('id', 'in', appIds).execute(),
    accountIds.length > 0
      ? db.selectFrom('bank_accounts').select(['id', 'account_number', 'name']).where('id', 'in', accountIds).execute()
      : Promise.resolve([]),
    customerRefs.length > 0
      ? db.selectFrom('customers').select(['customer_ref', 'full_name']).where('customer_ref', 'in', customerRefs).execute()
      : Promise.resolve([]),
    db.selectFrom('consent_usage').select(['consent_id', 'count']).where('consent_id', 'in', ids).where('day', '=', bankDay(now)).execute(),
    db
      .selectFrom('consent_access_log')
      .select(['consent_id', (eb) => eb.fn.max('at').as('last')])
      .where('consent_id', 'in', ids)
      .groupBy('consent_id')
      .execute(),
    // The user directory is synced too, so a workstation names the officer offline as well.
    officerIds.length > 0 ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', officerIds).execute() : Promise.resolve([]),
  ]);
  const officerName = new Map(officers.map((o) => [o.id, o.display_name]));
  const changedByName = (by: string): string => {
    if (by === 'system') return 'the service';
    if (by.startsWith('customer:')) return 'the customer';
    if (by.startsWith('app:')) return `the app (${appById.get(by.slice(4))?.name ?? 'unknown'})`;
    return officerName.get(by) ?? 'a bank officer';
  };
  const appById = new Map(apps.map((a) => [a.id, a]));
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const nameByRef = new Map(customers.map((c) => [c.customer_ref, c.full_name]));
  const usedById = new Map(usage.map((u) => [u.consent_id, Number(u.count)]));
  const lastById = new Map(lastAccess.map((l) => [l.consent_id, l.last]));
  return rows.map((row) => {
    const app = appById.get(row.app_id);
    const status = effectiveStatus(row, now);
    const expiredNow = status === 'Expired' && row.status === 'Authorised';
    const last = lastById.get(row.id);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      appId: row.app_id,
      appName: app?.name ?? '(unknown app)',
      appStatus: AppStatus.catch('SUSPENDED').parse(app?.status),
      customerRef: row.customer_ref,
      customerName: row.customer_ref ? (nameByRef.get(row.customer_ref) ?? null) : null,
      permissions: fromJson<unknown[]>(row.permissions).map((p) => ObScope.parse(p)),
      accounts: fromJson<string[]>(row.account_ids).map((id) => {
        const account = accountById.get(id);
        return { id, accountNumber: account?.account_number ?? '', name: account?.name ?? '(unknown account)' };
      }),
      expiresAt: toIsoOrNull(row.expires_at),
      transactionFrom: toIsoOrNull(row.transaction_from),
      transactionTo: toIsoOrNull(row.transaction_to),
      frequencyPerDay: row.frequency_per_day,
      recurring: row.recurring === true || row.recurring === 1,
      status,
      // An Authorised row past its expiry reads as Expired at its expiry instant, by nobody.
      statusReason: expiredNow ? 'EXPIRED' : row.status_reason === null ? null : ConsentStatusReason.parse(row.status_reason),
      statusNote: expiredNow ? null : row.status_note,
      statusChangedAt: expiredNow && row.expires_at !== null ? toIso(row.expires_at) : toIso(row.status_changed_at),
      statusChangedBy: expiredNow ? 'system' : row.status_changed_by,
      statusChangedByName: changedByName(expiredNow ? 'system' : row.status_changed_by),
      createdAt: toIso(row.created_at),
      authorisedAt: toIsoOrNull(row.authorised_at),
      usedToday: usedById.get(row.id) ?? 0,
      lastAccessAt: last === null || last === undefined ? null : toIso(last as string | Date),
      version: row.version,
    };
  });
}

export async function toConsentView(db: Kysely<Database>, row: ConsentRow, now: Date): Promise<ConsentView> {
  const [view] = await toConsentViews(db, [row], now);
  return view!;
}
