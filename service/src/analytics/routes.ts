import type { ServiceContext } from '../context.ts';
import { analyticsOperations as ops } from '../../../shared/src/contract/analytics.ts';
import { dashboardOverview } from './overview.ts';
import { pivot } from './pivot.ts';
import { rulePerformance } from './rule-performance.ts';
import { teamPerformance } from './team-performance.ts';
import { falsePositiveTrend } from './false-positive-trend.ts';
import { dashboardData } from './export-tables.ts';
import { dashboardCsv, dashboardXlsx, renderDashboardPdf } from './export.ts';

const CONTENT_TYPES = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * Dashboards and Deep Dive Analytics, built from the contract (shared/src/contract/analytics.ts,
 * ARCHITECTURE.md rule 2): each handler runs one query; export files are sent on `reply`.
 */
export function registerAnalyticsRoutes(ctx: ServiceContext): void {
  const { db, operations, clock } = ctx;
  operations.implement(ops.overview, ({ query, scope }) => dashboardOverview(db, scope, query, clock.now()));
  operations.implement(ops.pivot, ({ query, scope }) => pivot(db, scope, query, clock.now()));
  operations.implement(ops.rulePerformance, ({ query, scope }) => rulePerformance(db, scope, query, clock.now()));
  operations.implement(ops.teamPerformance, ({ query, scope }) => teamPerformance(db, scope, query, clock.now()));
  operations.implement(ops.falsePositiveTrend, ({ query, scope }) => falsePositiveTrend(db, scope, query));
  operations.implement(ops.export, async ({ params, query, scope, principal, reply }) => {
    const data = await dashboardData(db, scope, params.dashboard, query, clock.now());
    const body =
      query.format === 'csv'
        ? dashboardCsv(data)
        : query.format === 'xlsx'
          ? await dashboardXlsx(data)
          : await renderDashboardPdf(data, { generatedBy: principal.actor.name, tenants: scope.isAll ? 'all tenants' : (scope.sqlList() ?? []).join(', ') });
    const fileName = `${params.dashboard}-${data.from}-to-${data.to}.${query.format}`;
    return reply.type(CONTENT_TYPES[query.format]).header('Content-Disposition', `attachment; filename="${fileName}"`).send(body);
  });
}
