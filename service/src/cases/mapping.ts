import type { CaseRow } from '../db/schema.ts';
import { toIso, toIsoOrNull, toNumber } from '../db/database.ts';
import { CaseSummary } from '../../../shared/src/cases.ts';

export function toCaseSummary(row: CaseRow): CaseSummary {
  return CaseSummary.parse({
    id: row.id,
    reference: row.reference,
    state: row.state,
    queue: row.queue,
    riskLevel: row.risk_level,
    riskScore: toNumber(row.risk_score),
    openingDecision: row.opening_decision,
    customerRef: row.customer_ref,
    customerName: row.customer_name,
    amount: toNumber(row.amount),
    currency: row.currency,
    amountKes: toNumber(row.amount_kes),
    channel: row.channel,
    transactionReference: row.transaction_reference,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    outcome: row.outcome,
    reasonCode: row.reason_code,
    slaDueAt: toIso(row.sla_due_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    closedAt: toIsoOrNull(row.closed_at),
    version: row.version,
  });
}

/** The fields an auditor needs to see change; used for audit before/after and the change log. */
export function caseAuditView(row: CaseRow): Record<string, unknown> {
  return {
    state: row.state,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    outcome: row.outcome,
    reasonCode: row.reason_code,
    note: row.decision_note,
    version: row.version,
  };
}
