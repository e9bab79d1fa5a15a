import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Insertable, Updateable } from 'kysely';
import { defineCommand, reserveCounter, type Actor, type CommandContext } from '../commands/bus.ts';
import { conflict, forbidden, notFound, ServiceError, validationFailed } from '../errors.ts';
import { dbBool, toBool, toIso, toJson, toNumber } from '../db/database.ts';
import type { CaseRow, CasesTable } from '../db/schema.ts';
import {
  CaseAssignRequest,
  CaseRequestInfoRequest,
  CaseStepRequest,
  CaseTagsRequest,
  ClaimNextRequest,
  OPEN_CASE_STATES,
  type CaseCommandName,
  type CaseState,
} from '../../../shared/src/cases.ts';
import { refuseCaseCommand, type CaseViewer } from '../../../shared/src/case-rules.ts';
import { RISK_LEVEL_ORDER, type Decision, type RiskLevel } from '../../../shared/src/assessments.ts';
import { routeCase, type CaseQueue } from '../../../shared/src/queues.ts';
import { ROLE_PERMISSIONS, Permission, roleHasPermission, Role } from '../../../shared/src/roles.ts';
import { tenantAccessFor, tenantAllowed } from '../../../shared/src/tenants.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { caseAuditView, toCaseSummary } from './mapping.ts';
import { queuesIn } from './queues.ts';
import { resolveIdentity } from '../customers/identity.ts';
import { lockForUpdate, lockForUpdateSkipLocked } from '../db/dialect.ts';

const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(Permission.options);

export function viewerOf(actor: Actor): CaseViewer {
  return { id: actor.id, permissions: actor.role === 'SYSTEM' ? ALL_PERMISSIONS : new Set(ROLE_PERMISSIONS[actor.role]) };
}

export function enforce(ctx: CommandContext, command: CaseCommandName, row: CaseRow): void {
  const refusal = refuseCaseCommand(command, toCaseSummary(row), viewerOf(ctx.actor));
  if (refusal) throw refusal.status === 403 ? forbidden(refusal.message) : conflict(refusal.message);
}

/**
 * Another tenant's case does not exist for this actor: 404 (ARCHITECTURE.md "Tenants"). Checked
 * inside the commands against the actor's tenants, so a command replayed by name is checked too.
 * A case without a tenant (migration 0009 leaves none) is shown only to bank-wide callers.
 */
export function assertCaseVisible(actor: Actor, row: Pick<CaseRow, 'tenant_id'>): void {
  const scope = new TenantScope(actor.tenants);
  if (!scope.isAll && (row.tenant_id === null || !scope.allows(row.tenant_id))) throw notFound('case');
}

export const minutes = (n: number) => n * 60_000;

/** A case moved to an escalation queue: unassigned, with that queue's SLA from now (manual and automatic escalation alike). */
export function escalatedTo(ctx: CommandContext, row: CaseRow, target: CaseQueue) {
  return {
    state: 'ESCALATED',
    queue: target.name,
    queue_id: target.id,
    assignee_id: null,
    assignee_name: null,
    escalated_at: ctx.now.toISOString(),
    sla_paused_at: null,
    sla_due_at: new Date(ctx.now.getTime() + minutes(target.sla[row.risk_level as RiskLevel])).toISOString(),
  } satisfies Updateable<CasesTable>;
}

// --- opening and joining ---------------------------------------------------------------------

export interface CaseOpening {
  assessmentRowId: string;
  riskLevel: RiskLevel;
  riskScore: number;
  decision: Decision;
  customerRef: string;
  customerName: string | null;
  amount: number;
  currency: string;
  amountKes: number;
  channel: string;
  transactionReference: string;
  tenantId: string;
  paymentType: string | null;
  deviceId: string | null;
}

function worse(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVEL_ORDER[a] >= RISK_LEVEL_ORDER[b] ? a : b;
}

/** The global customer id of the payment's customer (seed 004). */
export function resolveOpeningCustomer(ctx: CommandContext, opening: CaseOpening): Promise<string> {
  return resolveIdentity(ctx, {
    identifiers: [
      { kind: 'CUSTOMER_REF', value: opening.customerRef },
      { kind: 'DEVICE', value: opening.deviceId },
    ],
    displayName: opening.customerName ?? opening.customerRef,
    source: 'payments',
  });
}

/**
 * A payment that needs an analyst (inside the caller's assessment.record command): it joins the
 * customer's open case of the same tenant when there is one (Marble/Jube: new hits join the open
 * case; a tenant never sees another tenant's payments in its case), otherwise a new case opens in
 * the queue routing picks, with that queue's SLA for the risk level.
 */
export async function openCaseForAssessment(ctx: CommandContext, opening: CaseOpening): Promise<CaseRow> {
  const gcid = await resolveOpeningCustomer(ctx, opening);
  let openQuery = ctx.trx
    .selectFrom('cases')
    .selectAll()
    .where('customer_gcid', '=', gcid)
    .where('tenant_id', '=', opening.tenantId)
    .where('is_open', '=', dbBool(ctx.dialect, true))
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .limit(1);
  openQuery = lockForUpdate(ctx.dialect, openQuery);
  const open = await openQuery.executeTakeFirst();
  const queues = await queuesIn(ctx);
  if (open) return joinCase(ctx, open, opening, queues);
  return insertCase(ctx, opening, gcid, queues, {});
}

/** A new case for one payment, routed to its queue; `overrides` set the opening state (e.g. waiting for approval). */
export async function insertCase(
  ctx: CommandContext,
  opening: CaseOpening,
  gcid: string,
  queues: readonly CaseQueue[],
  overrides: Partial<Pick<Insertable<CasesTable>, 'state' | 'assignee_id' | 'assignee_name' | 'approval_request' | 'reason_codes'>>,
  auditExtra: Record<string, unknown> = {},
): Promise<CaseRow> {
  const queue = routeCase(queues, {
    riskLevel: opening.riskLevel,
    tenantId: opening.tenantId,
    paymentType: opening.paymentType,
    channel: opening.channel,
    amountKes: opening.amountKes,
  });
  if (!queue) throw new ServiceError(500, 'INTERNAL', 'no case queue is configured (the default queue is missing)');
  const number = await reserveCounter(ctx.trx, 'case.reference');
  const now = ctx.now.toISOString();
  const row = {
    id: randomUUID(),
    reference: `CASE-${ctx.now.getUTCFullYear()}-${String(number).padStart(6, '0')}`,
    state: 'NEW',
    queue: queue.name,
    queue_id: queue.id,
    risk_level: opening.riskLevel,
    risk_score: opening.riskScore,
    opening_decision: opening.decision,
    customer_ref: opening.customerRef,
    customer_name: opening.customerName,
    customer_gcid: gcid,
    tenant_id: opening.tenantId,
    payment_type: opening.paymentType,
    amount: opening.amount,
    currency: opening.currency,
    amount_kes: opening.amountKes,
    total_amount_kes: opening.amountKes,
    payment_count: 1,
    channel: opening.channel,
    transaction_reference: opening.transactionReference,
    assignee_id: null as string | null,
    assignee_name: null as string | null,
    outcome: null,
    reason_code: null,
    reason_codes: '[]',
    tags: '[]',
    decision_note: null,
    sla_due_at: new Date(ctx.now.getTime() + minutes(queue.sla[opening.riskLevel])).toISOString(),
    sla_paused_at: null,
    escalated_at: null,
    approval_request: null as string | null,
    is_open: dbBool(ctx.dialect, true),
    search_text: searchText(opening.customerName, opening.customerRef, opening.transactionReference),
    created_at: now,
    updated_at: now,
    closed_at: null,
    version: 1,
    deleted_at: null,
    ...overrides,
  };
  await ctx.trx.insertInto('cases').values(row).execute();
  await ctx.trx.insertInto('case_assessments').values({ case_id: row.id, assessment_id: opening.assessmentRowId, linked_at: now }).execute();
  const summary = toCaseSummary(row as CaseRow);
  ctx.audit({
    entityType: 'case',
    entityId: row.id,
    tenantId: row.tenant_id,
    before: null,
    after: {
      ...caseAuditView(row as CaseRow),
      reference: row.reference,
      riskLevel: row.risk_level,
      queue: row.queue,
      transactionReference: opening.transactionReference,
      ...auditExtra,
    },
  });
  ctx.change({ entityType: 'case', entityId: row.id, operation: 'upsert', version: 1, data: summary });
  ctx.announce({ event: 'case.opened', payload: summary, audience: 'case:read', tenantId: row.tenant_id });
  return row as CaseRow;
}

/** What the queue search matches: customer name, CIF and payment references, lower case. */
export function searchText(customerName: string | null, customerRef: string, transactionReference: string): string {
  return `${customerName ?? ''} ${customerRef} ${transactionReference}`.toLowerCase().slice(0, 1000);
}

async function joinCase(ctx: CommandContext, open: CaseRow, opening: CaseOpening, queues: readonly CaseQueue[]): Promise<CaseRow> {
  await ctx.trx.insertInto('case_assessments').values({ case_id: open.id, assessment_id: opening.assessmentRowId, linked_at: ctx.now.toISOString() }).execute();
  const level = worse(open.risk_level as RiskLevel, opening.riskLevel);
  const queue = queues.find((q) => q.id === open.queue_id);
  // A riskier hit can shorten the deadline, never lengthen it; a paused clock stays paused.
  let slaDue = toIso(open.sla_due_at);
  if (queue && open.sla_paused_at === null) {
    const tighter = new Date(ctx.now.getTime() + minutes(queue.sla[level])).toISOString();
    if (tighter < slaDue) slaDue = tighter;
  }
  return saveCase(
    ctx,
    open,
    {
      risk_level: level,
      risk_score: Math.max(toNumber(open.risk_score), opening.riskScore),
      payment_count: open.payment_count + 1,
      total_amount_kes: Math.round((toNumber(open.total_amount_kes) + opening.amountKes) * 100) / 100,
      sla_due_at: slaDue,
      search_text: `${open.search_text} ${opening.transactionReference.toLowerCase()}`.slice(0, 1000),
    },
    { joinedTransactionReference: opening.transactionReference, joinedAmountKes: opening.amountKes, joinedRiskLevel: opening.riskLevel },
  );
}

// --- loading and saving ----------------------------------------------------------------------

/** One case, locked for the command, checked against the actor's tenants (404) and the version the caller saw (409). */
export async function loadCaseForUpdate(ctx: CommandContext, caseId: string, expectedVersion: number | null): Promise<CaseRow> {
  let query = ctx.trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('deleted_at', 'is', null);
  // Row lock on PostgreSQL so two hubs cannot both pass the version check; SQLite has one writer.
  query = lockForUpdate(ctx.dialect, query);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('case');
  assertCaseVisible(ctx.actor, row);
  if (expectedVersion !== null && row.version !== expectedVersion) {
    throw conflict(`case ${row.reference} was changed by someone else (you saw version ${expectedVersion}, it is now ${row.version}); reload it`);
  }
  return row;
}

/** The one write path for a case row: version check, audit, change log, live announcement (to the case's tenant). */
export async function saveCase(
  ctx: CommandContext,
  before: CaseRow,
  patch: Updateable<CasesTable>,
  auditExtra: Record<string, unknown> = {},
): Promise<CaseRow> {
  const state = (patch.state ?? before.state) as CaseState;
  const changes = { ...patch, is_open: dbBool(ctx.dialect, OPEN_CASE_STATES.includes(state)), version: before.version + 1, updated_at: ctx.now.toISOString() };
  const result = await ctx.trx.updateTable('cases').set(changes).where('id', '=', before.id).where('version', '=', before.version).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`case ${before.reference} was changed by someone else; reload it`);
  const after = { ...before, ...changes } as CaseRow;
  const summary = toCaseSummary(after);
  ctx.audit({
    entityType: 'case',
    entityId: before.id,
    tenantId: after.tenant_id,
    before: caseAuditView(before),
    after: { ...caseAuditView(after), ...auditExtra },
  });
  ctx.change({ entityType: 'case', entityId: before.id, operation: 'upsert', version: after.version, data: summary });
  ctx.announce({ event: 'case.updated', payload: summary, audience: 'case:read', tenantId: after.tenant_id });
  return after;
}

export const CaseId = z.object({ caseId: z.uuid() });

// --- assignment ------------------------------------------------------------------------------

/** Who may hold a case: an active user who works cases, of escalated ones a supervisor, acting for the case's tenant. */
async function assignee(ctx: CommandContext, userId: string, target: CaseRow) {
  const user = await ctx.trx.selectFrom('users').select(['id', 'display_name', 'role', 'active', 'tenant_ids']).where('id', '=', userId).executeTakeFirst();
  if (!user || !toBool(user.active)) throw validationFailed([{ path: 'body.assigneeId', message: 'no such active user' }]);
  const role = Role.parse(user.role);
  if (!roleHasPermission(role, 'case:work')) throw validationFailed([{ path: 'body.assigneeId', message: `${user.display_name} cannot work cases` }]);
  if (target.state === 'ESCALATED' && !roleHasPermission(role, 'case:supervise'))
    throw validationFailed([{ path: 'body.assigneeId', message: `${user.display_name} cannot work escalated cases` }]);
  if (target.tenant_id !== null && !tenantAllowed(tenantAccessFor(role, tenantIdsOf(user.tenant_ids)), target.tenant_id)) {
    throw validationFailed([{ path: 'body.assigneeId', message: `${user.display_name} does not act for tenant ${target.tenant_id}` }]);
  }
  return { id: user.id, name: user.display_name };
}

export async function assignOne(ctx: CommandContext, before: CaseRow, assigneeId: string | undefined): Promise<CaseRow> {
  const target = assigneeId ?? ctx.actor.id;
  const forSomeoneElse = target !== ctx.actor.id;
  enforce(ctx, forSomeoneElse || (before.assignee_id !== null && before.assignee_id !== ctx.actor.id) ? 'reassign' : 'assign', before);
  if (before.assignee_id === target) return before;
  const user = await assignee(ctx, target, before);
  return saveCase(ctx, before, { assignee_id: user.id, assignee_name: user.name, state: before.state === 'NEW' ? 'ASSIGNED' : before.state });
}

export const assignCase = defineCommand({
  name: 'case.assign',
  input: CaseAssignRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    return toCaseSummary(await assignOne(ctx, before, input.assigneeId));
  },
});

/**
 * Claim-next ("skim & lock"): the caller takes the most urgent unassigned case of a queue — the
 * earliest SLA due time, then the highest risk — among the cases of the tenants it acts for, and
 * nobody else can take it. On PostgreSQL the candidate row is locked with SKIP LOCKED, so
 * concurrent claims on several hubs each get a different case; SQLite has a single writer.
 * Escalated cases are claimed only by supervisors.
 */
export const claimNextCase = defineCommand({
  name: 'case.claim-next',
  input: ClaimNextRequest,
  permission: 'case:work',
  async apply(ctx, input) {
    const viewer = viewerOf(ctx.actor);
    const states: CaseState[] = viewer.permissions.has('case:supervise') ? ['NEW', 'ESCALATED'] : ['NEW'];
    let query = ctx.trx
      .selectFrom('cases')
      .selectAll()
      .where('is_open', '=', dbBool(ctx.dialect, true))
      .where('assignee_id', 'is', null)
      .where('state', 'in', states)
      .where('deleted_at', 'is', null);
    const tenants = new TenantScope(ctx.actor.tenants).sqlList();
    if (tenants) query = query.where('tenant_id', 'in', tenants);
    if (input.queueId) query = query.where('queue_id', '=', input.queueId);
    query = query.orderBy('sla_due_at', 'asc').orderBy('risk_score', 'desc').orderBy('created_at', 'asc').limit(1);
    query = lockForUpdateSkipLocked(ctx.dialect, query);
    const next = await query.executeTakeFirst();
    if (!next) return null;
    return toCaseSummary(
      await saveCase(ctx, next, { assignee_id: ctx.actor.id, assignee_name: ctx.actor.name, state: next.state === 'NEW' ? 'ASSIGNED' : next.state }),
    );
  },
});

export const releaseCase = defineCommand({
  name: 'case.release',
  input: CaseStepRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'release', before);
    const after = await saveCase(
      ctx,
      before,
      { assignee_id: null, assignee_name: null, state: before.state === 'ESCALATED' ? 'ESCALATED' : 'NEW' },
      { note: input.note ?? null },
    );
    return toCaseSummary(after);
  },
});

export const startCase = defineCommand({
  name: 'case.start',
  input: CaseStepRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'start', before);
    return toCaseSummary(await saveCase(ctx, before, { state: 'IN_PROGRESS', ...takeOver(ctx, before) }));
  },
});

/** A supervisor acting on an unassigned case has taken it. */
export function takeOver(ctx: CommandContext, before: CaseRow): Updateable<CasesTable> {
  return before.assignee_id ? {} : { assignee_id: ctx.actor.id, assignee_name: ctx.actor.name };
}

/** Waiting on the customer or a branch: the SLA clock stops until the case resumes. */
export const requestInfo = defineCommand({
  name: 'case.request-info',
  input: CaseRequestInfoRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'request-info', before);
    return toCaseSummary(
      await saveCase(ctx, before, { state: 'PENDING_INFO', sla_paused_at: ctx.now.toISOString(), ...takeOver(ctx, before) }, { note: input.note }),
    );
  },
});

export const resumeCase = defineCommand({
  name: 'case.resume',
  input: CaseStepRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'resume', before);
    const paused = before.sla_paused_at ? ctx.now.getTime() - new Date(toIso(before.sla_paused_at)).getTime() : 0;
    const after = await saveCase(
      ctx,
      before,
      {
        state: before.escalated_at ? 'ESCALATED' : 'IN_PROGRESS',
        sla_paused_at: null,
        sla_due_at: new Date(new Date(toIso(before.sla_due_at)).getTime() + paused).toISOString(),
      },
      { note: input.note ?? null, pausedMinutes: Math.round(paused / 60_000) },
    );
    return toCaseSummary(after);
  },
});

// --- tags, comments, attachments ------------------------------------------------------------

export const tagCase = defineCommand({
  name: 'case.tag',
  input: CaseTagsRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'tag', before);
    const tags = [...new Set(input.tags.map((t) => t.toLowerCase()))].sort();
    return toCaseSummary(await saveCase(ctx, before, { tags: toJson(tags) }, { tags }));
  },
});

export async function loadCaseForActivity(ctx: CommandContext, caseId: string, command: 'comment' | 'attach'): Promise<CaseRow> {
  const row = await loadCaseForUpdate(ctx, caseId, null);
  enforce(ctx, command, row);
  return row;
}
