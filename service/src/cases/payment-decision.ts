import type { CommandContext } from '../commands/bus.ts';
import { conflict } from '../errors.ts';
import { dbBool, fromJsonOrNull, toJson, toNumber } from '../db/database.ts';
import type { AssessmentRow, CaseRow } from '../db/schema.ts';
import { PAYMENT_DECISION_REASON_CODE, type ApprovalRequest, type CaseSummary } from '../../../shared/src/cases.ts';
import { planPaymentDecision } from '../../../shared/src/case-rules.ts';
import type { AssessmentResponse, Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { updateAssessment } from '../assessments/commands.ts';
import { toAssessmentResponse } from '../assessments/mapping.ts';
import { assertCaseVisible, assignOne, insertCase, openCaseForAssessment, resolveOpeningCustomer, type CaseOpening } from './commands.ts';
import { decideOne, historyWith, readFourEyes } from './decisions.ts';
import { toCaseSummary } from './mapping.ts';
import { queuesIn } from './queues.ts';
import { lockForUpdate } from '../db/dialect.ts';

/** What deciding a payment did: the assessment now, its case, and whether the decision waits for a second approver. */
export interface PaymentDecisionResult {
  assessment: AssessmentResponse;
  case: CaseSummary | null;
  approvalRequired: boolean;
  approvalWhy: string | null;
}

export interface PaymentDecisionInput {
  decision: Decision;
  reason: string;
  /** The assessment version the caller saw; a stale one is refused with 409. */
  expectedVersion?: number | undefined;
}

const UNDECIDABLE = new Set(['CANCELLED', 'PENDING', 'IN_PROGRESS']);

/**
 * One command decides a payment (issue 10 item 5): the PUT …/assessments/{id}/decision, the
 * assessment drawer and the case screen apply the same rules (planPaymentDecision, shared with
 * the UI). With an open case the decision is the case's — its state, assignee and four-eyes; an
 * unassigned new case is taken by the caller first, as in a bulk close. Without one, the same
 * four-eyes limits apply: a two-person decision waits in a case of its own (AWAITING_APPROVAL)
 * for a second approver, so it is never made by one person through another door. Runs inside
 * the caller's command (assessment.decide), so the tenant is checked against the actor's tenants
 * and holds when replayed.
 */
export async function decidePayment(ctx: CommandContext, row: AssessmentRow, input: PaymentDecisionInput): Promise<PaymentDecisionResult> {
  new TenantScope(ctx.actor.tenants).assertVisible(row.tenant_id, 'assessment');
  if (input.expectedVersion !== undefined && row.version !== input.expectedVersion) {
    throw conflict(`assessment ${row.assessment_id} was changed meanwhile (version ${row.version}, you had ${input.expectedVersion}): reload it`);
  }
  if (UNDECIDABLE.has(row.status)) throw conflict(`assessment ${row.assessment_id} is ${row.status} and cannot be decided`);
  const open = await openCaseOf(ctx, row.id);
  const plan = planPaymentDecision(
    input.decision,
    { riskLevel: row.risk_level as RiskLevel | null, totalAmountKes: toNumber(row.amount_kes) },
    open ? { reference: open.reference, riskLevel: open.risk_level as RiskLevel, totalAmountKes: toNumber(open.total_amount_kes) } : null,
    await readFourEyes(ctx.trx),
  );
  switch (plan.via) {
    case 'refused':
      throw conflict(plan.message);
    case 'case': {
      const target = open!;
      const mine = target.state === 'NEW' && target.assignee_id === null ? await assignOne(ctx, target, undefined) : target;
      const after = await decideOne(ctx, mine, { action: plan.action, reasonCode: PAYMENT_DECISION_REASON_CODE, note: input.reason });
      if (after.state === 'AWAITING_APPROVAL') await noteApprovalRequested(ctx, row.id, after, null);
      return result(ctx, row.id, after);
    }
    case 'approval': {
      const request: ApprovalRequest = {
        action: plan.action,
        reasonCode: PAYMENT_DECISION_REASON_CODE,
        note: input.reason,
        requestedById: ctx.actor.id,
        requestedByName: ctx.actor.name,
        requestedAt: ctx.now.toISOString(),
        why: plan.why,
        returnState: 'IN_PROGRESS',
      };
      const opening = await openingOf(ctx, row, input.decision);
      const gcid = await resolveOpeningCustomer(ctx, opening);
      // A case of its own, not the customer's open one: the approver confirms this payment's decision only.
      const waiting = await insertCase(
        ctx,
        opening,
        gcid,
        await queuesIn(ctx),
        {
          state: 'AWAITING_APPROVAL',
          assignee_id: ctx.actor.id,
          assignee_name: ctx.actor.name,
          approval_request: toJson(request),
          reason_codes: toJson([PAYMENT_DECISION_REASON_CODE]),
        },
        { approvalRequest: request },
      );
      await noteApprovalRequested(ctx, row.id, waiting, waiting.id);
      return result(ctx, row.id, waiting);
    }
    case 'review': {
      // A payment that needs an analyst gets a case, as the engine's own review decisions do.
      const opened = await openCaseForAssessment(ctx, await openingOf(ctx, row, input.decision));
      await decideDirectly(ctx, row, input, opened.id);
      return result(ctx, row.id, opened);
    }
    case 'direct':
      await decideDirectly(ctx, row, input, row.case_id);
      return result(ctx, row.id, null);
  }
}

/** The open case this payment is linked to, locked for the decision. */
async function openCaseOf(ctx: CommandContext, assessmentRowId: string): Promise<CaseRow | null> {
  let query = ctx.trx
    .selectFrom('cases')
    .innerJoin('case_assessments', 'case_assessments.case_id', 'cases.id')
    .selectAll('cases')
    .where('case_assessments.assessment_id', '=', assessmentRowId)
    .where('cases.is_open', '=', dbBool(ctx.dialect, true))
    .where('cases.deleted_at', 'is', null)
    .orderBy('cases.created_at')
    .limit(1);
  query = lockForUpdate(ctx.dialect, query);
  const row = await query.executeTakeFirst();
  if (row) assertCaseVisible(ctx.actor, row);
  return row ?? null;
}

/** What opening a case for this payment needs (the payment-decision path and the alerts inbox share it). */
export async function openingOf(ctx: CommandContext, row: AssessmentRow, decision: Decision): Promise<CaseOpening> {
  const payment = await ctx.trx.selectFrom('payments').select(['amount', 'currency', 'device_id']).where('id', '=', row.payment_id).executeTakeFirstOrThrow();
  const customer = await ctx.trx.selectFrom('customers').select('full_name').where('customer_ref', '=', row.customer_ref).executeTakeFirst();
  return {
    assessmentRowId: row.id,
    riskLevel: (row.risk_level ?? 'MEDIUM') as RiskLevel,
    riskScore: toNumber(row.risk_score ?? 0),
    decision,
    customerRef: row.customer_ref,
    customerName: customer?.full_name ?? null,
    amount: toNumber(payment.amount),
    currency: payment.currency,
    amountKes: toNumber(row.amount_kes),
    channel: row.channel,
    transactionReference: row.transaction_reference,
    tenantId: row.tenant_id,
    paymentType: row.payment_type,
    deviceId: payment.device_id,
  };
}

/** A one-person decision that takes effect at once (the engine's own decision stays on record). */
async function decideDirectly(ctx: CommandContext, row: AssessmentRow, input: PaymentDecisionInput, caseId: string | null): Promise<void> {
  const now = ctx.now.toISOString();
  const manual = { decision: input.decision, reason: input.reason, decidedBy: ctx.actor.name, decidedAt: now };
  const details = historyWith(row, {
    at: now,
    by: ctx.actor.name,
    action: 'MANUAL_DECISION',
    note: `${row.decision ?? '—'} → ${input.decision}: ${input.reason}`,
  });
  await updateAssessment(
    ctx,
    row,
    {
      decision: input.decision,
      decision_reason: `Manual decision — ${input.reason}`.slice(0, 500),
      manual_decision: toJson(manual),
      case_id: caseId,
      ...(details ? { assessment_details: details } : {}),
    },
    () => ({
      before: { decision: row.decision, manualDecision: fromJsonOrNull(row.manual_decision) },
      after: { decision: input.decision, manualDecision: manual },
    }),
  );
}

/** The payment's history says its decision waits for a second approver (the drawer and the PUT's answer show it). */
async function noteApprovalRequested(ctx: CommandContext, assessmentRowId: string, waiting: CaseRow, linkCaseId: string | null): Promise<void> {
  const row = await ctx.trx.selectFrom('fraud_risk_assessments').selectAll().where('id', '=', assessmentRowId).executeTakeFirstOrThrow();
  const request = fromJsonOrNull<ApprovalRequest>(waiting.approval_request);
  const note = `${request?.action ?? 'Decision'} waits for a second approver in ${waiting.reference} (${request?.why ?? 'four-eyes'})`;
  const details = historyWith(row, { at: ctx.now.toISOString(), by: ctx.actor.name, action: 'APPROVAL_REQUESTED', note });
  if (!details && !linkCaseId) return;
  await updateAssessment(ctx, row, { ...(details ? { assessment_details: details } : {}), ...(linkCaseId ? { case_id: linkCaseId } : {}) }, () => ({
    before: { caseId: row.case_id },
    after: {
      caseId: linkCaseId ?? row.case_id,
      approvalRequested: { caseId: waiting.id, reference: waiting.reference, action: request?.action ?? null, why: request?.why ?? null },
    },
  }));
}

async function result(ctx: CommandContext, assessmentRowId: string, caseRow: CaseRow | null): Promise<PaymentDecisionResult> {
  const latest = await ctx.trx.selectFrom('fraud_risk_assessments').selectAll().where('id', '=', assessmentRowId).executeTakeFirstOrThrow();
  const waiting = caseRow?.state === 'AWAITING_APPROVAL';
  return {
    assessment: toAssessmentResponse(latest),
    case: caseRow ? toCaseSummary(caseRow) : null,
    approvalRequired: waiting,
    approvalWhy: waiting ? (fromJsonOrNull<ApprovalRequest>(caseRow.approval_request)?.why ?? null) : null,
  };
}
