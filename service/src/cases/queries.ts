import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toIso, fromJsonOrNull } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { OPEN_CASE_STATES, REASON_CODES, type CaseDetail, type CaseListQuery, type CaseSummary, type QueueCounts, type TimelineEntry } from '../../../shared/src/cases.ts';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import type { Page } from '../../../shared/src/api.ts';
import { toCaseSummary } from './mapping.ts';
import { assessmentsForCase } from '../assessments/queries.ts';
import { findCustomerByRef } from '../customers/customers.ts';

const SORT_COLUMNS = {
  createdAt: 'created_at',
  riskScore: 'risk_score',
  amountKes: 'amount_kes',
  slaDueAt: 'sla_due_at',
  reference: 'reference',
} as const;

export async function listCases(db: Kysely<Database>, query: CaseListQuery, viewerId: string): Promise<Page<CaseSummary>> {
  let base = db.selectFrom('cases').where('deleted_at', 'is', null);
  base = query.state === 'OPEN' ? base.where('state', 'in', [...OPEN_CASE_STATES]) : base.where('state', '=', query.state);
  if (query.riskLevel) base = base.where('risk_level', '=', query.riskLevel);
  if (query.assignee === 'me') base = base.where('assignee_id', '=', viewerId);
  else if (query.assignee === 'unassigned') base = base.where('assignee_id', 'is', null);
  else if (query.assignee) base = base.where('assignee_id', '=', query.assignee);
  if (query.search) {
    const term = `%${query.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['reference']), 'like', term),
        eb(eb.fn('lower', ['customer_ref']), 'like', term),
        eb(eb.fn('lower', ['customer_name']), 'like', term),
        eb(eb.fn('lower', ['transaction_reference']), 'like', term),
      ]),
    );
  }
  const column = SORT_COLUMNS[query.sort];
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy(column, query.direction)
      .orderBy('id', query.direction)
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCaseSummary), total: Number(count.total), page: query.page, pageSize: query.pageSize };
}

export async function countCases(db: Kysely<Database>, viewerId: string, now: Date): Promise<QueueCounts> {
  const rows = await db
    .selectFrom('cases')
    .select(['risk_level', 'assignee_id', 'sla_due_at'])
    .where('deleted_at', 'is', null)
    .where('state', 'in', [...OPEN_CASE_STATES])
    .execute();
  const byRiskLevel = Object.fromEntries(RiskLevel.options.map((level) => [level, 0])) as QueueCounts['byRiskLevel'];
  let unassigned = 0;
  let mine = 0;
  let overdue = 0;
  const nowIso = now.toISOString();
  for (const row of rows) {
    byRiskLevel[row.risk_level as RiskLevel] += 1;
    if (row.assignee_id === null) unassigned += 1;
    if (row.assignee_id === viewerId) mine += 1;
    if (toIso(row.sla_due_at) < nowIso) overdue += 1;
  }
  return { open: rows.length, unassigned, mine, byRiskLevel, overdue };
}

export async function getCaseDetail(db: Kysely<Database>, caseId: string): Promise<CaseDetail> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('case');
  const assessments = await assessmentsForCase(db, caseId);
  const entityIds = [caseId, ...assessments.map((a) => a.id)];
  const auditRows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_id', 'in', entityIds)
    .where('entity_type', 'in', ['case', 'assessment'])
    .orderBy('occurred_at', 'asc')
    .orderBy('id')
    .execute();
  const timeline: TimelineEntry[] = auditRows.map((a) => {
    const before = fromJsonOrNull<Record<string, unknown>>(a.before);
    const after = fromJsonOrNull<Record<string, unknown>>(a.after);
    return {
      id: a.id,
      occurredAt: toIso(a.occurred_at),
      actorName: a.actor_name,
      actorRole: a.actor_role,
      command: a.command,
      summary: describeChange(a.command, a.entity_type, before, after),
      before,
      after,
    };
  });
  return { case: toCaseSummary(row), assessments, customer: await findCustomerByRef(db, row.customer_ref), timeline };
}

function reasonLabel(code: unknown): string {
  for (const codes of Object.values(REASON_CODES)) {
    const label = (codes as Record<string, string>)[String(code)];
    if (label) return label;
  }
  return String(code);
}

/** One sentence per audit entry for the case timeline. */
export function describeChange(command: string, entityType: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  const a = after ?? {};
  if (entityType === 'assessment') {
    if (command === 'assessment.record') return `Payment scored ${String(a.riskLevel)} (${Number(a.riskScore).toFixed(2)}): ${String(a.decision)}`;
    return `Payment decision set to ${String(a.decision)}`;
  }
  switch (command) {
    case 'assessment.record':
      return `Case opened in ${String(a.queue)} (${String(a.riskLevel)} risk)`;
    case 'case.assign':
      return before?.assigneeName ? `Reassigned from ${String(before.assigneeName)} to ${String(a.assigneeName)}` : `Assigned to ${String(a.assigneeName)}`;
    case 'case.decide': {
      const verdict = a.state === 'ESCALATED' ? 'Escalated' : a.outcome === 'APPROVED' ? 'Approved' : 'Blocked';
      return `${verdict} — ${reasonLabel(a.reasonCode)}${a.note ? `: “${String(a.note)}”` : ''}`;
    }
    default:
      return `${command} (${before ? 'changed' : 'created'})`;
  }
}
