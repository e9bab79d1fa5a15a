import { DashboardSummary } from '../dashboard.ts';
import { defineOperation } from './operation.ts';

/** The overview dashboard (ARCHITECTURE.md rule 2): figures of the caller's tenants only. */
export const dashboardOperations = {
  summary: defineOperation({
    name: 'dashboard.summary',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/dashboard/summary',
    access: 'dashboard:read',
    tenant: 'list',
    summary: "Today's assessments, open and overdue cases, closures and the last 24 hours, of the caller's tenants.",
    output: DashboardSummary,
  }),
} as const;
