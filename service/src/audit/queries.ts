import type { Principal } from '../auth/principal.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { Db } from '../db/database.ts';
import { fromJsonOrNull, toIso } from '../db/database.ts';
import { AUDIT_ENTITY_ACCESS, type AuditEntry, type AuditListQuery } from '../../../shared/src/audit.ts';
import type { Page } from '../../../shared/src/api.ts';
import { likeEscape } from '../db/dialect.ts';
import { entityIdsFor, resolveSubjects } from './subjects.ts';
import { sql } from 'kysely';

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
  // An id, or a case / payment reference of the reader's tenants (another tenant's reference finds nothing).
  if (query.entityId) base = base.where('entity_id', 'in', await entityIdsFor(db.kysely, query.entityId, tenants));
  if (query.actorId) base = base.where('actor_id', '=', query.actorId);
  if (query.actor) {
    const pattern = `%${likeEscape(query.actor.toLowerCase())}%`;
    const usernames = db.kysely
      .selectFrom('users')
      // actor_id is text (users and machine clients); users.id is a uuid on PostgreSQL.
      .select(sql<string>`cast(id as varchar)`.as('id'))
      .where(sql<boolean>`lower(username) like ${pattern} escape '\\'`);
    base = base.where((eb) => eb.or([eb(sql`lower(actor_name)`, 'like', sql`${pattern} escape '\\'`), eb('actor_id', 'in', usernames)]));
  }
  // "case." is every case command; anything else is one command.
  if (query.command) {
    base = query.command.endsWith('.')
      ? base.where(sql<boolean>`command like ${`${likeEscape(query.command)}%`} escape '\\'`)
      : base.where('command', '=', query.command);
  }
  // Instants compare as UTC ISO text on SQLite and as timestamps on PostgreSQL: normalise the offset away.
  if (query.from) base = base.where('occurred_at', '>=', new Date(query.from).toISOString());
  if (query.to) base = base.where('occurred_at', '<', new Date(query.to).toISOString());
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
  const subjects = await resolveSubjects(db.kysely, rows, tenants);
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
      subject: subjects.get(`${r.entity_type}:${r.entity_id}`) ?? null,
    })),
    total: Number(count.total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
