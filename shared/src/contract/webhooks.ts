import { z } from 'zod';
import { httpsOrLoopbackUrl, WebhookEventType, WebhookSubscriptionView } from '../open-banking.ts';
import { defineOperation, UuidParams } from './operation.ts';

/**
 * Webhook subscriptions of an Open Banking app (issue 14, seed 002 §4.4), managed by the app itself
 * with a client-credentials token. Deliveries are signed with the Standard Webhooks scheme
 * (headers webhook-id, webhook-timestamp, webhook-signature); the signing secret is answered once.
 */

/** Where deliveries go: https, or http on loopback only (a receiver on the same machine, tests). */
export const WebhookUrl = httpsOrLoopbackUrl();

export const CreateWebhookSubscriptionRequest = z.object({
  url: WebhookUrl,
  events: z
    .array(WebhookEventType)
    .min(1, 'choose at least one event')
    .max(WebhookEventType.options.length)
    .refine((events) => new Set(events).size === events.length, 'each event once'),
});
export type CreateWebhookSubscriptionRequest = z.input<typeof CreateWebhookSubscriptionRequest>;

export const WebhookSubscriptionCreated = WebhookSubscriptionView.extend({
  /** The whsec_ signing secret for Standard Webhooks verification. Shown once: store it now. */
  secret: z.string().startsWith('whsec_'),
});
export type WebhookSubscriptionCreated = z.infer<typeof WebhookSubscriptionCreated>;

/** The test event a partner can ask for, to check its receiver verifies our signatures. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WebhookTestSent = z.object({
  /** The webhook-id of the delivery that was queued. */
  messageId: z.string(),
  deliveryId: z.uuid(),
});

export const webhookSubscriptionOperations = {
  list: defineOperation({
    name: 'webhookSubscription.list',
    kind: 'query',
    method: 'GET',
    path: '/open-banking/v1/webhooks',
    access: 'partner',
    tenant: 'list',
    summary: 'Your app’s webhook subscriptions (client-credentials token): URL, events, state. Never the signing secret.',
    output: z.array(WebhookSubscriptionView),
  }),
  create: defineOperation({
    name: 'webhookSubscription.create',
    kind: 'command',
    method: 'POST',
    path: '/open-banking/v1/webhooks',
    access: 'partner',
    // The tenant is the app's own (from its token), never named in the input.
    tenant: 'global',
    summary: 'Subscribe a URL to payment.completed, transaction.posted or consent.revoked; answers the whsec_ signing secret once.',
    body: CreateWebhookSubscriptionRequest,
    output: WebhookSubscriptionCreated,
    status: 201,
  }),
  remove: defineOperation({
    name: 'webhookSubscription.delete',
    kind: 'command',
    method: 'DELETE',
    path: '/open-banking/v1/webhooks/:id',
    access: 'partner',
    tenant: 'record',
    summary: 'End a subscription: nothing more is sent to it, including deliveries still waiting for a retry.',
    params: UuidParams,
    output: null,
  }),
  test: defineOperation({
    name: 'webhookSubscription.test',
    kind: 'command',
    method: 'POST',
    path: '/open-banking/v1/webhooks/:id/test',
    access: 'partner',
    tenant: 'record',
    summary: 'Queue a signed webhook.test delivery to the subscription, to check the receiver verifies it.',
    params: UuidParams,
    output: WebhookTestSent,
    status: 202,
  }),
} as const;
