import { z } from 'zod';
import { TenantId } from './tenants.ts';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { CurrencyCode } from './currencies.ts';
import { IncomingSeverity } from './risk-data.ts';

/**
 * Seed 000 "Event-Driven Integration": the messages of the durable `risk-events` queue.
 * A message is JSON `{ eventId, type, occurredAt, tenantId, payload }`; `eventId` makes it
 * idempotent (a redelivery or a resend is applied once). `tenantId` names the tenant the event
 * belongs to (the queue is bank-wide). Each type's payload and effect are below.
 */

const Id = PlainText(100).min(1);
const Amount = z.number().finite().nonnegative();

export const RISK_EVENT_PAYLOADS = {
  /** Effect: the loan is created (ACTIVE, balance = amount); the credit model runs; credit KRIs are measured. */
  LoanDisbursed: z.object({
    loanId: Id,
    customerId: Id,
    sector: PlainText(100).min(1),
    amount: Amount,
    collateralValue: Amount.default(0),
    disbursedAt: BoundedInstant.optional(),
  }),
  /** Effect: the loan turns DEFAULTED (days past due at least 90), a CREDIT risk event (HIGH) is recorded, the credit model runs. */
  LoanDefaulted: z.object({
    loanId: Id,
    daysPastDue: z.number().int().min(0).default(90),
    outstandingBalance: Amount.optional(),
    provision: Amount.optional(),
  }),
  /** Effect: a CREDIT risk event: HIGH when the exposure exceeds the limit by 10 % or more, else MEDIUM. */
  CreditLimitExceeded: z.object({ customerId: Id, limit: z.number().finite().positive(), exposure: Amount }),
  /** Effect: the loan's collateral value is updated and the credit model runs. */
  CollateralValueChanged: z.object({ loanId: Id, collateralValue: Amount }),
  /** Effect: a failed transaction outcome is stored; the transaction-failure-rate KRIs are measured. */
  TransactionFailed: z.object({ transactionId: Id, reason: PlainText(500).optional() }),
  /** Effect: an INCIDENT risk event (severity as sent, default HIGH); the operational incident KRIs are measured. */
  SystemOutage: z.object({
    affectedSystem: PlainText(200).min(1),
    downtimeMinutes: z.number().int().min(0).max(527_040),
    severity: IncomingSeverity.optional(),
    financialImpact: Amount.optional(),
    description: NoteText(4000).optional(),
  }),
  /** Effect: an INCIDENT risk event (severity as sent, default MEDIUM). */
  ProcessException: z.object({
    process: PlainText(200).min(1),
    description: NoteText(4000).min(1),
    severity: IncomingSeverity.optional(),
    financialImpact: Amount.optional(),
  }),
  /** Effect: an INCIDENT risk event (HIGH) with the amount as its financial impact. */
  FraudDetected: z.object({
    transactionId: Id.optional(),
    customerId: Id.optional(),
    amount: Amount.optional(),
    currency: CurrencyCode.default('KES'),
    description: NoteText(4000).optional(),
  }),
  /** Effect: an open AML case is stored (case id = alert id), a COMPLIANCE risk event recorded; the open-AML-case KRIs are measured. */
  AMLAlertGenerated: z.object({ alertId: Id, customerId: Id.optional(), riskScore: z.number().finite().min(0).max(100).optional() }),
  /** Effect: a screening pending review is stored; the sanctions-pending KRIs are measured and the sanctions-backlog risk opened or updated. */
  SanctionsMatchFound: z.object({ screeningId: Id, matchCount: z.number().int().min(1).max(100_000), customerId: Id.optional() }),
  /** Effect: a COMPLIANCE risk event: HIGH when due within 3 days of the event (or overdue), else MEDIUM. */
  RegulatoryReportDue: z.object({ report: PlainText(200).min(1), dueDate: BoundedInstant, regulator: PlainText(200).optional() }),
  /** Effect: a COMPLIANCE risk event (severity as sent, default MEDIUM). */
  PolicyViolation: z.object({ policy: PlainText(200).min(1), description: NoteText(4000).min(1), severity: IncomingSeverity.optional() }),
} as const;

export type RiskEventType = keyof typeof RISK_EVENT_PAYLOADS;
export const RiskEventType = z.enum(Object.keys(RISK_EVENT_PAYLOADS) as [RiskEventType, ...RiskEventType[]]);

/** The envelope of one queue message. */
export const RiskQueueMessage = z.object({
  eventId: PlainText(200).min(1, 'every event needs an eventId (idempotency)'),
  type: RiskEventType,
  occurredAt: BoundedInstant,
  tenantId: TenantId,
  payload: z.record(z.string(), z.unknown()),
});
export type RiskQueueMessage = z.infer<typeof RiskQueueMessage>;

export type RiskEventPayload<T extends RiskEventType> = z.output<(typeof RISK_EVENT_PAYLOADS)[T]>;

/** One queue event with its payload checked against its type's schema. */
export type ParsedRiskEvent = {
  [T in RiskEventType]: { eventId: string; type: T; occurredAt: string; tenantId: string; payload: RiskEventPayload<T> };
}[RiskEventType];
