import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { dbBool, type DatabaseDialect } from '../../db/database.ts';
import type { Principal } from '../../auth/principal.ts';
import type { TenantScope } from '../../auth/tenant-scope.ts';

/**
 * Who a snapshot or change page is for (shared/src/sync.ts SYNC_SCOPE): decided from the token,
 * never from the request (ARCHITECTURE.md rule 6).
 */
export interface SyncViewer {
  userId: string;
  scope: TenantScope;
  /** Without case:read a user receives reference data only. */
  readsCases: boolean;
  /** Without risk:read a user receives none of the risk register (issue 13). */
  readsRisks: boolean;
  /** Without consent:read a user receives none of the consent register (issue 14). */
  readsConsents: boolean;
  /** Cases closed after this instant (ISO) stay in scope (RECENTLY_CLOSED_DAYS). */
  closedSince: string;
}

/**
 * A case someone just decided stays on the workstations that held it for this long, so the
 * analyst who closed it (or the colleague looking at it) still sees it with its outcome.
 */
export const RECENTLY_CLOSED_DAYS = 14;

export function syncViewer(principal: Principal, scope: TenantScope, now: Date): SyncViewer {
  const closedSince = new Date(now.getTime() - RECENTLY_CLOSED_DAYS * 86_400_000).toISOString();
  return {
    userId: principal.actor.id,
    scope,
    readsCases: principal.permissions.has('case:read'),
    readsRisks: principal.permissions.has('risk:read'),
    readsConsents: principal.permissions.has('consent:read'),
    closedSince,
  };
}

/**
 * THE scope rule for case data, used by the snapshot and the change feed alike: live cases of the
 * caller's tenants that are open (every queue, escalations included), assigned to the caller, or
 * closed in the last RECENTLY_CLOSED_DAYS.
 * Nothing at all for a caller who may not read cases.
 */
export function inSyncScope<O>(
  query: SelectQueryBuilder<Database, 'cases', O>,
  viewer: SyncViewer,
  dialect: DatabaseDialect,
): SelectQueryBuilder<Database, 'cases', O> {
  if (!viewer.readsCases) return query.where(sql<boolean>`1 = 0`);
  let q = query.where('cases.deleted_at', 'is', null);
  const tenants = viewer.scope.sqlList();
  if (tenants) q = q.where('cases.tenant_id', 'in', tenants);
  return q.where((eb) =>
    eb.or([eb('cases.is_open', '=', dbBool(dialect, true)), eb('cases.assignee_id', '=', viewer.userId), eb('cases.closed_at', '>', viewer.closedSince)]),
  );
}

/** Ids of the cases in the caller's scope, as a subquery (`case_id in (…)`). */
export function scopedCaseIds(db: Kysely<Database>, viewer: SyncViewer, dialect: DatabaseDialect) {
  return inSyncScope(db.selectFrom('cases'), viewer, dialect).select('cases.id');
}

/**
 * A case of another tenant does not exist for this caller (ARCHITECTURE.md "Tenants"): the feed
 * skips it rather than sending even its removal. Same rule as the case commands' assertCaseVisible.
 */
export function tenantVisible(viewer: SyncViewer, tenantId: string | null): boolean {
  return viewer.scope.isAll || (tenantId !== null && viewer.scope.allows(tenantId));
}
