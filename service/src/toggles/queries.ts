import type { Kysely } from 'kysely';
import type { Database, ToggleConfigurationRow } from '../db/schema.ts';
import { dbBool, fromJson, fromJsonOrNull, toBool, toIso, type Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { ToggleApproval, ToggleAuditEntry, ToggleConfiguration, ToggleState, ToggleStatistics } from '../../../shared/src/toggles.ts';
import { toApproval } from './commands.ts';
import { entryFromRow, toggleState, toToggleConfiguration, type ToggleService } from './service.ts';
import { ToggleIndex } from './resolver.ts';

/**
 * The toggle screens' reads (ARCHITECTURE.md rule 2: one query per route). Every list is filtered
 * to the caller's tenants (`scope.narrow` / `scope.sqlList`); a configuration of another tenant
 * does not exist for the caller (404). "Now" comes from the injected clock (rule 3).
 */

/** Entity types of toggles in audit_log: the toggle audit reads nothing else (issue 10 item 10). */
const TOGGLE_AUDIT_TYPES = ['fraud_api_toggle'] as const;

async function rows(db: Kysely<Database>, dialect: Db['dialect'], tenants: string[] | null, includeInactive = false): Promise<ToggleConfigurationRow[]> {
  let q = db.selectFrom('fraud_api_toggle_configurations').selectAll().where('deleted_at', 'is', null);
  if (tenants) q = q.where('tenant_id', 'in', tenants);
  if (!includeInactive) q = q.where('is_active', '=', dbBool(dialect, true));
  return q.orderBy('tenant_id').orderBy('priority').orderBy('created_at').execute();
}

export async function listConfigurations(
  db: Db,
  scope: TenantScope,
  filter: { tenantId?: string | undefined; includeInactive?: boolean | undefined },
  nowMs: number,
): Promise<ToggleConfiguration[]> {
  return (await rows(db.kysely, db.dialect, scope.narrow(filter.tenantId), filter.includeInactive)).map((r) => toToggleConfiguration(r, nowMs));
}

export async function listConfigurationsByState(
  db: Db,
  scope: TenantScope,
  state: Exclude<ToggleState, 'INACTIVE'>,
  nowMs: number,
): Promise<ToggleConfiguration[]> {
  return (await rows(db.kysely, db.dialect, scope.sqlList())).filter((r) => toggleState(r, nowMs) === state).map((r) => toToggleConfiguration(r, nowMs));
}

/** One configuration; `includeDeleted` for its audit trail, which outlives it. */
async function visibleRow(db: Kysely<Database>, scope: TenantScope, id: string, includeDeleted = false): Promise<ToggleConfigurationRow> {
  let q = db.selectFrom('fraud_api_toggle_configurations').selectAll().where('id', '=', id);
  if (!includeDeleted) q = q.where('deleted_at', 'is', null);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('toggle configuration');
  scope.assertVisible(row.tenant_id, 'toggle configuration');
  return row;
}

export async function getConfiguration(db: Db, scope: TenantScope, id: string, nowMs: number): Promise<ToggleConfiguration> {
  return toToggleConfiguration(await visibleRow(db.kysely, scope, id), nowMs);
}

/**
 * Who created, changed or deleted one configuration (issue 4 §6). Only audit rows of toggles, of a
 * configuration the caller may see: an id of anything else (a case comment, a user) answers 404,
 * never that entity's trail (issue 10 item 10). Served by audit_entity_idx.
 */
export async function configurationAudit(db: Db, scope: TenantScope, id: string): Promise<ToggleAuditEntry[]> {
  await visibleRow(db.kysely, scope, id, true);
  const entries = await db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', 'in', [...TOGGLE_AUDIT_TYPES])
    .where('entity_id', '=', id)
    .orderBy('occurred_at', 'desc')
    .limit(200)
    .execute();
  return entries.map((e) => ({
    id: e.id,
    occurredAt: toIso(e.occurred_at),
    actorName: e.actor_name,
    actorRole: e.actor_role,
    command: e.command,
    before: fromJsonOrNull(e.before),
    after: fromJsonOrNull(e.after),
  }));
}

/** Four-eyes requests of the caller's tenants (the tenant is in the request; there are few). */
export async function listApprovals(db: Db, scope: TenantScope, status: ToggleApproval['status'] | undefined): Promise<ToggleApproval[]> {
  let q = db.kysely.selectFrom('fraud_api_toggle_approvals').selectAll();
  if (status) q = q.where('status', '=', status);
  const all = await q.orderBy('requested_at', 'desc').limit(500).execute();
  return all
    .filter((r) => scope.allows(fromJson<{ tenantId: string }>(r.request).tenantId))
    .slice(0, 200)
    .map(toApproval);
}

export async function toggleStatistics(db: Db, toggles: ToggleService, scope: TenantScope, nowMs: number): Promise<ToggleStatistics> {
  const tenants = scope.sqlList();
  const all = await rows(db.kysely, db.dialect, tenants, true);
  const byState: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  let enabledCount = 0;
  for (const r of all) {
    const c = toToggleConfiguration(r, nowMs);
    byState[c.state] = (byState[c.state] ?? 0) + 1;
    byLevel[c.level] = (byLevel[c.level] ?? 0) + 1;
    if (toBool(r.is_enabled)) enabledCount++;
  }
  let recentQuery = db.kysely.selectFrom('audit_log').selectAll().where('entity_type', '=', 'fraud_api_toggle');
  if (tenants) recentQuery = recentQuery.where('tenant_id', 'in', tenants);
  const recent = await recentQuery.orderBy('occurred_at', 'desc').limit(15).execute();
  const pending = await listApprovals(db, scope, 'PENDING');
  return {
    byState,
    byLevel,
    enabledCount,
    disabledCount: all.length - enabledCount,
    checksPerHour: toggles.checksPerHour(24, tenants),
    recentChanges: recent.map((e) => {
      const after = fromJsonOrNull<{ isEnabled?: boolean; tenantId?: string; level?: string }>(e.after);
      const summary = after
        ? `${after.isEnabled ? 'enabled' : 'disabled'} for ${after.tenantId ?? ''} (${(after.level ?? '').toLowerCase().replace('_', ' ')} level)`
        : 'deleted';
      return { at: toIso(e.occurred_at), actor: e.actor_name, command: e.command, configurationId: e.entity_id, summary };
    }),
    // The caller's tenants' next window boundary, not another tenant's.
    nextBoundary: nextBoundaryOf(all, nowMs),
    pendingApprovals: pending.length,
  };
}

function nextBoundaryOf(rows: readonly ToggleConfigurationRow[], nowMs: number): string | null {
  const next = new ToggleIndex(rows.filter((r) => toBool(r.is_active)).map(entryFromRow)).nextBoundary(nowMs);
  return next === null ? null : new Date(next).toISOString();
}
