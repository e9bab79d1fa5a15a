import { z } from 'zod';
import { TenantId } from './tenants.ts';

/**
 * Dashboards (issue 15, seed 001: Overview, Analyst Workbench, Risk Register, Transaction Monitor,
 * Deep Dive Analytics): a time range with comparison to the previous period, drill-down to the
 * filtered list behind each figure, pivots, rule and team performance, exports.
 */

export const DashboardRangeKey = z.enum(['today', '7d', '30d', 'custom']);
export type DashboardRangeKey = z.infer<typeof DashboardRangeKey>;

/** A bank day (Nairobi), YYYY-MM-DD; a half-typed date is a field error. */
const BankDay = z.iso
  .date({ error: 'a date as YYYY-MM-DD' })
  // Both databases must hold it as an instant (PostgreSQL has no year 0).
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'a date between 2000-01-01 and 2100-12-31');

export const DashboardRangeQuery = z
  .object({
    range: DashboardRangeKey.default('today'),
    /** custom only: first and last bank day, inclusive (at most 400 days). */
    from: BankDay.optional(),
    to: BankDay.optional(),
    tenantId: TenantId.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.range !== 'custom') return;
    if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a custom range needs a first day' });
    if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a custom range needs a last day' });
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the last day is before the first' });
    if (q.from && q.to && (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > 400)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 400 days' });
  });
export type DashboardRangeQuery = z.input<typeof DashboardRangeQuery>;

/** The period shown and the one before it (same length, ending where it starts). */
export const ResolvedRange = z.object({
  key: DashboardRangeKey,
  label: z.string(),
  from: z.iso.datetime(),
  /** Exclusive end. */
  to: z.iso.datetime(),
  previousFrom: z.iso.datetime(),
  previousTo: z.iso.datetime(),
  /** hour buckets for today, day buckets otherwise. */
  bucket: z.enum(['hour', 'day']),
});
export type ResolvedRange = z.infer<typeof ResolvedRange>;

/**
 * Where a figure leads: the renderer opens this screen with these search parameters, and the list
 * there shows exactly the rows counted (same filters, same tenants).
 */
export const DrillTarget = z.object({
  screen: z.enum(['assessments', 'cases', 'alerts']),
  filters: z.record(z.string(), z.string()),
});
export type DrillTarget = z.infer<typeof DrillTarget>;

export const Kpi = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(['count', 'kes', 'percent', 'ms']),
  value: z.number(),
  /** The same figure over the previous period (null: not comparable, e.g. a snapshot). */
  previous: z.number().nullable(),
  drill: DrillTarget.nullable(),
});
export type Kpi = z.infer<typeof Kpi>;

export const BreakdownRow = z.object({ key: z.string(), label: z.string(), value: z.number(), previous: z.number(), drill: DrillTarget });
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const DashboardOverview = z.object({
  generatedAt: z.iso.datetime(),
  range: ResolvedRange,
  kpis: z.array(Kpi),
  /** Assessments per bucket (hour or day), with the previous period's aligned bucket by bucket. */
  series: z.array(
    z.object({
      at: z.iso.datetime(),
      total: z.number().int(),
      flagged: z.number().int(),
      previousTotal: z.number().int(),
      previousFlagged: z.number().int(),
      drill: DrillTarget,
    }),
  ),
  byDecision: z.array(BreakdownRow),
  byRiskLevel: z.array(BreakdownRow),
  byChannel: z.array(BreakdownRow),
  alertsBySeverity: z.array(BreakdownRow),
});
export type DashboardOverview = z.infer<typeof DashboardOverview>;

export const PivotDimension = z.enum(['channel', 'paymentType', 'county', 'merchant', 'rule', 'hour', 'weekday', 'day']);
export type PivotDimension = z.infer<typeof PivotDimension>;

export const AnalyticsQuery = z
  .object({
    from: BankDay,
    to: BankDay,
    tenantId: TenantId.optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'the last day is before the first', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 400, { message: 'at most 400 days', path: ['to'] });
export type AnalyticsQuery = z.input<typeof AnalyticsQuery>;

export const PivotQuery = z
  .object({
    from: BankDay,
    to: BankDay,
    tenantId: TenantId.optional(),
    dimension: PivotDimension,
    /** Rows kept, largest count first (merchant has many). */
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine((q) => q.from <= q.to, { message: 'the last day is before the first', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 400, { message: 'at most 400 days', path: ['to'] });
export type PivotQuery = z.input<typeof PivotQuery>;

export const PivotRow = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number().int(),
  valueKes: z.number(),
  /** Assessments the engine did not approve. */
  flagged: z.number().int(),
  flaggedRate: z.number(),
  /** Closed cases of these payments: confirmed fraud and false positives. */
  confirmedFraud: z.number().int(),
  falsePositive: z.number().int(),
  drill: DrillTarget,
});
export type PivotRow = z.infer<typeof PivotRow>;
export const PivotResult = z.object({
  dimension: PivotDimension,
  from: z.iso.date(),
  to: z.iso.date(),
  rows: z.array(PivotRow),
  /** True when the figures of closed days came from the daily rollup. */
  preAggregated: z.boolean(),
});
export type PivotResult = z.infer<typeof PivotResult>;

/**
 * Rule performance from analyst outcomes. A rule "hit" = it fired on an assessment. Of hits whose
 * case was closed: true positive = closed as confirmed fraud (BLOCKED / CONFIRMED_FRAUD),
 * false positive = closed as a false positive. Precision = TP / (TP + FP); hit rate = hits /
 * assessments evaluated by that configuration version.
 */
export const RulePerformanceRow = z.object({
  ruleId: z.string(),
  ruleName: z.string().nullable(),
  configurationId: z.string().nullable(),
  configurationVersion: z.string().nullable(),
  evaluated: z.number().int(),
  hits: z.number().int(),
  hitRate: z.number(),
  closed: z.number().int(),
  truePositive: z.number().int(),
  falsePositive: z.number().int(),
  precision: z.number().nullable(),
  falsePositiveRate: z.number().nullable(),
});
export const RulePerformance = z.object({ byRule: z.array(RulePerformanceRow), byVersion: z.array(RulePerformanceRow) });
export type RulePerformance = z.infer<typeof RulePerformance>;

/**
 * Analyst and queue performance. Cases per hour = decisions / distinct clock hours in which the
 * analyst decided at least one case (time actually working cases, not a shift length we do not
 * know). SLA adherence = share of cases closed on or before their SLA due time. Overturn rate =
 * share of the analyst's decisions later changed: a four-eyes reviewer rejected it, or the case
 * was reopened — never "differs from the engine", which is the analyst's job.
 */
export const AnalystPerformanceRow = z.object({
  userId: z.string(),
  name: z.string(),
  decided: z.number().int(),
  activeHours: z.number().int(),
  casesPerHour: z.number(),
  slaMet: z.number().int(),
  slaAdherence: z.number().nullable(),
  overturned: z.number().int(),
  overturnRate: z.number().nullable(),
  medianHandleMinutes: z.number().nullable(),
});
export const QueuePerformanceRow = z.object({
  queue: z.string(),
  opened: z.number().int(),
  closed: z.number().int(),
  backlog: z.number().int(),
  overdue: z.number().int(),
  slaAdherence: z.number().nullable(),
  medianAgeHours: z.number().nullable(),
  drill: DrillTarget,
});
export const TeamPerformance = z.object({ analysts: z.array(AnalystPerformanceRow), queues: z.array(QueuePerformanceRow) });
export type TeamPerformance = z.infer<typeof TeamPerformance>;

export const FalsePositiveTrendQuery = z
  .object({ from: BankDay, to: BankDay, tenantId: TenantId.optional(), interval: z.enum(['day', 'week']).default('week') })
  .refine((q) => q.from <= q.to, { message: 'the last day is before the first', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 400, { message: 'at most 400 days', path: ['to'] });
export const FalsePositiveTrend = z.object({
  interval: z.enum(['day', 'week']),
  points: z.array(z.object({ bucket: z.iso.date(), closed: z.number().int(), falsePositive: z.number().int(), rate: z.number().nullable() })),
});
export type FalsePositiveTrend = z.infer<typeof FalsePositiveTrend>;

export const DashboardName = z.enum(['overview', 'deep-dive']);
export const DashboardExportFormat = z.enum(['pdf', 'csv', 'xlsx']);
export const DashboardExportQuery = z
  .object({
    format: DashboardExportFormat,
    range: DashboardRangeKey.default('today'),
    from: BankDay.optional(),
    to: BankDay.optional(),
    tenantId: TenantId.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.range === 'custom' && (!q.from || !q.to)) ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'a custom range needs both days' });
    if (q.range === 'custom' && q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the last day is before the first' });
    if (q.range === 'custom' && q.from && q.to && (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > 400)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 400 days' });
  });
export type DashboardExportQuery = z.input<typeof DashboardExportQuery>;
