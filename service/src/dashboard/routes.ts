import type { ServiceContext } from '../context.ts';
import { dashboardOperations } from '../../../shared/src/contract/dashboard.ts';
import { dashboardSummary } from './summary.ts';

/** GET /api/v1/dashboard/summary, built from the contract (shared/src/contract/dashboard.ts, ARCHITECTURE.md rule 2). */
export function registerDashboardRoutes(ctx: ServiceContext): void {
  ctx.operations.implement(dashboardOperations.summary, ({ scope }) => dashboardSummary(ctx.db, scope, ctx.clock.now()));
}
