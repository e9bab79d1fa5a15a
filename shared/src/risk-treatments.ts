import { z } from 'zod';
import { BoundedInstant, NoteText, PlainText } from './text.ts';

/**
 * Treatment plans and risk acceptances of the risk register (issue 13). Re-exported by
 * shared/src/risk-register.ts; the acceptance state machine is service/src/risks/acceptances.ts.
 */

const Version = z.number().int().positive();
const Title = PlainText(200).pipe(z.string().min(3, 'at least 3 characters'));
const Description = NoteText(4000);

/** A calendar date (YYYY-MM-DD): due dates and next test dates are days, not instants. */
export const CalendarDate = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'must be between 2000-01-01 and 2100-12-31');

export const TreatmentStrategy = z.enum(['MITIGATE', 'TRANSFER', 'AVOID', 'ACCEPT']);
export type TreatmentStrategy = z.infer<typeof TreatmentStrategy>;
export const TreatmentStatus = z.enum(['PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED']);
export type TreatmentStatus = z.infer<typeof TreatmentStatus>;
export const TreatmentActionStatus = z.enum(['OPEN', 'DONE']);
export type TreatmentActionStatus = z.infer<typeof TreatmentActionStatus>;

export const AcceptanceStatus = z.enum(['REQUESTED', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN']);
export type AcceptanceStatus = z.infer<typeof AcceptanceStatus>;

// ---------------------------------------------------------------------------------------------
// Treatments and acceptances

export const TreatmentAction = z.object({
  id: z.uuid(),
  treatmentId: z.uuid(),
  riskId: z.uuid(),
  title: z.string(),
  ownerId: z.uuid(),
  ownerName: z.string(),
  dueDate: CalendarDate,
  status: TreatmentActionStatus,
  completedAt: z.iso.datetime().nullable(),
  overdue: z.boolean(),
  version: Version,
});
export type TreatmentAction = z.infer<typeof TreatmentAction>;

export const Treatment = z.object({
  id: z.uuid(),
  riskId: z.uuid(),
  tenantId: z.string(),
  strategy: TreatmentStrategy,
  title: z.string(),
  description: z.string(),
  ownerId: z.uuid(),
  ownerName: z.string(),
  dueDate: CalendarDate,
  status: TreatmentStatus,
  overdue: z.boolean(),
  actions: z.array(TreatmentAction),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: Version,
});
export type Treatment = z.infer<typeof Treatment>;

export const TreatmentCreateInput = z.object({
  strategy: TreatmentStrategy,
  title: Title,
  description: Description.default(''),
  ownerId: z.uuid(),
  dueDate: CalendarDate,
});
export type TreatmentCreateInput = z.input<typeof TreatmentCreateInput>;
export const TreatmentUpdateInput = TreatmentCreateInput.extend({ status: TreatmentStatus, expectedVersion: Version });
export type TreatmentUpdateInput = z.input<typeof TreatmentUpdateInput>;

export const TreatmentActionCreateInput = z.object({ title: Title, ownerId: z.uuid(), dueDate: CalendarDate });
export type TreatmentActionCreateInput = z.input<typeof TreatmentActionCreateInput>;
export const TreatmentActionUpdateInput = TreatmentActionCreateInput.extend({ status: TreatmentActionStatus, expectedVersion: Version });
export type TreatmentActionUpdateInput = z.input<typeof TreatmentActionUpdateInput>;

export const RiskAcceptance = z.object({
  id: z.uuid(),
  riskId: z.uuid(),
  tenantId: z.string(),
  status: AcceptanceStatus,
  justification: z.string(),
  requestedById: z.string(),
  requestedByName: z.string(),
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  decidedById: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionNote: z.string().nullable(),
  expiredAt: z.iso.datetime().nullable(),
  version: Version,
});
export type RiskAcceptance = z.infer<typeof RiskAcceptance>;

export const AcceptanceRequestInput = z.object({
  justification: NoteText(4000).pipe(z.string().min(10, 'explain why the risk is accepted (at least 10 characters)')),
  /** Until when the acceptance holds; must be in the future. */
  expiresAt: BoundedInstant,
});
export type AcceptanceRequestInput = z.input<typeof AcceptanceRequestInput>;
export const AcceptanceDecisionInput = z.object({ note: NoteText(2000).default(''), expectedVersion: Version });
export type AcceptanceDecisionInput = z.input<typeof AcceptanceDecisionInput>;
export const AcceptanceRejectInput = z.object({
  note: NoteText(2000).pipe(z.string().min(5, 'say in a few words why')),
  expectedVersion: Version,
});
export type AcceptanceRejectInput = z.input<typeof AcceptanceRejectInput>;
