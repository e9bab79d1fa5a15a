import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { Channel } from '../../../shared/src/payments.ts';
import { AlertSeverity } from '../../../shared/src/alerts.ts';
import { OPEN_CASE_STATES } from '../../../shared/src/cases.ts';
import type { BreakdownRow, DashboardOverview, DashboardRangeQuery, DrillTarget, Kpi, ResolvedRange } from '../../../shared/src/analytics.ts';
import { factsOver, type FactRow } from './facts.ts';
import { bankDayOf, bankDayStart, DAY_MS, resolveRange, type Interval } from './range.ts';

const HOUR_MS = 3_600_000;

/** A drill to the assessments list: the range's instants, the tenant asked for, and the figure's own filters. */
export function assessmentsDrill(interval: Interval, tenantId: string | undefined, filters: Record<string, string> = {}): DrillTarget {
  return {
    screen: 'assessments',
    filters: { from: interval.from.toISOString(), to: interval.to.toISOString(), ...(tenantId ? { tenantId } : {}), ...filters },
  };
}

function totalsOf(rows: readonly FactRow[]) {
  return rows.reduce((t, r) => ({ count: t.count + r.count, valueKes: t.valueKes + r.valueKes, flagged: t.flagged + r.flagged }), {
    count: 0,
    valueKes: 0,
    flagged: 0,
  });
}

async function caseFigures(db: Db, tenants: readonly string[] | null, interval: Interval) {
  const from = interval.from.toISOString();
  const to = interval.to.toISOString();
  const tenantFilter = tenants ? sql`and tenant_id in (${sql.join([...tenants])})` : sql``;
  // Two range reads, each on its own index (created_at, closed_at): an "or" of both ranges scans every case.
  const { rows } = await sql<{
    opened: number | string | null;
    confirmed: number | string | null;
    false_positive: number | string | null;
    blocked_kes: number | string | null;
  }>`
    select
      (select count(*) from cases where deleted_at is null and created_at >= ${from} and created_at < ${to} ${tenantFilter}) as opened,
      sum(case when outcome = 'BLOCKED' then 1 else 0 end) as confirmed,
      sum(case when outcome = 'APPROVED' then 1 else 0 end) as false_positive,
      sum(case when outcome = 'BLOCKED' then total_amount_kes else 0 end) as blocked_kes
    from cases
    where deleted_at is null and closed_at >= ${from} and closed_at < ${to} ${tenantFilter}`.execute(db.kysely);
  const r = rows[0];
  return {
    opened: Number(r?.opened ?? 0),
    confirmed: Number(r?.confirmed ?? 0),
    falsePositive: Number(r?.false_positive ?? 0),
    blockedKes: Number(r?.blocked_kes ?? 0),
  };
}

async function alertsBySeverity(db: Db, tenants: readonly string[] | null, interval: Interval): Promise<Map<string, number>> {
  let query = db.kysely
    .selectFrom('alerts')
    // By when the pattern happened (the payments' time), as the inbox's date filter counts them.
    .where('detected_at', '>=', interval.from.toISOString())
    .where('detected_at', '<', interval.to.toISOString())
    .select(['severity', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('severity');
  if (tenants) query = query.where('tenant_id', 'in', [...tenants]);
  return new Map((await query.execute()).map((r) => [r.severity, Number(r.count)]));
}

async function openCaseSnapshot(db: Db, tenants: readonly string[] | null, now: Date) {
  const tenantFilter = tenants ? sql`and tenant_id in (${sql.join([...tenants])})` : sql``;
  const { rows } = await sql<{ open: number | string | null; overdue: number | string | null }>`
    select count(*) as open,
      sum(case when sla_paused_at is null and sla_due_at < ${now.toISOString()} then 1 else 0 end) as overdue
    from cases where deleted_at is null and state in (${sql.join([...OPEN_CASE_STATES])}) ${tenantFilter}`.execute(db.kysely);
  return { open: Number(rows[0]?.open ?? 0), overdue: Number(rows[0]?.overdue ?? 0) };
}

function breakdown(
  keys: readonly string[],
  current: readonly FactRow[],
  previous: readonly FactRow[],
  label: (key: string) => string,
  drill: (key: string) => DrillTarget,
): BreakdownRow[] {
  const by = (rows: readonly FactRow[]) => new Map(rows.map((r) => [r.key, r.count]));
  const now = by(current);
  const before = by(previous);
  return keys.map((key) => ({ key, label: label(key), value: now.get(key) ?? 0, previous: before.get(key) ?? 0, drill: drill(key) }));
}

const title = (key: string) => key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, ' ');

/** Bucket starts of the range: hours for one day, Nairobi days otherwise. */
function buckets(range: ResolvedRange): Array<{ at: Date; end: Date; key: string; previousKey: string }> {
  const from = new Date(range.from);
  const to = new Date(range.to);
  const shift = from.getTime() - new Date(range.previousFrom).getTime();
  const out: Array<{ at: Date; end: Date; key: string; previousKey: string }> = [];
  if (range.bucket === 'hour') {
    for (let t = from.getTime(); t < to.getTime(); t += HOUR_MS) {
      const hour = String(new Date(t + 3 * HOUR_MS).getUTCHours());
      out.push({ at: new Date(t), end: new Date(Math.min(t + HOUR_MS, to.getTime())), key: hour, previousKey: hour });
    }
    return out;
  }
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) {
    const day = bankDayOf(new Date(t));
    out.push({
      at: new Date(t),
      end: new Date(Math.min(bankDayStart(day).getTime() + DAY_MS, to.getTime())),
      key: day,
      previousKey: bankDayOf(new Date(t - shift)),
    });
  }
  return out;
}

/**
 * The Overview (seed 001) over a range, each figure with the previous period's and the list that
 * holds its rows. Counted over the caller's tenants only (ARCHITECTURE.md "Tenants").
 */
export async function dashboardOverview(db: Db, scope: TenantScope, query: DashboardRangeQuery, now: Date): Promise<DashboardOverview> {
  const range = resolveRange(query, now);
  const tenants = scope.narrow(query.tenantId);
  const tenantId = query.tenantId;
  const current: Interval = { from: new Date(range.from), to: new Date(range.to) };
  const previous: Interval = { from: new Date(range.previousFrom), to: new Date(range.previousTo) };
  const seriesDimension = range.bucket === 'hour' ? 'hour' : 'day';
  const [decisions, prevDecisions, levels, prevLevels, channels, prevChannels, series, prevSeries, cases, prevCases, alerts, prevAlerts, snapshot] =
    await Promise.all([
      factsOver(db, current, tenants, 'decision', now),
      factsOver(db, previous, tenants, 'decision', now),
      factsOver(db, current, tenants, 'riskLevel', now),
      factsOver(db, previous, tenants, 'riskLevel', now),
      factsOver(db, current, tenants, 'channel', now),
      factsOver(db, previous, tenants, 'channel', now),
      factsOver(db, current, tenants, seriesDimension, now),
      factsOver(db, previous, tenants, seriesDimension, now),
      caseFigures(db, tenants, current),
      caseFigures(db, tenants, previous),
      alertsBySeverity(db, tenants, current),
      alertsBySeverity(db, tenants, previous),
      openCaseSnapshot(db, tenants, now),
    ]);
  const total = totalsOf(decisions.rows);
  const prevTotal = totalsOf(prevDecisions.rows);
  const rate = (t: { count: number; flagged: number }) => (t.count > 0 ? (100 * t.flagged) / t.count : 0);
  const drill = (filters: Record<string, string> = {}) => assessmentsDrill(current, tenantId, filters);
  const tenantFilter: Record<string, string> = tenantId ? { tenantId } : {};
  const closedDrill = (outcome: string): DrillTarget => ({
    screen: 'cases',
    filters: { state: 'CLOSED', outcome, closedFrom: range.from, closedTo: range.to, ...tenantFilter },
  });
  const alertsTotal = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const kpis: Kpi[] = [
    { key: 'assessments', label: 'Payments screened', unit: 'count', value: total.count, previous: prevTotal.count, drill: drill() },
    { key: 'valueKes', label: 'Value screened', unit: 'kes', value: total.valueKes, previous: prevTotal.valueKes, drill: drill() },
    { key: 'flagged', label: 'Flagged by the engine', unit: 'count', value: total.flagged, previous: prevTotal.flagged, drill: drill({ flagged: 'true' }) },
    { key: 'flaggedRate', label: 'Flagged share', unit: 'percent', value: rate(total), previous: rate(prevTotal), drill: drill({ flagged: 'true' }) },
    {
      key: 'casesOpened',
      label: 'Cases opened',
      unit: 'count',
      value: cases.opened,
      previous: prevCases.opened,
      drill: { screen: 'cases', filters: { state: 'ALL', createdFrom: range.from, createdTo: range.to, ...tenantFilter } },
    },
    {
      key: 'confirmedFraud',
      label: 'Confirmed fraud (closed)',
      unit: 'count',
      value: cases.confirmed,
      previous: prevCases.confirmed,
      drill: closedDrill('BLOCKED'),
    },
    { key: 'blockedValueKes', label: 'Value blocked', unit: 'kes', value: cases.blockedKes, previous: prevCases.blockedKes, drill: closedDrill('BLOCKED') },
    {
      key: 'falsePositives',
      label: 'False positives (closed)',
      unit: 'count',
      value: cases.falsePositive,
      previous: prevCases.falsePositive,
      drill: closedDrill('APPROVED'),
    },
    {
      key: 'alerts',
      label: 'Alerts raised',
      unit: 'count',
      value: alertsTotal(alerts),
      previous: alertsTotal(prevAlerts),
      drill: { screen: 'alerts', filters: { from: range.from, to: range.to, ...tenantFilter } },
    },
    // Snapshots of now: no previous period to compare with.
    {
      key: 'openCases',
      label: 'Open cases now',
      unit: 'count',
      value: snapshot.open,
      previous: null,
      drill: { screen: 'cases', filters: { state: 'OPEN', ...tenantFilter } },
    },
    {
      key: 'overdueCases',
      label: 'Overdue cases now',
      unit: 'count',
      value: snapshot.overdue,
      previous: null,
      drill: { screen: 'cases', filters: { state: 'OPEN', sla: 'overdue', ...tenantFilter } },
    },
  ];
  const byKey = (rows: readonly FactRow[]) => new Map(rows.map((r) => [r.key, r]));
  const seriesNow = byKey(series.rows);
  const seriesBefore = byKey(prevSeries.rows);
  return {
    generatedAt: now.toISOString(),
    range,
    kpis,
    series: buckets(range).map((b) => ({
      at: b.at.toISOString(),
      total: seriesNow.get(b.key)?.count ?? 0,
      flagged: seriesNow.get(b.key)?.flagged ?? 0,
      previousTotal: seriesBefore.get(b.previousKey)?.count ?? 0,
      previousFlagged: seriesBefore.get(b.previousKey)?.flagged ?? 0,
      drill: assessmentsDrill({ from: b.at, to: b.end }, tenantId),
    })),
    byDecision: breakdown(Decision.options, decisions.rows, prevDecisions.rows, title, (key) => drill({ engineDecision: key })),
    byRiskLevel: breakdown(RiskLevel.options, levels.rows, prevLevels.rows, title, (key) => drill({ riskLevel: key })),
    byChannel: breakdown(Channel.options, channels.rows, prevChannels.rows, title, (key) => drill({ channel: key })),
    alertsBySeverity: AlertSeverity.options.map((severity) => ({
      key: severity,
      label: title(severity),
      value: alerts.get(severity) ?? 0,
      previous: prevAlerts.get(severity) ?? 0,
      drill: { screen: 'alerts', filters: { severity, from: range.from, to: range.to, ...tenantFilter } },
    })),
  };
}
