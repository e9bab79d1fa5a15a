import type { AssessmentRow, PaymentRow } from '../db/schema.ts';
import { fromJsonOrNull, toIso, toIsoOrNull, toNumber, toNumberOrNull } from '../db/database.ts';
import { decodeRiskFactors } from './risk-factor-codec.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { Assessment, ScoringFactsSnapshot, type AssessmentResponse } from '../../../shared/src/assessments.ts';

export function toAssessmentResponse(row: AssessmentRow): AssessmentResponse {
  return {
    assessmentId: row.assessment_id,
    transactionReference: row.transaction_reference,
    riskScore: toNumberOrNull(row.risk_score),
    riskLevel: row.risk_level as AssessmentResponse['riskLevel'],
    decision: row.decision as AssessmentResponse['decision'],
    decisionReason: row.decision_reason ?? '',
    riskFactors: decodeRiskFactors(row.risk_factors),
    status: row.status as AssessmentResponse['status'],
    configurationId: row.configuration_id,
    configurationVersion: row.configuration_version,
    processingTimeMs: toNumberOrNull(row.processing_time_ms),
  };
}

export function toAssessment(row: AssessmentRow, payment: PaymentRow): Assessment {
  return Assessment.parse({
    ...toAssessmentResponse(row),
    id: row.id,
    tenantId: row.tenant_id,
    paymentType: row.payment_type ?? payment.payment_type,
    localInstrumentationCode: row.local_instrumentation_code,
    clearingSystemCode: row.clearing_system_code,
    paymentSource: row.payment_source,
    engineDecision: row.engine_decision,
    engineDecisionReason: row.engine_decision_reason ?? row.decision_reason ?? '',
    riskAssessmentType: row.risk_assessment_type,
    externalApiUsed: row.external_api_used,
    externalApiRequest: fromJsonOrNull(row.external_api_request),
    externalApiResponse: fromJsonOrNull(row.external_api_response),
    externalApiResponseTimeMs: toNumberOrNull(row.external_api_response_time_ms),
    assessmentDetails: fromJsonOrNull(row.assessment_details),
    errorMessage: row.error_message,
    retryCount: row.retry_count,
    assessedAt: toIsoOrNull(row.assessed_at),
    expiresAt: toIsoOrNull(row.expires_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    manualDecision: fromJsonOrNull(row.manual_decision),
    caseId: row.case_id,
    version: row.version,
    payment: paymentFromRow(payment),
    scoringFacts: storedFacts(row),
  });
}

/** The facts stored with an assessment, or null (rows from before they were kept, or unreadable). */
export function storedFacts(row: Pick<AssessmentRow, 'scoring_facts'>): ScoringFactsSnapshot | null {
  const parsed = ScoringFactsSnapshot.safeParse(fromJsonOrNull(row.scoring_facts));
  return parsed.success ? parsed.data : null;
}

export function paymentFromRow(p: PaymentRow): PaymentInput & { amountKes: number } {
  const optional = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    transactionReference: p.transaction_reference,
    tenantId: p.tenant_id,
    paymentType: p.payment_type,
    localInstrumentationCode: optional(p.local_instrumentation_code),
    clearingSystemCode: optional(p.clearing_system_code),
    paymentSource: p.payment_source as PaymentInput['paymentSource'],
    amount: toNumber(p.amount),
    currency: p.currency,
    amountKes: toNumber(p.amount_kes),
    timestamp: toIso(p.occurred_at),
    channel: p.channel as PaymentInput['channel'],
    country: p.country,
    customerId: p.customer_ref,
    // Stored as '' when the payment named no account (the columns predate optional accounts).
    debtorAccount: p.debtor_account === '' ? undefined : p.debtor_account,
    creditorAccount: p.creditor_account === '' ? undefined : p.creditor_account,
    ipAddress: optional(p.ip_address),
    deviceId: optional(p.device_id),
    userAgent: optional(p.user_agent),
    description: optional(p.description),
  };
}
