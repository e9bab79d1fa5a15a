import type { ServiceContext } from '../context.ts';
import { alertOperations as ops, alertRuleOperations as ruleOps, customerContactChangeOperations as contactOps } from '../../../shared/src/contract/alerts.ts';
import { acknowledgeAlert, assignAlert, openAlertCase, recordCustomerContactChange, resolveAlert } from './commands.ts';
import { getAlert, getAlertRule, listAlertRules, listAlerts } from './queries.ts';
import { createAlertRule, deleteAlertRule, updateAlertRule } from './rules.ts';

/**
 * /api/v1/alerts (the inbox), /api/v1/alert-rules (routing) and core banking's contact-change feed,
 * built from the contract (ARCHITECTURE.md rule 2): each handler calls one query or one command.
 */
export function registerAlertRoutes(ctx: ServiceContext): void {
  const { operations, db, bus } = ctx;
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(ops.list, ({ query, scope, principal }) => listAlerts(db.kysely, query, scope, principal.actor.id));
  operations.implement(ops.get, ({ params, scope }) => getAlert(db.kysely, params.id, scope));
  operations.implement(ops.acknowledge, ({ params, body, principal, request }) =>
    bus.execute(acknowledgeAlert, { ...body, alertId: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.assign, ({ params, body, principal, request }) =>
    bus.execute(assignAlert, { ...body, alertId: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.resolve, ({ params, body, principal, request }) =>
    bus.execute(resolveAlert, { ...body, alertId: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.openCase, ({ params, body, principal, request }) =>
    bus.execute(openAlertCase, { ...body, alertId: params.id }, principal.actor, meta(request)),
  );

  operations.implement(ruleOps.list, () => listAlertRules(db.kysely));
  operations.implement(ruleOps.get, ({ params }) => getAlertRule(db.kysely, params.id));
  operations.implement(ruleOps.create, ({ body, principal, request }) => bus.execute(createAlertRule, body, principal.actor, meta(request)));
  operations.implement(ruleOps.update, ({ params, body, principal, request }) =>
    bus.execute(updateAlertRule, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ruleOps.remove, async ({ params, principal, request }) => {
    await bus.execute(deleteAlertRule, { id: params.id }, principal.actor, meta(request));
  });

  operations.implement(contactOps.record, ({ params, body, principal, request }) =>
    bus.execute(recordCustomerContactChange, { ...body, customerRef: params.customerRef }, principal.actor, meta(request)),
  );
}
