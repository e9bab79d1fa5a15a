import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { DashboardExportQuery, DashboardOverview, PivotDimension } from '../../../shared/src/analytics.ts';
import { dashboardOverview } from './overview.ts';
import { pivot } from './pivot.ts';
import { rulePerformance } from './rule-performance.ts';
import { teamPerformance } from './team-performance.ts';
import { falsePositiveTrend } from './false-positive-trend.ts';
import { bankDayOf } from './range.ts';

/** One table of an export: a sheet in XLSX, a section in CSV, a table (and maybe a bar chart) in the PDF. */
export interface ExportTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
  /** Columns drawn as a bar chart in the PDF: label column index and value column index. */
  chart?: { label: number; value: number };
}

export interface DashboardData {
  title: string;
  rangeLabel: string;
  from: string;
  to: string;
  generatedAt: string;
  tables: ExportTable[];
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

function overviewTables(o: DashboardOverview): ExportTable[] {
  const breakdown = (title: string, rows: DashboardOverview['byDecision']): ExportTable => ({
    title,
    columns: ['Key', 'Label', 'This period', 'Previous period'],
    rows: rows.map((r) => [r.key, r.label, r.value, r.previous]),
    chart: { label: 1, value: 2 },
  });
  return [
    {
      title: 'Key figures',
      columns: ['Figure', 'Unit', 'This period', 'Previous period'],
      rows: o.kpis.map((k) => [k.label, k.unit, Math.round(k.value * 100) / 100, k.previous === null ? null : Math.round(k.previous * 100) / 100]),
    },
    {
      title: o.range.bucket === 'hour' ? 'Assessments per hour' : 'Assessments per day',
      columns: ['Bucket start', 'Total', 'Flagged', 'Previous total', 'Previous flagged'],
      rows: o.series.map((s) => [s.at, s.total, s.flagged, s.previousTotal, s.previousFlagged]),
    },
    breakdown('Engine decisions', o.byDecision),
    breakdown('Risk levels', o.byRiskLevel),
    breakdown('Channels', o.byChannel),
    breakdown('Alerts by severity', o.alertsBySeverity),
  ];
}

const PIVOTS: Array<[PivotDimension, string]> = [
  ['channel', 'By channel'],
  ['paymentType', 'By payment type'],
  ['county', 'By county'],
  ['merchant', 'By merchant (payee account), top 50'],
  ['rule', 'By rule that fired'],
  ['hour', 'By hour (Nairobi)'],
  ['weekday', 'By weekday'],
];

/** What a dashboard export holds: the same queries the screens call, for the range asked. */
export async function dashboardData(
  db: Db,
  scope: TenantScope,
  dashboard: 'overview' | 'deep-dive',
  query: DashboardExportQuery,
  now: Date,
): Promise<DashboardData> {
  const overview = await dashboardOverview(db, scope, { range: query.range ?? 'today', from: query.from, to: query.to, tenantId: query.tenantId }, now);
  const from = bankDayOf(new Date(overview.range.from));
  const to = bankDayOf(new Date(new Date(overview.range.to).getTime() - 1));
  const base = { rangeLabel: overview.range.label, from, to, generatedAt: now.toISOString() };
  if (dashboard === 'overview') return { title: 'Overview', ...base, tables: overviewTables(overview) };
  const days = { from, to, tenantId: query.tenantId };
  const [pivots, rules, team, trend] = await Promise.all([
    Promise.all(PIVOTS.map(([dimension]) => pivot(db, scope, { ...days, dimension, limit: 50 }, now))),
    rulePerformance(db, scope, days, now),
    teamPerformance(db, scope, days, now),
    falsePositiveTrend(db, scope, { ...days, interval: 'day' }),
  ]);
  const tables: ExportTable[] = pivots.map((p, i) => ({
    title: PIVOTS[i]?.[1] ?? p.dimension,
    columns: ['Key', 'Label', 'Assessments', 'Value (KES)', 'Flagged', 'Flagged %', 'Confirmed fraud', 'False positives'],
    rows: p.rows.map((r) => [r.key, r.label, r.count, Math.round(r.valueKes * 100) / 100, r.flagged, pct(r.flaggedRate), r.confirmedFraud, r.falsePositive]),
    chart: { label: 1, value: 2 },
  }));
  const ruleRow = (r: (typeof rules.byRule)[number]) => [
    r.ruleId,
    r.ruleName,
    r.configurationVersion,
    r.evaluated,
    r.hits,
    pct(r.hitRate),
    r.truePositive,
    r.falsePositive,
    pct(r.precision),
  ];
  const ruleColumns = ['Rule', 'Name', 'Version', 'Evaluated', 'Hits', 'Hit rate %', 'True positives', 'False positives', 'Precision %'];
  tables.push(
    { title: 'Rule performance', columns: ruleColumns, rows: rules.byRule.map(ruleRow), chart: { label: 0, value: 4 } },
    { title: 'Rule performance per configuration version', columns: ruleColumns, rows: rules.byVersion.map(ruleRow) },
    {
      title: 'Analysts',
      columns: ['Analyst', 'Decided', 'Active hours', 'Cases per hour', 'SLA met %', 'Overturned', 'Overturn %', 'Median handle (min)'],
      rows: team.analysts.map((a) => [
        a.name,
        a.decided,
        a.activeHours,
        Math.round(a.casesPerHour * 100) / 100,
        pct(a.slaAdherence),
        a.overturned,
        pct(a.overturnRate),
        a.medianHandleMinutes === null ? null : Math.round(a.medianHandleMinutes),
      ]),
      chart: { label: 0, value: 1 },
    },
    {
      title: 'Queues',
      columns: ['Queue', 'Opened', 'Closed', 'Backlog', 'Overdue', 'SLA met %', 'Median age (h)'],
      rows: team.queues.map((q) => [
        q.queue,
        q.opened,
        q.closed,
        q.backlog,
        q.overdue,
        pct(q.slaAdherence),
        q.medianAgeHours === null ? null : Math.round(q.medianAgeHours * 10) / 10,
      ]),
    },
    {
      title: 'False-positive trend',
      columns: ['Day', 'Closed', 'False positives', 'Rate %'],
      rows: trend.points.map((p) => [p.bucket, p.closed, p.falsePositive, pct(p.rate)]),
    },
  );
  return { title: 'Deep Dive Analytics', ...base, tables };
}
