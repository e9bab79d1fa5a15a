// The queue screen's model: how SLAs and routing rules read in words, the form value (the shared
// `CaseQueueInput`, checked with the schema the service uses) and why a case does or does not fit
// a queue, for the routing preview. The decision itself always comes from the shared `routeCase`.
import type { z } from 'zod';
import { RiskLevel } from '../../../shared/src/assessments.ts';
import { Channel } from '../../../shared/src/payments.ts';
import {
  CaseQueueInput,
  DEFAULT_QUEUE_SLA,
  DEFAULT_SLA_ESCALATION,
  routingMatches,
  type CaseQueue,
  type QueueRouting,
  type RoutableCase,
} from '../../../shared/src/queues.ts';
import { NO_ERRORS, type FieldErrors } from '../decision-engine/configurations/formModel.ts';

/** Most severe first: the order people read risk levels in. */
export const RISK_LEVELS: readonly RiskLevel[] = [...RiskLevel.options].reverse();
export const CHANNELS: readonly Channel[] = Channel.options;

export const RISK_LABELS: Record<RiskLevel, string> = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };
export const CHANNEL_LABELS: Record<Channel, string> = { MOBILE: 'Mobile', USSD: 'USSD', WEB: 'Web', ATM: 'ATM', BRANCH: 'Branch', AGENT: 'Agent' };

const MINUTES_PER_DAY = 1440;

/** `45 min`, `1 h`, `1 h 30 min`, `1 d`, `2 d 4 h`: an SLA in the largest whole units. */
export function formatSlaMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '—';
  const days = Math.floor(minutes / MINUTES_PER_DAY);
  const hours = Math.floor((minutes % MINUTES_PER_DAY) / 60);
  const rest = Math.round(minutes % 60);
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}

const kesFormat = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 2 });
export function formatKes(amount: number): string {
  return `KES ${kesFormat.format(amount)}`;
}

export interface RoutingPart {
  key: 'riskLevels' | 'tenants' | 'paymentTypes' | 'channels' | 'minAmountKes';
  text: string;
  /** False when the part matches anything (shown muted). */
  restricts: boolean;
}

/** The routing rule as short parts: `CRITICAL, HIGH`, `tenants: any`, `payment types: SWIFT`, … */
export function routingParts(routing: QueueRouting): RoutingPart[] {
  const list = (key: 'tenants' | 'paymentTypes' | 'channels', label: string, values: readonly string[]): RoutingPart => ({
    key,
    text: `${label}: ${values.length ? values.join(', ') : 'any'}`,
    restricts: values.length > 0,
  });
  const levels = RISK_LEVELS.filter((l) => routing.riskLevels.includes(l));
  return [
    { key: 'riskLevels', text: levels.length ? levels.join(', ') : 'any risk level', restricts: levels.length > 0 },
    list('tenants', 'tenants', routing.tenants),
    list('paymentTypes', 'payment types', routing.paymentTypes),
    list(
      'channels',
      'channels',
      CHANNELS.filter((c) => routing.channels.includes(c)),
    ),
    routing.minAmountKes !== null
      ? { key: 'minAmountKes', text: `≥ ${formatKes(routing.minAmountKes)}`, restricts: true }
      : { key: 'minAmountKes', text: 'any amount', restricts: false },
  ];
}

/** "CRITICAL, HIGH · tenants: any · payment types: SWIFT · channels: any · ≥ KES 1,000,000" */
export function routingSummary(routing: QueueRouting): string {
  return routingParts(routing)
    .map((p) => p.text)
    .join(' · ');
}

/**
 * Why a case does not fit a routing rule (the first condition it fails), or null when it fits.
 * Words only: whether it fits is `routingMatches`, the service's function.
 */
export function routingMismatch(routing: QueueRouting, c: RoutableCase): string | null {
  if (routingMatches(routing, c)) return null;
  if (routing.riskLevels.length > 0 && !routing.riskLevels.includes(c.riskLevel)) return `risk level ${c.riskLevel} is not ${routing.riskLevels.join(' or ')}`;
  if (routing.tenants.length > 0 && (c.tenantId === null || !routing.tenants.includes(c.tenantId)))
    return c.tenantId === null ? `no tenant given (takes ${routing.tenants.join(', ')})` : `tenant ${c.tenantId} is not ${routing.tenants.join(' or ')}`;
  if (routing.paymentTypes.length > 0 && (c.paymentType === null || !routing.paymentTypes.includes(c.paymentType)))
    return c.paymentType === null
      ? `no payment type given (takes ${routing.paymentTypes.join(', ')})`
      : `payment type ${c.paymentType} is not ${routing.paymentTypes.join(' or ')}`;
  if (routing.channels.length > 0 && !(routing.channels as readonly string[]).includes(c.channel))
    return `channel ${c.channel} is not ${routing.channels.join(' or ')}`;
  if (routing.minAmountKes !== null && c.amountKes < routing.minAmountKes) return `${formatKes(c.amountKes)} is below ${formatKes(routing.minAmountKes)}`;
  return 'does not match';
}

/** What a matching rule required, in words (for "why this queue"). */
export function routingReasons(routing: QueueRouting, c: RoutableCase): string[] {
  const reasons: string[] = [];
  if (routing.riskLevels.length) reasons.push(`risk level ${c.riskLevel}`);
  if (routing.tenants.length && c.tenantId) reasons.push(`tenant ${c.tenantId}`);
  if (routing.paymentTypes.length && c.paymentType) reasons.push(`payment type ${c.paymentType}`);
  if (routing.channels.length) reasons.push(`channel ${c.channel}`);
  if (routing.minAmountKes !== null) reasons.push(`${formatKes(c.amountKes)} ≥ ${formatKes(routing.minAmountKes)}`);
  return reasons;
}

/**
 * The order routing tries queues in (active standard queues by priority, then name), then the
 * default queue, then what routing skips (inactive and escalation queues): the grid's order.
 */
export function routingOrder(queues: readonly CaseQueue[]): CaseQueue[] {
  const rank = (q: CaseQueue) => (q.isDefault ? 1 : q.kind === 'ESCALATION' ? 3 : q.active ? 0 : 2);
  return [...queues].sort((a, b) => rank(a) - rank(b) || a.priority - b.priority || a.name.localeCompare(b.name));
}

// ---- the form ----

export type QueueFormValue = z.output<typeof CaseQueueInput>;

export function emptyQueue(): QueueFormValue {
  return {
    name: '',
    description: '',
    kind: 'STANDARD',
    priority: 100,
    routing: { riskLevels: [], tenants: [], paymentTypes: [], channels: [], minAmountKes: null },
    sla: { ...DEFAULT_QUEUE_SLA },
    slaEscalation: { ...DEFAULT_SLA_ESCALATION },
    active: true,
  };
}

export function toFormValue(queue: CaseQueue): QueueFormValue {
  return {
    name: queue.name,
    description: queue.description,
    kind: queue.kind,
    priority: queue.priority,
    routing: {
      riskLevels: [...queue.routing.riskLevels],
      tenants: [...queue.routing.tenants],
      paymentTypes: [...queue.routing.paymentTypes],
      channels: [...queue.routing.channels],
      minAmountKes: queue.routing.minAmountKes,
    },
    sla: { ...queue.sla },
    slaEscalation: { ...queue.slaEscalation },
    active: queue.active,
  };
}

function friendly(issue: z.core.$ZodIssue): string {
  const inSla = issue.path[0] === 'sla';
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) return 'Enter a whole number';
  if (issue.code === 'too_small') {
    if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Required' : `At least ${String(issue.minimum)} characters`;
    if (issue.origin === 'number') return inSla ? `At least ${String(issue.minimum)} min` : `At least ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big') {
    if (issue.origin === 'string') return `At most ${String(issue.maximum)} characters`;
    if (issue.origin === 'number') return inSla ? `At most ${formatSlaMinutes(Number(issue.maximum))}` : `At most ${kesFormat.format(Number(issue.maximum))}`;
    if (issue.origin === 'array') return `At most ${String(issue.maximum)} entries`;
  }
  return issue.message;
}

export function validateQueue(value: QueueFormValue): { errors: FieldErrors; parsed: QueueFormValue | null } {
  const result = CaseQueueInput.safeParse(value);
  if (result.success) return { errors: NO_ERRORS, parsed: result.data };
  const errors = new Map<string, string>();
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!errors.has(key)) errors.set(key, friendly(issue));
  }
  return { errors, parsed: null };
}
