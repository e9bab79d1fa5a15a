import { randomBytes, randomUUID } from 'node:crypto';
import { defineCommand } from '../commands/bus.ts';
import { toJson } from '../db/database.ts';
import { validationFailed } from '../errors.ts';
import { PaymentInput } from '../../../shared/src/payments.ts';
import { CASE_OPENING_DECISIONS } from '../../../shared/src/assessments.ts';
import { hasKesRate, toKes } from '../scoring/fx.ts';
import { scorePayment } from '../scoring/engine.ts';
import { DEFAULT_RULE_SET } from '../scoring/rules.ts';
import { openCaseForAssessment } from '../cases/commands.ts';
import { toAssessmentResponse } from './mapping.ts';
import type { AssessmentRow } from '../db/schema.ts';

function newAssessmentId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `FRA-${day}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/**
 * Scores a payment and stores the payment, its assessment and, for MANUAL_REVIEW / HOLD /
 * ESCALATE, a new case — all in one transaction. A reference already assessed for the tenant
 * returns the first assessment unchanged (idempotent for payment-engine retries).
 */
export const recordAssessment = defineCommand({
  name: 'assessment.record',
  input: PaymentInput,
  permission: 'assessment:create',
  async apply(ctx, payment) {
    const existing = await ctx.trx
      .selectFrom('fraud_risk_assessments')
      .selectAll()
      .where('tenant_id', '=', payment.tenantId)
      .where('transaction_reference', '=', payment.transactionReference)
      .executeTakeFirst();
    if (existing) return { created: false, assessment: toAssessmentResponse(existing) };

    if (!hasKesRate(payment.currency)) {
      throw validationFailed([{ path: 'body.currency', message: `no KES reference rate for ${payment.currency}` }]);
    }
    const started = performance.now();
    const amountKes = toKes(payment.amount, payment.currency);
    const scored = scorePayment(payment, amountKes, DEFAULT_RULE_SET);
    const now = ctx.now.toISOString();

    const paymentId = randomUUID();
    await ctx.trx
      .insertInto('payments')
      .values({
        id: paymentId,
        tenant_id: payment.tenantId,
        transaction_reference: payment.transactionReference,
        payment_type: payment.paymentType,
        local_instrumentation_code: payment.localInstrumentationCode ?? null,
        clearing_system_code: payment.clearingSystemCode ?? null,
        payment_source: payment.paymentSource,
        amount: payment.amount,
        currency: payment.currency,
        amount_kes: amountKes,
        occurred_at: new Date(payment.timestamp).toISOString(),
        channel: payment.channel,
        country: payment.country,
        customer_ref: payment.customerId,
        debtor_account: payment.debtorAccount,
        creditor_account: payment.creditorAccount,
        ip_address: payment.ipAddress ?? null,
        device_id: payment.deviceId ?? null,
        user_agent: payment.userAgent ?? null,
        description: payment.description ?? null,
        created_at: now,
        version: 1,
      })
      .execute();

    const id = randomUUID();
    const row = {
      id,
      assessment_id: newAssessmentId(ctx.now),
      transaction_reference: payment.transactionReference,
      tenant_id: payment.tenantId,
      payment_type: payment.paymentType,
      local_instrumentation_code: payment.localInstrumentationCode ?? null,
      clearing_system_code: payment.clearingSystemCode ?? null,
      payment_source: payment.paymentSource,
      risk_assessment_type: 'REAL_TIME',
      configuration_id: null,
      external_api_used: null,
      risk_score: scored.riskScore,
      risk_level: scored.riskLevel,
      decision: scored.decision,
      decision_reason: scored.decisionReason.slice(0, 500),
      engine_decision: scored.decision,
      engine_decision_reason: scored.decisionReason.slice(0, 500),
      external_api_request: null,
      external_api_response: null,
      risk_factors: toJson(scored.riskFactors),
      assessment_details: toJson({ ruleSet: DEFAULT_RULE_SET.name, amountKes, thresholds: DEFAULT_RULE_SET.thresholds }),
      processing_time_ms: Math.round(performance.now() - started),
      external_api_response_time_ms: null,
      status: 'COMPLETED',
      error_message: null,
      retry_count: 0,
      assessed_at: now,
      expires_at: null,
      created_at: now,
      updated_at: now,
      payment_id: paymentId,
      customer_ref: payment.customerId,
      amount_kes: amountKes,
      channel: payment.channel,
      case_id: null as string | null,
      manual_decision: null,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('fraud_risk_assessments').values(row).execute();
    // Recorded before the case it may open, so the case timeline reads in cause-and-effect order;
    // the audit row is written at the end of the command, so the case id set below is included.
    const auditView: Record<string, unknown> = { assessmentId: row.assessment_id, transactionReference: row.transaction_reference, riskLevel: scored.riskLevel, riskScore: scored.riskScore, decision: scored.decision, caseId: null };
    ctx.audit({ entityType: 'assessment', entityId: id, before: null, after: auditView });

    if (CASE_OPENING_DECISIONS.includes(scored.decision)) {
      const customer = await ctx.trx.selectFrom('customers').select('full_name').where('customer_ref', '=', payment.customerId).executeTakeFirst();
      const opened = await openCaseForAssessment(ctx, {
        assessmentRowId: id,
        riskLevel: scored.riskLevel,
        riskScore: scored.riskScore,
        decision: scored.decision,
        customerRef: payment.customerId,
        customerName: customer?.full_name ?? null,
        amount: payment.amount,
        currency: payment.currency,
        amountKes,
        channel: payment.channel,
        transactionReference: payment.transactionReference,
      });
      row.case_id = opened.id;
      auditView.caseId = opened.id;
      await ctx.trx.updateTable('fraud_risk_assessments').set({ case_id: opened.id }).where('id', '=', id).execute();
    }


    const response = toAssessmentResponse(row as AssessmentRow);
    ctx.change({ entityType: 'assessment', entityId: id, operation: 'upsert', version: 1, data: { ...response, id, paymentId, caseId: row.case_id } });
    ctx.change({ entityType: 'payment', entityId: paymentId, operation: 'upsert', version: 1, data: { ...payment, id: paymentId, amountKes } });
    ctx.announce({
      event: 'assessment.created',
      audience: 'assessment:read',
      payload: { ...response, id, customerId: payment.customerId, amount: payment.amount, currency: payment.currency, channel: payment.channel, createdAt: now, caseId: row.case_id },
    });
    return { created: true, assessment: response };
  },
});
