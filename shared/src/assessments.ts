import { z } from 'zod';
import { BoundedInstant, PlainText } from './text.ts';
import { Channel, PaymentSource } from './payments.ts';
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

/**
 * SKIPPED: not evaluated because the decision was already settled (cheap-first short-circuit).
 * NOT_EVALUATED: the payment lacks what the rule reads (e.g. no debtor account, optional in ISO
 * 20022); the rule adds nothing and its explanation says what was missing.
 */
export const RuleOutcome = z.enum(['HIT', 'NO_HIT', 'ERROR', 'SKIPPED', 'NOT_EVALUATED']);
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

/** Why a configuration was (or was not) chosen for a payment; kept on each assessment. */
export const ConfigurationChoice = z.object({
  configurationId: z.uuid().nullable(),
  configurationName: z.string(),
  version: z.string().nullable(),
  versionNumber: z.number().int().nullable(),
  specificity: z.number().int(),
  priority: z.number().int().nullable(),
  reason: z.string(),
  /** The other enabled configurations that also matched, in the order they lost. */
  alsoMatched: z.array(z.object({ configurationId: z.uuid(), configurationName: z.string(), specificity: z.number().int(), priority: z.number().int() })),
});
export type ConfigurationChoice = z.infer<typeof ConfigurationChoice>;

export const EngineCallOutcome = z.enum(['ANSWERED', 'FAILED', 'TIMEOUT', 'BREAKER_OPEN', 'NOT_CALLED', 'INVALID_ANSWER']);
export type EngineCallOutcome = z.infer<typeof EngineCallOutcome>;

/** What the bank's fraud engine contributed to an assessment. */
export const EngineContribution = z.object({
  name: z.string(),
  outcome: EngineCallOutcome,
  /** Why it was or was not called, or why it failed, in words. */
  detail: z.string(),
  score: z.number().nullable(),
  decision: Decision.nullable(),
  reason: z.string().nullable(),
  attempts: z.number().int(),
  responseTimeMs: z.number().nullable(),
  /** Set when the fallback decided instead of the engine. */
  fallback: z.enum(['LOCAL_RULES_ONLY', 'APPROVE', 'HOLD', 'REJECT']).nullable(),
  combination: z.enum(['HIGHEST_RISK', 'WEIGHTED', 'ENGINE_OVERRIDES']).nullable(),
});
export type EngineContribution = z.infer<typeof EngineContribution>;

/** seed 003 assessment_details: everything needed to explain and replay the decision. */
export const AssessmentDetails = z.object({
  amountKes: z.number(),
  configuration: ConfigurationChoice,
  thresholds: z.object({ medium: z.number(), high: z.number(), critical: z.number() }),
  localScore: z.number(),
  localRiskLevel: RiskLevel,
  /** Rules left unevaluated because the outcome was settled. */
  shortCircuited: z.boolean(),
  anomalyScore: z.number().nullable(),
  engine: EngineContribution.nullable(),
  /** Which part set the final decision, in words. */
  decisionSource: z.string(),
  /** The fraud API toggle that applied (issue 4): checked before the bank's engine is called. */
  toggle: z
    .object({ enabled: z.boolean(), configurationId: z.string().nullable(), reason: z.string(), behaviour: z.enum(['APPROVE', 'LOCAL_RULES_ONLY']).nullable() })
    .nullable()
    .default(null),
  /** How a retry, cancellation or manual decision changed the assessment. */
  history: z.array(z.object({ at: z.iso.datetime(), by: z.string(), action: z.string(), note: z.string() })).default([]),
});
export type AssessmentDetails = z.infer<typeof AssessmentDetails>;

/** The answer to POST /assessments (public contract; see README). */
export const AssessmentResponse = z.object({
  assessmentId: z.string(),
  transactionReference: z.string(),
  /** Null while a batch assessment is PENDING or IN_PROGRESS (the payment is held until then). */
  riskScore: z.number().min(0).max(1).nullable(),
  riskLevel: RiskLevel.nullable(),
  decision: Decision.nullable(),
  decisionReason: z.string(),
  riskFactors: z.array(RiskFactor),
  status: AssessmentStatus,
  configurationId: z.string().nullable(),
  configurationVersion: z.string().nullable(),
  processingTimeMs: z.number().nullable(),
});
export type AssessmentResponse = z.infer<typeof AssessmentResponse>;

/**
 * A stored payment as read back. It describes rather than re-validates: a row stored before a
 * validation rule was tightened still reads (the input rules are PaymentInput's, in payments.ts).
 */
export const StoredPayment = z.object({
  transactionReference: z.string(),
  tenantId: z.string(),
  paymentType: z.string(),
  localInstrumentationCode: z.string().optional(),
  clearingSystemCode: z.string().optional(),
  paymentSource: PaymentSource,
  amount: z.number(),
  currency: z.string(),
  amountKes: z.number(),
  timestamp: z.string(),
  channel: Channel,
  country: z.string(),
  customerId: z.string(),
  /** Absent when the payment named no account (ISO 20022 DbtrAcct/CdtrAcct are optional). */
  debtorAccount: z.string().optional(),
  creditorAccount: z.string().optional(),
  ipAddress: z.string().optional(),
  deviceId: z.string().optional(),
  userAgent: z.string().optional(),
  description: z.string().optional(),
});
export type StoredPayment = z.infer<typeof StoredPayment>;

const WindowTotals = z.object({ count: z.number().int().nonnegative(), sumKes: z.number() });

/**
 * Everything beyond the payment itself that the rules read, as it stood when the payment arrived
 * (ARCHITECTURE.md rule 3). Stored with the assessment, so that a replay, a retry, a batch run and
 * a backtest all decide from the same facts as the live decision did. Windows are keyed by tenant:
 * another tenant's payments never count.
 */
export const ScoringFactsSnapshot = z.object({
  /** Format of this record. */
  v: z.literal(1),
  /** The payment's own time: every window is measured back from it. */
  asOf: z.iso.datetime(),
  /** KES per unit of the payment's currency, as used for its KES amount. */
  fxRate: z.number().positive(),
  /** Count and KES sum of the tenant's earlier payments by this debtor account and this customer, over 24 hours and 7 days (hourly buckets). */
  velocity: z.object({
    account: z.object({ day: WindowTotals, week: WindowTotals }),
    customer: z.object({ day: WindowTotals, week: WindowTotals }),
  }),
  /**
   * KES amounts of the customer's large payments (KES 100,000 or more): those in the 24 hours
   * before, and those earlier in the 7 days before. Amounts, not counts, so that a version with
   * another large-payment threshold can be backtested from them.
   */
  largePaymentsKes: z.object({ day: z.array(z.number()), earlierInWeek: z.array(z.number()) }),
  /** Whether the customer had used this device before, and how many device payments it had made (null: no device id sent). */
  device: z.object({ known: z.boolean(), priorPayments: z.number().int().nonnegative() }).nullable(),
  /** When the debtor account was opened, from core banking (null: not an account of this bank). */
  accountOpenedOn: z.iso.date().nullable(),
  /** The anomaly model that scored the payment (null: none trained yet). */
  anomalyModelId: z.string().nullable(),
});
export type ScoringFactsSnapshot = z.infer<typeof ScoringFactsSnapshot>;

/** The stored assessment with the payment it scored (seed 003 fraud_risk_assessments). */
export const Assessment = AssessmentResponse.extend({
  id: z.uuid(),
  tenantId: z.string(),
  paymentType: z.string(),
  localInstrumentationCode: z.string().nullable(),
  clearingSystemCode: z.string().nullable(),
  paymentSource: PaymentSource,
  riskAssessmentType: RiskAssessmentType,
  externalApiUsed: z.string().nullable(),
  externalApiRequest: z.unknown().nullable(),
  externalApiResponse: z.unknown().nullable(),
  externalApiResponseTimeMs: z.number().nullable(),
  assessmentDetails: AssessmentDetails.nullable(),
  errorMessage: z.string().nullable(),
  retryCount: z.number().int(),
  assessedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The scoring engine's own decision and reason; `decision` follows an analyst's later decision. */
  engineDecision: Decision.nullable(),
  engineDecisionReason: z.string(),
  /** Present once an analyst has decided the case this assessment opened. */
  manualDecision: z.object({ decision: Decision, reason: z.string(), decidedBy: z.string(), decidedAt: z.iso.datetime() }).nullable(),
  payment: StoredPayment,
  /** The facts the decision used (null for assessments made before facts were stored). */
  scoringFacts: ScoringFactsSnapshot.nullable().default(null),
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
  tenantId: z.string().max(50).optional(),
  configurationId: z.uuid().optional(),
  paymentType: z.string().max(50).optional(),
  from: BoundedInstant.optional(),
  to: BoundedInstant.optional(),
  search: z.string().trim().max(100).optional(),
  /**
   * Drill-down filters (issue 15): a dashboard figure opens this list with the filters that
   * reproduce exactly the rows it counted (DrillTarget in shared/src/analytics.ts).
   */
  /** What the scoring engine decided (`decision` follows a later analyst decision). */
  engineDecision: Decision.optional(),
  /** 'true': the engine did not approve (any decision but APPROVE). */
  flagged: z.enum(['true']).optional(),
  /** The customer's county (core banking's customer record). */
  county: PlainText(60).optional(),
  /** The payee account ("merchant" in the pivots). */
  creditorAccount: PlainText(64).optional(),
  /** A rule that fired (risk factor outcome HIT). */
  ruleId: PlainText(100).optional(),
  /** Hour of the day in Nairobi, 0–23. */
  hour: z.coerce.number().int().min(0).max(23).optional(),
  /** ISO weekday in Nairobi, 1 = Monday … 7 = Sunday. */
  weekday: z.coerce.number().int().min(1).max(7).optional(),
  sort: z.enum(['createdAt', 'riskScore', 'amount', 'processingTimeMs']).default('createdAt'),
  direction: SortDirection.default('desc'),
});
export type AssessmentListQuery = z.infer<typeof AssessmentListQuery>;

/** The part of a decision a replay recomputes and compares. */
export const ReplayedDecision = z.object({
  riskScore: z.number().nullable(),
  riskLevel: RiskLevel.nullable(),
  decision: Decision.nullable(),
  decisionReason: z.string(),
  decisionSource: z.string().nullable(),
  localScore: z.number().nullable(),
  localRiskLevel: RiskLevel.nullable(),
  anomalyScore: z.number().nullable(),
  riskFactors: z.array(z.object({ ruleId: z.string(), outcome: RuleOutcome, contribution: z.number(), explanation: z.string() })),
});
export type ReplayedDecision = z.infer<typeof ReplayedDecision>;

/**
 * POST /api/v1/fraud-risk/assessments/{id}/replay: the stored assessment re-run with its stored
 * configuration version, facts, fraud API toggle and bank-engine answer (the engine is not called
 * again). `decision` is the scoring's own decision, not a later analyst's.
 */
export const AssessmentReplayResult = z.object({
  assessmentId: z.string(),
  matches: z.boolean(),
  configurationId: z.string().nullable(),
  configurationVersion: z.string().nullable(),
  /** STORED: the facts kept with the assessment; RECOMPUTED: rebuilt from stored payments as of the payment's time (assessments made before facts were kept). */
  factsSource: z.enum(['STORED', 'RECOMPUTED']),
  facts: ScoringFactsSnapshot,
  stored: ReplayedDecision,
  replayed: ReplayedDecision,
  /** Each value that differs, by path, e.g. "riskFactors.frequency.account-24h.outcome". */
  differences: z.array(z.object({ path: z.string(), stored: z.unknown(), replayed: z.unknown() })),
});
export type AssessmentReplayResult = z.infer<typeof AssessmentReplayResult>;
