// Consent register calls through the typed contract client (ARCHITECTURE.md rule 2): the list,
// review queue and detail are answered from the synced cache on a workstation; the access log and
// webhook deliveries only by the hub (a workstation offline answers 503 HUB_UNAVAILABLE).
import type { z } from 'zod';
import { consentOperations, webhookDeliveryOperations } from '../../../shared/src/contract/open-banking-admin.ts';
import type { ConsentAccessQuery, ConsentListQuery, ConsentReviewQuery, RevokeConsentRequest, WebhookDeliveryQuery } from '../../../shared/src/open-banking.ts';
import { callApi } from '../api/contract-client.ts';

export const fetchConsents = (query: ConsentListQuery, signal?: AbortSignal) => callApi(consentOperations.list, { query }, { signal });
export const fetchConsentReview = (query: z.input<typeof ConsentReviewQuery>, signal?: AbortSignal) => callApi(consentOperations.review, { query }, { signal });
export const fetchConsent = (id: string, signal?: AbortSignal) => callApi(consentOperations.get, { params: { id } }, { signal });
export const revokeConsent = (id: string, body: RevokeConsentRequest) => callApi(consentOperations.revoke, { params: { id }, body });
export const fetchConsentAccessLog = (id: string, query: z.input<typeof ConsentAccessQuery>, signal?: AbortSignal) =>
  callApi(consentOperations.accessLog, { params: { id }, query }, { signal });
export const fetchWebhookDeliveries = (query: z.input<typeof WebhookDeliveryQuery>, signal?: AbortSignal) =>
  callApi(webhookDeliveryOperations.list, { query }, { signal });
export const replayWebhookDelivery = (id: string) => callApi(webhookDeliveryOperations.replay, { params: { id } });
