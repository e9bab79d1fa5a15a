import { z } from 'zod';
import { Decision, RiskLevel, Assessment } from './assessments.ts';
import { Channel } from './payments.ts';
import { Customer } from './customers.ts';
import { PageQuery, SortDirection } from './api.ts';

/**
 * Case states (issue 5 adds the transitions between PENDING_INFO and AWAITING_APPROVAL).
 * NEW → ASSIGNED → IN_PROGRESS → (PENDING_INFO) → ESCALATED → CLOSED; AWAITING_APPROVAL for four-eyes.
 */
export const CaseState = z.enum(['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED', 'AWAITING_APPROVAL', 'CLOSED']);
export type CaseState = z.infer<typeof CaseState>;
export const OPEN_CASE_STATES: readonly CaseState[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED', 'AWAITING_APPROVAL'];

export const CaseAction = z.enum(['APPROVE', 'BLOCK', 'ESCALATE']);
export type CaseAction = z.infer<typeof CaseAction>;

export const CaseOutcome = z.enum(['APPROVED', 'BLOCKED']);
export type CaseOutcome = z.infer<typeof CaseOutcome>;

/** Reason codes an analyst picks from when deciding; each action has its own list. */
export const REASON_CODES = {
  APPROVE: {
    VERIFIED_WITH_CUSTOMER: 'Verified with customer by call-back',
    KNOWN_BENEFICIARY: 'Known, established beneficiary',
    BUSINESS_PATTERN_EXPLAINED: 'Consistent with documented business activity',
    FALSE_POSITIVE_RULE: 'False positive: rule fired on legitimate activity',
  },
  BLOCK: {
    SUSPECTED_ACCOUNT_TAKEOVER: 'Suspected account takeover',
    SUSPECTED_SIM_SWAP: 'Recent SIM swap with unusual activity',
    MULE_ACCOUNT: 'Beneficiary looks like a mule account',
    CUSTOMER_DENIED_TRANSACTION: 'Customer denied initiating the payment',
    SANCTIONS_CONCERN: 'Counterparty or route raises a sanctions concern',
  },
  ESCALATE: {
    AML_SUSPICION: 'Possible money laundering: needs compliance review',
    HIGH_VALUE_NEEDS_APPROVAL: 'Value above analyst authority',
    UNABLE_TO_CONTACT_CUSTOMER: 'Customer could not be reached',
    NEEDS_COMPLIANCE_REVIEW: 'Needs compliance officer review',
  },
} as const satisfies Record<CaseAction, Record<string, string>>;

export type ReasonCode = { [A in CaseAction]: keyof (typeof REASON_CODES)[A] }[CaseAction];
export const ReasonCode = z.enum(
  Object.values(REASON_CODES).flatMap((codes) => Object.keys(codes)) as [ReasonCode, ...ReasonCode[]],
);

export function reasonCodeFitsAction(action: CaseAction, code: string): boolean {
  return Object.hasOwn(REASON_CODES[action], code);
}

/** Assessment decision an analyst's case action writes back to the payment's assessment (seed 001). */
export const ACTION_TO_ASSESSMENT_DECISION: Record<CaseAction, Decision> = {
  APPROVE: 'APPROVE',
  BLOCK: 'REJECT',
  ESCALATE: 'ESCALATE',
};

export const CaseSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  state: CaseState,
  queue: z.string(),
  riskLevel: RiskLevel,
  riskScore: z.number(),
  openingDecision: Decision,
  customerRef: z.string(),
  customerName: z.string().nullable(),
  amount: z.number(),
  currency: z.string(),
  amountKes: z.number(),
  channel: Channel,
  transactionReference: z.string(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  outcome: CaseOutcome.nullable(),
  reasonCode: z.string().nullable(),
  slaDueAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const TimelineEntry = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  actorName: z.string(),
  actorRole: z.string(),
  command: z.string(),
  summary: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const CaseDetail = z.object({
  case: CaseSummary,
  assessments: z.array(Assessment),
  customer: Customer.nullable(),
  timeline: z.array(TimelineEntry),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseListQuery = PageQuery.extend({
  state: z.union([CaseState, z.literal('OPEN')]).default('OPEN'),
  riskLevel: RiskLevel.optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  search: z.string().trim().max(100).optional(),
  sort: z.enum(['createdAt', 'riskScore', 'amountKes', 'slaDueAt', 'reference']).default('createdAt'),
  direction: SortDirection.default('desc'),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CaseDecisionRequest = z
  .object({
    action: CaseAction,
    reasonCode: ReasonCode,
    note: z.string().trim().min(5, 'say in a few words why').max(2000),
    /** The case version the analyst saw; a stale version is refused with 409 instead of overwriting. */
    expectedVersion: z.number().int().positive(),
  })
  .refine((d) => reasonCodeFitsAction(d.action, d.reasonCode), {
    path: ['reasonCode'],
    message: 'reason code does not belong to this action',
  });
export type CaseDecisionRequest = z.infer<typeof CaseDecisionRequest>;

export const CaseAssignRequest = z.object({
  /** Omit to claim the case for yourself. */
  assigneeId: z.uuid().optional(),
  expectedVersion: z.number().int().positive(),
});
export type CaseAssignRequest = z.infer<typeof CaseAssignRequest>;

export const QueueCounts = z.object({
  open: z.number().int(),
  unassigned: z.number().int(),
  mine: z.number().int(),
  byRiskLevel: z.record(RiskLevel, z.number().int()),
  overdue: z.number().int(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;
