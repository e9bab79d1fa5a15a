import type { ServiceContext } from '../context.ts';
import type { PartnerCaller } from '../auth/partner.ts';
import { unauthenticated } from '../errors.ts';
import { webhookDeliveryOperations as deliveryOps } from '../../../shared/src/contract/open-banking-admin.ts';
import { webhookSubscriptionOperations as subscriptionOps } from '../../../shared/src/contract/webhooks.ts';
import { replayWebhookDelivery, webhookSubscriptionCommands } from './commands.ts';
import { listWebhookDeliveries, listWebhookSubscriptions } from './queries.ts';

/** The router sets the partner for access 'partner'; a handler without one is a wiring error, answered as 401. */
function partnerOf(partner: PartnerCaller | null): PartnerCaller {
  if (!partner) throw unauthenticated('an Open Banking app token is required');
  return partner;
}

/**
 * /open-banking/v1/webhooks (the app's own subscriptions, client-credentials token) and
 * /api/v1/webhook-deliveries (the bank's delivery log and replay), built from the contract
 * (ARCHITECTURE.md rule 2).
 */
export function registerWebhookRoutes(ctx: ServiceContext): void {
  const { operations, db, bus } = ctx;
  const commands = webhookSubscriptionCommands(ctx.secrets);
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(subscriptionOps.list, ({ partner }) => listWebhookSubscriptions(db.kysely, partnerOf(partner)));
  operations.implement(subscriptionOps.create, ({ body, partner, principal, request }) =>
    bus.execute(commands.create, { ...body, appId: partnerOf(partner).appId }, principal.actor, meta(request)),
  );
  operations.implement(subscriptionOps.remove, async ({ params, partner, principal, request }) => {
    await bus.execute(commands.remove, { id: params.id, appId: partnerOf(partner).appId }, principal.actor, meta(request));
  });
  operations.implement(subscriptionOps.test, ({ params, partner, principal, request }) =>
    bus.execute(commands.test, { id: params.id, appId: partnerOf(partner).appId }, principal.actor, meta(request)),
  );
  operations.implement(deliveryOps.list, ({ query, scope }) => listWebhookDeliveries(db.kysely, query, scope));
  operations.implement(deliveryOps.replay, ({ params, principal, request }) =>
    bus.execute(replayWebhookDelivery, { id: params.id }, principal.actor, meta(request)),
  );
}
