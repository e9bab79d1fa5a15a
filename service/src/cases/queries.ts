import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CaseRow, Database } from '../db/schema.ts';
import { dbBool, fromJsonOrNull, toIso } from '../db/database.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { notFound } from '../errors.ts';
import {
  reasonCodeLabel,
  type CaseDetail,
  type CaseFilter,
  type CaseListQuery,
  type CaseSummary,
  type QueueCounts,
  type TimelineEntry,
} from '../../../shared/src/cases.ts';
import { allowedCaseActions, type CaseViewer } from '../../../shared/src/case-rules.ts';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import type { Page } from '../../../shared/src/api.ts';
import { ROLE_PERMISSIONS, Role, roleHasPermission } from '../../../shared/src/roles.ts';
import type { Assignee } from '../../../shared/src/contract/cases.ts';
import { tenantAccessFor, type TenantAccess } from '../../../shared/src/tenants.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { toCaseSummary } from './mapping.ts';
import { toCaseAttachment, toCaseComment } from './evidence.ts';
import { listQueues } from './queues.ts';
import { assessmentsForCase } from '../assessments/queries.ts';
import { findCustomerByRef } from '../customers/customers.ts';
import { customerRiskOfGcid } from '../customers/customer360.ts';
import { jsonArrayContains, likeEscape, secondsBetween } from '../db/dialect.ts';

const SORT_COLUMNS = {
  urgency: 'sla_due_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  riskScore: 'risk_score',
  amountKes: 'total_amount_kes',
  slaDueAt: 'sla_due_at',
  reference: 'reference',
} as const;

type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;
type Direction = 'asc' | 'desc';

/**
 * The list order. `urgency` (the queue's default, issue 11): running SLAs first, overdue before
 * due-soon (earliest due first); then paused cases (their clock is stopped), then closed ones.
 * `desc` means most urgent first. Plain columns sort as asked, the id breaking ties.
 */
function ordered<Q extends SelectQueryBuilder<Database, 'cases', CaseRow>>(q: Q, sort: CaseListQuery['sort'], direction: Direction): Q {
  if (sort === 'urgency') {
    const flip = (d: Direction): Direction => (direction === 'desc' ? d : d === 'asc' ? 'desc' : 'asc');
    const band = sql<number>`case when closed_at is not null then 2 when sla_paused_at is not null then 1 else 0 end`;
    return q.orderBy(band, flip('asc')).orderBy('sla_due_at', flip('asc')).orderBy('id', flip('asc')) as Q;
  }
  return q.orderBy(SORT_COLUMNS[sort], direction).orderBy('id', direction) as Q;
}

/** Who is asking: for "mine" and "assigned to me", the tenants whose cases they see, and the clock's now (SLA filters). */
export interface CaseViewerScope {
  viewerId: string;
  scope: TenantScope;
  now: Date;
}

/** Only the cases of the caller's tenants (ARCHITECTURE.md "Tenants"); no filter for bank-wide callers. */
export function inTenants<Q extends SelectQueryBuilder<Database, 'cases', object>>(q: Q, scope: TenantScope): Q {
  const tenants = scope.sqlList();
  return tenants ? (q.where('tenant_id', 'in', tenants) as Q) : q;
}

/**
 * The filtered set of cases (list, export and counts share it): always the caller's tenants only.
 * Filters lead with columns the queue indexes start with (is_open, queue_id, assignee_id; with
 * tenant_id first for tenant-scoped callers, migration 0009), so a 100,000-case queue pages fast.
 */
export function filteredCases(db: Kysely<Database>, dialect: DatabaseDialect, filter: Partial<CaseFilter>, viewer: CaseViewerScope): CaseQuery {
  const { viewerId, now } = viewer;
  let q: CaseQuery = inTenants(db.selectFrom('cases').where('deleted_at', 'is', null), viewer.scope);
  const state = filter.state ?? 'OPEN';
  if (state === 'OPEN') q = q.where('is_open', '=', dbBool(dialect, true));
  else if (state !== 'ALL') q = q.where('state', '=', state);
  if (filter.queueId) q = q.where('queue_id', '=', filter.queueId);
  const levels = filter.riskLevels?.length ? filter.riskLevels : filter.riskLevel ? [filter.riskLevel] : [];
  if (levels.length) q = q.where('risk_level', 'in', levels);
  if (filter.assignee === 'me') q = q.where('assignee_id', '=', viewerId);
  else if (filter.assignee === 'unassigned') q = q.where('assignee_id', 'is', null);
  else if (filter.assignee) q = q.where('assignee_id', '=', filter.assignee);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.customerGcid) q = q.where('customer_gcid', '=', filter.customerGcid);
  if (filter.minAmountKes !== undefined) q = q.where('total_amount_kes', '>=', filter.minAmountKes);
  // Dashboard drill-downs (issue 15): the same bounds the figures were counted with.
  if (filter.tenantId) q = q.where('tenant_id', '=', filter.tenantId);
  if (filter.createdFrom) q = q.where('created_at', '>=', new Date(filter.createdFrom).toISOString());
  if (filter.createdTo) q = q.where('created_at', '<', new Date(filter.createdTo).toISOString());
  if (filter.closedFrom) q = q.where('closed_at', '>=', new Date(filter.closedFrom).toISOString());
  if (filter.closedTo) q = q.where('closed_at', '<', new Date(filter.closedTo).toISOString());
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.tag) {
    const tag = filter.tag.toLowerCase();
    q = q.where(jsonArrayContains(dialect, 'tags', tag));
  }
  if (filter.sla) {
    const nowIso = now.toISOString();
    const left = secondsBetween(dialect, { column: 'sla_due_at' }, { instant: nowIso });
    const length = secondsBetween(dialect, { column: 'sla_due_at' }, { column: 'created_at' });
    if (filter.sla === 'paused') q = q.where('sla_paused_at', 'is not', null);
    else {
      q = q.where('sla_paused_at', 'is', null);
      if (filter.sla === 'overdue') q = q.where('sla_due_at', '<', nowIso);
      else if (filter.sla === 'due-soon') q = q.where('sla_due_at', '>=', nowIso).where(sql<boolean>`${left} < ${length} * 0.25`);
      else q = q.where('sla_due_at', '>=', nowIso).where(sql<boolean>`${left} >= ${length} * 0.25`);
    }
  }
  if (filter.search) {
    const term = filter.search.trim();
    if (/^CASE-\d{4}-\d+$/i.test(term) || /^CASE-/i.test(term)) {
      // Case references are upper case: a range on the unique index instead of a scan.
      const prefix = term.toUpperCase();
      q = q.where('reference', '>=', prefix).where('reference', '<', `${prefix}\uffff`);
    } else {
      q = q.where(sql<boolean>`search_text like ${`%${likeEscape(term.toLowerCase())}%`} escape '\\'`);
    }
  }
  return q;
}

export async function listCases(db: Kysely<Database>, dialect: DatabaseDialect, query: CaseListQuery, viewer: CaseViewerScope): Promise<Page<CaseSummary>> {
  const base = filteredCases(db, dialect, query, viewer);
  const [rows, count] = await Promise.all([
    ordered(base.selectAll(), query.sort, query.direction)
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCaseSummary), total: Number(count.total), page: query.page, pageSize: query.pageSize };
}

/** Rows for an export, in pages so that 100,000 cases never sit in memory at once. */
export async function* exportCaseRows(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  filter: CaseFilter,
  viewer: CaseViewerScope,
  limit: number,
): AsyncGenerator<CaseSummary> {
  let sent = 0;
  for (let page = 0; sent < limit; page++) {
    const rows: CaseRow[] = await ordered(filteredCases(db, dialect, filter, viewer).selectAll(), filter.sort, filter.direction)
      .limit(Math.min(2000, limit - sent))
      .offset(page * 2000)
      .execute();
    for (const row of rows) yield toCaseSummary(row);
    sent += rows.length;
    if (rows.length < 2000) return;
  }
}

export async function countCases(db: Kysely<Database>, dialect: DatabaseDialect, viewer: CaseViewerScope): Promise<QueueCounts> {
  const { viewerId } = viewer;
  const nowIso = viewer.now.toISOString();
  const open = dbBool(dialect, true);
  const grouped = await inTenants(db.selectFrom('cases'), viewer.scope)
    .select([
      'queue_id',
      'risk_level',
      sql<number | string>`count(*)`.as('open'),
      sql<number | string>`sum(case when assignee_id is null then 1 else 0 end)`.as('unassigned'),
      sql<number | string>`sum(case when assignee_id = ${viewerId} then 1 else 0 end)`.as('mine'),
      sql<number | string>`sum(case when sla_paused_at is null and sla_due_at < ${nowIso} then 1 else 0 end)`.as('overdue'),
      sql<number | string>`sum(case when state = 'AWAITING_APPROVAL' then 1 else 0 end)`.as('awaiting'),
    ])
    .where('is_open', '=', open)
    .where('deleted_at', 'is', null)
    .groupBy(['queue_id', 'risk_level'])
    .execute();
  const queues = await listQueues(db);
  const byQueue = new Map(queues.map((q) => [q.id, { queueId: q.id, name: q.name, kind: q.kind, open: 0, unassigned: 0, mine: 0, overdue: 0 }]));
  const byRiskLevel = Object.fromEntries(RiskLevel.options.map((level) => [level, 0])) as QueueCounts['byRiskLevel'];
  const totals = { open: 0, unassigned: 0, mine: 0, overdue: 0, awaitingApproval: 0 };
  for (const g of grouped) {
    const n = { open: Number(g.open), unassigned: Number(g.unassigned), mine: Number(g.mine), overdue: Number(g.overdue) };
    totals.open += n.open;
    totals.unassigned += n.unassigned;
    totals.mine += n.mine;
    totals.overdue += n.overdue;
    totals.awaitingApproval += Number(g.awaiting);
    byRiskLevel[g.risk_level as RiskLevel] += n.open;
    const q = g.queue_id ? byQueue.get(g.queue_id) : undefined;
    if (q) {
      q.open += n.open;
      q.unassigned += n.unassigned;
      q.mine += n.mine;
      q.overdue += n.overdue;
    }
  }
  const ordered = queues.filter((q) => q.active || (byQueue.get(q.id)?.open ?? 0) > 0).map((q) => byQueue.get(q.id)!);
  return { ...totals, byRiskLevel, queues: ordered };
}

function actsForAnyOf(access: TenantAccess, scope: TenantScope): boolean {
  if (access === 'ALL' || scope.isAll) return true;
  return access.some((tenant) => scope.allows(tenant));
}

/**
 * Users who can work cases of the caller's tenants, with how many open cases of those tenants
 * each holds (for assign menus); someone acting only for other tenants is not offered.
 */
export async function listAssignees(db: Kysely<Database>, dialect: DatabaseDialect, scope: TenantScope): Promise<Assignee[]> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'tenant_ids'])
    .where('active', '=', dbBool(dialect, true))
    .orderBy('display_name')
    .execute();
  const load = await inTenants(db.selectFrom('cases'), scope)
    .select(['assignee_id', sql<number | string>`count(*)`.as('n')])
    .where('is_open', '=', dbBool(dialect, true))
    .where('assignee_id', 'is not', null)
    .groupBy('assignee_id')
    .execute();
  const byUser = new Map(load.map((l) => [l.assignee_id, Number(l.n)]));
  return users
    .filter((u) => Role.safeParse(u.role).success && roleHasPermission(Role.parse(u.role), 'case:work'))
    .filter((u) => actsForAnyOf(tenantAccessFor(Role.parse(u.role), tenantIdsOf(u.tenant_ids)), scope))
    .map((u) => ({
      id: u.id,
      displayName: u.display_name,
      role: u.role,
      canApprove: roleHasPermission(Role.parse(u.role), 'case:approve'),
      openCases: byUser.get(u.id) ?? 0,
    }));
}

export function viewerFor(id: string, role: Role): CaseViewer {
  return { id, permissions: new Set(ROLE_PERMISSIONS[role]) };
}

/** One case of the caller's tenants; another tenant's case is not found (404). */
async function visibleCase(db: Kysely<Database>, caseId: string, scope: TenantScope): Promise<CaseRow> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || (!scope.isAll && (row.tenant_id === null || !scope.allows(row.tenant_id)))) throw notFound('case');
  return row;
}

export async function getCaseDetail(db: Kysely<Database>, caseId: string, viewer: CaseViewer, scope: TenantScope, now: Date): Promise<CaseDetail> {
  const row = await visibleCase(db, caseId, scope);
  const [assessments, comments, attachments] = await Promise.all([
    assessmentsForCase(db, caseId),
    db.selectFrom('case_comments').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('case_attachments').selectAll().where('case_id', '=', caseId).orderBy('uploaded_at').orderBy('id').execute(),
  ]);
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
  const summary = toCaseSummary(row);
  return {
    case: summary,
    assessments,
    customer: await findCustomerByRef(db, row.customer_ref),
    customerRisk: row.customer_gcid ? await customerRiskOfGcid(db, row.customer_gcid, { scope, now }) : null,
    comments: comments.map(toCaseComment),
    attachments: attachments.map(toCaseAttachment),
    timeline,
    allowedActions: allowedCaseActions(summary, viewer),
  };
}

export async function getAttachmentContent(db: Kysely<Database>, caseId: string, attachmentId: string, scope: TenantScope) {
  await visibleCase(db, caseId, scope);
  const row = await db
    .selectFrom('case_attachments')
    .innerJoin('attachment_blobs', 'attachment_blobs.sha256', 'case_attachments.sha256')
    .select(['case_attachments.file_name', 'case_attachments.content_type', 'case_attachments.sha256', 'attachment_blobs.content'])
    .where('case_attachments.id', '=', attachmentId)
    .where('case_attachments.case_id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw notFound('attachment');
  return row;
}

const reasonLabel = (code: unknown) => reasonCodeLabel(String(code));

const quoted = (note: unknown) => (note ? `: “${String(note)}”` : '');

/** One sentence per audit entry for the case timeline. */
export function describeChange(command: string, entityType: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  const a = after ?? {};
  if (entityType === 'assessment') {
    if (command === 'assessment.record') return `Payment scored ${String(a.riskLevel)} (${Number(a.riskScore).toFixed(2)}): ${String(a.decision)}`;
    const requested = a.approvalRequested as { reference?: string; action?: string; why?: string } | undefined;
    if (requested) return `Decision on the payment (${String(requested.action)}) waits for a second approver in ${String(requested.reference)}`;
    return `Payment decision set to ${String(a.decision)}`;
  }
  if ('comment' in a) return `Comment: “${String(a.comment)}”`;
  if ('attachment' in a) {
    const file = a.attachment as { fileName?: string; sha256?: string };
    return `Attached ${String(file.fileName)} (SHA-256 ${String(file.sha256).slice(0, 12)}…)`;
  }
  // A decision on the payment (assessment drawer, PUT …/decision) that opened or went through this case.
  if (command === 'assessment.decide') {
    const request = a.approvalRequest as { action?: string; why?: string } | undefined;
    if (before === null && request)
      return `Opened for a decision on the payment: ${request.action === 'BLOCK' ? 'block' : 'approval'} requested — needs a second approver (${String(request.why)})`;
    if (before !== null && !a.joinedTransactionReference)
      return describeChange(a.state === 'ASSIGNED' && before.state === 'NEW' ? 'case.assign' : 'case.decide', entityType, before, after);
  }
  switch (command) {
    case 'assessment.record':
    case 'assessment.decide':
      if (a.joinedTransactionReference) return `Payment ${String(a.joinedTransactionReference)} (${String(a.joinedRiskLevel)}) joined this open case`;
      return `Case opened in ${String(a.queue)} (${String(a.riskLevel)} risk)`;
    case 'case.assign':
    case 'case.bulk-assign':
      return before?.assigneeName ? `Reassigned from ${String(before.assigneeName)} to ${String(a.assigneeName)}` : `Assigned to ${String(a.assigneeName)}`;
    case 'case.claim-next':
      return `Claimed by ${String(a.assigneeName)} (next in queue)`;
    case 'case.release':
      return `Released back to the queue${quoted(a.note)}`;
    case 'case.start':
      return 'Work started';
    case 'case.request-info':
      return `Waiting for information (SLA paused)${quoted(a.note)}`;
    case 'case.resume':
      return `Information received, work resumed (SLA was paused ${String(a.pausedMinutes ?? 0)} min)${quoted(a.note)}`;
    case 'case.tag':
      return `Tags set: ${((a.tags as string[] | undefined) ?? []).join(', ') || 'none'}`;
    case 'case.approval':
      return a.approvedBy
        ? `Four-eyes approval given by ${String(a.approvedBy)}: ${a.outcome === 'BLOCKED' ? 'blocked' : 'approved'}`
        : `Four-eyes approval refused, back to ${String(a.state)}${quoted(a.note)}`;
    case 'case.decide':
    case 'case.bulk-close-false-positive': {
      if (a.state === 'AWAITING_APPROVAL') {
        const request = a.approvalRequest as { action?: string; why?: string } | undefined;
        return `${request?.action === 'BLOCK' ? 'Block' : 'Approval'} requested — needs a second approver (${String(request?.why)})`;
      }
      if (a.state === 'ESCALATED') return `Escalated to ${String(a.queue)} — ${reasonLabel(a.reasonCode)}${quoted(a.note)}`;
      const verdict = a.outcome === 'APPROVED' ? 'Approved' : 'Blocked';
      return `${verdict} — ${reasonLabel(a.reasonCode)}${quoted(a.note)}`;
    }
    default:
      return `${command} (${before ? 'changed' : 'created'})`;
  }
}
