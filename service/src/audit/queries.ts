import type { Principal } from '../auth/principal.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { Db } from '../db/database.ts';
import { fromJsonOrNull, toIso } from '../db/database.ts';
import { AUDIT_ENTITY_ACCESS, type AuditEntry, type AuditListQuery } from '../../../shared/src/audit.ts';
import type { Page } from '../../../shared/src/api.ts';

/** The entity types whose audit rows a reader may see, split by whether they belong to a tenant. */
export function readableAuditTypes(permissions: Principal['permissions']): { tenantScoped: string[]; bankWide: string[] } {
  const tenantScoped: string[] = [];
  const bankWide: string[] = [];
  for (const [type, access] of Object.entries(AUDIT_ENTITY_ACCESS)) {
    if (!permissions.has(access.permission)) continue;
    (access.tenantScoped ? tenantScoped : bankWide).push(type);
  }
  return { tenantScoped, bankWide };
}

/**
 * The audit log as one reader may see it (issue 10 item 10, ARCHITECTURE.md "Tenants"): rows of
 * entity types it may read itself, and of those that belong to a tenant, only its tenants' rows.
 * A tenant-scoped row whose tenant is unknown (null) is shown only to readers of every tenant
 * (fail closed). Unlisted entity types are shown to nobody.
 */
export async function listAudit(db: Db, principal: Principal, scope: TenantScope, query: AuditListQuery): Promise<Page<AuditEntry>> {
  const { tenantScoped, bankWide } = readableAuditTypes(principal.permissions);
  const tenants = scope.sqlList();
  let base = db.kysely.selectFrom('audit_log').where((eb) => {
    const visible = [];
    if (tenantScoped.length > 0) {
      visible.push(tenants === null ? eb('entity_type', 'in', tenantScoped) : eb.and([eb('entity_type', 'in', tenantScoped), eb('tenant_id', 'in', tenants)]));
    }
    if (bankWide.length > 0) visible.push(eb('entity_type', 'in', bankWide));
    // No readable type at all: nothing (an empty `or` is false).
    return eb.or(visible);
  });
  if (query.entityType) base = base.where('entity_type', '=', query.entityType);
  if (query.entityId) base = base.where('entity_id', '=', query.entityId);
  if (query.actorId) base = base.where('actor_id', '=', query.actorId);
  if (query.command) base = base.where('command', '=', query.command);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      occurredAt: toIso(r.occurred_at),
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      command: r.command,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: fromJsonOrNull<Record<string, unknown>>(r.before),
      after: fromJsonOrNull<Record<string, unknown>>(r.after),
    })),
    total: Number(count.total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
