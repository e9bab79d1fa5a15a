import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { AuditListQuery, type AuditEntry } from '../../../shared/src/audit.ts';
import type { Page } from '../../../shared/src/api.ts';
import { fromJsonOrNull, toIso } from '../db/database.ts';

export function registerAuditRoutes(ctx: ServiceContext): void {
  addRoute(ctx.app, ctx.authenticator, {
    method: 'GET',
    url: '/api/v1/audit',
    access: 'audit:read',
    query: AuditListQuery,
    async handler({ query }): Promise<Page<AuditEntry>> {
      let base = ctx.db.kysely.selectFrom('audit_log');
      if (query.entityType) base = base.where('entity_type', '=', query.entityType);
      if (query.entityId) base = base.where('entity_id', '=', query.entityId);
      if (query.actorId) base = base.where('actor_id', '=', query.actorId);
      if (query.command) base = base.where('command', '=', query.command);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(query.pageSize).offset(query.page * query.pageSize).execute(),
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
    },
  });
}
