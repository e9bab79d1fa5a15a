import type { CaseRow } from '../db/schema.ts';
import { fromJson, fromJsonOrNull, toIso, toIsoOrNull, toNumber } from '../db/database.ts';
import { ApprovalRequest, type CaseSummary } from '../../../shared/src/cases.ts';

export function toCaseSummary(row: CaseRow): CaseSummary {
  const approval = fromJsonOrNull<unknown>(row.approval_request);
  return {
    id: row.id,
    reference: row.reference,
    state: row.state as CaseSummary['state'],
    queue: row.queue,
    queueId: row.queue_id,
    riskLevel: row.risk_level as CaseSummary['riskLevel'],
    riskScore: toNumber(row.risk_score),
    openingDecision: row.opening_decision as CaseSummary['openingDecision'],
    customerRef: row.customer_ref,
    customerName: row.customer_name,
    customerGcid: row.customer_gcid,
    tenantId: row.tenant_id,
    paymentType: row.payment_type,
    amount: toNumber(row.amount),
    currency: row.currency,
    amountKes: toNumber(row.amount_kes),
    channel: row.channel as CaseSummary['channel'],
    transactionReference: row.transaction_reference,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    outcome: row.outcome as CaseSummary['outcome'],
    reasonCode: row.reason_code,
    reasonCodes: fromJson<string[]>(row.reason_codes),
    tags: fromJson<string[]>(row.tags),
    paymentCount: row.payment_count,
    totalAmountKes: toNumber(row.total_amount_kes),
    slaDueAt: toIso(row.sla_due_at),
    slaPausedAt: toIsoOrNull(row.sla_paused_at),
    escalatedAt: toIsoOrNull(row.escalated_at),
    approvalRequest: approval === null ? null : ApprovalRequest.parse(approval),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    closedAt: toIsoOrNull(row.closed_at),
    version: row.version,
  };
}

/** The fields an auditor needs to see change; used for audit before/after and the change log. */
export function caseAuditView(row: CaseRow): Record<string, unknown> {
  return {
    state: row.state,
    queue: row.queue,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    riskLevel: row.risk_level,
    outcome: row.outcome,
    reasonCode: row.reason_code,
    note: row.decision_note,
    slaDueAt: toIso(row.sla_due_at),
    paymentCount: row.payment_count,
    version: row.version,
  };
}
