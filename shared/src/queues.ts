import { z } from 'zod';
import { RiskLevel } from './assessments.ts';
import { Channel } from './payments.ts';

/** Minutes an analyst has to decide a case in this queue, per risk level. */
export const QueueSla = z.object({
  CRITICAL: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30),
  HIGH: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30),
  MEDIUM: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30),
  LOW: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30),
});
export type QueueSla = z.infer<typeof QueueSla>;

/** Which new cases a queue takes. An empty list matches anything. */
export const QueueRouting = z.object({
  riskLevels: z.array(RiskLevel).max(4).default([]),
  tenants: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  paymentTypes: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  channels: z.array(Channel).max(6).default([]),
  /** Only cases whose payment is at least this amount (KES). */
  minAmountKes: z.number().nonnegative().nullable().default(null),
});
export type QueueRouting = z.infer<typeof QueueRouting>;

/**
 * Issue 15: when the people working a queue hear about its SLA, and what a breach does. The warning
 * goes to the case's assignee (or the supervisors when nobody holds it) once `warnAtPercent` of the
 * case's SLA has elapsed; the breach notice at the deadline. `onBreach: 'ESCALATE'` also moves a
 * breached case to the escalation queue (`escalateToQueueId`, or the first active one when null),
 * where supervisors take it, with that queue's SLA.
 */
export const QueueSlaEscalation = z.object({
  warnAtPercent: z.number().int().min(50).max(99).default(80),
  onBreach: z.enum(['NOTIFY', 'ESCALATE']).default('NOTIFY'),
  escalateToQueueId: z.uuid().nullable().default(null),
});
export type QueueSlaEscalation = z.infer<typeof QueueSlaEscalation>;
export const DEFAULT_SLA_ESCALATION: QueueSlaEscalation = { warnAtPercent: 80, onBreach: 'NOTIFY', escalateToQueueId: null };

export const QueueKind = z.enum(['STANDARD', 'ESCALATION']);
export type QueueKind = z.infer<typeof QueueKind>;

export const CaseQueueInput = z.object({
  name: z.string().trim().min(2).max(64),
  description: z.string().trim().max(500).default(''),
  /** STANDARD queues take new cases by routing; the ESCALATION queue takes escalated cases. */
  kind: QueueKind.default('STANDARD'),
  /** Routing tries queues in this order (lowest first); the first match takes the case. */
  priority: z.number().int().min(0).max(10_000).default(100),
  routing: QueueRouting.default({ riskLevels: [], tenants: [], paymentTypes: [], channels: [], minAmountKes: null }),
  sla: QueueSla,
  slaEscalation: QueueSlaEscalation.default(DEFAULT_SLA_ESCALATION),
  active: z.boolean().default(true),
});
export type CaseQueueInput = z.infer<typeof CaseQueueInput>;
export const CaseQueueUpdate = CaseQueueInput.extend({ expectedVersion: z.number().int().positive() });
export type CaseQueueUpdate = z.infer<typeof CaseQueueUpdate>;

export const CaseQueue = CaseQueueInput.extend({
  id: z.uuid(),
  /** Cases no other queue takes land here; it cannot be deleted or deactivated. */
  isDefault: z.boolean(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
});
export type CaseQueue = z.infer<typeof CaseQueue>;

export interface RoutableCase {
  riskLevel: RiskLevel;
  tenantId: string | null;
  paymentType: string | null;
  channel: string;
  amountKes: number;
}

export function routingMatches(routing: QueueRouting, c: RoutableCase): boolean {
  if (routing.riskLevels.length > 0 && !routing.riskLevels.includes(c.riskLevel)) return false;
  if (routing.tenants.length > 0 && (c.tenantId === null || !routing.tenants.includes(c.tenantId))) return false;
  if (routing.paymentTypes.length > 0 && (c.paymentType === null || !routing.paymentTypes.includes(c.paymentType))) return false;
  if (routing.channels.length > 0 && !(routing.channels as readonly string[]).includes(c.channel)) return false;
  if (routing.minAmountKes !== null && c.amountKes < routing.minAmountKes) return false;
  return true;
}

/**
 * The queue a new case goes to: active STANDARD queues in priority order, first match wins; the
 * default queue takes anything else. One function, used by case opening and by the routing preview.
 */
export function routeCase<Q extends Pick<CaseQueue, 'id' | 'kind' | 'priority' | 'routing' | 'active' | 'isDefault' | 'name'>>(
  queues: readonly Q[],
  c: RoutableCase,
): Q | null {
  const candidates = queues
    .filter((q) => q.active && q.kind === 'STANDARD' && !q.isDefault)
    .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  return candidates.find((q) => routingMatches(q.routing, c)) ?? queues.find((q) => q.isDefault) ?? null;
}

export function escalationQueue<Q extends Pick<CaseQueue, 'kind' | 'active' | 'priority'>>(queues: readonly Q[]): Q | null {
  return [...queues].filter((q) => q.kind === 'ESCALATION' && q.active).sort((a, b) => a.priority - b.priority)[0] ?? null;
}

export const DEFAULT_QUEUE_SLA: QueueSla = { CRITICAL: 60, HIGH: 240, MEDIUM: 1440, LOW: 2880 };
