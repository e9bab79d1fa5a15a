import { z } from 'zod';
import { Channel, PaymentInput, PaymentSource } from './payments.ts';
import { PageQuery, SortDirection } from './api.ts';

export const RiskLevel = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RISK_LEVEL_ORDER: Record<RiskLevel, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

export const Decision = z.enum(['APPROVE', 'REJECT', 'MANUAL_REVIEW', 'HOLD', 'ESCALATE']);
export type Decision = z.infer<typeof Decision>;

/** Decisions that stop straight-through processing and open a case for an analyst. */
export const CASE_OPENING_DECISIONS: readonly Decision[] = ['MANUAL_REVIEW', 'HOLD', 'ESCALATE'];

export const AssessmentStatus = z.enum(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'ERROR', 'TIMEOUT', 'CANCELLED']);
export type AssessmentStatus = z.infer<typeof AssessmentStatus>;

export const RiskAssessmentType = z.enum(['REAL_TIME', 'BATCH', 'HYBRID', 'CUSTOM']);
export type RiskAssessmentType = z.infer<typeof RiskAssessmentType>;

export const RuleFamily = z.enum(['AMOUNT', 'FREQUENCY', 'LOCATION', 'TIME', 'ACCOUNT', 'DEVICE', 'PATTERN', 'MERCHANT', 'CHANNEL', 'ANOMALY']);
export type RuleFamily = z.infer<typeof RuleFamily>;

export const RuleOutcome = z.enum(['HIT', 'NO_HIT', 'ERROR']);
export type RuleOutcome = z.infer<typeof RuleOutcome>;

/** One rule's part in a decision: what it looked at, whether it fired, and how much it added. */
export const RiskFactor = z.object({
  ruleId: z.string(),
  name: z.string(),
  family: RuleFamily,
  outcome: RuleOutcome,
  weight: z.number(),
  /** Share of the 0..1 risk score this rule added (0 when it did not fire). */
  contribution: z.number(),
  /** A sentence an analyst can read, e.g. "KES 12,500,000 is at or above the KES 10,000,000 limit". */
  explanation: z.string(),
  evaluationMicros: z.number().nonnegative(),
});
export type RiskFactor = z.infer<typeof RiskFactor>;

/** The answer to POST /assessments (public contract; see README). */
export const AssessmentResponse = z.object({
  assessmentId: z.string(),
  transactionReference: z.string(),
  riskScore: z.number().min(0).max(1),
  riskLevel: RiskLevel,
  decision: Decision,
  decisionReason: z.string(),
  riskFactors: z.array(RiskFactor),
  status: AssessmentStatus,
});
export type AssessmentResponse = z.infer<typeof AssessmentResponse>;

/** The stored assessment with the payment it scored (seed 003 fraud_risk_assessments). */
export const Assessment = AssessmentResponse.extend({
  id: z.uuid(),
  tenantId: z.string(),
  paymentType: z.string(),
  localInstrumentationCode: z.string().nullable(),
  clearingSystemCode: z.string().nullable(),
  paymentSource: PaymentSource,
  riskAssessmentType: RiskAssessmentType,
  configurationId: z.string().nullable(),
  externalApiUsed: z.string().nullable(),
  processingTimeMs: z.number().nullable(),
  errorMessage: z.string().nullable(),
  retryCount: z.number().int(),
  assessedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The scoring engine's own decision and reason; `decision` follows an analyst's later decision. */
  engineDecision: Decision,
  engineDecisionReason: z.string(),
  /** Present once an analyst has decided the case this assessment opened. */
  manualDecision: z
    .object({ decision: Decision, reason: z.string(), decidedBy: z.string(), decidedAt: z.iso.datetime() })
    .nullable(),
  payment: PaymentInput.extend({ amountKes: z.number() }),
  caseId: z.uuid().nullable(),
  version: z.number().int(),
});
export type Assessment = z.infer<typeof Assessment>;

export const AssessmentListQuery = PageQuery.extend({
  riskLevel: RiskLevel.optional(),
  decision: Decision.optional(),
  status: AssessmentStatus.optional(),
  channel: Channel.optional(),
  customerId: z.string().max(64).optional(),
  search: z.string().trim().max(100).optional(),
  sort: z.enum(['createdAt', 'riskScore', 'amount']).default('createdAt'),
  direction: SortDirection.default('desc'),
});
export type AssessmentListQuery = z.infer<typeof AssessmentListQuery>;
