import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromJson, toIso, toIsoOrNull } from '../db/database.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from '../db/schema-open-banking.ts';
import { WebhookDeliveryStatus, WebhookEventType, type WebhookDeliveryView, type WebhookSubscriptionView } from '../../../shared/src/open-banking.ts';

/** Audit entity types. */
export const WEBHOOK_SUBSCRIPTION_ENTITY = 'webhook_subscription';
export const WEBHOOK_DELIVERY_ENTITY = 'webhook_delivery';

/** A subscription as its app sees it: never the signing secret (ARCHITECTURE.md rule 6). */
export function toSubscriptionView(row: WebhookSubscriptionRow): WebhookSubscriptionView {
  return {
    id: row.id,
    appId: row.owner_id,
    url: row.url,
    events: WebhookEventType.array().parse(fromJson(row.events)),
    status: row.status === 'ACTIVE' ? 'ACTIVE' : 'DISABLED',
    createdAt: toIso(row.created_at),
    version: row.version,
  };
}

/** Deliveries with their subscription's URL and their attempts, oldest attempt first. */
export async function toDeliveryViews(db: Kysely<Database>, rows: readonly WebhookDeliveryRow[]): Promise<WebhookDeliveryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const subscriptionIds = [...new Set(rows.map((r) => r.subscription_id))];
  // One after the other: inside a command they share its transaction's connection.
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('delivery_id').orderBy('attempt').execute();
  const subscriptions = await db.selectFrom('webhook_subscriptions').select(['id', 'url']).where('id', 'in', subscriptionIds).execute();
  const urls = new Map(subscriptions.map((s) => [s.id, s.url]));
  const byDelivery = new Map<string, typeof attempts>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    subscriptionId: r.subscription_id,
    url: urls.get(r.subscription_id) ?? '',
    ownerKind: r.owner_kind,
    ownerId: r.owner_id,
    eventType: r.event_type,
    entityType: r.entity_type,
    entityId: r.entity_id,
    payload: fromJson(r.payload),
    status: WebhookDeliveryStatus.parse(r.status),
    attempts: r.attempts,
    nextAttemptAt: toIsoOrNull(r.next_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: toIsoOrNull(r.delivered_at),
    replayOf: r.replay_of,
    createdAt: toIso(r.created_at),
    attemptLog: (byDelivery.get(r.id) ?? []).map((a) => ({
      attempt: a.attempt,
      at: toIso(a.at),
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
    })),
  }));
}
