import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { notFound } from '../errors.ts';
import { fromJsonOrNull, toBool, toIso, dbBool } from '../db/database.ts';
import { ToggleActionRequest, ToggleCheckQuery, ToggleListQuery, type ToggleConfiguration, type ToggleStatistics } from '../../../shared/src/toggles.ts';
import type { ToggleConfigurationRow } from '../db/schema.ts';
import { createToggle, decideToggleApproval, deleteToggle, readToggleSettings, scheduleToggle, setToggle, toApproval, updateToggle, updateToggleSettings, type ToggleWriteResult } from './commands.ts';
import { toggleState, toToggleConfiguration } from './service.ts';

const BASE = '/api/v1/fraud-api-toggle';
const IdParams = z.object({ id: z.uuid() });

/** Seed 003 /api/v1/fraud-api-toggle endpoints, plus four-eyes approvals, settings and a per-configuration audit trail. */
export function registerToggleRoutes(ctx: ServiceContext): void {
  const { app, authenticator, db, bus } = ctx;
  const toggles = ctx.toggles;

  async function rows(filter: { tenantId?: string; includeInactive?: boolean } = {}): Promise<ToggleConfigurationRow[]> {
    let q = db.kysely.selectFrom('fraud_api_toggle_configurations').selectAll().where('deleted_at', 'is', null);
    if (filter.tenantId) q = q.where('tenant_id', '=', filter.tenantId);
    if (!filter.includeInactive) q = q.where('is_active', '=', dbBool(db.dialect, true));
    return q.orderBy('tenant_id').orderBy('priority').orderBy('created_at').execute();
  }
  const listByState = async (state: 'EFFECTIVE' | 'FUTURE' | 'EXPIRED'): Promise<ToggleConfiguration[]> => {
    const now = Date.now();
    return (await rows()).filter((r) => toggleState(r, now) === state).map((r) => toToggleConfiguration(r, now));
  };

  /** Answers with the configuration, or 202 and the approval request when four-eyes applies. */
  async function write(run: Promise<ToggleWriteResult>, reply: { code(status: number): unknown }, created = false) {
    const result = await run;
    await toggles.reload();
    if (result.kind === 'pending-approval') {
      reply.code(202);
      return { pendingApproval: result.approval };
    }
    if (created) reply.code(201);
    return result.configuration;
  }

  // Seed 003 GET /configurations: all active configurations.
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations`, access: 'toggle:read', query: ToggleListQuery, handler: async ({ query }) => (await rows(query)).map((r) => toToggleConfiguration(r)) });
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/configurations/tenant/:tenantId`, access: 'toggle:read', params: z.object({ tenantId: z.string().min(1).max(50) }),
    handler: async ({ params }) => (await rows({ tenantId: params.tenantId })).map((r) => toToggleConfiguration(r)),
  });
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations/effective`, access: 'toggle:read', handler: () => listByState('EFFECTIVE') });
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations/future`, access: 'toggle:read', handler: () => listByState('FUTURE') });
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations/expired`, access: 'toggle:read', handler: () => listByState('EXPIRED') });
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/configurations/:id`, access: 'toggle:read', params: IdParams,
    async handler({ params }) {
      const row = await db.kysely.selectFrom('fraud_api_toggle_configurations').selectAll().where('id', '=', params.id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!row) throw notFound('toggle configuration');
      return toToggleConfiguration(row);
    },
  });
  // Who created, changed or deleted it, with before and after (issue 4 §6).
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/configurations/:id/audit`, access: 'toggle:read', params: IdParams,
    async handler({ params }) {
      const entries = await db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', params.id).orderBy('occurred_at', 'desc').limit(200).execute();
      return entries.map((e) => ({ id: e.id, occurredAt: toIso(e.occurred_at), actorName: e.actor_name, actorRole: e.actor_role, command: e.command, before: fromJsonOrNull(e.before), after: fromJsonOrNull(e.after) }));
    },
  });

  addRoute(app, authenticator, { method: 'POST', url: `${BASE}/configurations`, access: 'toggle:manage', handler: ({ principal, request, reply }) => write(bus.execute(createToggle, request.body, principal.actor, { requestId: request.id }), reply, true) });
  addRoute(app, authenticator, { method: 'POST', url: `${BASE}/configurations/schedule`, access: 'toggle:manage', handler: ({ principal, request, reply }) => write(bus.execute(scheduleToggle, request.body, principal.actor, { requestId: request.id }), reply, true) });
  addRoute(app, authenticator, {
    method: 'PUT', url: `${BASE}/configurations/:id`, access: 'toggle:manage', params: IdParams,
    handler: ({ principal, params, request, reply }) => write(bus.execute(updateToggle, { ...(request.body as object), id: params.id }, principal.actor, { requestId: request.id }), reply),
  });
  addRoute(app, authenticator, {
    method: 'DELETE', url: `${BASE}/configurations/:id`, access: 'toggle:manage', params: IdParams, status: 204,
    query: z.object({ expectedRowVersion: z.coerce.number().int().positive(), reason: z.string().max(500).optional() }),
    async handler({ principal, params, query, request }) {
      await bus.execute(deleteToggle, { id: params.id, ...query }, principal.actor, { requestId: request.id });
      await toggles.reload();
      return undefined;
    },
  });

  // Seed 003 GET /check: context in query parameters; `at` checks another instant.
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/check`, access: 'toggle:read', query: ToggleCheckQuery,
    handler: async ({ query }) => toggles.resolve(query, query.at ? Date.parse(query.at) : Date.now()),
  });

  for (const action of ['enable', 'disable', 'toggle'] as const) {
    addRoute(app, authenticator, {
      method: 'POST', url: `${BASE}/${action}`, access: 'toggle:manage', body: ToggleActionRequest,
      handler: ({ principal, body, request, reply }) => {
        const currentlyEnabled = toggles.resolve(body).enabled;
        return write(bus.execute(setToggle, { ...body, action, currentlyEnabled }, principal.actor, { requestId: request.id }), reply);
      },
    });
  }

  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/approvals`, access: 'toggle:read', query: z.object({ status: z.enum(['PENDING', 'APPROVED', 'REJECTED']).optional() }),
    async handler({ query }) {
      let q = db.kysely.selectFrom('fraud_api_toggle_approvals').selectAll();
      if (query.status) q = q.where('status', '=', query.status);
      return (await q.orderBy('requested_at', 'desc').limit(200).execute()).map(toApproval);
    },
  });
  for (const [path, approve] of [['approve', true], ['reject', false]] as const) {
    addRoute(app, authenticator, {
      method: 'POST', url: `${BASE}/approvals/:id/${path}`, access: 'toggle:manage', params: IdParams,
      async handler({ principal, params, request }) {
        const decided = await bus.execute(decideToggleApproval, { ...(request.body as object), id: params.id, approve }, principal.actor, { requestId: request.id });
        await toggles.reload();
        return decided;
      },
    });
  }

  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/settings`, access: 'toggle:read', handler: () => db.kysely.transaction().execute((trx) => readToggleSettings({ trx })) });
  addRoute(app, authenticator, { method: 'PUT', url: `${BASE}/settings`, access: 'toggle:manage', handler: ({ principal, request }) => bus.execute(updateToggleSettings, request.body, principal.actor, { requestId: request.id }) });

  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/statistics`, access: 'toggle:read',
    async handler(): Promise<ToggleStatistics> {
      const now = Date.now();
      const all = await rows({ includeInactive: true });
      const byState: Record<string, number> = {};
      const byLevel: Record<string, number> = {};
      let enabledCount = 0;
      for (const r of all) {
        const c = toToggleConfiguration(r, now);
        byState[c.state] = (byState[c.state] ?? 0) + 1;
        byLevel[c.level] = (byLevel[c.level] ?? 0) + 1;
        if (toBool(r.is_enabled)) enabledCount++;
      }
      const recent = await db.kysely.selectFrom('audit_log').selectAll().where('entity_type', '=', 'fraud_api_toggle').orderBy('occurred_at', 'desc').limit(15).execute();
      const pending = await db.kysely.selectFrom('fraud_api_toggle_approvals').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', '=', 'PENDING').executeTakeFirst();
      return {
        byState,
        byLevel,
        enabledCount,
        disabledCount: all.length - enabledCount,
        checksPerHour: toggles.checksPerHour(24),
        recentChanges: recent.map((e) => {
          const after = fromJsonOrNull<{ isEnabled?: boolean; tenantId?: string; level?: string }>(e.after);
          const summary = after ? `${after.isEnabled ? 'enabled' : 'disabled'} for ${after.tenantId ?? ''} (${(after.level ?? '').toLowerCase().replace('_', ' ')} level)` : 'deleted';
          return { at: toIso(e.occurred_at), actor: e.actor_name, command: e.command, configurationId: e.entity_id, summary };
        }),
        nextBoundary: toggles.nextBoundary,
        pendingApprovals: Number(pending?.n ?? 0),
      };
    },
  });

  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/cache/refresh`, access: 'toggle:manage',
    async handler() {
      await toggles.reload();
      return { refreshed: true, configurations: toggles.currentIndex.size, nextBoundary: toggles.nextBoundary };
    },
  });
}

