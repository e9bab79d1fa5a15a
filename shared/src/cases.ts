import { z } from 'zod';
import { Decision, RiskLevel, Assessment } from './assessments.ts';
import { Channel } from './payments.ts';
import { Customer } from './customers.ts';
import { CustomerRisk } from './customer-risk.ts';
import { PageQuery, SortDirection } from './api.ts';
import { BoundedInstant, PlainText } from './text.ts';

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
export const ReasonCode = z.enum(Object.values(REASON_CODES).flatMap((codes) => Object.keys(codes)) as [ReasonCode, ...ReasonCode[]]);

export function reasonCodeFitsAction(action: CaseAction, code: string): boolean {
  return Object.hasOwn(REASON_CODES[action], code);
}

/** The reason code of a decision made on the payment (assessment drawer, PUT …/decision); its reason is the note. */
export const PAYMENT_DECISION_REASON_CODE = 'PAYMENT_DECISION';

/** A reason code as people read it (any action's list, or the payment-decision code). */
export function reasonCodeLabel(code: string): string {
  if (code === PAYMENT_DECISION_REASON_CODE) return 'Manual decision on the payment';
  for (const codes of Object.values(REASON_CODES)) {
    const label = (codes as Record<string, string>)[code];
    if (label) return label;
  }
  return code;
}

/** Assessment decision an analyst's case action writes back to the payment's assessment (seed 001). */
export const ACTION_TO_ASSESSMENT_DECISION: Record<CaseAction, Decision> = {
  APPROVE: 'APPROVE',
  BLOCK: 'REJECT',
  ESCALATE: 'ESCALATE',
};

/** A decision that needs a second pair of eyes (four-eyes) before it takes effect. */
export const ApprovalRequest = z.object({
  action: z.enum(['APPROVE', 'BLOCK']),
  reasonCode: z.string(),
  note: z.string(),
  requestedById: z.string(),
  requestedByName: z.string(),
  requestedAt: z.iso.datetime(),
  /** Why approval is needed, e.g. "blocking KES 2,400,000 (above KES 1,000,000)". */
  why: z.string(),
  /** Where the case goes back to if the approver rejects the decision. */
  returnState: CaseState,
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const CaseSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  state: CaseState,
  /** The queue's name at the time (denormalised for lists and exports). */
  queue: z.string(),
  queueId: z.uuid().nullable(),
  riskLevel: RiskLevel,
  riskScore: z.number(),
  openingDecision: Decision,
  customerRef: z.string(),
  customerName: z.string().nullable(),
  /** Global customer id (seed 004): the same person across CIFs, phones, e-mails and devices. */
  customerGcid: z.uuid().nullable(),
  tenantId: z.string().nullable(),
  paymentType: z.string().nullable(),
  amount: z.number(),
  currency: z.string(),
  amountKes: z.number(),
  channel: Channel,
  transactionReference: z.string(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  outcome: CaseOutcome.nullable(),
  reasonCode: z.string().nullable(),
  /** Every reason code given on this case, in order (escalation, decision). */
  reasonCodes: z.array(z.string()),
  tags: z.array(z.string()),
  /** Payments linked to the case (new hits for the same customer join an open case). */
  paymentCount: z.number().int(),
  totalAmountKes: z.number(),
  slaDueAt: z.iso.datetime(),
  /** Set while the case waits for information: the SLA clock is stopped. */
  slaPausedAt: z.iso.datetime().nullable(),
  escalatedAt: z.iso.datetime().nullable(),
  /** The decision waiting for a second approver (four-eyes), when state is AWAITING_APPROVAL. */
  approvalRequest: ApprovalRequest.nullable(),
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

/**
 * The case state machine. Every command names where it may start and where it leads; the service
 * refuses anything else with 409 and the UI offers only allowed commands.
 */
export const CaseCommandName = z.enum([
  'assign',
  'reassign',
  'release',
  'start',
  'request-info',
  'resume',
  'escalate',
  'approve',
  'block',
  'approval-decide',
  'comment',
  'attach',
  'tag',
]);
export type CaseCommandName = z.infer<typeof CaseCommandName>;

export const CaseComment = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime(),
});
export type CaseComment = z.infer<typeof CaseComment>;

export const CaseCommentRequest = z.object({
  body: z.string().trim().min(1, 'write something').max(4000),
});

/** Evidence types an analyst may attach, by declared MIME type; the content must match (magic bytes). */
export const ATTACHMENT_TYPES = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/png': { label: 'PNG image', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG image', extensions: ['jpg', 'jpeg'] },
  'text/plain': { label: 'Text', extensions: ['txt', 'log'] },
  'text/csv': { label: 'CSV', extensions: ['csv'] },
  'message/rfc822': { label: 'E-mail', extensions: ['eml'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word document', extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel workbook', extensions: ['xlsx'] },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const AttachmentType = z.enum(Object.keys(ATTACHMENT_TYPES) as [AttachmentType, ...AttachmentType[]]);
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_CASE = 50;

/**
 * A file name as shown and downloaded: no directories, no "..", no control or reserved characters,
 * an extension that fits the type. Refused (not silently cleaned) so the analyst knows.
 */
export const AttachmentFileName = z
  .string()
  .min(1)
  .max(200)
  .refine((n) => !/[\\/]/.test(n), 'a file name, not a path')
  .refine((n) => !/[\u0000-\u001f\u007f<>:"|?*]/.test(n), 'contains a character file names may not have')
  .refine((n) => !n.startsWith('.') && !n.includes('..'), 'may not start with a dot or contain ".."')
  .refine((n) => n.trim() === n && !n.endsWith('.'), 'may not start or end with spaces or end with a dot')
  .refine((n) => !/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(n), 'is a reserved device name');

export const CaseAttachmentUpload = z
  .object({
    fileName: AttachmentFileName,
    contentType: AttachmentType,
    /** The file, base64-encoded. */
    contentBase64: z.base64().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4, `at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
    description: z.string().trim().max(500).optional(),
  })
  .refine((a) => (ATTACHMENT_TYPES[a.contentType].extensions as readonly string[]).includes(a.fileName.split('.').pop()?.toLowerCase() ?? ''), {
    path: ['fileName'],
    message: 'the extension does not match the file type',
  });
export type CaseAttachmentUpload = z.infer<typeof CaseAttachmentUpload>;

export const CaseAttachment = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  fileName: z.string(),
  contentType: AttachmentType,
  sizeBytes: z.number().int(),
  /** SHA-256 of the content, hex: proves the evidence is unchanged. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string().nullable(),
  uploadedById: z.string(),
  uploadedByName: z.string(),
  uploadedAt: z.iso.datetime(),
});
export type CaseAttachment = z.infer<typeof CaseAttachment>;

export const CaseDetail = z.object({
  case: CaseSummary,
  assessments: z.array(Assessment),
  customer: Customer.nullable(),
  /** The customer's overall risk, as Customer 360 shows it (null without a global customer id). */
  customerRisk: CustomerRisk.nullable(),
  comments: z.array(CaseComment),
  attachments: z.array(CaseAttachment),
  timeline: z.array(TimelineEntry),
  /** What the viewer may do now, worked out by the service (the UI shows only these). */
  allowedActions: z.array(CaseCommandName),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const SlaFilter = z.enum(['overdue', 'due-soon', 'on-track', 'paused']);
export type SlaFilter = z.infer<typeof SlaFilter>;
/** "Due soon": less than this share of the SLA left (amber chip); overdue is red. */
export const SLA_AMBER_FRACTION = 0.25;

const csv = <T extends z.ZodType>(item: T) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

export const CaseListQuery = PageQuery.extend({
  state: z.union([CaseState, z.literal('OPEN'), z.literal('ALL')]).default('OPEN'),
  queueId: z.uuid().optional(),
  riskLevel: RiskLevel.optional(),
  riskLevels: csv(RiskLevel).optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  sla: SlaFilter.optional(),
  tag: z.string().trim().min(1).max(40).optional(),
  channel: Channel.optional(),
  customerGcid: z.uuid().optional(),
  minAmountKes: z.coerce.number().nonnegative().optional(),
  search: z.string().trim().max(100).optional(),
  /** Drill-down filters (issue 15 dashboards): the tenant, when opened and when closed (end exclusive), how closed. */
  tenantId: PlainText(50).optional(),
  createdFrom: BoundedInstant.optional(),
  createdTo: BoundedInstant.optional(),
  closedFrom: BoundedInstant.optional(),
  closedTo: BoundedInstant.optional(),
  outcome: CaseOutcome.optional(),
  /**
   * `urgency` (the default): open cases whose SLA runs, overdue first then soonest due; then
   * paused cases (their clock is stopped); closed cases last. `desc` = most urgent first.
   */
  sort: z.enum(['urgency', 'createdAt', 'updatedAt', 'riskScore', 'amountKes', 'slaDueAt', 'reference']).default('urgency'),
  direction: SortDirection.default('desc'),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;
/** The filter part of a list query (what saved filters and exports keep). */
export const CaseFilter = CaseListQuery.omit({ page: true, pageSize: true });
export type CaseFilter = z.infer<typeof CaseFilter>;

const Version = z.number().int().positive();
const Note = z.string().trim().min(5, 'say in a few words why').max(2000);

export const CaseDecisionRequest = z
  .object({
    action: CaseAction,
    reasonCode: ReasonCode,
    note: Note,
    /** The case version the analyst saw; a stale version is refused with 409 instead of overwriting. */
    expectedVersion: Version,
  })
  .refine((d) => reasonCodeFitsAction(d.action, d.reasonCode), {
    path: ['reasonCode'],
    message: 'reason code does not belong to this action',
  });
export type CaseDecisionRequest = z.infer<typeof CaseDecisionRequest>;

/** What a case decision does to the payments linked to the case (service/src/cases/decisions.ts writeBackToAssessments). */
export const ACTION_EFFECT: Record<CaseAction, { verb: string; effect: string; closes: boolean }> = {
  APPROVE: { verb: 'Approves', effect: 'released', closes: true },
  BLOCK: { verb: 'Blocks', effect: 'rejected', closes: true },
  ESCALATE: { verb: 'Escalates', effect: 'held as escalated', closes: false },
};

const stakeKes = (n: number) => {
  // Whole shillings without decimals; otherwise cents as money is written (20,100,000 / 29,310,150.90).
  const cents = Number.isInteger(Math.round(n * 100) / 100) ? 0 : 2;
  return `KES ${n.toLocaleString('en-KE', { minimumFractionDigits: cents, maximumFractionDigits: cents })}`;
};
const paymentsWord = (n: number) => `${n.toLocaleString('en-KE')} ${n === 1 ? 'payment' : 'payments'}`;

/**
 * What is at stake in a decision, in one sentence true to the service: a case decision is written
 * back to EVERY payment linked to the case (decisions.ts writeBackToAssessments), so the sentence
 * names all of them and their KES total, not the opening payment. `approvalWhy` (fourEyesReason)
 * says when the decision first waits for a second approver.
 * e.g. "Blocks 22 payments totalling KES 20,100,000: all will be rejected and the case closed."
 */
export function decisionStake(c: Pick<CaseSummary, 'paymentCount' | 'totalAmountKes'>, action: CaseAction, approvalWhy: string | null = null): string {
  const { verb, effect, closes } = ACTION_EFFECT[action];
  const count = Math.max(1, c.paymentCount);
  const all = count === 1 ? 'it' : count === 2 ? 'both' : 'all';
  const what = `${verb} ${paymentsWord(count)} totalling ${stakeKes(c.totalAmountKes)}`;
  const then = closes ? ' and the case closed' : '; the case moves to the escalation queue for a compliance officer';
  const tail = `${all} will be ${effect}${then}`;
  if (approvalWhy && closes) return `${what}: a second approver must confirm first (${approvalWhy}); then ${tail}.`;
  return `${what}: ${tail}.`;
}

/** The stake of several cases at once (bulk actions in the queue). */
export function bulkStake(cases: readonly Pick<CaseSummary, 'paymentCount' | 'totalAmountKes'>[], action: CaseAction): string {
  const payments = cases.reduce((n, c) => n + Math.max(1, c.paymentCount), 0);
  const total = cases.reduce((n, c) => n + c.totalAmountKes, 0);
  const { verb, effect } = ACTION_EFFECT[action];
  return `${verb} ${cases.length.toLocaleString('en-KE')} ${cases.length === 1 ? 'case' : 'cases'} with ${paymentsWord(payments)} totalling ${stakeKes(Math.round(total * 100) / 100)}: ${payments === 1 ? 'it' : 'all'} will be ${effect}.`;
}

export const CaseAssignRequest = z.object({
  /** Omit to claim the case for yourself. */
  assigneeId: z.uuid().optional(),
  expectedVersion: Version,
});
export type CaseAssignRequest = z.infer<typeof CaseAssignRequest>;

/** Release, start work, request information, resume: a version and, where it matters, a note. */
export const CaseStepRequest = z.object({ expectedVersion: Version, note: z.string().trim().max(2000).optional() });
export type CaseStepRequest = z.infer<typeof CaseStepRequest>;
export const CaseRequestInfoRequest = z.object({ expectedVersion: Version, note: Note });

export const CaseApprovalDecisionRequest = z.object({
  approve: z.boolean(),
  note: Note,
  expectedVersion: Version,
});
export type CaseApprovalDecisionRequest = z.infer<typeof CaseApprovalDecisionRequest>;

export const CaseTagsRequest = z.object({
  tags: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[\p{L}\p{N} _-]+$/u, 'letters, digits, spaces, - and _'),
    )
    .max(20),
  expectedVersion: Version,
});

export const ClaimNextRequest = z.object({ queueId: z.uuid().optional() });

export const BulkAssignRequest = z.object({
  caseIds: z.array(z.uuid()).min(1).max(500),
  /** Omit to take them yourself. */
  assigneeId: z.uuid().optional(),
});
export const BulkCloseFalsePositiveRequest = z.object({
  caseIds: z.array(z.uuid()).min(1).max(500),
  reasonCode: z.enum(['FALSE_POSITIVE_RULE', 'VERIFIED_WITH_CUSTOMER', 'KNOWN_BENEFICIARY', 'BUSINESS_PATTERN_EXPLAINED']).default('FALSE_POSITIVE_RULE'),
  note: Note,
});
export const BulkResult = z.object({
  updated: z.array(CaseSummary),
  /** Cases that now wait for a second approver instead of closing (four-eyes). */
  awaitingApproval: z.array(z.string()),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const CASE_TRANSITIONS: Record<
  Exclude<CaseCommandName, 'comment' | 'attach' | 'tag' | 'reassign'>,
  { from: readonly CaseState[]; to: CaseState | 'SAME' | 'RETURN' }
> = {
  assign: { from: ['NEW', 'ESCALATED'], to: 'SAME' },
  release: { from: ['ASSIGNED', 'IN_PROGRESS', 'ESCALATED'], to: 'RETURN' },
  start: { from: ['ASSIGNED'], to: 'IN_PROGRESS' },
  'request-info': { from: ['IN_PROGRESS', 'ESCALATED'], to: 'PENDING_INFO' },
  resume: { from: ['PENDING_INFO'], to: 'RETURN' },
  escalate: { from: ['ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO'], to: 'ESCALATED' },
  approve: { from: ['ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'], to: 'CLOSED' },
  block: { from: ['ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'], to: 'CLOSED' },
  'approval-decide': { from: ['AWAITING_APPROVAL'], to: 'RETURN' },
};
/** States a case may be reassigned in (someone else takes over the work). */
export const REASSIGNABLE_STATES: readonly CaseState[] = ['ASSIGNED', 'IN_PROGRESS', 'PENDING_INFO', 'ESCALATED'];

export const FourEyesSettings = z.object({
  /** Blocking a case whose payments total more than this (KES) needs a second approver. */
  blockAboveKes: z.number().nonnegative().max(1e13),
  /** Closing a CRITICAL case (approve or block) needs a second approver. */
  closeCritical: z.boolean(),
});
export type FourEyesSettings = z.infer<typeof FourEyesSettings>;
export const DEFAULT_FOUR_EYES: FourEyesSettings = { blockAboveKes: 1_000_000, closeCritical: true };
export const FourEyesSettingsInput = FourEyesSettings.extend({ expectedVersion: z.number().int().nonnegative() });
export const FourEyesSettingsView = FourEyesSettings.extend({
  version: z.number().int(),
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
});
export type FourEyesSettingsView = z.infer<typeof FourEyesSettingsView>;

export const QueueCounts = z.object({
  open: z.number().int(),
  unassigned: z.number().int(),
  mine: z.number().int(),
  byRiskLevel: z.record(RiskLevel, z.number().int()),
  overdue: z.number().int(),
  awaitingApproval: z.number().int(),
  /** Per queue, in the order the navigation shows them. */
  queues: z.array(
    z.object({
      queueId: z.uuid(),
      name: z.string(),
      kind: z.enum(['STANDARD', 'ESCALATION']),
      open: z.number().int(),
      unassigned: z.number().int(),
      mine: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const SavedFilter = z.object({
  id: z.uuid(),
  name: z.string(),
  filter: CaseFilter,
  shared: z.boolean(),
  ownerId: z.string(),
  ownerName: z.string(),
  createdAt: z.iso.datetime(),
});
export type SavedFilter = z.infer<typeof SavedFilter>;
export const SavedFilterInput = z.object({
  name: z.string().trim().min(1).max(80),
  filter: CaseFilter,
  /** Shared filters show for everyone who can read cases. */
  shared: z.boolean().default(false),
});
