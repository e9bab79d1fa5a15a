import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { fromJson, toJson } from '../db/database.ts';
import { lockForUpdate } from '../db/dialect.ts';
import type { Insertable } from 'kysely';
import type { WebhookSubscriptionRow, WebhookSubscriptionsTable } from '../db/schema-open-banking.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { CreateWebhookSubscriptionRequest, WEBHOOK_TEST_EVENT, type WebhookSubscriptionCreated } from '../../../shared/src/contract/webhooks.ts';
import type { WebhookDeliveryView } from '../../../shared/src/open-banking.ts';
import { freshDeliveryState, messageIdFor, noteWebhooksWritten, writeDeliveriesWithin } from './enqueue.ts';
import { toDeliveryViews, toSubscriptionView, WEBHOOK_DELIVERY_ENTITY, WEBHOOK_SUBSCRIPTION_ENTITY } from './mapping.ts';

/** More would only multiply deliveries; an app that needs more receivers can fan out itself. */
export const MAX_SUBSCRIPTIONS_PER_APP = 10;

/**
 * The app a partner command acts for: the actor must be that app (its client-credentials token
 * made the actor `app:<id>`, auth/partner.ts), and the app must be ACTIVE in a tenant it acts for.
 */
async function callingApp(ctx: CommandContext, appId: string) {
  if (ctx.actor.id !== `app:${appId}`) throw forbidden('an app manages only its own webhooks');
  const app = await ctx.trx
    .selectFrom('ob_apps')
    .select(['id', 'tenant_id', 'status'])
    .where('id', '=', appId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!app || !new TenantScope(ctx.actor.tenants).allows(app.tenant_id)) throw notFound('app');
  if (app.status !== 'ACTIVE') throw forbidden('the app is suspended');
  return app;
}

/** One of the app's live subscriptions (another app's is 404), locked for the change. */
async function ownSubscription(ctx: CommandContext, appId: string, id: string): Promise<WebhookSubscriptionRow> {
  const row = await lockForUpdate(
    ctx.dialect,
    ctx.trx
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', id)
      .where('owner_kind', '=', 'OB_APP')
      .where('owner_id', '=', appId)
      .where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (!row) throw notFound('webhook subscription');
  return row;
}

/** A Standard Webhooks signing secret: whsec_ and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A new live subscription row: a partner's own, or the one an alert channel owns. */
export function newSubscriptionRow(
  ctx: CommandContext,
  fields: Pick<Insertable<WebhookSubscriptionsTable>, 'id' | 'tenant_id' | 'owner_kind' | 'owner_id' | 'url' | 'events' | 'secret_sealed'>,
): Insertable<WebhookSubscriptionsTable> & WebhookSubscriptionRow {
  const now = ctx.now.toISOString();
  return { ...fields, status: 'ACTIVE', created_by: ctx.actor.id, created_at: now, updated_at: now, version: 1, deleted_at: null };
}

/**
 * Ends a subscription (a partner's, or the one an alert channel owns): DISABLED, and what still
 * waits for a retry is not sent (DEAD, with the reason).
 */
export async function endSubscriptionWithin(ctx: CommandContext, subscriptionId: string, reason: string): Promise<void> {
  const now = ctx.now.toISOString();
  await ctx.trx
    .updateTable('webhook_subscriptions')
    .set((eb) => ({ status: 'DISABLED', deleted_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', subscriptionId)
    .execute();
  await ctx.trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'DEAD', next_attempt_at: null, last_error: reason, version: eb('version', '+', 1) }))
    .where('subscription_id', '=', subscriptionId)
    .where('status', 'in', ['PENDING', 'FAILED'])
    .execute();
}

/**
 * Partner webhook subscription commands (issue 14, seed 002 §4.4). A factory: creating one seals
 * the signing secret with the service's SecretBox (ARCHITECTURE.md rule 6; answered once).
 */
export function webhookSubscriptionCommands(box: SecretBox) {
  const create = defineCommand({
    name: 'webhookSubscription.create',
    input: CreateWebhookSubscriptionRequest.safeExtend({ appId: z.uuid() }),
    permission: 'openbanking:partner',
    async apply(ctx, input): Promise<WebhookSubscriptionCreated> {
      const app = await callingApp(ctx, input.appId);
      const live = await ctx.trx
        .selectFrom('webhook_subscriptions')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('owner_kind', '=', 'OB_APP')
        .where('owner_id', '=', app.id)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(live.n) >= MAX_SUBSCRIPTIONS_PER_APP)
        throw conflict(`an app has at most ${MAX_SUBSCRIPTIONS_PER_APP} webhook subscriptions: delete one first`);
      const secret = newSigningSecret();
      const row = newSubscriptionRow(ctx, {
        id: ctx.newId(),
        tenant_id: app.tenant_id,
        owner_kind: 'OB_APP',
        owner_id: app.id,
        url: input.url,
        events: toJson(input.events),
        secret_sealed: box.seal(secret),
      });
      await ctx.trx.insertInto('webhook_subscriptions').values(row).execute();
      const view = toSubscriptionView(row);
      ctx.audit({ entityType: WEBHOOK_SUBSCRIPTION_ENTITY, entityId: row.id, before: null, after: { ...view }, tenantId: app.tenant_id });
      return { ...view, secret };
    },
  });

  /** Ends a subscription; what still waits for a retry is not sent (DEAD, with the reason). */
  const remove = defineCommand({
    name: 'webhookSubscription.delete',
    input: z.object({ appId: z.uuid(), id: z.uuid() }),
    permission: 'openbanking:partner',
    async apply(ctx, input): Promise<void> {
      const app = await callingApp(ctx, input.appId);
      const row = await ownSubscription(ctx, app.id, input.id);
      await endSubscriptionWithin(ctx, row.id, 'the subscription was deleted');
      ctx.audit({ entityType: WEBHOOK_SUBSCRIPTION_ENTITY, entityId: row.id, before: { ...toSubscriptionView(row) }, after: null, tenantId: row.tenant_id });
    },
  });

  /** Queues a signed webhook.test delivery to one subscription, whatever events it listens to. */
  const test = defineCommand({
    name: 'webhookSubscription.test',
    input: z.object({ appId: z.uuid(), id: z.uuid() }),
    permission: 'openbanking:partner',
    async apply(ctx, input): Promise<{ messageId: string; deliveryId: string }> {
      const app = await callingApp(ctx, input.appId);
      const row = await ownSubscription(ctx, app.id, input.id);
      const [delivery] = await writeDeliveriesWithin(ctx, [row.id], {
        tenantId: row.tenant_id,
        ownerKind: 'OB_APP',
        ownerId: app.id,
        eventType: WEBHOOK_TEST_EVENT,
        entityType: WEBHOOK_SUBSCRIPTION_ENTITY,
        entityId: row.id,
        data: { subscriptionId: row.id, message: 'A test delivery: verify its signature with your whsec_ secret.' },
      });
      ctx.audit({
        entityType: WEBHOOK_DELIVERY_ENTITY,
        entityId: delivery!.id,
        before: null,
        after: { test: true, subscriptionId: row.id },
        tenantId: row.tenant_id,
      });
      return { messageId: delivery!.message_id, deliveryId: delivery!.id };
    },
  });

  return { create, remove, test };
}

/**
 * Sends a delivery again as a new delivery with its own attempt log, keeping its webhook-id and
 * body so that receivers can deduplicate (Standard Webhooks). One still being retried is refused:
 * it is already on its way.
 */
export const replayWebhookDelivery = defineCommand({
  name: 'webhookDelivery.replay',
  input: z.object({ id: z.uuid() }),
  permission: 'openbanking:manage',
  async apply(ctx, input): Promise<WebhookDeliveryView> {
    // Open Banking deliveries only (an alert channel's log is under alert:configure).
    const original = await ctx.trx
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', input.id)
      .where('owner_kind', '=', 'OB_APP')
      .executeTakeFirst();
    if (!original || !new TenantScope(ctx.actor.tenants).allows(original.tenant_id)) throw notFound('webhook delivery');
    if (original.status === 'PENDING' || original.status === 'FAILED') {
      throw conflict('this delivery is still being retried: wait for it to be delivered or dead before sending it again');
    }
    const subscription = await ctx.trx
      .selectFrom('webhook_subscriptions')
      .select(['status', 'deleted_at'])
      .where('id', '=', original.subscription_id)
      .executeTakeFirst();
    if (!subscription || subscription.deleted_at !== null || subscription.status !== 'ACTIVE') {
      throw conflict('the subscription of this delivery has ended: there is nowhere to send it');
    }
    const now = ctx.now.toISOString();
    const row = {
      ...original,
      id: ctx.newId(),
      payload: toJson(fromJson(original.payload)),
      ...freshDeliveryState(now),
      replay_of: original.replay_of ?? original.id,
    };
    await ctx.trx.insertInto('webhook_deliveries').values(row).execute();
    noteWebhooksWritten();
    const [view] = await toDeliveryViews(ctx.trx, [row]);
    ctx.audit({
      entityType: WEBHOOK_DELIVERY_ENTITY,
      entityId: row.id,
      before: null,
      after: { replayOf: row.replay_of, messageId: row.message_id, eventType: row.event_type, subscriptionId: row.subscription_id },
      tenantId: row.tenant_id,
    });
    return view!;
  },
});

export { messageIdFor };
