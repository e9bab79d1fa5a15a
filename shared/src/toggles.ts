import { z } from 'zod';
import { BoundedInstant, PlainText } from './text.ts';

/**
 * Fraud API toggles (seed 003 FraudApiToggleConfiguration, fraud_api_toggle_configurations):
 * whether the bank's fraud engine is called for a context — tenant, payment type, local
 * instrument, clearing system — at a time. Shared by service and renderer.
 */

const Code = PlainText(50).min(1);
const OptionalCode = Code.nullable().default(null);

export const ToggleContext = z.object({
  tenantId: Code,
  paymentType: OptionalCode,
  localInstrumentationCode: OptionalCode,
  clearingSystemCode: OptionalCode,
});
export type ToggleContext = z.infer<typeof ToggleContext>;

/** What happens to a payment while the engine is switched off for its context. */
export const DisabledBehaviour = z.enum(['APPROVE', 'LOCAL_RULES_ONLY']);
export type DisabledBehaviour = z.infer<typeof DisabledBehaviour>;

export const ToggleLevel = z.enum(['TENANT', 'PAYMENT_TYPE', 'LOCAL_INSTRUMENT', 'CLEARING_SYSTEM']);
export type ToggleLevel = z.infer<typeof ToggleLevel>;

/** The most specific level set: clearing system > local instrument > payment type > tenant only. */
export function toggleLevel(context: Pick<ToggleContext, 'paymentType' | 'localInstrumentationCode' | 'clearingSystemCode'>): ToggleLevel {
  if (context.clearingSystemCode) return 'CLEARING_SYSTEM';
  if (context.localInstrumentationCode) return 'LOCAL_INSTRUMENT';
  if (context.paymentType) return 'PAYMENT_TYPE';
  return 'TENANT';
}

/** Specificity as a bit mask, so that a more important level always outranks any set of lesser ones. */
export function toggleSpecificity(context: Pick<ToggleContext, 'paymentType' | 'localInstrumentationCode' | 'clearingSystemCode'>): number {
  return (context.clearingSystemCode ? 4 : 0) + (context.localInstrumentationCode ? 2 : 0) + (context.paymentType ? 1 : 0);
}

const Reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(500);
const Instant = BoundedInstant;

export const ToggleInput = ToggleContext.safeExtend({
  isEnabled: z.boolean(),
  enabledReason: z.string().trim().max(500).nullable().default(null),
  disabledReason: z.string().trim().max(500).nullable().default(null),
  effectiveFrom: Instant.nullable().default(null),
  effectiveUntil: Instant.nullable().default(null),
  /** Lower number = applied first among equally specific configurations (seed default 100). */
  priority: z.number().int().min(1).max(10_000).default(100),
  isActive: z.boolean().default(true),
  /**
   * What happens to payments while this configuration switches the engine off. No default: a
   * missing value used to mean "approve without assessment", the most dangerous choice, so it
   * must now be named whenever isEnabled is false (400 naming body.disabledBehaviour).
   */
  disabledBehaviour: DisabledBehaviour.optional(),
}).superRefine((value, ctx) => {
  if (value.effectiveFrom && value.effectiveUntil && Date.parse(value.effectiveUntil) <= Date.parse(value.effectiveFrom)) {
    ctx.addIssue({ code: 'custom', path: ['effectiveUntil'], message: 'must be after effectiveFrom' });
  }
  if (!value.isEnabled && !value.disabledReason)
    ctx.addIssue({ code: 'custom', path: ['disabledReason'], message: 'a reason is required to disable the fraud engine' });
  if (!value.isEnabled && value.disabledBehaviour === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['disabledBehaviour'],
      message: 'choose what happens to payments while the fraud engine is disabled: APPROVE (no assessment) or LOCAL_RULES_ONLY',
    });
  if (value.isEnabled && !value.enabledReason)
    ctx.addIssue({ code: 'custom', path: ['enabledReason'], message: 'a reason is required to enable the fraud engine' });
});
export type ToggleInput = z.input<typeof ToggleInput>;

export const ToggleState = z.enum(['EFFECTIVE', 'FUTURE', 'EXPIRED', 'INACTIVE']);
export type ToggleState = z.infer<typeof ToggleState>;

export const ToggleConfiguration = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  paymentType: z.string().nullable(),
  localInstrumentationCode: z.string().nullable(),
  clearingSystemCode: z.string().nullable(),
  isEnabled: z.boolean(),
  enabledReason: z.string().nullable(),
  disabledReason: z.string().nullable(),
  effectiveFrom: z.iso.datetime().nullable(),
  effectiveUntil: z.iso.datetime().nullable(),
  priority: z.number().int(),
  isActive: z.boolean(),
  disabledBehaviour: DisabledBehaviour,
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Derived: the level, its specificity, and where the window stands now. */
  level: ToggleLevel,
  specificity: z.number().int(),
  state: ToggleState,
  rowVersion: z.number().int(),
});
export type ToggleConfiguration = z.infer<typeof ToggleConfiguration>;

/** Body of enable / disable / toggle: a context and the (required) reason. */
export const ToggleActionRequest = ToggleContext.safeExtend({ reason: Reason, disabledBehaviour: DisabledBehaviour.optional() });
export type ToggleActionRequest = z.input<typeof ToggleActionRequest>;

export const ToggleCheckQuery = z.object({
  tenantId: Code,
  paymentType: Code.optional(),
  localInstrumentationCode: Code.optional(),
  clearingSystemCode: Code.optional(),
  /** Check at another instant (default now): "what will apply at 22:00 on Friday?" */
  at: Instant.optional(),
});
export type ToggleCheckQuery = z.infer<typeof ToggleCheckQuery>;

export const ToggleCandidate = z.object({
  id: z.uuid(),
  level: ToggleLevel,
  specificity: z.number().int(),
  priority: z.number().int(),
  isEnabled: z.boolean(),
  effectiveFrom: z.iso.datetime().nullable(),
  effectiveUntil: z.iso.datetime().nullable(),
  /** Why it did not win (or "winner"). */
  verdict: z.string(),
});
export type ToggleCandidate = z.infer<typeof ToggleCandidate>;

export const ToggleResolution = z.object({
  enabled: z.boolean(),
  reason: z.string(),
  matchedConfigurationId: z.uuid().nullable(),
  disabledBehaviour: DisabledBehaviour.nullable(),
  at: z.iso.datetime(),
  candidates: z.array(ToggleCandidate),
});
export type ToggleResolution = z.infer<typeof ToggleResolution>;

export const ToggleListQuery = z.object({
  tenantId: z.string().max(50).optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** One change of a configuration: who, when, with which command, before and after. */
export const ToggleAuditEntry = z.object({
  id: z.string(),
  occurredAt: z.iso.datetime(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  command: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type ToggleAuditEntry = z.infer<typeof ToggleAuditEntry>;

/** Seed 003 DELETE: optimistic concurrency and an optional reason. */
export const ToggleDeleteQuery = z.object({ expectedRowVersion: z.coerce.number().int().positive(), reason: z.string().trim().max(500).optional() });

export const ToggleUpdateRequest = ToggleInput.safeExtend({ expectedRowVersion: z.number().int().positive() });
export type ToggleUpdateRequest = z.input<typeof ToggleUpdateRequest>;

export const ToggleApprovalsQuery = z.object({ status: z.enum(['PENDING', 'APPROVED', 'REJECTED']).optional() });
export const ToggleApprovalDecision = z.object({ note: z.string().trim().min(3, 'give a note of at least 3 characters').max(500) });

export const ToggleCacheRefresh = z.object({ refreshed: z.literal(true), configurations: z.number().int(), nextBoundary: z.iso.datetime().nullable() });

export const ToggleStatistics = z.object({
  byState: z.record(z.string(), z.number().int()),
  byLevel: z.record(z.string(), z.number().int()),
  enabledCount: z.number().int(),
  disabledCount: z.number().int(),
  checksPerHour: z.array(z.object({ hour: z.iso.datetime(), enabled: z.number().int(), disabled: z.number().int() })),
  recentChanges: z.array(z.object({ at: z.iso.datetime(), actor: z.string(), command: z.string(), configurationId: z.string(), summary: z.string() })),
  nextBoundary: z.iso.datetime().nullable(),
  pendingApprovals: z.number().int(),
});
export type ToggleStatistics = z.infer<typeof ToggleStatistics>;

/** Four-eyes: a tenant-level disable waiting for a second admin. */
export const ToggleApprovalStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED']);
export const ToggleApproval = z.object({
  id: z.uuid(),
  status: ToggleApprovalStatus,
  request: ToggleInput.safeExtend({ configurationId: z.uuid().nullable() }),
  requestedBy: z.string(),
  requestedById: z.string(),
  requestedAt: z.iso.datetime(),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionNote: z.string().nullable(),
  resultConfigurationId: z.uuid().nullable(),
});
export type ToggleApproval = z.infer<typeof ToggleApproval>;

/** A write answers the configuration (200/201), or 202 with the approval request when four-eyes applies. */
export const TogglePendingApproval = z.object({ pendingApproval: ToggleApproval });
export const ToggleWriteAnswer = z.union([ToggleConfiguration, TogglePendingApproval]);
export type ToggleWriteAnswer = z.infer<typeof ToggleWriteAnswer>;

export const ToggleSettings = z.object({
  /** Disabling the engine for a whole tenant needs a second admin's approval. */
  fourEyesForTenantDisable: z.boolean(),
});
export type ToggleSettings = z.infer<typeof ToggleSettings>;
