import type { Kysely } from 'kysely';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { conflict } from '../errors.ts';
import { fromJson, fromJsonOrNull, toIso, toJson, toNumber } from '../db/database.ts';
import type { AssessmentRow, CaseRow, Database } from '../db/schema.ts';
import {
  ACTION_TO_ASSESSMENT_DECISION,
  CaseApprovalDecisionRequest,
  CaseDecisionRequest,
  DEFAULT_FOUR_EYES,
  FourEyesSettings,
  FourEyesSettingsInput,
  reasonCodeLabel,
  type ApprovalRequest,
  type CaseAction,
  type FourEyesSettingsView,
} from '../../../shared/src/cases.ts';
import { fourEyesReason } from '../../../shared/src/case-rules.ts';
import type { AssessmentDetails, RiskLevel } from '../../../shared/src/assessments.ts';
import { escalationQueue } from '../../../shared/src/queues.ts';
import { updateAssessment } from '../assessments/commands.ts';
import { CaseId, enforce, escalatedTo, loadCaseForUpdate, saveCase, takeOver } from './commands.ts';
import { toCaseSummary } from './mapping.ts';
import { queuesIn } from './queues.ts';
import { lockForUpdate } from '../db/dialect.ts';
import { notifyApproversWithin, settleRequestNotificationsWithin } from '../notifications/recipients.ts';

// --- four-eyes settings ----------------------------------------------------------------------

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
    ctx.audit({
      entityType: 'settings',
      entityId: FOUR_EYES_KEY,
      before: { blockAboveKes: before.blockAboveKes, closeCritical: before.closeCritical },
      after: value,
    });
    ctx.change({ entityType: 'settings', entityId: FOUR_EYES_KEY, operation: 'upsert', version: row.version, data: value });
    ctx.announce({ event: 'queue.changed', audience: 'case:read', payload: { queueId: null, action: 'four-eyes', by: ctx.actor.name } });
    return readFourEyes(ctx.trx);
  },
});

// --- decisions -------------------------------------------------------------------------------

export function appendReason(row: CaseRow, code: string): string {
  return toJson([...fromJson<string[]>(row.reason_codes), code]);
}

/** The assessment's history with one more entry (the drawer shows it); null when the assessment has no details. */
export function historyWith(row: AssessmentRow, entry: { at: string; by: string; action: string; note: string }): string | null {
  const details = fromJsonOrNull<AssessmentDetails>(row.assessment_details);
  if (!details) return null;
  return toJson({ ...details, history: [...(details.history ?? []), entry] });
}

/** Closes a case with its outcome and writes the decision back to every linked payment (seed 001). */
async function closeCase(
  ctx: CommandContext,
  before: CaseRow,
  decision: { action: 'APPROVE' | 'BLOCK'; reasonCode: string; note: string; decidedBy: string; approvedBy: string | null },
): Promise<CaseRow> {
  const after = await saveCase(
    ctx,
    before,
    {
      state: 'CLOSED',
      outcome: decision.action === 'APPROVE' ? 'APPROVED' : 'BLOCKED',
      reason_code: decision.reasonCode,
      reason_codes: before.state === 'AWAITING_APPROVAL' ? toJson(fromJson<string[]>(before.reason_codes)) : appendReason(before, decision.reasonCode),
      decision_note: decision.note,
      approval_request: null,
      sla_paused_at: null,
      closed_at: ctx.now.toISOString(),
      ...takeOver(ctx, before),
    },
    decision.approvedBy ? { approvedBy: decision.approvedBy } : {},
  );
  await writeBackToAssessments(ctx, after, decision.action, decision.reasonCode, decision.note, decision.decidedBy, decision.approvedBy);
  return after;
}

/**
 * The case's decision goes back to every linked payment's assessment through updateAssessment,
 * the one write path of an assessment (version check, audit, change log, `assessment.updated`).
 */
async function writeBackToAssessments(
  ctx: CommandContext,
  caseRow: CaseRow,
  action: CaseAction,
  reasonCode: string,
  note: string,
  decidedBy: string,
  approvedBy: string | null,
): Promise<void> {
  const decision = ACTION_TO_ASSESSMENT_DECISION[action];
  const reason = `${reasonCodeLabel(reasonCode)}: ${note}`;
  const decidedAt = ctx.now.toISOString();
  const manual = { decision, reason, decidedBy, decidedAt, ...(approvedBy ? { approvedBy } : {}) };
  let query = ctx.trx
    .selectFrom('fraud_risk_assessments')
    .innerJoin('case_assessments', 'case_assessments.assessment_id', 'fraud_risk_assessments.id')
    .selectAll('fraud_risk_assessments')
    .where('case_assessments.case_id', '=', caseRow.id)
    .where('fraud_risk_assessments.deleted_at', 'is', null)
    .orderBy('fraud_risk_assessments.created_at');
  query = lockForUpdate(ctx.dialect, query);
  const linked = await query.execute();
  for (const row of linked) {
    const history = historyWith(row, {
      at: decidedAt,
      by: approvedBy ? `${decidedBy}, approved by ${approvedBy}` : decidedBy,
      action: 'CASE_DECISION',
      note: `${caseRow.reference}: ${row.decision ?? '—'} → ${decision} — ${reason}`.slice(0, 500),
    });
    await updateAssessment(
      ctx,
      row,
      {
        decision,
        decision_reason: `Analyst decision — ${reason}`.slice(0, 500),
        manual_decision: toJson(manual),
        ...(history ? { assessment_details: history } : {}),
      },
      () => ({
        before: { decision: row.decision, manualDecision: fromJsonOrNull(row.manual_decision) },
        after: { decision, manualDecision: manual, caseId: caseRow.id },
      }),
    );
  }
}

/** Approve, block or escalate one case (its state and assignee rules, then four-eyes). */
export async function decideOne(ctx: CommandContext, before: CaseRow, input: { action: CaseAction; reasonCode: string; note: string }): Promise<CaseRow> {
  enforce(ctx, input.action === 'APPROVE' ? 'approve' : input.action === 'BLOCK' ? 'block' : 'escalate', before);
  if (input.action === 'ESCALATE') {
    const target = escalationQueue(await queuesIn(ctx));
    if (!target) throw conflict('there is no active escalation queue to send this case to');
    const after = await saveCase(
      ctx,
      before,
      {
        ...escalatedTo(ctx, before, target),
        reason_code: input.reasonCode,
        reason_codes: appendReason(before, input.reasonCode),
        decision_note: input.note,
      },
      { queue: target.name },
    );
    await writeBackToAssessments(ctx, after, 'ESCALATE', input.reasonCode, input.note, ctx.actor.name, null);
    return after;
  }
  const action = input.action;
  const why = fourEyesReason(
    await readFourEyes(ctx.trx),
    { riskLevel: before.risk_level as RiskLevel, totalAmountKes: toNumber(before.total_amount_kes) },
    action,
  );
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
    const pending = await saveCase(
      ctx,
      before,
      {
        state: 'AWAITING_APPROVAL',
        approval_request: toJson(request),
        reason_codes: appendReason(before, input.reasonCode),
        sla_paused_at: null,
        ...takeOver(ctx, before),
      },
      { approvalRequest: request },
    );
    // Issue 15: the people who may confirm it hear that it waits for them (never the maker).
    await notifyApproversWithin(ctx, {
      permission: 'case:approve',
      tenantId: pending.tenant_id,
      makerId: ctx.actor.id,
      kind: 'case.approval-requested',
      title: `Four-eyes: ${pending.reference} waits for your approval`,
      body: `${ctx.actor.name} asks to ${action.toLowerCase()} ${pending.reference} (${pending.risk_level}) — ${why}`,
      link: `/cases/${pending.id}`,
      entityType: 'case',
      entityId: pending.id,
    });
    return pending;
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
    await settleRequestNotificationsWithin(ctx, { kind: 'case.approval-requested', entityId: before.id });
    if (input.approve) {
      return toCaseSummary(
        await closeCase(ctx, before, {
          action: request.action,
          reasonCode: request.reasonCode,
          note: `${request.note} (approved by ${ctx.actor.name}: ${input.note})`,
          decidedBy: request.requestedByName,
          approvedBy: ctx.actor.name,
        }),
      );
    }
    const after = await saveCase(ctx, before, { state: request.returnState, approval_request: null }, { rejectedRequest: request, note: input.note });
    return toCaseSummary(after);
  },
});
