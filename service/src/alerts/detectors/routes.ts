import type { ServiceContext } from '../../context.ts';
import { alertThresholdOperations as ops } from '../../../../shared/src/contract/alerts.ts';
import { backtestAlertThresholds } from './backtest.ts';
import { listAlertThresholds, updateAlertThreshold } from './thresholds.ts';

/** /api/v1/alert-thresholds: the detectors' thresholds per tenant and their backtest (ARCHITECTURE.md rule 2: one call per handler). */
export function registerAlertThresholdRoutes(ctx: ServiceContext): void {
  const { operations, db, bus } = ctx;
  operations.implement(ops.list, ({ query, scope }) => listAlertThresholds(db.kysely, query, scope));
  operations.implement(ops.update, ({ params, body, principal, request }) =>
    bus.execute(updateAlertThreshold, { ...body, pattern: params.pattern }, principal.actor, { requestId: request.id }),
  );
  operations.implement(ops.backtest, ({ body }) => backtestAlertThresholds(db.kysely, body));
}
