import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { fromJsonOrNull, toIso } from '../db/database.ts';
import { idAsText } from '../db/dialect.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { AnalyticsQuery, type TeamPerformance } from '../../../shared/src/analytics.ts';
import { OPEN_CASE_STATES } from '../../../shared/src/cases.ts';
import type { z } from 'zod';
import { bankDaysInterval } from './range.ts';

/** Commands whose audit rows carry an analyst's decision on a case (maker or direct close). */
const DECISION_COMMANDS = ['case.decide', 'case.bulk-close-false-positive', 'case.approval', 'assessment.decide'];

interface CaseAudit {
  state?: string;
  slaDueAt?: string | null;
  rejectedRequest?: { requestedById?: string; requestedByName?: string };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface AnalystTally {
  name: string;
  decided: number;
  hours: Set<string>;
  slaMet: number;
  overturned: number;
  handleMinutes: number[];
}

/**
 * Analyst and queue performance (definitions in shared/src/analytics.ts). A decision is the audit
 * row of an analyst closing a case or asking a second approver to (four-eyes): the maker decided,
 * whatever the approver then does. Overturned = a four-eyes approver sent the decision back in the
 * range (there is no reopening of closed cases in this product); never "differs from the engine".
 */
export async function teamPerformance(db: Db, scope: TenantScope, input: z.input<typeof AnalyticsQuery>, now: Date): Promise<TeamPerformance> {
  const query = AnalyticsQuery.parse(input);
  const interval = bankDaysInterval(query.from, query.to);
  const tenants = scope.narrow(query.tenantId);
  const from = interval.from.toISOString();
  const to = interval.to.toISOString();
  // With the case's opening time, for the handle time (one query, not one per case).
  let audit = db.kysely
    .selectFrom('audit_log as l')
    .leftJoin('cases as c', (join) => join.on(sql<boolean>`${idAsText(db.dialect, 'c.id')} = l.entity_id`))
    .select(['l.actor_id', 'l.actor_name', 'l.occurred_at', 'l.entity_id', 'l.before', 'l.after', 'c.created_at as case_created_at'])
    .where('l.entity_type', '=', 'case')
    .where('l.command', 'in', DECISION_COMMANDS)
    .where('l.occurred_at', '>=', from)
    .where('l.occurred_at', '<', to);
  if (tenants) audit = audit.where('l.tenant_id', 'in', tenants);
  const rows = await audit.execute();

  const analysts = new Map<string, AnalystTally>();
  const tally = (id: string, name: string) => {
    const t = analysts.get(id);
    if (t) return t;
    const created: AnalystTally = { name, decided: 0, hours: new Set(), slaMet: 0, overturned: 0, handleMinutes: [] };
    analysts.set(id, created);
    return created;
  };
  for (const row of rows) {
    const before = fromJsonOrNull<CaseAudit>(row.before) ?? {};
    const after = fromJsonOrNull<CaseAudit>(row.after) ?? {};
    const at = toIso(row.occurred_at);
    if (after.rejectedRequest?.requestedById) {
      tally(after.rejectedRequest.requestedById, after.rejectedRequest.requestedByName ?? '').overturned++;
      continue;
    }
    const decided = (after.state === 'AWAITING_APPROVAL' || after.state === 'CLOSED') && before.state !== 'AWAITING_APPROVAL' && before.state !== 'CLOSED';
    if (!decided) continue;
    const t = tally(row.actor_id, row.actor_name);
    t.decided++;
    t.hours.add(at.slice(0, 13));
    if (after.slaDueAt && at <= after.slaDueAt) t.slaMet++;
    if (row.case_created_at) t.handleMinutes.push((Date.parse(at) - Date.parse(toIso(row.case_created_at))) / 60_000);
  }
  const tenantFilter = tenants ? sql`and tenant_id in (${sql.join(tenants)})` : sql``;
  const openStates = sql.join([...OPEN_CASE_STATES]);
  const nowIso = now.toISOString();
  const { rows: queueRows } = await sql<{
    queue_id: string | null;
    queue: string;
    opened: number | string | null;
    closed: number | string | null;
    sla_met: number | string | null;
    backlog: number | string | null;
    overdue: number | string | null;
  }>`
    select queue_id, queue,
      sum(case when created_at >= ${from} and created_at < ${to} then 1 else 0 end) as opened,
      sum(case when closed_at >= ${from} and closed_at < ${to} then 1 else 0 end) as closed,
      sum(case when closed_at >= ${from} and closed_at < ${to} and closed_at <= sla_due_at then 1 else 0 end) as sla_met,
      sum(case when state in (${openStates}) then 1 else 0 end) as backlog,
      sum(case when state in (${openStates}) and sla_paused_at is null and sla_due_at < ${nowIso} then 1 else 0 end) as overdue
    from cases
    where deleted_at is null and (state in (${openStates}) or created_at >= ${from} or closed_at >= ${from}) ${tenantFilter}
    group by queue_id, queue
    order by queue`.execute(db.kysely);
  let openCases = db.kysely
    .selectFrom('cases')
    .select(['queue_id', 'created_at'])
    .where('deleted_at', 'is', null)
    .where('state', 'in', [...OPEN_CASE_STATES]);
  if (tenants) openCases = openCases.where('tenant_id', 'in', tenants);
  const ages = new Map<string, number[]>();
  for (const c of await openCases.execute()) {
    const key = c.queue_id ?? '';
    const list = ages.get(key) ?? [];
    list.push((now.getTime() - Date.parse(toIso(c.created_at))) / 3_600_000);
    ages.set(key, list);
  }
  const tenantDrill: Record<string, string> = query.tenantId ? { tenantId: query.tenantId } : {};

  return {
    analysts: [...analysts]
      .map(([userId, t]) => ({
        userId,
        name: t.name,
        decided: t.decided,
        activeHours: t.hours.size,
        casesPerHour: t.hours.size > 0 ? t.decided / t.hours.size : 0,
        slaMet: t.slaMet,
        slaAdherence: t.decided > 0 ? t.slaMet / t.decided : null,
        overturned: t.overturned,
        overturnRate: t.decided > 0 ? t.overturned / t.decided : null,
        medianHandleMinutes: median(t.handleMinutes),
      }))
      .sort((a, b) => b.decided - a.decided || a.name.localeCompare(b.name)),
    queues: queueRows.map((q) => {
      const closed = Number(q.closed ?? 0);
      return {
        queue: q.queue,
        opened: Number(q.opened ?? 0),
        closed,
        backlog: Number(q.backlog ?? 0),
        overdue: Number(q.overdue ?? 0),
        slaAdherence: closed > 0 ? Number(q.sla_met ?? 0) / closed : null,
        medianAgeHours: median(ages.get(q.queue_id ?? '') ?? []),
        drill: { screen: 'cases' as const, filters: { state: 'OPEN', ...(q.queue_id ? { queueId: q.queue_id } : {}), ...tenantDrill } },
      };
    }),
  };
}
