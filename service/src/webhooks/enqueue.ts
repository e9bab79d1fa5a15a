import type { CommandContext } from '../commands/bus.ts';
import { fromJson, toJson } from '../db/database.ts';
import type { WebhookDeliveriesTable } from '../db/schema-open-banking.ts';
import type { Insertable } from 'kysely';

/** Who owns a subscription: an Open Banking app (issue 14) or an alert channel (issue 15). */
export type WebhookOwnerKind = 'OB_APP' | 'ALERT_CHANNEL';

export interface WebhookEvent {
  tenantId: string;
  ownerKind: WebhookOwnerKind;
  ownerId: string;
  /** e.g. consent.revoked; a subscription listening to "*" gets every event of its owner. */
  eventType: string;
  /** What the event is about, for the delivery log's filters (e.g. 'consent' and its id). */
  entityType: string | null;
  entityId: string | null;
  data: Record<string, unknown>;
}

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export interface WebhookBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

let generation = 0;

/**
 * Bumped whenever deliveries are written; the dispatcher looks for due work after a command whose
 * transaction wrote some (a rolled-back one only costs an empty poll).
 */
export function webhookGeneration(): number {
  return generation;
}

/** A Standard Webhooks message id (webhook-id header), from the delivery's row id. */
export function messageIdFor(deliveryId: string): string {
  return `msg_${deliveryId.replace(/-/g, '')}`;
}

/**
 * Writes one PENDING delivery per ACTIVE subscription of the owner that listens to the event, in
 * the transaction of the command that caused it (transactional outbox): the webhook goes out if
 * and only if the change committed. The dispatcher (dispatcher.ts) sends it. Returns how many
 * deliveries were written.
 */
export async function enqueueWebhookWithin(ctx: CommandContext, event: WebhookEvent): Promise<number> {
  const subscriptions = await ctx.trx
    .selectFrom('webhook_subscriptions')
    .select(['id', 'events'])
    .where('owner_kind', '=', event.ownerKind)
    .where('owner_id', '=', event.ownerId)
    .where('tenant_id', '=', event.tenantId)
    .where('status', '=', 'ACTIVE')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const listening = subscriptions.filter((s) => {
    const events = fromJson<string[]>(s.events);
    return events.includes(event.eventType) || events.includes('*');
  });
  const rows = await writeDeliveriesWithin(
    ctx,
    listening.map((s) => s.id),
    event,
  );
  return rows.length;
}

/** A delivery as it starts (written, or replayed): PENDING, due now, never tried. */
export function freshDeliveryState(now: string) {
  return {
    status: 'PENDING',
    attempts: 0,
    next_attempt_at: now,
    locked_until: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    delivered_at: null,
    created_at: now,
    version: 1,
  } as const;
}

/** PENDING deliveries of one event to these subscriptions (no filtering: the caller chose them). */
export async function writeDeliveriesWithin(
  ctx: CommandContext,
  subscriptionIds: readonly string[],
  event: WebhookEvent,
): Promise<Insertable<WebhookDeliveriesTable>[]> {
  if (subscriptionIds.length === 0) return [];
  const now = ctx.now.toISOString();
  const body: WebhookBody = { type: event.eventType, timestamp: now, data: event.data };
  const rows: Insertable<WebhookDeliveriesTable>[] = subscriptionIds.map((subscriptionId) => {
    const id = ctx.newId();
    return {
      id,
      message_id: messageIdFor(id),
      subscription_id: subscriptionId,
      tenant_id: event.tenantId,
      owner_kind: event.ownerKind,
      owner_id: event.ownerId,
      event_type: event.eventType,
      entity_type: event.entityType,
      entity_id: event.entityId,
      payload: toJson(body),
      ...freshDeliveryState(now),
      replay_of: null,
    };
  });
  await ctx.trx.insertInto('webhook_deliveries').values(rows).execute();
  noteWebhooksWritten();
  return rows;
}

/** Tells the dispatcher (after the command's commit) that deliveries may be waiting. */
export function noteWebhooksWritten(): void {
  generation++;
}
