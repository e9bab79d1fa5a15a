import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely, Updateable } from 'kysely';
import { defineCommand, reserveCounter, type Actor, type CommandContext } from '../commands/bus.ts';
import { conflict, forbidden, notFound, ServiceError, validationFailed } from '../errors.ts';
import { dbBool, fromJson, toBool, toIso, toJson, toNumber } from '../db/database.ts';
import type { CaseRow, CasesTable, Database } from '../db/schema.ts';
import {
  ACTION_TO_ASSESSMENT_DECISION,
  BulkAssignRequest,
  BulkCloseFalsePositiveRequest,
  CaseApprovalDecisionRequest,
  CaseAssignRequest,
  CaseDecisionRequest,
  CaseRequestInfoRequest,
  CaseStepRequest,
  CaseTagsRequest,
  ClaimNextRequest,
  FourEyesSettings,
  FourEyesSettingsInput,
  DEFAULT_FOUR_EYES,
  OPEN_CASE_STATES,
  REASON_CODES,
  type ApprovalRequest,
  type CaseAction,
  type CaseCommandName,
  type CaseState,
  type FourEyesSettingsView,
} from '../../../shared/src/cases.ts';
import { refuseCaseCommand, type CaseViewer } from '../../../shared/src/case-rules.ts';
import { RISK_LEVEL_ORDER, type Decision, type RiskLevel } from '../../../shared/src/assessments.ts';
import { escalationQueue, routeCase, type CaseQueue } from '../../../shared/src/queues.ts';
import { ROLE_PERMISSIONS, Permission, roleHasPermission, Role } from '../../../shared/src/roles.ts';
import { caseAuditView, toCaseSummary } from './mapping.ts';
import { queuesIn } from './queues.ts';
import { resolveIdentity } from '../customers/identity.ts';

const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(Permission.options);

export function viewerOf(actor: Actor): CaseViewer {
  return { id: actor.id, permissions: actor.role === 'SYSTEM' ? ALL_PERMISSIONS : new Set(ROLE_PERMISSIONS[actor.role]) };
}

function enforce(ctx: CommandContext, command: CaseCommandName, row: CaseRow): void {
  const refusal = refuseCaseCommand(command, toCaseSummary(row), viewerOf(ctx.actor));
  if (refusal) throw refusal.status === 403 ? forbidden(refusal.message) : conflict(refusal.message);
}

const minutes = (n: number) => n * 60_000;

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
  paymentType: string;
  deviceId: string | null;
}

function worse(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVEL_ORDER[a] >= RISK_LEVEL_ORDER[b] ? a : b;
}

/**
 * A payment that needs an analyst (inside the caller's assessment.record command): it joins the
 * customer's open case when there is one (Marble/Jube: new hits join the open case), otherwise a
 * new case opens in the queue routing picks, with that queue's SLA for the risk level.
 */
export async function openCaseForAssessment(ctx: CommandContext, opening: CaseOpening): Promise<CaseRow> {
  const gcid = await resolveIdentity(ctx, {
    identifiers: [
      { kind: 'CUSTOMER_REF', value: opening.customerRef },
      { kind: 'DEVICE', value: opening.deviceId },
    ],
    displayName: opening.customerName ?? opening.customerRef,
    source: 'payments',
  });
  const now = ctx.now.toISOString();
  let openQuery = ctx.trx.selectFrom('cases').selectAll().where('customer_gcid', '=', gcid).where('is_open', '=', dbBool(ctx.dialect, true)).orderBy('created_at').limit(1);
  if (ctx.dialect === 'postgres') openQuery = openQuery.forUpdate();
  const open = await openQuery.executeTakeFirst();
  const queues = await queuesIn(ctx);
  if (open) return joinCase(ctx, open, opening, queues);

  const queue = routeCase(queues, { riskLevel: opening.riskLevel, tenantId: opening.tenantId, paymentType: opening.paymentType, channel: opening.channel, amountKes: opening.amountKes });
  if (!queue) throw new ServiceError(500, 'INTERNAL', 'no case queue is configured (the default queue is missing)');
  const number = await reserveCounter(ctx.trx, 'case.reference');
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
    assignee_id: null,
    assignee_name: null,
    outcome: null,
    reason_code: null,
    reason_codes: '[]',
    tags: '[]',
    decision_note: null,
    sla_due_at: new Date(ctx.now.getTime() + minutes(queue.sla[opening.riskLevel])).toISOString(),
    sla_paused_at: null,
    escalated_at: null,
    approval_request: null,
    is_open: dbBool(ctx.dialect, true),
    search_text: searchText(opening.customerName, opening.customerRef, opening.transactionReference),
    created_at: now,
    updated_at: now,
    closed_at: null,
    version: 1,
    deleted_at: null,
  };
  await ctx.trx.insertInto('cases').values(row).execute();
  await ctx.trx.insertInto('case_assessments').values({ case_id: row.id, assessment_id: opening.assessmentRowId, linked_at: now }).execute();
  const summary = toCaseSummary(row as CaseRow);
  ctx.audit({ entityType: 'case', entityId: row.id, before: null, after: { ...caseAuditView(row), reference: row.reference, riskLevel: row.risk_level, queue: row.queue, transactionReference: opening.transactionReference } });
  ctx.change({ entityType: 'case', entityId: row.id, operation: 'upsert', version: 1, data: summary });
  ctx.announce({ event: 'case.opened', payload: summary, audience: 'case:read' });
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
  return saveCase(ctx, open, {
    risk_level: level,
    risk_score: Math.max(toNumber(open.risk_score), opening.riskScore),
    payment_count: open.payment_count + 1,
    total_amount_kes: Math.round((toNumber(open.total_amount_kes) + opening.amountKes) * 100) / 100,
    sla_due_at: slaDue,
    search_text: `${open.search_text} ${opening.transactionReference.toLowerCase()}`.slice(0, 1000),
  }, { joinedTransactionReference: opening.transactionReference, joinedAmountKes: opening.amountKes, joinedRiskLevel: opening.riskLevel });
}

// --- loading and saving ----------------------------------------------------------------------

async function loadCaseForUpdate(ctx: CommandContext, caseId: string, expectedVersion: number | null): Promise<CaseRow> {
  let query = ctx.trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('deleted_at', 'is', null);
  // Row lock on PostgreSQL so two hubs cannot both pass the version check; SQLite has one writer.
  if (ctx.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('case');
  if (expectedVersion !== null && row.version !== expectedVersion) {
    throw conflict(`case ${row.reference} was changed by someone else (you saw version ${expectedVersion}, it is now ${row.version}); reload it`);
  }
  return row;
}

/** The one write path for a case row: version check, audit, change log, live announcement. */
async function saveCase(ctx: CommandContext, before: CaseRow, patch: Updateable<CasesTable>, auditExtra: Record<string, unknown> = {}): Promise<CaseRow> {
  const state = (patch.state ?? before.state) as CaseState;
  const changes = { ...patch, is_open: dbBool(ctx.dialect, OPEN_CASE_STATES.includes(state)), version: before.version + 1, updated_at: ctx.now.toISOString() };
  const result = await ctx.trx.updateTable('cases').set(changes).where('id', '=', before.id).where('version', '=', before.version).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`case ${before.reference} was changed by someone else; reload it`);
  const after = { ...before, ...changes } as CaseRow;
  const summary = toCaseSummary(after);
  ctx.audit({ entityType: 'case', entityId: before.id, before: caseAuditView(before), after: { ...caseAuditView(after), ...auditExtra } });
  ctx.change({ entityType: 'case', entityId: before.id, operation: 'upsert', version: after.version, data: summary });
  ctx.announce({ event: 'case.updated', payload: summary, audience: 'case:read' });
  return after;
}

const CaseId = z.object({ caseId: z.uuid() });

// --- assignment ------------------------------------------------------------------------------

async function assignee(ctx: CommandContext, userId: string, escalated: boolean) {
  const user = await ctx.trx.selectFrom('users').select(['id', 'display_name', 'role', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!user || !toBool(user.active)) throw validationFailed([{ path: 'body.assigneeId', message: 'no such active user' }]);
  const role = Role.parse(user.role);
  if (!roleHasPermission(role, 'case:work')) throw validationFailed([{ path: 'body.assigneeId', message: `${user.display_name} cannot work cases` }]);
  if (escalated && !roleHasPermission(role, 'case:supervise')) throw validationFailed([{ path: 'body.assigneeId', message: `${user.display_name} cannot work escalated cases` }]);
  return { id: user.id, name: user.display_name };
}

async function assignOne(ctx: CommandContext, before: CaseRow, assigneeId: string | undefined): Promise<CaseRow> {
  const target = assigneeId ?? ctx.actor.id;
  const forSomeoneElse = target !== ctx.actor.id;
  enforce(ctx, forSomeoneElse || (before.assignee_id !== null && before.assignee_id !== ctx.actor.id) ? 'reassign' : 'assign', before);
  if (before.assignee_id === target) return before;
  const user = await assignee(ctx, target, before.state === 'ESCALATED');
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
 * earliest SLA due time, then the highest risk — and nobody else can take it. On PostgreSQL the
 * candidate row is locked with SKIP LOCKED, so concurrent claims on several hubs each get a
 * different case; SQLite has a single writer. Escalated cases are claimed only by supervisors.
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
    if (input.queueId) query = query.where('queue_id', '=', input.queueId);
    query = query.orderBy('sla_due_at', 'asc').orderBy('risk_score', 'desc').orderBy('created_at', 'asc').limit(1);
    if (ctx.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const next = await query.executeTakeFirst();
    if (!next) return null;
    return toCaseSummary(await saveCase(ctx, next, { assignee_id: ctx.actor.id, assignee_name: ctx.actor.name, state: next.state === 'NEW' ? 'ASSIGNED' : next.state }));
  },
});

export const releaseCase = defineCommand({
  name: 'case.release',
  input: CaseStepRequest.extend(CaseId.shape),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'release', before);
    const after = await saveCase(ctx, before, { assignee_id: null, assignee_name: null, state: before.state === 'ESCALATED' ? 'ESCALATED' : 'NEW' }, { note: input.note ?? null });
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
function takeOver(ctx: CommandContext, before: CaseRow): Updateable<CasesTable> {
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
    return toCaseSummary(await saveCase(ctx, before, { state: 'PENDING_INFO', sla_paused_at: ctx.now.toISOString(), ...takeOver(ctx, before) }, { note: input.note }));
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
    const after = await saveCase(ctx, before, {
      state: before.escalated_at ? 'ESCALATED' : 'IN_PROGRESS',
      sla_paused_at: null,
      sla_due_at: new Date(new Date(toIso(before.sla_due_at)).getTime() + paused).toISOString(),
    }, { note: input.note ?? null, pausedMinutes: Math.round(paused / 60_000) });
    return toCaseSummary(after);
  },
});

// --- decisions and four-eyes -----------------------------------------------------------------

const FOUR_EYES_KEY = 'case.four-eyes';

export async function readFourEyes(trx: Kysely<Database>): Promise<FourEyesSettingsView> {
  const row = await trx.selectFrom('settings').selectAll().where('name', '=', FOUR_EYES_KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_FOUR_EYES, version: 0, updatedAt: null, updatedBy: null };
  return { ...FourEyesSettings.parse(fromJson(row.value)), version: row.version, updatedAt: toIso(row.updated_at), updatedBy: row.updated_by };
}

export const updateFourEyes = defineCommand({
  name: 'case.four-eyes.update',
  input: FourEyesSettingsInput,
  permission: 'case:configure',
  async apply(ctx, input) {
    const before = await readFourEyes(ctx.trx);
    if (before.version !== input.expectedVersion) throw conflict(`the four-eyes settings were changed by ${before.updatedBy ?? 'someone else'}; reload them`);
    const value = { blockAboveKes: input.blockAboveKes, closeCritical: input.closeCritical };
    const row = { name: FOUR_EYES_KEY, value: toJson(value), updated_at: ctx.now.toISOString(), updated_by: ctx.actor.name, version: before.version + 1 };
    if (before.version === 0) await ctx.trx.insertInto('settings').values(row).execute();
    else await ctx.trx.updateTable('settings').set(row).where('name', '=', FOUR_EYES_KEY).execute();
    ctx.audit({ entityType: 'settings', entityId: FOUR_EYES_KEY, before: { blockAboveKes: before.blockAboveKes, closeCritical: before.closeCritical }, after: value });
    ctx.change({ entityType: 'settings', entityId: FOUR_EYES_KEY, operation: 'upsert', version: row.version, data: value });
    ctx.announce({ event: 'queue.changed', audience: 'case:read', payload: { queueId: null, action: 'four-eyes', by: ctx.actor.name } });
    return readFourEyes(ctx.trx);
  },
});

const formatKes = (n: number) => `KES ${Math.round(n).toLocaleString('en-KE')}`;

/** Why a closing decision needs a second approver, or null. */
function fourEyesReason(settings: FourEyesSettings, row: CaseRow, action: 'APPROVE' | 'BLOCK'): string | null {
  const total = toNumber(row.total_amount_kes);
  if (action === 'BLOCK' && total > settings.blockAboveKes) return `blocking ${formatKes(total)} (above the ${formatKes(settings.blockAboveKes)} limit)`;
  if (settings.closeCritical && row.risk_level === 'CRITICAL') return `closing a CRITICAL case`;
  return null;
}

function reasonLabel(action: CaseAction, code: string): string {
  return (REASON_CODES[action] as Record<string, string>)[code] ?? code;
}

function appendReason(row: CaseRow, code: string): string {
  return toJson([...fromJson<string[]>(row.reason_codes), code]);
}

/** Closes a case with its outcome and writes the decision back to every linked payment (seed 001). */
async function closeCase(ctx: CommandContext, before: CaseRow, decision: { action: 'APPROVE' | 'BLOCK'; reasonCode: string; note: string; decidedBy: string; approvedBy: string | null }): Promise<CaseRow> {
  const after = await saveCase(ctx, before, {
    state: 'CLOSED',
    outcome: decision.action === 'APPROVE' ? 'APPROVED' : 'BLOCKED',
    reason_code: decision.reasonCode,
    reason_codes: before.state === 'AWAITING_APPROVAL' ? toJson(fromJson<string[]>(before.reason_codes)) : appendReason(before, decision.reasonCode),
    decision_note: decision.note,
    approval_request: null,
    sla_paused_at: null,
    closed_at: ctx.now.toISOString(),
    ...takeOver(ctx, before),
  }, decision.approvedBy ? { approvedBy: decision.approvedBy } : {});
  await writeBackToAssessments(ctx, before.id, decision.action, decision.reasonCode, decision.note, decision.decidedBy, decision.approvedBy);
  return after;
}

async function writeBackToAssessments(ctx: CommandContext, caseId: string, action: CaseAction, reasonCode: string, note: string, decidedBy: string, approvedBy: string | null): Promise<void> {
  const decision = ACTION_TO_ASSESSMENT_DECISION[action];
  const reason = `${reasonLabel(action, reasonCode)}: ${note}`;
  const manual = { decision, reason, decidedBy, decidedAt: ctx.now.toISOString(), ...(approvedBy ? { approvedBy } : {}) };
  const linked = await ctx.trx
    .selectFrom('fraud_risk_assessments')
    .innerJoin('case_assessments', 'case_assessments.assessment_id', 'fraud_risk_assessments.id')
    .select(['fraud_risk_assessments.id', 'fraud_risk_assessments.decision', 'fraud_risk_assessments.version'])
    .where('case_assessments.case_id', '=', caseId)
    .execute();
  for (const assessment of linked) {
    await ctx.trx
      .updateTable('fraud_risk_assessments')
      .set({ decision, decision_reason: `Analyst decision — ${reason}`.slice(0, 500), manual_decision: toJson(manual), version: assessment.version + 1, updated_at: ctx.now.toISOString() })
      .where('id', '=', assessment.id)
      .execute();
    ctx.audit({ entityType: 'assessment', entityId: assessment.id, before: { decision: assessment.decision }, after: { decision, manualDecision: manual } });
    ctx.change({ entityType: 'assessment', entityId: assessment.id, operation: 'upsert', version: assessment.version + 1, data: { decision, manualDecision: manual } });
  }
}

async function decideOne(ctx: CommandContext, before: CaseRow, input: { action: CaseAction; reasonCode: string; note: string }): Promise<CaseRow> {
  enforce(ctx, input.action === 'APPROVE' ? 'approve' : input.action === 'BLOCK' ? 'block' : 'escalate', before);
  if (input.action === 'ESCALATE') {
    const target = escalationQueue(await queuesIn(ctx));
    if (!target) throw conflict('there is no active escalation queue to send this case to');
    const after = await saveCase(ctx, before, {
      state: 'ESCALATED',
      queue: target.name,
      queue_id: target.id,
      assignee_id: null,
      assignee_name: null,
      escalated_at: ctx.now.toISOString(),
      sla_paused_at: null,
      sla_due_at: new Date(ctx.now.getTime() + minutes(target.sla[before.risk_level as RiskLevel])).toISOString(),
      reason_code: input.reasonCode,
      reason_codes: appendReason(before, input.reasonCode),
      decision_note: input.note,
    }, { queue: target.name });
    await writeBackToAssessments(ctx, before.id, 'ESCALATE', input.reasonCode, input.note, ctx.actor.name, null);
    return after;
  }
  const action = input.action;
  const why = fourEyesReason(await readFourEyes(ctx.trx), before, action);
  if (why) {
    const request: ApprovalRequest = {
      action,
      reasonCode: input.reasonCode,
      note: input.note,
      requestedById: ctx.actor.id,
      requestedByName: ctx.actor.name,
      requestedAt: ctx.now.toISOString(),
      why,
      returnState: before.escalated_at ? 'ESCALATED' : 'IN_PROGRESS',
    };
    return saveCase(ctx, before, {
      state: 'AWAITING_APPROVAL',
      approval_request: toJson(request),
      reason_codes: appendReason(before, input.reasonCode),
      sla_paused_at: null,
      ...takeOver(ctx, before),
    }, { approvalRequest: request });
  }
  return closeCase(ctx, before, { action, reasonCode: input.reasonCode, note: input.note, decidedBy: ctx.actor.name, approvedBy: null });
}

/** Approve, block or escalate. A block above the limit or a CRITICAL close waits for a second approver. */
export const decideCase = defineCommand({
  name: 'case.decide',
  input: CaseDecisionRequest.safeExtend(CaseId.shape),
  permission: 'case:decide',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    return toCaseSummary(await decideOne(ctx, before, input));
  },
});

/** Four-eyes: someone else with approver rights confirms the decision (it takes effect) or sends it back. */
export const decideApproval = defineCommand({
  name: 'case.approval',
  input: CaseApprovalDecisionRequest.extend(CaseId.shape),
  permission: 'case:approve',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    enforce(ctx, 'approval-decide', before);
    const request = fromJson<ApprovalRequest>(before.approval_request);
    if (input.approve) {
      return toCaseSummary(await closeCase(ctx, before, { action: request.action, reasonCode: request.reasonCode, note: `${request.note} (approved by ${ctx.actor.name}: ${input.note})`, decidedBy: request.requestedByName, approvedBy: ctx.actor.name }));
    }
    const after = await saveCase(ctx, before, { state: request.returnState, approval_request: null }, { rejectedRequest: request, note: input.note });
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

// --- bulk ------------------------------------------------------------------------------------

async function loadMany(ctx: CommandContext, caseIds: readonly string[]): Promise<CaseRow[]> {
  let query = ctx.trx.selectFrom('cases').selectAll().where('id', 'in', [...new Set(caseIds)]).where('deleted_at', 'is', null).orderBy('created_at');
  if (ctx.dialect === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  if (rows.length !== new Set(caseIds).size) throw notFound('one or more of the selected cases');
  return rows;
}

/** All or nothing: one refused case refuses the batch, naming every case that could not be done. */
async function eachOrRefuse<T>(rows: readonly CaseRow[], work: (row: CaseRow) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const refused: string[] = [];
  let status = 409;
  for (const row of rows) {
    try {
      out.push(await work(row));
    } catch (error) {
      if (!(error instanceof ServiceError) || (error.status !== 409 && error.status !== 403)) throw error;
      if (error.status === 403) status = 403;
      refused.push(`${row.reference}: ${error.message}`);
    }
  }
  if (refused.length > 0) {
    const message = `${refused.length} of ${rows.length} cases cannot be done, so none were changed — ${refused.slice(0, 10).join('; ')}${refused.length > 10 ? '; …' : ''}`;
    throw status === 403 ? forbidden(message) : conflict(message);
  }
  return out;
}

export const bulkAssign = defineCommand({
  name: 'case.bulk-assign',
  input: BulkAssignRequest,
  permission: 'case:work',
  async apply(ctx, input) {
    const rows = await loadMany(ctx, input.caseIds);
    const updated = await eachOrRefuse(rows, (row) => assignOne(ctx, row, input.assigneeId));
    return { updated: updated.map(toCaseSummary), awaitingApproval: [] as string[] };
  },
});

/** Close many cases as false positives; unassigned new cases are taken by the caller first. */
export const bulkCloseFalsePositive = defineCommand({
  name: 'case.bulk-close-false-positive',
  input: BulkCloseFalsePositiveRequest,
  permission: 'case:decide',
  async apply(ctx, input) {
    const rows = await loadMany(ctx, input.caseIds);
    const updated = await eachOrRefuse(rows, async (row) => {
      const mine = row.state === 'NEW' && row.assignee_id === null ? await assignOne(ctx, row, undefined) : row;
      return decideOne(ctx, mine, { action: 'APPROVE', reasonCode: input.reasonCode, note: input.note });
    });
    return {
      updated: updated.map(toCaseSummary),
      awaitingApproval: updated.filter((r) => r.state === 'AWAITING_APPROVAL').map((r) => r.reference),
    };
  },
});

