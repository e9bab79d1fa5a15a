import { z } from 'zod';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { TenantId } from './tenants.ts';

/**
 * Risk events (issue 13): incidents, losses, near misses and KRI breaches, linked to a risk and/or
 * a KRI, with their financial impact. Events from machines (KRIs, integration endpoints, the
 * risk-events queue) carry an external id that makes recording them idempotent per tenant and source.
 */

export const RiskEventType = z.enum(['INCIDENT', 'LOSS', 'NEAR_MISS', 'KRI_BREACH', 'COMPLIANCE', 'CREDIT']);
export type RiskEventType = z.infer<typeof RiskEventType>;
export const RiskEventSeverity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'WARNING', 'CRITICAL']);
export type RiskEventSeverity = z.infer<typeof RiskEventSeverity>;
export const RiskEventSource = z.enum(['MANUAL', 'KRI', 'INTEGRATION', 'EVENT_QUEUE']);
export type RiskEventSource = z.infer<typeof RiskEventSource>;
export const RiskEventStatus = z.enum(['OPEN', 'CLOSED']);
export type RiskEventStatus = z.infer<typeof RiskEventStatus>;

/** Severity order for escalation: an OPEN breach event only ever moves up. */
export const SEVERITY_RANK: Record<RiskEventSeverity, number> = { LOW: 1, MEDIUM: 2, WARNING: 3, HIGH: 4, CRITICAL: 5 };

const Money = z.number().finite().min(0).max(1e15);
const Currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. KES');

const EventFields = z.object({
  riskId: z.uuid().nullable().optional(),
  kriId: z.uuid().nullable().optional(),
  type: RiskEventType,
  severity: RiskEventSeverity,
  title: PlainText(300).pipe(z.string().min(3, 'at least 3 characters')),
  description: NoteText(4000).default(''),
  occurredAt: BoundedInstant,
  financialImpact: Money.nullable().optional(),
  currency: Currency.nullable().optional(),
});

function checkMoney(value: { financialImpact?: number | null | undefined; currency?: string | null | undefined }, ctx: z.RefinementCtx) {
  if (value.financialImpact != null && !value.currency)
    ctx.addIssue({ code: 'custom', path: ['currency'], message: 'name the currency of the financial impact' });
}

/** Recorded by a person (source MANUAL); machines record through the integration endpoints. */
export const RiskEventCreateInput = EventFields.safeExtend({ tenantId: TenantId }).superRefine(checkMoney);
export type RiskEventCreateInput = z.input<typeof RiskEventCreateInput>;

export const RiskEventUpdateInput = EventFields.omit({ kriId: true }).safeExtend({ expectedVersion: z.number().int().positive() }).superRefine(checkMoney);
export type RiskEventUpdateInput = z.input<typeof RiskEventUpdateInput>;

export const RiskEventCloseInput = z.object({ expectedVersion: z.number().int().positive(), note: NoteText(1000).optional() });
export type RiskEventCloseInput = z.input<typeof RiskEventCloseInput>;

export const RiskEvent = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  reference: z.string(),
  riskId: z.uuid().nullable(),
  kriId: z.uuid().nullable(),
  kriMeasurementId: z.uuid().nullable(),
  type: RiskEventType,
  severity: RiskEventSeverity,
  source: RiskEventSource,
  title: z.string(),
  description: z.string(),
  occurredAt: z.iso.datetime(),
  financialImpact: z.number().nullable(),
  currency: z.string().nullable(),
  status: RiskEventStatus,
  externalId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  closedAt: z.iso.datetime().nullable(),
  closedBy: z.string().nullable(),
  closeNote: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type RiskEvent = z.infer<typeof RiskEvent>;

export const RiskEventListQuery = z.object({
  tenantId: TenantId.optional(),
  riskId: z.uuid().optional(),
  kriId: z.uuid().optional(),
  type: RiskEventType.optional(),
  severity: RiskEventSeverity.optional(),
  status: RiskEventStatus.optional(),
  from: BoundedInstant.optional(),
  to: BoundedInstant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type RiskEventListQuery = z.infer<typeof RiskEventListQuery>;

export const RiskEventList = z.object({
  events: z.array(RiskEvent),
  /** Events matching the filter (the list holds at most `limit`, newest first). */
  total: z.number().int(),
});
export type RiskEventList = z.infer<typeof RiskEventList>;
