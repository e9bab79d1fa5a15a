import type { CommandContext } from '../../commands/bus.ts';
import { toBool } from '../../db/database.ts';
import { writeDeliveriesWithin } from '../../webhooks/enqueue.ts';
import type { Alert, AlertEvidence } from '../../../../shared/src/alerts.ts';
import type { AlertMessageData } from './messages.ts';

/** Events an alert channel carries: first routing, an escalation level, and an admin's test send. */
export type AlertMessageEvent = 'alert.raised' | 'alert.escalated' | 'alert.test';

/** Owner kind of an alert channel's webhook_subscriptions row (the issue 14 outbox). */
export const ALERT_CHANNEL_OWNER = 'ALERT_CHANNEL';
/** Delivery log entity of a routed alert. */
export const ALERT_DELIVERY_ENTITY = 'alert';

/** At most this many evidence payments travel in a message (the rest are one click away in the app). */
const MESSAGE_PAYMENTS = 10;

export function summariseEvidence(evidence: AlertEvidence | null): AlertMessageData['evidence'] {
  if (!evidence) return null;
  return {
    paymentCount: evidence.payments.length,
    totalKes: evidence.payments.reduce((sum, p) => sum + p.amountKes, 0),
    payments: evidence.payments.slice(0, MESSAGE_PAYMENTS),
    customers: evidence.customers.slice(0, 20),
    rules: evidence.rules.slice(0, 20),
    figures: evidence.figures,
    explanation: evidence.explanation.slice(0, 10),
  };
}

/**
 * Queues one message of an alert through one channel, in the transaction of the command that routed
 * it (transactional outbox, ARCHITECTURE.md "Webhooks are a transactional outbox"): the message goes
 * out if and only if the routing committed; the webhook dispatcher sends it with the channel's
 * transport (transports.ts), retries and logs it. Answers null, writing nothing, when the channel is
 * deleted, disabled (except for a test send), or not allowed to carry this alert's tenant.
 */
export async function enqueueAlertDeliveryWithin(
  ctx: CommandContext,
  input: { channelId: string; event: AlertMessageEvent; alert: Alert; evidence: AlertEvidence | null; level: number; recipients?: string[] },
): Promise<{ deliveryId: string } | null> {
  const channel = await ctx.trx
    .selectFrom('alert_channels')
    .select(['id', 'tenant_id', 'enabled', 'subscription_id'])
    .where('id', '=', input.channelId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  // A test send is how an admin checks a channel before enabling it; alerts go only through enabled ones.
  if (!channel || (!toBool(channel.enabled) && input.event !== 'alert.test')) return null;
  // A tenant's channel never carries another tenant's alert, whoever routed it.
  if (channel.tenant_id !== '*' && channel.tenant_id !== input.alert.tenantId) return null;
  const data: AlertMessageData = {
    alert: input.alert,
    evidence: summariseEvidence(input.evidence),
    level: input.level,
    recipients: [...new Set(input.recipients ?? [])],
    link: `/alerts/${input.alert.id}`,
    test: input.event === 'alert.test',
  };
  const [row] = await writeDeliveriesWithin(ctx, [channel.subscription_id], {
    tenantId: input.alert.tenantId,
    ownerKind: ALERT_CHANNEL_OWNER,
    ownerId: channel.id,
    eventType: input.event,
    entityType: ALERT_DELIVERY_ENTITY,
    entityId: input.alert.id,
    data: { ...data },
  });
  return row ? { deliveryId: row.id } : null;
}
