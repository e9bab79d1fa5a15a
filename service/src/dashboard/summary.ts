import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { Channel } from '../../../shared/src/payments.ts';
import { OPEN_CASE_STATES } from '../../../shared/src/cases.ts';
import type { DashboardSummary } from '../../../shared/src/dashboard.ts';
import { utcHour } from '../db/dialect.ts';

const NAIROBI_OFFSET_MS = 3 * 3_600_000; // EAT is UTC+3 all year (no daylight saving)

/** Midnight in Nairobi today, as a UTC instant. */
export function startOfNairobiDay(now: Date): Date {
  const local = new Date(now.getTime() + NAIROBI_OFFSET_MS);
  local.setUTCHours(0, 0, 0, 0);
  return new Date(local.getTime() - NAIROBI_OFFSET_MS);
}

/**
 * The overview's figures as of `now` (the injected clock, ARCHITECTURE.md rule 3), counted over
 * the caller's tenants only (ARCHITECTURE.md "Tenants": aggregates never count another tenant's
 * rows; a case without a tenant counts only for callers of every tenant).
 */
export async function dashboardSummary(database: Db, scope: TenantScope, now: Date): Promise<DashboardSummary> {
  const db = database.kysely;
  const tenants = scope.sqlList();
  const hourKey = utcHour(database.dialect, 'created_at');
  const flagged = sql<number>`sum(case when engine_decision <> 'APPROVE' then 1 else 0 end)`;
  const assessments = () => {
    const q = db.selectFrom('fraud_risk_assessments').where('deleted_at', 'is', null);
    return tenants ? q.where('tenant_id', 'in', tenants) : q;
  };
  const cases = () => {
    const q = db.selectFrom('cases');
    return tenants ? q.where('tenant_id', 'in', tenants) : q;
  };
  const dayStart = startOfNairobiDay(now).toISOString();
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const firstHour = new Date(Math.floor(dayAgo.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  const today = assessments().where('created_at', '>=', dayStart);
  const [totals, byDecision, byLevel, byChannel, hourly, openCases, overdue, closedToday] = await Promise.all([
    today
      .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.sum<number | string | null>('amount_kes').as('value')])
      .executeTakeFirstOrThrow(),
    // What the engine decided (analysts' later decisions are counted as closed cases).
    today
      .select(['engine_decision', (eb) => eb.fn.countAll<number | string>().as('count')])
      .groupBy('engine_decision')
      .execute(),
    today
      .select(['risk_level', (eb) => eb.fn.countAll<number | string>().as('count')])
      .groupBy('risk_level')
      .execute(),
    today
      .select(['channel', (eb) => eb.fn.countAll<number | string>().as('count'), flagged.as('flagged')])
      .groupBy('channel')
      .execute(),
    assessments()
      .where('created_at', '>=', firstHour.toISOString())
      .select([hourKey.as('hour'), (eb) => eb.fn.countAll<number | string>().as('count'), flagged.as('flagged')])
      .groupBy(hourKey)
      .execute(),
    cases()
      .where('state', 'in', [...OPEN_CASE_STATES])
      .where('deleted_at', 'is', null)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow(),
    cases()
      .where('state', 'in', [...OPEN_CASE_STATES])
      .where('sla_due_at', '<', now.toISOString())
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow(),
    cases()
      .where('closed_at', '>=', dayStart)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('count'),
        sql<number | string | null>`sum(case when outcome = 'BLOCKED' then amount_kes else 0 end)`.as('blocked'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const countBy = <K extends string>(keys: readonly K[], rows: Array<{ key: string | null; count: number | string }>) => {
    const result = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
    for (const row of rows) if (row.key !== null && row.key in result) result[row.key as K] = Number(row.count);
    return result;
  };
  const hourlyByKey = new Map(hourly.map((h) => [h.hour, h]));
  const hours = Array.from({ length: 24 }, (_, i) => new Date(firstHour.getTime() + i * 3_600_000));
  return {
    generatedAt: now.toISOString(),
    assessmentsToday: Number(totals.count),
    valueScreenedKesToday: Number(totals.value ?? 0),
    openCases: Number(openCases.count),
    overdueCases: Number(overdue.count),
    casesClosedToday: Number(closedToday.count),
    blockedValueKesToday: Number(closedToday.blocked ?? 0),
    byDecision: countBy(
      Decision.options,
      byDecision.map((r) => ({ key: r.engine_decision, count: r.count })),
    ),
    byRiskLevel: countBy(
      RiskLevel.options,
      byLevel.map((r) => ({ key: r.risk_level, count: r.count })),
    ),
    byChannel: Channel.options.map((channel) => {
      const row = byChannel.find((r) => r.channel === channel);
      return { channel, count: Number(row?.count ?? 0), flagged: Number(row?.flagged ?? 0) };
    }),
    hourly: hours.map((hour) => {
      const row = hourlyByKey.get(hour.toISOString().slice(0, 13));
      return { hour: hour.toISOString(), total: Number(row?.count ?? 0), flagged: Number(row?.flagged ?? 0) };
    }),
  };
}
