import { z } from 'zod';
import { ConsentRefusal, PageQuery, pageOf } from './api.ts';
import { BoundedInstant, NoteText, PlainText } from './text.ts';
import { TenantId } from './tenants.ts';

/**
 * Consent and Open Banking (issue 14, seed 002): apps (OAuth clients), consents and their access
 * log, webhook deliveries. The partner-facing API shapes live in open-banking-api.ts.
 */

/** Seed 002's scopes (plus balances.read, which UK Open Banking separates from accounts). */
export const ObScope = z.enum(['accounts.read', 'balances.read', 'transactions.read', 'payments.write']);
export type ObScope = z.infer<typeof ObScope>;
export const OB_SCOPES = ObScope.options;
export const OB_SCOPE_LABELS: Record<ObScope, string> = {
  'accounts.read': 'See your accounts (name, number, type)',
  'balances.read': 'See your balances',
  'transactions.read': 'See your transactions',
  'payments.write': 'Make payments from your accounts',
};

/** Seed 002's consumers: external fintechs, merchants, enterprise partners; internal copilot and channels. */
export const AppKind = z.enum(['FINTECH', 'MERCHANT', 'ENTERPRISE', 'COPILOT', 'CHANNEL']);
export type AppKind = z.infer<typeof AppKind>;
export const APP_KIND_LABELS: Record<AppKind, string> = {
  FINTECH: 'Fintech app',
  MERCHANT: 'Merchant platform',
  ENTERPRISE: 'Enterprise partner',
  COPILOT: 'AI Financial Copilot (internal)',
  CHANNEL: "Bank's own channel (internal)",
};
export const AppStatus = z.enum(['ACTIVE', 'SUSPENDED']);
export type AppStatus = z.infer<typeof AppStatus>;

/**
 * An absolute https URL, or http on loopback only (native apps, a receiver on the same machine,
 * tests; RFC 8252); never a fragment. One rule for redirect URIs and webhook URLs.
 */
export const httpsOrLoopbackUrl = () =>
  z
    .string()
    .trim()
    .max(2000)
    .regex(
      /^(https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?)(\/[^\s#]*)?$/,
      'an absolute https URL without a fragment (http only on 127.0.0.1 or localhost)',
    );

/** Where the customer is sent back after consenting (the app's registered redirect URIs). */
export const RedirectUri = httpsOrLoopbackUrl();

export const ObAppView = z.object({
  id: z.uuid(),
  tenantId: TenantId,
  name: z.string(),
  kind: AppKind,
  description: z.string(),
  contactEmail: z.string().nullable(),
  clientId: z.string(),
  /** The secret's last 4 characters; the secret itself is answered once (register, rotate). */
  secretHint: z.string(),
  previousSecretExpiresAt: z.iso.datetime().nullable(),
  redirectUris: z.array(z.string()),
  allowedScopes: z.array(ObScope),
  status: AppStatus,
  statusReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  rotatedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  /** Consents now Authorised and not expired. */
  activeConsents: z.number().int().nonnegative(),
  version: z.number().int(),
});
export type ObAppView = z.infer<typeof ObAppView>;

export const ObAppWithSecret = ObAppView.extend({
  /** Shown once: store it now. */
  clientSecret: z.string(),
});
export type ObAppWithSecret = z.infer<typeof ObAppWithSecret>;

export const RegisterAppRequest = z.object({
  tenantId: TenantId,
  name: PlainText(200).min(2, 'at least 2 characters'),
  kind: AppKind,
  description: NoteText(2000).default(''),
  contactEmail: z.email().max(320).nullable().default(null),
  redirectUris: z.array(RedirectUri).max(10).default([]),
  allowedScopes: z.array(ObScope).min(1, 'choose at least one scope').max(OB_SCOPES.length),
});
export type RegisterAppRequest = z.input<typeof RegisterAppRequest>;

export const UpdateAppRequest = z.object({
  expectedVersion: z.number().int().positive(),
  name: PlainText(200).min(2, 'at least 2 characters').optional(),
  description: NoteText(2000).optional(),
  contactEmail: z.email().max(320).nullable().optional(),
  redirectUris: z.array(RedirectUri).max(10).optional(),
  allowedScopes: z.array(ObScope).min(1, 'choose at least one scope').max(OB_SCOPES.length).optional(),
});
export type UpdateAppRequest = z.input<typeof UpdateAppRequest>;

export const SuspendAppRequest = z.object({
  reason: NoteText(1000).min(3, 'say why (at least 3 characters)'),
});
export const ReinstateAppRequest = z.object({
  reason: NoteText(1000).min(3, 'say why (at least 3 characters)'),
});
export const RotateAppSecretRequest = z.object({
  /** How long the old secret keeps working (0 ends it at once; at most 7 days). */
  graceMinutes: z.number().int().min(0).max(10_080).default(1440),
});

export const AppListQuery = PageQuery.extend({
  tenantId: TenantId.optional(),
  status: AppStatus.optional(),
  kind: AppKind.optional(),
  search: PlainText(200).optional(),
});

/** Calls per day and outcome, for the usage charts. */
export const AppUsageQuery = z.object({
  from: BoundedInstant.optional(),
  to: BoundedInstant.optional(),
});
export const AppUsage = z.object({
  appId: z.uuid(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  days: z.array(
    z.object({
      day: z.iso.date(),
      allowed: z.number().int().nonnegative(),
      denied: z.number().int().nonnegative(),
      throttled: z.number().int().nonnegative(),
    }),
  ),
  byEndpoint: z.array(z.object({ endpoint: z.string(), calls: z.number().int().nonnegative() })),
  byReason: z.array(z.object({ reason: z.string(), calls: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type AppUsage = z.infer<typeof AppUsage>;

/** Berlin Group / UK Open Banking consent states (issue 14). */
export const ConsentStatus = z.enum(['AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Expired']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;
/** Why a consent left Authorised (or never reached it). */
export const ConsentStatusReason = z.enum([
  'CUSTOMER_REJECTED',
  'REVOKED_BY_CUSTOMER',
  'REVOKED_BY_BANK',
  'REVOKED_BY_APP',
  'SUPERSEDED',
  'EXPIRED',
  'AUTHORISATION_TIMEOUT',
]);
export type ConsentStatusReason = z.infer<typeof ConsentStatusReason>;

export const ConsentView = z.object({
  id: z.uuid(),
  tenantId: TenantId,
  appId: z.uuid(),
  appName: z.string(),
  appStatus: AppStatus,
  customerRef: z.string().nullable(),
  customerName: z.string().nullable(),
  permissions: z.array(ObScope),
  accounts: z.array(z.object({ id: z.uuid(), accountNumber: z.string(), name: z.string() })),
  expiresAt: z.iso.datetime().nullable(),
  transactionFrom: z.iso.datetime().nullable(),
  transactionTo: z.iso.datetime().nullable(),
  frequencyPerDay: z.number().int().positive(),
  recurring: z.boolean(),
  /** As of the answer: an Authorised consent past its expiry answers Expired (never left to a job). */
  status: ConsentStatus,
  statusReason: ConsentStatusReason.nullable(),
  statusNote: z.string().nullable(),
  statusChangedAt: z.iso.datetime(),
  statusChangedBy: z.string(),
  /** Who that is, in words: the officer's name, "the customer", the app's name, or "the service". */
  statusChangedByName: z.string(),
  createdAt: z.iso.datetime(),
  authorisedAt: z.iso.datetime().nullable(),
  /** Unattended calls counted today (bank day) against frequencyPerDay. */
  usedToday: z.number().int().nonnegative(),
  lastAccessAt: z.iso.datetime().nullable(),
  version: z.number().int(),
});
export type ConsentView = z.infer<typeof ConsentView>;

export const ConsentListQuery = PageQuery.extend({
  tenantId: TenantId.optional(),
  customer: PlainText(200).optional(),
  appId: z.uuid().optional(),
  status: ConsentStatus.optional(),
  scope: ObScope.optional(),
  expiresBefore: BoundedInstant.optional(),
  expiresAfter: BoundedInstant.optional(),
});
export type ConsentListQuery = z.input<typeof ConsentListQuery>;
export const ConsentPage = pageOf(ConsentView);

export const RevokeConsentRequest = z.object({
  reason: NoteText(1000).min(3, 'say why (at least 3 characters)'),
  expectedVersion: z.number().int().positive().optional(),
});
export type RevokeConsentRequest = z.input<typeof RevokeConsentRequest>;

/** Why a checked request was allowed or refused, in the order the checks run (issue 14). */
export const ConsentCheckReason = z.enum(['OK', ...ConsentRefusal.options]);
export type ConsentCheckReason = z.infer<typeof ConsentCheckReason>;

export const ConsentAccessEntry = z.object({
  id: z.uuid(),
  consentId: z.uuid().nullable(),
  appId: z.uuid().nullable(),
  customerRef: z.string().nullable(),
  method: z.string(),
  endpoint: z.string(),
  path: z.string(),
  decision: z.enum(['ALLOW', 'DENY']),
  reason: ConsentCheckReason,
  statusCode: z.number().int(),
  customerPresent: z.boolean(),
  at: z.iso.datetime(),
});
export type ConsentAccessEntry = z.infer<typeof ConsentAccessEntry>;
export const ConsentAccessQuery = PageQuery.extend({
  decision: z.enum(['ALLOW', 'DENY']).optional(),
});
export const ConsentAccessPage = pageOf(ConsentAccessEntry);

/** Consents a compliance officer should look at, and why. */
export const ConsentReviewReason = z.enum(['EXPIRING_SOON', 'NEAR_FREQUENCY_LIMIT', 'APP_SUSPENDED', 'REFUSED_CALLS']);
export type ConsentReviewReason = z.infer<typeof ConsentReviewReason>;
export const ConsentReviewItem = z.object({
  consent: ConsentView,
  reasons: z.array(z.object({ reason: ConsentReviewReason, detail: z.string() })),
});
export type ConsentReviewItem = z.infer<typeof ConsentReviewItem>;
export const ConsentReviewQuery = z.object({
  tenantId: TenantId.optional(),
  /** Expiring within this many days (default 7). */
  expiringWithinDays: z.coerce.number().int().min(1).max(90).default(7),
});

export const WebhookEventType = z.enum(['payment.completed', 'transaction.posted', 'consent.revoked']);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
export const WebhookDeliveryStatus = z.enum(['PENDING', 'DELIVERED', 'FAILED', 'DEAD']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookAttemptView = z.object({
  attempt: z.number().int().positive(),
  at: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
});
export const WebhookDeliveryView = z.object({
  id: z.uuid(),
  messageId: z.string(),
  subscriptionId: z.uuid(),
  url: z.string(),
  ownerKind: z.string(),
  ownerId: z.uuid(),
  eventType: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  payload: z.unknown(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  replayOf: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  attemptLog: z.array(WebhookAttemptView),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
export const WebhookDeliveryQuery = PageQuery.extend({
  appId: z.uuid().optional(),
  consentId: z.uuid().optional(),
  status: WebhookDeliveryStatus.optional(),
});
export const WebhookDeliveryPage = pageOf(WebhookDeliveryView);

export const WebhookSubscriptionView = z.object({
  id: z.uuid(),
  appId: z.uuid(),
  url: z.string(),
  events: z.array(WebhookEventType),
  status: z.enum(['ACTIVE', 'DISABLED']),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});
export type WebhookSubscriptionView = z.infer<typeof WebhookSubscriptionView>;
