import { randomBytes } from 'node:crypto';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { newAssessmentId, type AssessmentOutcome, type RecordItem } from '../assessments/commands.ts';
import { compileRuleSet, evaluateLocal } from '../scoring/engine.ts';
import { ScoringFacts } from '../scoring/facts.ts';
import { toKes } from '../scoring/fx.ts';

/** A plain daytime KES mobile payment that no rule flags; override fields to make it risky. */
export function samplePayment(overrides: Partial<PaymentInput> = {}): PaymentInput {
  return {
    transactionReference: `TEST-${randomBytes(6).toString('hex').toUpperCase()}`,
    tenantId: 'WEKEZA-KE',
    paymentType: 'MOBILE_MONEY',
    localInstrumentationCode: 'MPESA_B2C',
    clearingSystemCode: 'MPESA',
    paymentSource: 'BANK_CLIENT',
    amount: 4_500,
    currency: 'KES',
    timestamp: '2026-11-20T10:15:00+03:00',
    channel: 'MOBILE',
    country: 'KE',
    customerId: 'CIF-00000001',
    debtorAccount: '0120012345678',
    creditorAccount: 'MW-254712345678',
    ipAddress: '105.163.10.20',
    deviceId: 'dev-5f2a9c1e',
    userAgent: 'WekezaMobile/5.2.1 (Android 14; SM-A155F)',
    description: 'School fees – Alliance High',
    ...overrides,
  };
}

/** 12.5M KES to Nigeria at 02:30 Nairobi time: CRITICAL, ESCALATE, opens a case. */
export function criticalPayment(overrides: Partial<PaymentInput> = {}): PaymentInput {
  return samplePayment({
    paymentType: 'RTGS',
    localInstrumentationCode: 'KEPSS',
    clearingSystemCode: 'KEPSS',
    channel: 'WEB',
    amount: 12_500_000,
    country: 'NG',
    timestamp: '2026-11-20T02:30:00+03:00',
    description: 'Investment return – urgent',
    // A customer and device of its own: hits for one customer join that customer's open case.
    customerId: `CIF-C${randomBytes(4).toString('hex').toUpperCase()}`,
    deviceId: `dev-${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
}

/**
 * The input of the assessment.record command for a payment, scored by the shipped rules with no
 * history: what the pipeline would hand to the command, for tests of the command path itself.
 */
export function assessmentRecord(payment: PaymentInput, assessmentId = newAssessmentId(new Date())): { items: RecordItem[] } {
  const template = newConfigurationTemplate();
  const set = compileRuleSet(template.riskRules, template.thresholds, template.decisionCriteria);
  const amountKes = toKes(payment.amount, payment.currency);
  const local = evaluateLocal(set, { payment, amountKes, atMs: Date.parse(payment.timestamp) }, new ScoringFacts());
  const outcome: AssessmentOutcome = {
    status: 'COMPLETED',
    riskScore: local.riskScore,
    riskLevel: local.riskLevel,
    decision: local.decision,
    decisionReason: local.decisionReason,
    riskFactors: local.riskFactors,
    details: null,
    configurationId: null,
    configurationVersion: null,
    riskAssessmentType: 'REAL_TIME',
    externalApiUsed: null,
    externalApiRequest: null,
    externalApiResponse: null,
    externalApiResponseTimeMs: null,
    processingTimeMs: 0.1,
    errorMessage: null,
    amountKes,
  };
  return { items: [{ assessmentId, payment, outcome }] };
}
