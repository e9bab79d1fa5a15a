import type { Kysely } from 'kysely';
import {
  DEFAULT_REPORT_DAYS,
  type MoneyTotal,
  type OverviewEvent,
  type OverviewKri,
  type OverviewLevel,
  type OverviewRisk,
  type ReportPeriodQuery,
  type RiskOverview,
  TOP_RISK_COUNT,
} from '../../../shared/src/risk-reports.ts';
import type { RiskMatrixDefinition } from '../../../shared/src/risk-matrix.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { fromJson, toIso, toIsoOrNull, toNumber, toNumberOrNull } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { userNames } from './export.ts';

/**
 * The enterprise risk overview for executives (issue 13 "Screens"), and the data of the board
 * report: the caller's tenants only (tenant rule 'list'), as of the service clock (ARCHITECTURE.md
 * rule 3). The trend is rebuilt from the assessment history, so a past week reads as it was then.
 */

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** How many notable events the overview lists. */
const NOTABLE_EVENTS = 20;

/** The period asked for, or the last 90 days up to now. */
export function reportPeriod(query: ReportPeriodQuery, now: Date): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY);
  return { from, to };
}

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - weekday * DAY);
}

function weeksOf(from: Date, to: Date): Array<{ start: Date; end: Date }> {
  const weeks: Array<{ start: Date; end: Date }> = [];
  for (let start = weekStart(from); start.getTime() < to.getTime(); start = new Date(start.getTime() + WEEK)) {
    weeks.push({ start, end: new Date(Math.min(start.getTime() + WEEK, to.getTime())) });
  }
  return weeks;
}

function addMoney(totals: MoneyTotal[], currency: string, amount: number): void {
  const existing = totals.find((t) => t.currency === currency);
  if (existing) existing.amount = Math.round((existing.amount + amount) * 100) / 100;
  else totals.push({ currency, amount });
}

const ms = (value: Date | string) => (value instanceof Date ? value.getTime() : Date.parse(value));

export async function riskOverview(db: Kysely<Database>, scope: TenantScope, query: ReportPeriodQuery, now: Date): Promise<RiskOverview> {
  const { from, to } = reportPeriod(query, now);
  const tenants = scope.sqlList();

  const matrixRow = await db
    .selectFrom('risk_matrix_versions')
    .select(['version_number', 'definition'])
    .where('deleted_at', 'is', null)
    .orderBy('version_number', 'desc')
    .limit(1)
    .executeTakeFirst();
  const definition = matrixRow ? fromJson<RiskMatrixDefinition>(matrixRow.definition) : null;
  const matrix = definition
    ? {
        versionNumber: matrixRow!.version_number,
        likelihood: definition.likelihood.map((a) => ({ value: a.value, name: a.name })),
        impact: definition.impact.map((a) => ({ value: a.value, name: a.name })),
        levels: definition.levels.map((l) => ({ key: l.key, name: l.name, colour: l.colour })),
        cells: definition.cells,
      }
    : null;
  const levels: OverviewLevel[] = matrix?.levels ?? [];
  const rowsN = Math.max(matrix?.likelihood.length ?? 5, 1);
  const colsN = Math.max(matrix?.impact.length ?? 5, 1);
  const grid = () => Array.from({ length: rowsN }, () => Array.from({ length: colsN }, () => 0));

  let riskQuery = db
    .selectFrom('risks')
    .leftJoin('users', 'users.id', 'risks.owner_id')
    .selectAll('risks')
    .select('users.display_name as owner_name')
    .where('risks.deleted_at', 'is', null);
  if (tenants) riskQuery = riskQuery.where('risks.tenant_id', 'in', tenants);
  const allRisks = await riskQuery.execute();
  const open = allRisks.filter((r) => r.status !== 'CLOSED');

  const heatMap = { inherent: grid(), residual: grid() };
  const byLevel = new Map<string, number>();
  let reviewOverdue = 0;
  const overviewRisks: OverviewRisk[] = [];
  for (const r of open) {
    if (r.inherent_likelihood && r.inherent_impact && r.inherent_likelihood <= rowsN && r.inherent_impact <= colsN) {
      heatMap.inherent[r.inherent_likelihood - 1]![r.inherent_impact - 1]! += 1;
    }
    if (r.residual_likelihood && r.residual_impact && r.residual_likelihood <= rowsN && r.residual_impact <= colsN) {
      heatMap.residual[r.residual_likelihood - 1]![r.residual_impact - 1]! += 1;
    }
    if (r.residual_level) byLevel.set(r.residual_level, (byLevel.get(r.residual_level) ?? 0) + 1);
    const nextReviewAt = toIsoOrNull(r.next_review_at);
    const overdue = nextReviewAt !== null && Date.parse(nextReviewAt) < now.getTime();
    if (overdue) reviewOverdue++;
    overviewRisks.push({
      id: r.id,
      tenantId: r.tenant_id,
      reference: r.reference,
      title: r.title,
      category: r.category,
      status: r.status,
      businessUnit: r.business_unit,
      ownerName: r.owner_name,
      inherentScore: r.inherent_score,
      inherentLevel: r.inherent_level,
      residualScore: r.residual_score,
      residualLevel: r.residual_level,
      nextReviewAt,
      reviewOverdue: overdue,
    });
  }
  const topRisks = overviewRisks
    .filter((r) => r.residualScore !== null)
    .sort(
      (a, b) => (b.residualScore ?? 0) - (a.residualScore ?? 0) || (b.inherentScore ?? 0) - (a.inherentScore ?? 0) || a.reference.localeCompare(b.reference),
    )
    .slice(0, TOP_RISK_COUNT);
  const byResidualLevel = [
    ...levels.map((l) => ({ ...l, count: byLevel.get(l.key) ?? 0 })),
    ...[...byLevel.entries()].filter(([key]) => !levels.some((l) => l.key === key)).map(([key, count]) => ({ key, name: key, colour: '#9aa5b1', count })),
  ];

  let kriQuery = db.selectFrom('kris').selectAll().where('deleted_at', 'is', null).where('status', 'in', ['WARNING', 'CRITICAL']);
  if (tenants) kriQuery = kriQuery.where('tenant_id', 'in', tenants);
  const owners = await userNames(db);
  const krisInBreach: OverviewKri[] = (await kriQuery.execute())
    .map((k) => ({
      id: k.id,
      tenantId: k.tenant_id,
      reference: k.reference,
      name: k.name,
      unit: k.unit,
      direction: k.direction,
      status: k.status as 'WARNING' | 'CRITICAL',
      lastValue: toNumberOrNull(k.last_value),
      lastMeasuredAt: toIsoOrNull(k.last_measured_at),
      thresholdWarning: toNumber(k.threshold_warning),
      thresholdCritical: toNumber(k.threshold_critical),
      ownerName: k.owner_id ? (owners.get(k.owner_id)?.displayName ?? null) : null,
    }))
    .sort((a, b) => (a.status === b.status ? a.reference.localeCompare(b.reference) : a.status === 'CRITICAL' ? -1 : 1));

  const trend = await riskTrend(db, tenants, allRisks, from, to, now);
  const { eventsByWeek, notableEvents, total, losses } = await riskEvents(db, tenants, from, to);

  return {
    asOf: now.toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
    matrix,
    heatMap,
    totals: { openRisks: open.length, reviewOverdue, byResidualLevel, krisInBreach: krisInBreach.length, events: total, losses },
    topRisks,
    krisInBreach,
    trend,
    eventsByWeek,
    notableEvents,
  };
}

/**
 * Per week: risks that existed, were not yet closed and had been assessed by the week's end, by the
 * residual level of their latest assessment then. A closed risk counts until it was last updated
 * (its closing); deleted risks are left out. A week that ends now or later reads the risks' current
 * residual level, which also follows control tests and links made since the last assessment.
 */
async function riskTrend(
  db: Kysely<Database>,
  tenants: string[] | null,
  risks: ReadonlyArray<{ id: string; status: string; created_at: Date | string; updated_at: Date | string; residual_level: string | null }>,
  from: Date,
  to: Date,
  now: Date,
): Promise<RiskOverview['trend']> {
  let query = db
    .selectFrom('risk_assessments')
    .select(['risk_id', 'assessed_at', 'residual_level'])
    .where('deleted_at', 'is', null)
    .where('assessed_at', '<=', to.toISOString());
  if (tenants) query = query.where('tenant_id', 'in', tenants);
  const assessments = (await query.execute()).map((a) => ({ riskId: a.risk_id, at: ms(a.assessed_at), level: a.residual_level })).sort((a, b) => a.at - b.at);
  const history = new Map<string, Array<{ at: number; level: string }>>();
  for (const a of assessments) history.set(a.riskId, [...(history.get(a.riskId) ?? []), a]);
  return weeksOf(from, to).map(({ start, end }) => {
    const counts: Record<string, number> = {};
    const endMs = end.getTime();
    for (const risk of risks) {
      if (ms(risk.created_at) > endMs) continue;
      if (risk.status === 'CLOSED' && ms(risk.updated_at) <= endMs) continue;
      const level = endMs >= now.getTime() ? risk.residual_level : (history.get(risk.id) ?? []).filter((a) => a.at <= endMs).at(-1)?.level;
      if (level) counts[level] = (counts[level] ?? 0) + 1;
    }
    return { weekStart: start.toISOString(), weekEnd: end.toISOString(), counts };
  });
}

async function riskEvents(db: Kysely<Database>, tenants: string[] | null, from: Date, to: Date) {
  let query = db
    .selectFrom('risk_events')
    .leftJoin('risks', 'risks.id', 'risk_events.risk_id')
    .select([
      'risk_events.id',
      'risk_events.reference',
      'risk_events.title',
      'risk_events.type',
      'risk_events.severity',
      'risk_events.occurred_at',
      'risk_events.financial_impact',
      'risk_events.currency',
      'risks.reference as risk_reference',
    ])
    .where('risk_events.deleted_at', 'is', null)
    .where('risk_events.occurred_at', '>=', from.toISOString())
    .where('risk_events.occurred_at', '<=', to.toISOString());
  if (tenants) query = query.where('risk_events.tenant_id', 'in', tenants);
  const events: OverviewEvent[] = (await query.execute()).map((e) => ({
    id: e.id,
    reference: e.reference,
    title: e.title,
    type: e.type,
    severity: e.severity,
    occurredAt: toIso(e.occurred_at),
    financialImpact: toNumberOrNull(e.financial_impact),
    currency: e.currency,
    riskReference: e.risk_reference,
  }));
  const losses: MoneyTotal[] = [];
  // The period includes its end (an event recorded as of now counts); weeks are [Monday, next Monday).
  const eventsByWeek = weeksOf(from, to).map(({ start }) => {
    const inWeek = events.filter((e) => Date.parse(e.occurredAt) >= start.getTime() && Date.parse(e.occurredAt) < start.getTime() + WEEK);
    const weekLosses: MoneyTotal[] = [];
    for (const e of inWeek) if (e.financialImpact !== null && e.financialImpact !== 0) addMoney(weekLosses, e.currency ?? 'KES', e.financialImpact);
    return { weekStart: start.toISOString(), events: inWeek.length, losses: weekLosses };
  });
  for (const e of events) if (e.financialImpact !== null && e.financialImpact !== 0) addMoney(losses, e.currency ?? 'KES', e.financialImpact);
  const notableEvents = events
    .filter((e) => (e.financialImpact ?? 0) > 0 || e.severity === 'CRITICAL' || e.severity === 'HIGH')
    .sort((a, b) => (b.financialImpact ?? 0) - (a.financialImpact ?? 0) || Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
    .slice(0, NOTABLE_EVENTS);
  return { eventsByWeek, notableEvents, total: events.length, losses };
}
