import type { FastifyReply } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { toggleOperations as ops } from '../../../shared/src/contract/toggles.ts';
import type { ToggleWriteAnswer } from '../../../shared/src/toggles.ts';
import {
  createToggle,
  decideToggleApproval,
  deleteToggle,
  readToggleSettings,
  scheduleToggle,
  setToggle,
  updateToggle,
  updateToggleSettings,
  type ToggleWriteResult,
} from './commands.ts';
import { configurationAudit, getConfiguration, listApprovals, listConfigurations, listConfigurationsByState, toggleStatistics } from './queries.ts';

/** 202 with the approval request when four-eyes applies; otherwise the configuration. */
function answer(result: ToggleWriteResult, reply: FastifyReply): ToggleWriteAnswer {
  if (result.kind === 'pending-approval') {
    reply.code(202);
    return { pendingApproval: result.approval };
  }
  return result.configuration;
}

/**
 * Seed 003 /api/v1/fraud-api-toggle, built from the contract (shared/src/contract/toggles.ts,
 * ARCHITECTURE.md rule 2). Handlers call one command or one query; reloading the in-memory
 * resolver hangs off the bus's after-commit event (ToggleService, rule 1), and writes answer once
 * this hub holds the change (`toggles.execute`).
 */
export function registerToggleRoutes(ctx: ServiceContext): void {
  const { operations, db, toggles, clock } = ctx;
  const now = () => clock.now().getTime();
  const meta = (request: { id: string }) => ({ requestId: request.id });

  operations.implement(ops.list, ({ scope, query }) => listConfigurations(db, scope, query, now()));
  operations.implement(ops.byTenant, ({ scope, params }) => listConfigurations(db, scope, { tenantId: params.tenantId }, now()));
  operations.implement(ops.effective, ({ scope }) => listConfigurationsByState(db, scope, 'EFFECTIVE', now()));
  operations.implement(ops.future, ({ scope }) => listConfigurationsByState(db, scope, 'FUTURE', now()));
  operations.implement(ops.expired, ({ scope }) => listConfigurationsByState(db, scope, 'EXPIRED', now()));
  operations.implement(ops.get, ({ scope, params }) => getConfiguration(db, scope, params.id, now()));
  operations.implement(ops.audit, ({ scope, params }) => configurationAudit(db, scope, params.id));

  operations.implement(ops.create, async ({ principal, body, request, reply }) =>
    answer(await toggles.execute(createToggle, body, principal.actor, meta(request)), reply),
  );
  operations.implement(ops.schedule, async ({ principal, body, request, reply }) =>
    answer(await toggles.execute(scheduleToggle, body, principal.actor, meta(request)), reply),
  );
  operations.implement(ops.update, async ({ principal, params, body, request, reply }) =>
    answer(await toggles.execute(updateToggle, { ...body, id: params.id }, principal.actor, meta(request)), reply),
  );
  operations.implement(ops.remove, async ({ principal, params, query, request }) => {
    await toggles.execute(deleteToggle, { id: params.id, ...query }, principal.actor, meta(request));
  });

  // Seed 003 GET /check: context in query parameters; `at` checks another instant.
  operations.implement(ops.check, ({ query }) => toggles.explain(query, query.at ? Date.parse(query.at) : now()));
  for (const action of ['enable', 'disable', 'toggle'] as const) {
    operations.implement(ops[action], async ({ principal, body, request, reply }) =>
      answer(await toggles.execute(setToggle, { ...body, action }, principal.actor, meta(request)), reply),
    );
  }

  operations.implement(ops.approvals, ({ scope, query }) => listApprovals(db, scope, query.status));
  operations.implement(ops.approve, ({ principal, params, body, request }) =>
    toggles.execute(decideToggleApproval, { ...body, id: params.id, approve: true }, principal.actor, meta(request)),
  );
  operations.implement(ops.reject, ({ principal, params, body, request }) =>
    toggles.execute(decideToggleApproval, { ...body, id: params.id, approve: false }, principal.actor, meta(request)),
  );

  operations.implement(ops.settings, () => db.kysely.transaction().execute((trx) => readToggleSettings({ trx })));
  operations.implement(ops.updateSettings, ({ principal, body, request }) => toggles.execute(updateToggleSettings, body, principal.actor, meta(request)));
  operations.implement(ops.statistics, ({ scope }) => toggleStatistics(db, toggles, scope, now()));
  operations.implement(ops.refresh, () => toggles.refresh());
}
