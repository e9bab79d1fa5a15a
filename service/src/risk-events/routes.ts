import type { ServiceContext } from '../context.ts';
import { riskEventOperations as ops } from '../../../shared/src/contract/risk-events.ts';
import { closeRiskEvent, createRiskEvent, updateRiskEvent } from './commands.ts';
import { getRiskEvent, listRiskEvents } from './queries.ts';

/** /api/v1/risk-events, built from the contract (ARCHITECTURE.md rule 2). */
export function registerRiskEventRoutes(ctx: ServiceContext): void {
  const { operations, db, bus } = ctx;
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(ops.list, ({ query, scope }) => listRiskEvents(db.kysely, query, scope));
  operations.implement(ops.get, ({ params, scope }) => getRiskEvent(db.kysely, params.id, scope));
  operations.implement(ops.create, ({ body, principal, request }) => bus.execute(createRiskEvent, body, principal.actor, meta(request)));
  operations.implement(ops.update, ({ params, body, principal, request }) =>
    bus.execute(updateRiskEvent, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.close, ({ params, body, principal, request }) =>
    bus.execute(closeRiskEvent, { ...body, id: params.id }, principal.actor, meta(request)),
  );
}
