import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { toJson } from '../db/database.ts';
import type { CaseRow, CasesTable } from '../db/schema.ts';
import type { Updateable } from 'kysely';
import {
  ACTION_TO_ASSESSMENT_DECISION,
  CaseAssignRequest,
  CaseDecisionRequest,
  REASON_CODES,
  type CaseAction,
  type CaseState,
} from '../../../shared/src/cases.ts';
import type { Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { roleHasPermission, Role } from '../../../shared/src/roles.ts';
import { caseAuditView, toCaseSummary } from './mapping.ts';

/** Hours an analyst has to decide, by risk level (issue 5 makes this configurable per queue). */
export const SLA_HOURS: Record<RiskLevel, number> = { CRITICAL: 1, HIGH: 4, MEDIUM: 24, LOW: 48 };

export function queueFor(level: RiskLevel): string {
  return level === 'CRITICAL' || level === 'HIGH' ? 'Priority review' : 'General review';
}

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
}

/** Opens a case for an assessment inside the caller's command (assessment.record). */
export async function openCaseForAssessment(ctx: CommandContext, opening: CaseOpening): Promise<CaseRow> {
  const number = await reserveCounter(ctx.trx, 'case.reference');
  const now = ctx.now.toISOString();
  const row = {
    id: randomUUID(),
    reference: `CASE-${ctx.now.getUTCFullYear()}-${String(number).padStart(6, '0')}`,
    state: 'NEW',
    queue: queueFor(opening.riskLevel),
    risk_level: opening.riskLevel,
    risk_score: opening.riskScore,
    opening_decision: opening.decision,
    customer_ref: opening.customerRef,
    customer_name: opening.customerName,
    amount: opening.amount,
    currency: opening.currency,
    amount_kes: opening.amountKes,
    channel: opening.channel,
    transaction_reference: opening.transactionReference,
    assignee_id: null,
    assignee_name: null,
    outcome: null,
    reason_code: null,
    decision_note: null,
    sla_due_at: new Date(ctx.now.getTime() + SLA_HOURS[opening.riskLevel] * 3_600_000).toISOString(),
    created_at: now,
    updated_at: now,
    closed_at: null,
    version: 1,
    deleted_at: null,
  };
  await ctx.trx.insertInto('cases').values(row).execute();
  await ctx.trx.insertInto('case_assessments').values({ case_id: row.id, assessment_id: opening.assessmentRowId, linked_at: now }).execute();
  const summary = toCaseSummary(row);
  ctx.audit({ entityType: 'case', entityId: row.id, before: null, after: { ...caseAuditView(row), reference: row.reference, riskLevel: row.risk_level, queue: row.queue } });
  ctx.change({ entityType: 'case', entityId: row.id, operation: 'upsert', version: 1, data: summary });
  ctx.announce({ event: 'case.opened', payload: summary, audience: 'case:read' });
  return row;
}

async function loadCaseForUpdate(ctx: CommandContext, caseId: string, expectedVersion: number): Promise<CaseRow> {
  let query = ctx.trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('deleted_at', 'is', null);
  // Row lock on PostgreSQL so two hubs cannot both pass the version check; SQLite has one writer.
  if (ctx.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('case');
  if (row.version !== expectedVersion) {
    throw conflict(`case ${row.reference} was changed by someone else (you saw version ${expectedVersion}, it is now ${row.version}); reload it`);
  }
  return row;
}

async function saveCase(ctx: CommandContext, before: CaseRow, patch: Updateable<CasesTable>): Promise<CaseRow> {
  const changes = { ...patch, version: before.version + 1, updated_at: ctx.now.toISOString() };
  const result = await ctx.trx
    .updateTable('cases')
    .set(changes)
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`case ${before.reference} was changed by someone else; reload it`);
  const after: CaseRow = { ...before, ...changes };
  const summary = toCaseSummary(after);
  ctx.audit({ entityType: 'case', entityId: before.id, before: caseAuditView(before), after: caseAuditView(after) });
  ctx.change({ entityType: 'case', entityId: before.id, operation: 'upsert', version: after.version, data: summary });
  ctx.announce({ event: 'case.updated', payload: summary, audience: 'case:read' });
  return after;
}

const ASSIGNABLE_STATES: readonly CaseState[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'];

export const assignCase = defineCommand({
  name: 'case.assign',
  input: CaseAssignRequest.extend({ caseId: z.uuid() }),
  permission: 'case:work',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    if (!ASSIGNABLE_STATES.includes(before.state as CaseState)) throw conflict(`case ${before.reference} is ${before.state} and cannot be assigned`);
    const assigneeId = input.assigneeId ?? ctx.actor.id;
    const assignee = await ctx.trx.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', assigneeId).executeTakeFirst();
    if (!assignee) throw validationFailed([{ path: 'body.assigneeId', message: 'no such user' }]);
    if (!roleHasPermission(Role.parse(assignee.role), 'case:work')) {
      throw validationFailed([{ path: 'body.assigneeId', message: `${assignee.display_name} cannot work cases` }]);
    }
    const after = await saveCase(ctx, before, {
      assignee_id: assignee.id,
      assignee_name: assignee.display_name,
      state: before.state === 'NEW' ? 'ASSIGNED' : before.state,
    });
    return toCaseSummary(after);
  },
});

/**
 * Claim-next ("skim & lock"): the caller takes the most urgent unassigned NEW case — the earliest
 * SLA due time, then the highest risk — and nobody else can take it. On PostgreSQL the candidate
 * row is locked with SKIP LOCKED, so concurrent claims on several hubs each get a different case;
 * SQLite has a single writer. Returns null when the queue has nothing unassigned.
 */
export const claimNextCase = defineCommand({
  name: 'case.claim-next',
  input: z.object({ queue: z.string().trim().min(1).max(64).optional() }),
  permission: 'case:work',
  async apply(ctx, input) {
    let query = ctx.trx
      .selectFrom('cases')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('state', '=', 'NEW')
      .where('assignee_id', 'is', null);
    if (input.queue) query = query.where('queue', '=', input.queue);
    query = query.orderBy('sla_due_at', 'asc').orderBy('risk_score', 'desc').orderBy('created_at', 'asc').limit(1);
    if (ctx.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const next = await query.executeTakeFirst();
    if (!next) return null;
    const after = await saveCase(ctx, next, { assignee_id: ctx.actor.id, assignee_name: ctx.actor.name, state: 'ASSIGNED' });
    return toCaseSummary(after);
  },
});

/** Which states each decision may be taken from, and where it leads. */
const DECISION_TRANSITIONS: Record<CaseAction, { from: readonly CaseState[]; to: CaseState }> = {
  APPROVE: { from: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'], to: 'CLOSED' },
  BLOCK: { from: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'], to: 'CLOSED' },
  ESCALATE: { from: ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO'], to: 'ESCALATED' },
};

export const decideCase = defineCommand({
  name: 'case.decide',
  input: CaseDecisionRequest.safeExtend({ caseId: z.uuid() }),
  permission: 'case:decide',
  async apply(ctx, input) {
    const before = await loadCaseForUpdate(ctx, input.caseId, input.expectedVersion);
    const transition = DECISION_TRANSITIONS[input.action];
    if (!transition.from.includes(before.state as CaseState)) {
      throw conflict(`case ${before.reference} is ${before.state}: it cannot be ${input.action === 'ESCALATE' ? 'escalated' : 'decided'} now`);
    }
    const closing = transition.to === 'CLOSED';
    const after = await saveCase(ctx, before, {
      state: transition.to,
      outcome: input.action === 'APPROVE' ? 'APPROVED' : input.action === 'BLOCK' ? 'BLOCKED' : null,
      reason_code: input.reasonCode,
      decision_note: input.note,
      closed_at: closing ? ctx.now.toISOString() : null,
      // Whoever decides an unassigned case has worked it.
      assignee_id: before.assignee_id ?? ctx.actor.id,
      assignee_name: before.assignee_name ?? ctx.actor.name,
    });

    // Seed 001: the decision goes back to the payment's assessment (approve closes; block/escalate update status).
    const decision = ACTION_TO_ASSESSMENT_DECISION[input.action];
    const reasonLabel = (REASON_CODES[input.action] as Record<string, string>)[input.reasonCode] ?? input.reasonCode;
    const manual = { decision, reason: `${reasonLabel}: ${input.note}`, decidedBy: ctx.actor.name, decidedAt: ctx.now.toISOString() };
    const linked = await ctx.trx
      .selectFrom('fraud_risk_assessments')
      .innerJoin('case_assessments', 'case_assessments.assessment_id', 'fraud_risk_assessments.id')
      .select(['fraud_risk_assessments.id', 'fraud_risk_assessments.decision', 'fraud_risk_assessments.version', 'fraud_risk_assessments.assessment_id'])
      .where('case_assessments.case_id', '=', before.id)
      .execute();
    for (const assessment of linked) {
      await ctx.trx
        .updateTable('fraud_risk_assessments')
        .set({ decision, decision_reason: `Analyst decision — ${manual.reason}`.slice(0, 500), manual_decision: toJson(manual), version: assessment.version + 1, updated_at: ctx.now.toISOString() })
        .where('id', '=', assessment.id)
        .execute();
      ctx.audit({ entityType: 'assessment', entityId: assessment.id, before: { decision: assessment.decision }, after: { decision, manualDecision: manual } });
      ctx.change({ entityType: 'assessment', entityId: assessment.id, operation: 'upsert', version: assessment.version + 1, data: { decision, manualDecision: manual } });
    }
    return toCaseSummary(after);
  },
});
