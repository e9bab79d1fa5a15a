import { z } from 'zod';
import { pageOf, PageQuery } from './api.ts';
import { httpsOrLoopbackUrl } from './open-banking.ts';
import { NoteText, PlainText } from './text.ts';
import { TenantId } from './tenants.ts';

/**
 * Alerting (issue 15, seed 003 "Real-time Monitoring and Alerting"): pattern detectors raise
 * alerts with their evidence; alert rules route them by pattern, severity and tenant to channels
 * (email, SMS, signed webhook, Slack, Teams) with deduplication, throttling, quiet hours and
 * escalation; analysts work them in the alerts inbox.
 */

export const AlertSeverity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;
export const SEVERITY_RANK: Record<AlertSeverity, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** Seed 003's pattern families, each split into what a detector can decide on its own. */
export const AlertPattern = z.enum([
  /** A burst of HIGH/CRITICAL assessments for one customer, merchant (creditor account), channel or tenant. */
  'HIGH_RISK_BURST',
  /** The bank's fraud engine failing: error or timeout rate over a window, or its circuit breaker open. */
  'ENGINE_FAILURE',
  /** Unusual transactions: anomaly scores at or above a level. */
  'UNUSUAL_TRANSACTION',
  /** Many payments, or much value, by one customer in a short window. */
  'VELOCITY',
  /** Payments of one customer from places too far apart for the time between them. */
  'GEO_IMPOSSIBLE_TRAVEL',
  /** One device used by many customers. */
  'DEVICE_SHARED',
  /** One customer on many new devices. */
  'DEVICE_CHURN',
  /** New device, then changed contact details, then a large transfer to a new payee. */
  'ACCOUNT_TAKEOVER',
  /** Several payments just below the reporting threshold within a window (money laundering). */
  'STRUCTURING',
  /** Many payers into one account (a mule collecting). */
  'FAN_IN',
  /** One account paying out to many payees. */
  'FAN_OUT',
  /** Money in and out of one account again within a short time. */
  'RAPID_IN_OUT',
  /** A payment at or above a configuration's alert level (the per-configuration alert settings). */
  'RISKY_PAYMENT',
]);
export type AlertPattern = z.infer<typeof AlertPattern>;

/** The family each pattern belongs to in seed 003's list (filters and the rule editor group by it). */
export const PATTERN_FAMILY: Record<AlertPattern, string> = {
  HIGH_RISK_BURST: 'High- and critical-risk patterns',
  ENGINE_FAILURE: 'Bank fraud-API failure patterns',
  UNUSUAL_TRANSACTION: 'Unusual transaction patterns',
  VELOCITY: 'Velocity patterns',
  GEO_IMPOSSIBLE_TRAVEL: 'Geographic anomalies',
  DEVICE_SHARED: 'Device fingerprint anomalies',
  DEVICE_CHURN: 'Device fingerprint anomalies',
  ACCOUNT_TAKEOVER: 'Account takeover',
  STRUCTURING: 'Money laundering patterns',
  FAN_IN: 'Money laundering patterns',
  FAN_OUT: 'Money laundering patterns',
  RAPID_IN_OUT: 'Money laundering patterns',
  RISKY_PAYMENT: 'High- and critical-risk patterns',
};

export const AlertEntityType = z.enum(['CUSTOMER', 'ACCOUNT', 'DEVICE', 'CHANNEL', 'TENANT', 'ENGINE', 'PAYMENT']);
export type AlertEntityType = z.infer<typeof AlertEntityType>;

export const AlertStatus = z.enum(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const AlertResolution = z.enum(['CONFIRMED_FRAUD', 'SUSPICIOUS_REPORTED', 'FALSE_POSITIVE', 'DUPLICATE', 'EXPECTED_BEHAVIOUR']);
export type AlertResolution = z.infer<typeof AlertResolution>;

/** What a detector saw: the payments, customers and rules behind the alert, and its figures. */
export const AlertEvidence = z.object({
  payments: z
    .array(
      z.object({
        assessmentId: z.uuid(),
        transactionReference: z.string(),
        customerRef: z.string(),
        amountKes: z.number(),
        occurredAt: z.iso.datetime(),
        channel: z.string(),
        country: z.string().nullable(),
        debtorAccount: z.string().nullable(),
        creditorAccount: z.string().nullable(),
        deviceId: z.string().nullable(),
        riskLevel: z.string().nullable(),
        caseId: z.uuid().nullable(),
      }),
    )
    .max(200),
  customers: z.array(z.string()).max(200),
  /** Scoring rules that fired on the payments (rule id → how many payments). */
  rules: z.array(z.object({ ruleId: z.string(), hits: z.number().int() })).max(200),
  /** The detector's own figures, e.g. { count: 5, windowMinutes: 60, thresholdKes: 1000000 }. */
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  /** One sentence per finding, in the order the detector reasoned. */
  explanation: z.array(z.string()).max(50),
});
export type AlertEvidence = z.infer<typeof AlertEvidence>;

export const Alert = z.object({
  id: z.uuid(),
  /** ALT-000123 */
  reference: z.string(),
  tenantId: z.string(),
  pattern: AlertPattern,
  severity: AlertSeverity,
  title: z.string(),
  entityType: AlertEntityType,
  entityId: z.string(),
  status: AlertStatus,
  /** How many times the detector found it again inside the rule's dedup window (1 = once). */
  occurrences: z.number().int().positive(),
  /** The time of the newest payment or measurement behind it (payment time, not the clock). */
  detectedAt: z.iso.datetime(),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.iso.datetime().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  resolution: AlertResolution.nullable(),
  resolutionNote: z.string().nullable(),
  caseId: z.uuid().nullable(),
  caseReference: z.string().nullable(),
  /** 0 = first level; raised each time it went unacknowledged past a rule's escalation time. */
  escalationLevel: z.number().int().nonnegative(),
  nextEscalationAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Alert = z.infer<typeof Alert>;

/** What routing did with an alert for one rule and channel (the alert's delivery story). */
export const AlertRouteOutcome = z.enum(['QUEUED', 'SUPPRESSED_DUPLICATE', 'THROTTLED', 'HELD_QUIET_HOURS', 'RELEASED', 'ESCALATED', 'NOTIFIED_IN_APP']);
export const AlertRoute = z.object({
  id: z.uuid(),
  ruleId: z.uuid().nullable(),
  ruleName: z.string().nullable(),
  channelId: z.uuid().nullable(),
  channelName: z.string().nullable(),
  channelKind: z.string().nullable(),
  level: z.number().int().nonnegative(),
  outcome: AlertRouteOutcome,
  detail: z.string().nullable(),
  holdUntil: z.iso.datetime().nullable(),
  deliveryId: z.uuid().nullable(),
  deliveryStatus: z.string().nullable(),
  deliveryAttempts: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type AlertRoute = z.infer<typeof AlertRoute>;

export const AlertDetail = Alert.extend({ evidence: AlertEvidence, routes: z.array(AlertRoute) });
export type AlertDetail = z.infer<typeof AlertDetail>;

/** A search date: a whole ISO date or an instant; a half-typed date is a field error. */
const DateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (YYYY-MM-DD) or an ISO date-time' });

export const AlertListQuery = PageQuery.extend({
  status: z.enum(['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'UNRESOLVED']).optional(),
  severity: AlertSeverity.optional(),
  pattern: AlertPattern.optional(),
  tenantId: TenantId.optional(),
  /** A user id, or "me" / "none". */
  assignee: z.union([z.uuid(), z.enum(['me', 'none'])]).optional(),
  /** Reference, entity id or title words. */
  q: PlainText(200).optional(),
  from: DateOrInstant.optional(),
  to: DateOrInstant.optional(),
});
export type AlertListQuery = z.input<typeof AlertListQuery>;
export const AlertPage = pageOf(Alert).extend({
  /** Unresolved alerts per severity in the caller's tenants (the inbox's header chips). */
  openBySeverity: z.record(AlertSeverity, z.number().int()),
});
export type AlertPage = z.infer<typeof AlertPage>;

export const AcknowledgeAlertRequest = z.object({ version: z.number().int().positive(), note: NoteText(2000).optional() });
export const AssignAlertRequest = z.object({ version: z.number().int().positive(), assigneeId: z.uuid().nullable() });
export const ResolveAlertRequest = z.object({
  version: z.number().int().positive(),
  resolution: AlertResolution,
  reason: NoteText(2000).min(3, 'say why, in a few words'),
});
/** Opens a case for the alert's payments, or links the case they already have. */
export const AlertCaseRequest = z.object({ version: z.number().int().positive(), note: NoteText(2000).optional() });
export const AlertCaseResult = z.object({ alert: Alert, caseId: z.uuid(), caseReference: z.string(), created: z.boolean() });
export type AlertCaseResult = z.infer<typeof AlertCaseResult>;

// ---------------------------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------------------------

export const AlertChannelKind = z.enum(['EMAIL', 'SMS', 'WEBHOOK', 'SLACK', 'TEAMS']);
export type AlertChannelKind = z.infer<typeof AlertChannelKind>;

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM, e.g. 22:00');
/** Non-critical deliveries wait until the end of quiet hours (Nairobi time); CRITICAL is never held unless said. */
export const QuietHours = z
  .object({ start: HhMm, end: HhMm, holdCritical: z.boolean().default(false) })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] });
export type QuietHours = z.infer<typeof QuietHours>;

const Email = z.email('an email address').max(320);
/** E.164, e.g. +254712345678. */
const PhoneNumber = z.string().regex(/^\+[1-9]\d{7,14}$/, 'a phone number in international form, e.g. +254712345678');

/** What each kind needs besides its secret. Secrets are write-only (see AlertChannelSecrets). */
export const EmailChannelSettings = z.object({
  kind: z.literal('EMAIL'),
  host: PlainText(253).min(1),
  port: z.number().int().min(1).max(65_535),
  /** 'tls' = implicit TLS (465); 'starttls' = upgrade required; 'none' only on loopback relays. */
  security: z.enum(['tls', 'starttls', 'none']),
  username: PlainText(200).nullable().default(null),
  from: Email,
  to: z.array(Email).min(1, 'at least one recipient').max(50),
});
export const SmsChannelSettings = z.object({
  kind: z.literal('SMS'),
  /** The gateway's send endpoint (Africa's Talking style: form POST of username, to, message, from). */
  url: httpsOrLoopbackUrl(),
  username: PlainText(200).min(1),
  senderId: PlainText(11).nullable().default(null),
  to: z.array(PhoneNumber).min(1, 'at least one phone number').max(50),
});
export const WebhookChannelSettings = z.object({ kind: z.literal('WEBHOOK'), url: httpsOrLoopbackUrl() });
/** Slack and Teams incoming webhooks: the URL itself is the secret, so it is stored sealed. */
export const SlackChannelSettings = z.object({ kind: z.literal('SLACK') });
export const TeamsChannelSettings = z.object({ kind: z.literal('TEAMS') });
export const AlertChannelSettings = z.discriminatedUnion('kind', [
  EmailChannelSettings,
  SmsChannelSettings,
  WebhookChannelSettings,
  SlackChannelSettings,
  TeamsChannelSettings,
]);
export type AlertChannelSettings = z.infer<typeof AlertChannelSettings>;

/**
 * Write-only secrets: EMAIL password, SMS apiKey, SLACK/TEAMS incoming-webhook URL. A WEBHOOK
 * channel's whsec_ signing secret is generated and answered once. On update, an absent secret
 * keeps the stored one.
 */
export const AlertChannelSecrets = z.object({
  password: z.string().min(1).max(500).optional(),
  apiKey: z.string().min(1).max(500).optional(),
  incomingWebhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
export type AlertChannelSecrets = z.infer<typeof AlertChannelSecrets>;

export const AlertChannelBody = z.object({
  name: PlainText(100).min(1),
  /** The tenant whose alerts it may carry, or "*" for every tenant. */
  tenantId: z.union([z.literal('*'), TenantId]),
  settings: AlertChannelSettings,
  secrets: AlertChannelSecrets.default({}),
  quietHours: QuietHours.nullable().default(null),
  /** At most this many deliveries per rolling hour; more are THROTTLED (null = no limit). */
  maxPerHour: z.number().int().min(1).max(10_000).nullable().default(null),
  enabled: z.boolean(),
});
export type AlertChannelBody = z.input<typeof AlertChannelBody>;
export const UpdateAlertChannelRequest = AlertChannelBody.extend({ version: z.number().int().positive() });

export const AlertChannel = z.object({
  id: z.uuid(),
  name: z.string(),
  tenantId: z.string(),
  kind: AlertChannelKind,
  settings: AlertChannelSettings,
  /** Which secrets are stored (never their values), e.g. { apiKey: true }. */
  secretsSet: z.record(z.string(), z.boolean()),
  /** A hint of the stored secret (last 4 characters / the webhook host), never the secret. */
  secretHint: z.string().nullable(),
  quietHours: QuietHours.nullable(),
  maxPerHour: z.number().int().nullable(),
  enabled: z.boolean(),
  /** Deliveries in the last 24 hours by state. */
  recent: z.object({ delivered: z.number().int(), failed: z.number().int(), dead: z.number().int(), pending: z.number().int() }),
  lastDeliveredAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type AlertChannel = z.infer<typeof AlertChannel>;
export const AlertChannelSaved = AlertChannel.extend({
  /** WEBHOOK only, at creation: the whsec_ secret receivers verify signatures with. Shown once. */
  signingSecret: z.string().startsWith('whsec_').nullable(),
});
export type AlertChannelSaved = z.infer<typeof AlertChannelSaved>;

export const AlertChannelTestResult = z.object({ deliveryId: z.uuid(), messageId: z.string() });
export type AlertChannelTestResult = z.infer<typeof AlertChannelTestResult>;

export const AlertDeliveryQuery = PageQuery.extend({ status: z.enum(['PENDING', 'DELIVERED', 'FAILED', 'DEAD']).optional() });
export const AlertDelivery = z.object({
  id: z.uuid(),
  messageId: z.string(),
  eventType: z.string(),
  alertId: z.uuid().nullable(),
  alertReference: z.string().nullable(),
  status: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  attemptLog: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.iso.datetime(),
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
  ),
});
export type AlertDelivery = z.infer<typeof AlertDelivery>;
export const AlertDeliveryPage = pageOf(AlertDelivery);

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

export const EscalationStep = z.object({
  /** Unacknowledged this long after the previous level → this level. */
  afterMinutes: z.number().int().min(1).max(10_080),
  channelIds: z.array(z.uuid()).max(20).default([]),
  /** People with these roles in the alert's tenant are notified in-app (and on the desktop). */
  notifyRoles: z
    .array(z.enum(['FRAUD_ANALYST', 'COMPLIANCE_OFFICER', 'RISK_OFFICER', 'RISK_MANAGER']))
    .max(4)
    .default([]),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const AlertRuleBody = z.object({
  name: PlainText(100).min(1),
  /** Empty = every pattern. */
  patterns: z.array(AlertPattern).max(AlertPattern.options.length).default([]),
  minSeverity: AlertSeverity,
  /** Empty = every tenant the rule's author may see. */
  tenantIds: z.array(TenantId).max(100).default([]),
  channelIds: z.array(z.uuid()).max(20).default([]),
  /** The same pattern and entity again within this window adds an occurrence instead of a new alert and message. */
  dedupWindowMinutes: z.number().int().min(0).max(10_080).default(60),
  /** Roles notified in-app and on the desktop at the first level (empty = nobody in-app). */
  notifyRoles: z
    .array(z.enum(['FRAUD_ANALYST', 'COMPLIANCE_OFFICER', 'RISK_OFFICER', 'RISK_MANAGER']))
    .max(4)
    .default([]),
  escalation: z.array(EscalationStep).max(5).default([]),
  enabled: z.boolean().default(true),
});
export type AlertRuleBody = z.input<typeof AlertRuleBody>;
export const UpdateAlertRuleRequest = AlertRuleBody.extend({ version: z.number().int().positive() });

export const AlertRule = z.object({
  id: z.uuid(),
  name: z.string(),
  patterns: z.array(AlertPattern),
  minSeverity: AlertSeverity,
  tenantIds: z.array(z.string()),
  channelIds: z.array(z.uuid()),
  dedupWindowMinutes: z.number().int(),
  notifyRoles: z.array(z.string()),
  escalation: z.array(EscalationStep),
  enabled: z.boolean(),
  /** Set when the rule is a configuration's alert settings (seed 003 alerting_config), kept in step with it. */
  sourceConfigurationId: z.uuid().nullable(),
  sourceConfigurationName: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type AlertRule = z.infer<typeof AlertRule>;

// ---------------------------------------------------------------------------------------------
// Detector thresholds (data per tenant, backtestable like rules)
// ---------------------------------------------------------------------------------------------

const Minutes = z.number().int().min(1).max(43_200);
const Count = z.number().int().min(1).max(100_000);
const Kes = z.number().min(0).max(1e13);

/** Each pattern's thresholds; detectors read them as of the payment's time. */
export const PatternThresholds = z.discriminatedUnion('pattern', [
  z.object({
    pattern: z.literal('HIGH_RISK_BURST'),
    windowMinutes: Minutes,
    minCount: Count,
    groupBy: z.array(z.enum(['CUSTOMER', 'ACCOUNT', 'CHANNEL', 'TENANT'])).min(1),
    severity: AlertSeverity,
  }),
  z.object({ pattern: z.literal('ENGINE_FAILURE'), windowMinutes: Minutes, minCalls: Count, maxErrorRate: z.number().min(0).max(1), severity: AlertSeverity }),
  z.object({ pattern: z.literal('UNUSUAL_TRANSACTION'), minAnomalyScore: z.number().min(0).max(100), severity: AlertSeverity }),
  z.object({ pattern: z.literal('VELOCITY'), windowMinutes: Minutes, maxCount: Count, maxValueKes: Kes, severity: AlertSeverity }),
  z.object({
    pattern: z.literal('GEO_IMPOSSIBLE_TRAVEL'),
    maxSpeedKmh: z.number().min(10).max(5000),
    minDistanceKm: z.number().min(0).max(20_000),
    lookbackHours: z.number().int().min(1).max(720),
    severity: AlertSeverity,
  }),
  z.object({ pattern: z.literal('DEVICE_SHARED'), windowHours: z.number().int().min(1).max(720), minCustomers: Count, severity: AlertSeverity }),
  z.object({ pattern: z.literal('DEVICE_CHURN'), windowHours: z.number().int().min(1).max(720), minNewDevices: Count, severity: AlertSeverity }),
  z.object({ pattern: z.literal('ACCOUNT_TAKEOVER'), windowHours: z.number().int().min(1).max(720), minTransferKes: Kes, severity: AlertSeverity }),
  z.object({
    pattern: z.literal('STRUCTURING'),
    reportingThresholdKes: Kes,
    bandPercent: z.number().min(1).max(50),
    windowHours: z.number().int().min(1).max(720),
    minCount: Count,
    severity: AlertSeverity,
  }),
  z.object({ pattern: z.literal('FAN_IN'), windowHours: z.number().int().min(1).max(720), minPayers: Count, severity: AlertSeverity }),
  z.object({ pattern: z.literal('FAN_OUT'), windowHours: z.number().int().min(1).max(720), minPayees: Count, severity: AlertSeverity }),
  z.object({ pattern: z.literal('RAPID_IN_OUT'), windowMinutes: Minutes, minInKes: Kes, minOutShare: z.number().min(0.1).max(1), severity: AlertSeverity }),
  z.object({ pattern: z.literal('RISKY_PAYMENT') }),
]);
export type PatternThresholds = z.infer<typeof PatternThresholds>;

export const AlertThresholdSet = z.object({
  /** A tenant id, or "*" for the bank's defaults. */
  tenantId: z.union([z.literal('*'), TenantId]),
  pattern: AlertPattern,
  enabled: z.boolean(),
  thresholds: PatternThresholds,
  /** True when no row is stored and these are the product's defaults. */
  isDefault: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
  version: z.number().int().nonnegative(),
});
export type AlertThresholdSet = z.infer<typeof AlertThresholdSet>;
export const AlertThresholdQuery = z.object({ tenantId: z.union([z.literal('*'), TenantId]).default('*') });
export const UpdateAlertThresholdRequest = z
  .object({
    tenantId: z.union([z.literal('*'), TenantId]),
    enabled: z.boolean(),
    thresholds: PatternThresholds,
    /** 0 when none is stored yet. */
    version: z.number().int().nonnegative(),
  })
  .strict();

export const AlertBacktestRequest = z.object({
  tenantId: TenantId,
  thresholds: PatternThresholds,
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export const AlertBacktestResult = z.object({
  pattern: AlertPattern,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  paymentsReplayed: z.number().int(),
  /** Alerts the thresholds would have raised (after deduplication by entity within the window). */
  alerts: z.number().int(),
  /** Of those, how many involve a payment whose case was closed as confirmed fraud / as a false positive. */
  confirmedFraud: z.number().int(),
  falsePositive: z.number().int(),
  /** Same figures with the thresholds in force now, for comparison. */
  current: z.object({ alerts: z.number().int(), confirmedFraud: z.number().int(), falsePositive: z.number().int() }),
  byDay: z.array(z.object({ day: z.iso.date(), alerts: z.number().int(), current: z.number().int() })),
  samples: z.array(z.object({ entityId: z.string(), detectedAt: z.iso.datetime(), severity: AlertSeverity, explanation: z.string() })).max(20),
});
export type AlertBacktestResult = z.infer<typeof AlertBacktestResult>;

/** Core banking tells us a customer's contact details changed (an account-takeover signal). */
export const CustomerContactChangeRequest = z.object({
  tenantId: TenantId,
  field: z.enum(['PHONE', 'EMAIL', 'ADDRESS', 'PIN_RESET', 'SIM_SWAP']),
  changedAt: z.iso.datetime({ offset: true }),
  channel: PlainText(50).optional(),
});
export const CustomerContactChange = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  customerRef: z.string(),
  field: z.string(),
  changedAt: z.iso.datetime(),
  channel: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type CustomerContactChange = z.infer<typeof CustomerContactChange>;
