import { z } from 'zod';
import { BoundedInstant, NO_CONTROL_EXCEPT_LINES, NoteText, PlainText } from './text.ts';

export { NoteText, PlainText };
import { Channel, PaymentSource } from './payments.ts';
import { Decision, RiskAssessmentType, RiskLevel, RuleFamily } from './assessments.ts';
import { isCidr } from './ip-ranges.ts';
import { PATTERN_SYNTAX_HINT, patternProblem } from './decision-engine-patterns.ts';
import { TenantId } from './tenants.ts';

/**
 * The decision engine's contracts (seed 003 fraud_risk_configurations, seed 001 risk models):
 * rules as zod-validated JSON, thresholds, decision criteria, the bank fraud-engine adapter's
 * settings, configuration versions, backtests and statistics. Shared by service and renderer.
 */

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const Weight = z.number().min(0).max(1);
const Kes = z.number().nonnegative().max(1e13);
const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone, e.g. Africa/Nairobi');
const CountryList = z.array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code')).max(250);
/**
 * A case-insensitive RE2 pattern (linear-time matching: decision-engine-patterns.ts). Whether RE2
 * compiles it is checked where a configuration is saved (ConfigurationInput), naming the rule; a
 * stored body still reads back if it holds a pattern refused later, and that rule then errors.
 */
const Pattern = z.string().min(1).max(200);
const Cidr = z
  .string()
  .max(50)
  .refine((value) => isCidr(value), 'an IPv4 or IPv6 address or CIDR range, e.g. 185.220.100.0/22');

/**
 * An optional cheap precondition: a rule whose scope does not match the payment is not evaluated
 * (it records NO_HIT "out of scope"), so a costly rule can be limited to, say, large web payments.
 */
export const RuleScope = z.object({
  channels: z.array(Channel).max(6).optional(),
  paymentTypes: z.array(z.string().min(1).max(50)).max(50).optional(),
  minAmountKes: Kes.optional(),
});
export type RuleScope = z.infer<typeof RuleScope>;

const RuleBase = z.object({
  /** Stable across versions, so backtests and statistics can follow a rule through edits. */
  id: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore'),
  name: z.string().trim().min(1).max(120),
  description: z.string().max(500).optional(),
  /** Share of the 0..1 risk score this rule adds when it fires. */
  weight: Weight,
  enabled: z.boolean().default(true),
  scope: RuleScope.optional(),
});

export const RULE_KINDS = [
  'high-amount',
  'round-amount',
  'velocity',
  'credit-velocity',
  'high-risk-country',
  'suspicious-ip',
  'off-hours',
  'weekend',
  'new-account',
  'cross-border',
  'new-device',
  'suspicious-user-agent',
  'suspicious-text',
  'merchant-block-list',
  'channel-risk',
  'anomaly',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const HighAmountRule = RuleBase.extend({
  kind: z.literal('high-amount'),
  family: z.literal('AMOUNT'),
  params: z.object({
    thresholdKes: Kes,
    /** Seed 001: more than KES 10M is high risk on its own. */
    severeThresholdKes: Kes,
    severeWeight: Weight,
  }),
});
export const RoundAmountRule = RuleBase.extend({
  kind: z.literal('round-amount'),
  family: z.literal('AMOUNT'),
  params: z.object({ minimumKes: Kes, multipleOfKes: z.number().positive().max(1e9) }),
});
export const VelocitySubject = z.enum(['ACCOUNT', 'CUSTOMER']);
export const VelocityWindow = z.enum(['DAY', 'WEEK']);
export const VelocityRule = RuleBase.extend({
  kind: z.literal('velocity'),
  family: z.literal('FREQUENCY'),
  params: z.object({
    subject: VelocitySubject,
    window: VelocityWindow,
    /** Fires when the payments in the window, this one included, exceed either limit. */
    maxCount: z.number().int().positive().max(1_000_000),
    maxSumKes: Kes,
  }),
});
/** Payments at or above this are remembered individually for the large-transaction frequency rule. */
export const LARGE_PAYMENT_FLOOR_KES = 100_000;
/** Seed 001's credit-risk model: transaction velocity and the frequency of large transactions. */
export const CreditVelocityRule = RuleBase.extend({
  kind: z.literal('credit-velocity'),
  family: z.literal('FREQUENCY'),
  params: z.object({
    window: VelocityWindow,
    largeAmountKes: z
      .number()
      .min(LARGE_PAYMENT_FLOOR_KES, `at least KES ${LARGE_PAYMENT_FLOOR_KES.toLocaleString('en-KE')} (large payments below that are not tracked)`)
      .max(1e13),
    maxLargeCount: z.number().int().positive().max(10_000),
  }),
});
export const HighRiskCountryRule = RuleBase.extend({
  kind: z.literal('high-risk-country'),
  family: z.literal('LOCATION'),
  params: z.object({ countries: CountryList, elevatedCountries: CountryList, elevatedWeight: Weight }),
});
export const SuspiciousIpRule = RuleBase.extend({
  kind: z.literal('suspicious-ip'),
  family: z.literal('LOCATION'),
  params: z.object({ ranges: z.array(Cidr).min(1).max(5000) }),
});
export const OffHoursRule = RuleBase.extend({
  kind: z.literal('off-hours'),
  family: z.literal('TIME'),
  params: z.object({
    timeZone: TimeZone,
    /** Local hour at which off-hours start (inclusive) and end (exclusive); may wrap midnight. */
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(0).max(23),
  }),
});
export const WeekendRule = RuleBase.extend({
  kind: z.literal('weekend'),
  family: z.literal('TIME'),
  /** Days as 0 = Sunday … 6 = Saturday, in the bank's time zone. */
  params: z.object({ timeZone: TimeZone, days: z.array(z.number().int().min(0).max(6)).min(1).max(7) }),
});
export const NewAccountRule = RuleBase.extend({
  kind: z.literal('new-account'),
  family: z.literal('ACCOUNT'),
  params: z.object({ maxAgeDays: z.number().int().min(1).max(3650) }),
});
export const CrossBorderRule = RuleBase.extend({
  kind: z.literal('cross-border'),
  family: z.literal('ACCOUNT'),
  params: z.object({ homeCountry: z.string().regex(/^[A-Z]{2}$/) }),
});
export const NewDeviceRule = RuleBase.extend({
  kind: z.literal('new-device'),
  family: z.literal('DEVICE'),
  /** Fires only for customers with at least this many earlier device-bearing payments (a brand-new customer's first device is not news). */
  params: z.object({ minPriorPayments: z.number().int().min(0).max(1000) }),
});
export const SuspiciousUserAgentRule = RuleBase.extend({
  kind: z.literal('suspicious-user-agent'),
  family: z.literal('DEVICE'),
  params: z.object({ patterns: z.array(Pattern).min(1).max(200), flagMissing: z.boolean() }),
});
export const SuspiciousTextRule = RuleBase.extend({
  kind: z.literal('suspicious-text'),
  family: z.literal('PATTERN'),
  params: z.object({
    fields: z.array(z.enum(['transactionReference', 'description'])).min(1),
    patterns: z.array(Pattern).min(1).max(200),
  }),
});
export const MerchantBlockListRule = RuleBase.extend({
  kind: z.literal('merchant-block-list'),
  family: z.literal('MERCHANT'),
  /** Creditor accounts or merchant ids, matched exactly; names matched against the description. */
  params: z.object({ merchantIds: z.array(z.string().min(1).max(64)).max(10_000), merchantNames: z.array(z.string().min(2).max(120)).max(1000) }),
});
export const ChannelRiskRule = RuleBase.extend({
  kind: z.literal('channel-risk'),
  family: z.literal('CHANNEL'),
  /** Seed 001: online vs. mobile vs. ATM. Each channel's factor scales the rule's weight (0 = no risk). */
  params: z.object({ factors: z.partialRecord(Channel, z.number().min(0).max(1)) }),
});
export const AnomalyRule = RuleBase.extend({
  kind: z.literal('anomaly'),
  family: z.literal('ANOMALY'),
  /** Isolation-forest score (0..1, higher = more unusual) at which the rule fires. */
  params: z.object({ minScore: z.number().min(0.5).max(1) }),
});

export const RuleDefinition = z.discriminatedUnion('kind', [
  HighAmountRule,
  RoundAmountRule,
  VelocityRule,
  CreditVelocityRule,
  HighRiskCountryRule,
  SuspiciousIpRule,
  OffHoursRule,
  WeekendRule,
  NewAccountRule,
  CrossBorderRule,
  NewDeviceRule,
  SuspiciousUserAgentRule,
  SuspiciousTextRule,
  MerchantBlockListRule,
  ChannelRiskRule,
  AnomalyRule,
]);
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleOf<K extends RuleKind> = Extract<RuleDefinition, { kind: K }>;

/**
 * Evaluation cost classes: field comparisons first, then in-memory aggregates and look-ups, then
 * the anomaly model. Rules run cheapest first so that a settled decision skips the costly ones.
 */
export const RuleCost = z.enum(['FIELD', 'LOOKUP', 'MODEL']);
export type RuleCost = z.infer<typeof RuleCost>;
export const RULE_COST: Record<RuleKind, RuleCost> = {
  'high-amount': 'FIELD',
  'round-amount': 'FIELD',
  'high-risk-country': 'FIELD',
  'suspicious-ip': 'FIELD',
  'off-hours': 'FIELD',
  weekend: 'FIELD',
  'cross-border': 'FIELD',
  'suspicious-user-agent': 'FIELD',
  'suspicious-text': 'FIELD',
  'merchant-block-list': 'FIELD',
  'channel-risk': 'FIELD',
  velocity: 'LOOKUP',
  'credit-velocity': 'LOOKUP',
  'new-account': 'LOOKUP',
  'new-device': 'LOOKUP',
  anomaly: 'MODEL',
};
/**
 * Each rule's evaluation budget, in milliseconds of the scoring thread's CPU time, by cost class.
 * A rule over its budget is logged as ERROR and not counted (its result arrived too late to be
 * trusted as the norm); with linear-time patterns no rule should come near it.
 */
export const RULE_BUDGET_MS: Record<RuleCost, number> = { FIELD: 50, LOOKUP: 50, MODEL: 100 };
export const RULE_KIND_FAMILY: Record<RuleKind, RuleFamily> = {
  'high-amount': 'AMOUNT',
  'round-amount': 'AMOUNT',
  velocity: 'FREQUENCY',
  'credit-velocity': 'FREQUENCY',
  'high-risk-country': 'LOCATION',
  'suspicious-ip': 'LOCATION',
  'off-hours': 'TIME',
  weekend: 'TIME',
  'new-account': 'ACCOUNT',
  'cross-border': 'ACCOUNT',
  'new-device': 'DEVICE',
  'suspicious-user-agent': 'DEVICE',
  'suspicious-text': 'PATTERN',
  'merchant-block-list': 'MERCHANT',
  'channel-risk': 'CHANNEL',
  anomaly: 'ANOMALY',
};

export const Thresholds = z
  .object({ medium: z.number().gt(0).max(1), high: z.number().gt(0).max(1), critical: z.number().gt(0).max(1) })
  .refine((t) => t.medium < t.high, { message: 'must be below the high threshold', path: ['medium'] })
  .refine((t) => t.high < t.critical, { message: 'must be below the critical threshold', path: ['high'] });
export type Thresholds = z.infer<typeof Thresholds>;

/** Outcomes are ordered; where several apply, the most severe wins. */
export const DECISION_SEVERITY: Record<Decision, number> = { APPROVE: 0, MANUAL_REVIEW: 1, HOLD: 2, ESCALATE: 3, REJECT: 4 };

export const DecisionCriteria = z.object({
  byRiskLevel: z.object({ LOW: Decision, MEDIUM: Decision, HIGH: Decision, CRITICAL: Decision }),
  /** When the named rule fires, the decision is at least this one (e.g. a blocked merchant → REJECT). */
  ruleOverrides: z.array(z.object({ ruleId: z.string().min(1).max(80), decision: Decision })).max(100),
});
export type DecisionCriteria = z.infer<typeof DecisionCriteria>;

// ---------------------------------------------------------------------------------------------
// The bank's fraud engine (seed 003 "Bank's Fraud Engine Integration")
// ---------------------------------------------------------------------------------------------

const HeaderName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name');
const HeaderValue = z
  .string()
  .max(2000)
  .regex(/^[^\r\n]*$/, 'no line breaks');

export const BankApiAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('NONE') }),
  z.object({ kind: z.literal('API_KEY'), headerName: HeaderName }),
  z.object({ kind: z.literal('BASIC'), username: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('BEARER') }),
  /** Secret headers whose values are credentials (kept encrypted like the others). */
  z.object({ kind: z.literal('CUSTOM_HEADERS'), headerNames: z.array(HeaderName).min(1).max(20) }),
]);
export type BankApiAuth = z.infer<typeof BankApiAuth>;

/** Write-only: accepted on create/update, encrypted at rest, never returned. Omitted fields keep their stored value. */
export const BankApiCredentials = z.object({
  apiKey: z.string().min(1).max(2000).optional(),
  password: z.string().min(1).max(2000).optional(),
  token: z.string().min(1).max(4000).optional(),
  headerValues: z.record(HeaderName, HeaderValue).optional(),
});
export type BankApiCredentials = z.infer<typeof BankApiCredentials>;

export const CombinationMode = z.enum(['HIGHEST_RISK', 'WEIGHTED', 'ENGINE_OVERRIDES']);
export type CombinationMode = z.infer<typeof CombinationMode>;

/** A dotted path into the engine's JSON answer, e.g. "result.riskScore" or "checks[0].code". */
const JsonPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_$][\w$]*(\[\d+\])*(\.[A-Za-z_$][\w$]*(\[\d+\])*)*$/, 'a dotted path such as result.score');

export const BankApiSettings = z.object({
  enabled: z.boolean(),
  /** Recorded on each assessment as external_api_used. */
  name: z.string().trim().min(1).max(100),
  endpointUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
  method: z.enum(['POST', 'PUT']),
  auth: BankApiAuth,
  /** Plain (non-secret) headers sent on every call. */
  headers: z.record(HeaderName, HeaderValue),
  /**
   * JSON text with {{placeholders}} naming payment fields ({{payment.amount}}, {{payment.customerId}},
   * {{amountKes}}, {{local.riskScore}}, {{local.riskLevel}}, {{assessmentId}}, {{now}}). A placeholder
   * that is the whole JSON value keeps its type; inside a string it is interpolated.
   */
  requestTemplate: z.string().min(2).max(20_000),
  responseMapping: z.object({
    scorePath: JsonPath,
    /** The engine's score scale: its score divided by this gives 0..1 (e.g. 100 or 1000). */
    scoreScale: z.number().positive().max(1e6),
    decisionPath: JsonPath.optional(),
    reasonPath: JsonPath.optional(),
    /** Engine decision codes → ours, e.g. { "DECLINE": "REJECT", "REVIEW": "MANUAL_REVIEW" }. */
    decisionMap: z.record(z.string().min(1).max(50), Decision),
  }),
  combination: z.object({
    mode: CombinationMode,
    /** For WEIGHTED: the engine score's share (the local rules get the rest). */
    engineWeight: z.number().min(0).max(1),
  }),
});
export type BankApiSettings = z.infer<typeof BankApiSettings>;

export const BankApiSettingsInput = BankApiSettings.extend({ credentials: BankApiCredentials.optional() });
export type BankApiSettingsInput = z.infer<typeof BankApiSettingsInput>;

/** What the API shows of the credentials: only whether each is set. */
export const CredentialsSet = z.object({
  apiKey: z.boolean(),
  password: z.boolean(),
  token: z.boolean(),
  headerNames: z.array(z.string()),
});
export type CredentialsSet = z.infer<typeof CredentialsSet>;
export const BankApiSettingsView = BankApiSettings.extend({ credentialsSet: CredentialsSet });
export type BankApiSettingsView = z.infer<typeof BankApiSettingsView>;

export const TimeoutConfig = z.object({
  /** The whole assessment, engine retries included, is decided within this time. */
  assessmentTimeoutMs: z.number().int().min(50).max(60_000),
  /** One call to the bank's engine. */
  bankApiTimeoutMs: z.number().int().min(10).max(30_000),
});
export const RetryConfig = z.object({
  maxRetries: z.number().int().min(0).max(10),
  initialDelayMs: z.number().int().min(1).max(10_000),
  maxDelayMs: z.number().int().min(1).max(60_000),
  multiplier: z.number().min(1).max(10),
  /** Randomise each delay (decorrelated jitter) so that many clients do not retry in step. */
  jitter: z.boolean(),
});
export const CircuitBreakerConfig = z.object({
  enabled: z.boolean(),
  /** Consecutive failures that open the breaker. */
  failureThreshold: z.number().int().min(1).max(1000),
  /** How long the breaker stays open before one trial call (half-open). */
  halfOpenAfterMs: z.number().int().min(100).max(3_600_000),
});
export const FallbackMode = z.enum(['LOCAL_RULES_ONLY', 'APPROVE', 'HOLD', 'REJECT']);
export type FallbackMode = z.infer<typeof FallbackMode>;
export const FallbackConfig = z.object({ mode: FallbackMode });
export const MonitoringConfig = z.object({
  /** Keep the engine's request and response on each assessment (payload templates may hold personal data). */
  storeEngineExchange: z.boolean(),
  /** Assessments slower than this are counted as slow in statistics. */
  slowAssessmentMs: z.number().int().min(1).max(60_000),
});
/**
 * Seed 003 alerting_config: when enabled, a payment at or above minRiskLevel raises a RISKY_PAYMENT
 * alert routed by this configuration's own alert rule (kept in step by the service, issue 15) to the
 * enabled alert channels of the kinds listed; recipients (emails, +phone numbers) are added to its
 * EMAIL and SMS messages.
 */
export const AlertChannel = z.enum(['EMAIL', 'SMS', 'WEBHOOK', 'SLACK', 'TEAMS']);
export const AlertingConfig = z.object({
  enabled: z.boolean(),
  minRiskLevel: RiskLevel,
  channels: z.array(AlertChannel).max(5),
  recipients: z.array(z.string().min(3).max(200)).max(50),
});
export type TimeoutConfig = z.infer<typeof TimeoutConfig>;
export type RetryConfig = z.infer<typeof RetryConfig>;
export type CircuitBreakerConfig = z.infer<typeof CircuitBreakerConfig>;
export type FallbackConfig = z.infer<typeof FallbackConfig>;
export type MonitoringConfig = z.infer<typeof MonitoringConfig>;
export type AlertingConfig = z.infer<typeof AlertingConfig>;

// ---------------------------------------------------------------------------------------------
// Configurations and their versions
// ---------------------------------------------------------------------------------------------

/** A configuration's tenant: a tenant id, or "*" for every tenant. */
export const ConfigurationTenant = z.union([z.literal('*'), TenantId], { error: 'a tenant id (letters, digits, dot, dash, underscore) or * for every tenant' });

const OptionalCode = PlainText(50).min(1).nullable().default(null);

/** The editable body of a configuration (every seed 003 field that a user sets). */
export const ConfigurationBody = z.object({
  configurationName: PlainText(100).min(1),
  /** A tenant id, or "*" for every tenant (the least specific match). */
  tenantId: ConfigurationTenant,
  paymentType: OptionalCode,
  localInstrumentationCode: OptionalCode,
  clearingSystemCode: OptionalCode,
  paymentSource: PaymentSource,
  riskAssessmentType: RiskAssessmentType,
  riskRules: z
    .array(RuleDefinition)
    .max(200)
    .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique'),
  decisionCriteria: DecisionCriteria,
  thresholds: Thresholds,
  timeoutConfig: TimeoutConfig,
  retryConfig: RetryConfig,
  circuitBreakerConfig: CircuitBreakerConfig,
  fallbackConfig: FallbackConfig,
  monitoringConfig: MonitoringConfig,
  alertingConfig: AlertingConfig,
  isEnabled: z.boolean(),
  /** Lower number = applied first among equally specific configurations. */
  priority: z.number().int().min(1).max(10_000),
  description: z.string().max(1000).regex(NO_CONTROL_EXCEPT_LINES, 'must not contain control characters').nullable().default(null),
});
export type ConfigurationBody = z.infer<typeof ConfigurationBody>;

/** Where in a parsed input a string (or an object key) holds a NUL character. */
function nulPaths(value: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key.includes('\u0000') ? [[...path, key]] : nulPaths(item, [...path, key])));
}

export const ConfigurationInput = ConfigurationBody.safeExtend({
  bankFraudApiConfig: BankApiSettingsInput.nullable().default(null),
  /** Why this change was made; kept with the version. */
  changeNote: z.string().trim().max(500).optional(),
}).superRefine((value, ctx) => {
  const ruleIds = new Set(value.riskRules.map((r) => r.id));
  value.decisionCriteria.ruleOverrides.forEach((o, i) => {
    if (!ruleIds.has(o.ruleId))
      ctx.addIssue({ code: 'custom', path: ['decisionCriteria', 'ruleOverrides', i, 'ruleId'], message: `no rule with id ${o.ruleId}` });
  });
  value.riskRules.forEach((rule, index) => {
    if (rule.kind !== 'suspicious-text' && rule.kind !== 'suspicious-user-agent') return;
    rule.params.patterns.forEach((source, i) => {
      const problem = patternProblem(source);
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['riskRules', index, 'params', 'patterns', i], message: `rule ${rule.id}: ${problem}; ${PATTERN_SYNTAX_HINT}` });
    });
  });
  for (const rule of value.riskRules) {
    if (rule.kind === 'high-amount' && rule.params.severeThresholdKes < rule.params.thresholdKes) {
      const index = value.riskRules.indexOf(rule);
      ctx.addIssue({ code: 'custom', path: ['riskRules', index, 'params', 'severeThresholdKes'], message: 'must be at least the review threshold' });
    }
  }
  // Stored as JSON, which PostgreSQL cannot hold with a NUL in it: refused here, naming where.
  for (const path of nulPaths(value, [])) ctx.addIssue({ code: 'custom', path, message: 'must not contain NUL characters' });
});
export type ConfigurationInput = z.input<typeof ConfigurationInput>;
export type ParsedConfigurationInput = z.output<typeof ConfigurationInput>;

export const ConfigurationVersionStatus = z.enum(['DRAFT', 'PUBLISHED', 'SUPERSEDED', 'DISCARDED']);
export type ConfigurationVersionStatus = z.infer<typeof ConfigurationVersionStatus>;

/** A configuration as the API returns it: the published version's body plus its bookkeeping. */
export const FraudRiskConfiguration = ConfigurationBody.safeExtend({
  id: z.uuid(),
  bankFraudApiConfig: BankApiSettingsView.nullable(),
  /** Seed 003 `version`: the published version's label, "1.0", "2.0", … */
  version: z.string(),
  versionNumber: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** The open draft, if any. */
  draft: z.object({ versionNumber: z.number().int(), updatedAt: z.iso.datetime(), updatedBy: z.string().nullable() }).nullable(),
  /** Optimistic-concurrency token for update and delete. */
  rowVersion: z.number().int(),
});
export type FraudRiskConfiguration = z.infer<typeof FraudRiskConfiguration>;

export const ConfigurationVersion = z.object({
  configurationId: z.uuid(),
  versionNumber: z.number().int(),
  version: z.string(),
  status: ConfigurationVersionStatus,
  body: ConfigurationBody.safeExtend({ bankFraudApiConfig: BankApiSettingsView.nullable() }),
  changeNote: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  publishedBy: z.string().nullable(),
  backtestId: z.string().nullable(),
});
export type ConfigurationVersion = z.infer<typeof ConfigurationVersion>;

export const ConfigurationListQuery = z.object({
  tenantId: ConfigurationTenant.optional(),
  enabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  search: PlainText(100).optional(),
});
export type ConfigurationListQuery = z.infer<typeof ConfigurationListQuery>;

/** Optimistic concurrency for update/delete/publish: the rowVersion the client last saw. */
export const ExpectedRowVersion = z.object({ expectedRowVersion: z.number().int().positive() });

/** Why a version goes live: required to publish a draft, kept with the version and in the audit. */
export const PublishChangeNote = z
  .string({ error: (issue) => (issue.input === undefined ? 'a change note is required: say what changed and why' : undefined) })
  .trim()
  .max(500)
  .regex(NO_CONTROL_EXCEPT_LINES, 'must not contain control characters')
  .min(3, 'a change note is required: say what changed and why (at least 3 characters)');

export const PublishDraftRequest = ExpectedRowVersion.extend({
  backtestId: PlainText(64).optional(),
  changeNote: PublishChangeNote,
});

export { ConfigurationChoice } from './assessments.ts';

// ---------------------------------------------------------------------------------------------
// Bank engine test, backtests, anomaly model, statistics, health
// ---------------------------------------------------------------------------------------------

export const BankApiTestRequest = z.object({
  /** Test a draft's settings instead of the published version's. */
  useDraft: z.boolean().default(false),
});
export const BankApiTestResult = z.object({
  ok: z.boolean(),
  httpStatus: z.number().int().nullable(),
  latencyMs: z.number(),
  attempts: z.number().int(),
  message: z.string(),
  /** What the response mapping read from the answer (when it could). */
  mapped: z.object({ score: z.number().nullable(), decision: Decision.nullable(), reason: z.string().nullable() }).nullable(),
  breakerState: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'ISOLATED']),
  /** The request sent, with secret header values masked. */
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.unknown() }),
  responseBody: z.unknown().nullable(),
});
export type BankApiTestResult = z.infer<typeof BankApiTestResult>;

export const BacktestRequest = z.object({
  days: z.number().int().min(1).max(90),
  /** Defaults to the open draft; any stored version may be backtested. */
  versionNumber: z.number().int().positive().optional(),
  /** End of the window (exclusive); the window is the `days` before it. Defaults to the service clock's now. */
  to: BoundedInstant.optional(),
});
export type BacktestRequest = z.infer<typeof BacktestRequest>;

export const BacktestChange = z.object({
  assessmentId: z.string(),
  transactionReference: z.string(),
  customerId: z.string(),
  amountKes: z.number(),
  channel: Channel,
  occurredAt: z.iso.datetime(),
  currentDecision: Decision,
  proposedDecision: Decision,
  currentRiskLevel: RiskLevel,
  proposedRiskLevel: RiskLevel,
  currentScore: z.number(),
  proposedScore: z.number(),
  /** The rules that fired under the proposed version. */
  proposedRules: z.array(z.string()),
});
export type BacktestChange = z.infer<typeof BacktestChange>;

const Transition = <T extends z.ZodType>(value: T) => z.object({ from: value, to: value, count: z.number().int() });
export const BacktestStatus = z.enum(['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED']);
export const Backtest = z.object({
  id: z.string(),
  configurationId: z.uuid(),
  versionNumber: z.number().int(),
  days: z.number().int(),
  status: BacktestStatus,
  /** 0..1 */
  progress: z.number(),
  processed: z.number().int(),
  total: z.number().int(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  startedBy: z.string(),
  error: z.string().nullable(),
  summary: z
    .object({
      evaluated: z.number().int(),
      /** Payments whose decision would change. */
      changed: z.number().int(),
      /** Payments whose risk level would change. */
      riskLevelChanged: z.number().int(),
      decisionTransitions: z.array(Transition(Decision)),
      riskLevelTransitions: z.array(Transition(RiskLevel)),
      current: z.record(Decision, z.number().int()),
      proposed: z.record(Decision, z.number().int()),
      /** How often each rule fired under the proposed version. */
      ruleHits: z.array(z.object({ ruleId: z.string(), name: z.string(), hits: z.number().int() })),
    })
    .nullable(),
  /** The changed payments (the first 1,000). */
  changes: z.array(BacktestChange),
});
export type Backtest = z.infer<typeof Backtest>;

export const AnomalyModelInfo = z.object({
  id: z.string(),
  trainedAt: z.iso.datetime(),
  trainedBy: z.string(),
  sampleSize: z.number().int(),
  trees: z.number().int(),
  subsampleSize: z.number().int(),
  features: z.array(z.string()),
  /** Share of the training sample scoring at or above 0.6 (a sanity figure for the threshold). */
  shareAboveDefaultThreshold: z.number(),
});
export type AnomalyModelInfo = z.infer<typeof AnomalyModelInfo>;
export const AnomalyTrainRequest = z.object({
  days: z.number().int().min(1).max(365).default(30),
  trees: z.number().int().min(10).max(500).default(100),
  subsampleSize: z.number().int().min(32).max(4096).default(256),
});

export const StatisticsQuery = z.object({
  from: BoundedInstant.optional(),
  to: BoundedInstant.optional(),
  tenantId: TenantId.optional(),
});
export type StatisticsQuery = z.infer<typeof StatisticsQuery>;

export const FraudRiskStatistics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byDecision: z.record(z.string(), z.number().int()),
  byRiskLevel: z.record(z.string(), z.number().int()),
  hourly: z.array(
    z.object({ hour: z.iso.datetime(), total: z.number().int(), flagged: z.number().int(), byRiskLevel: z.record(z.string(), z.number().int()) }),
  ),
  processing: z.object({ averageMs: z.number(), p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number(), slow: z.number().int() }),
  engine: z.object({
    calls: z.number().int(),
    fallbacks: z.number().int(),
    timeouts: z.number().int(),
    errors: z.number().int(),
    averageResponseMs: z.number(),
  }),
  topRules: z.array(z.object({ ruleId: z.string(), name: z.string(), family: RuleFamily, hits: z.number().int() })),
  byConfiguration: z.array(z.object({ configurationId: z.string().nullable(), configurationName: z.string(), count: z.number().int() })),
  manualDecisions: z.number().int(),
  /** Analysts' decisions that differ from the engine's. */
  overturned: z.number().int(),
});
export type FraudRiskStatistics = z.infer<typeof FraudRiskStatistics>;

export const BreakerState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'ISOLATED']);
export type BreakerState = z.infer<typeof BreakerState>;
export const FraudRiskHealth = z.object({
  status: z.enum(['UP', 'DEGRADED', 'DOWN']),
  database: z.enum(['UP', 'DOWN']),
  checkedAt: z.iso.datetime(),
  writer: z.object({ queued: z.number().int(), lastBatchSize: z.number().int(), lastFlushMs: z.number() }),
  anomalyModel: AnomalyModelInfo.nullable(),
  bankEngines: z.array(
    z.object({
      configurationId: z.uuid(),
      configurationName: z.string(),
      name: z.string(),
      breakerState: BreakerState,
      lastError: z.string().nullable(),
      lastSuccessAt: z.iso.datetime().nullable(),
    }),
  ),
  pendingAssessments: z.number().int(),
});
export type FraudRiskHealth = z.infer<typeof FraudRiskHealth>;

export const FraudRiskMetrics = z.object({
  since: z.iso.datetime(),
  assessments: z.number().int(),
  perSecondLastMinute: z.number(),
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() }),
  engineCalls: z.number().int(),
  engineFailures: z.number().int(),
  fallbacks: z.number().int(),
  ruleErrors: z.number().int(),
  shortCircuited: z.number().int(),
});
export type FraudRiskMetrics = z.infer<typeof FraudRiskMetrics>;

export const ManualDecisionRequest = z.object({
  decision: Decision,
  reason: NoteText(500).min(3, 'give a reason of at least 3 characters'),
  expectedVersion: z.number().int().positive().optional(),
});
export type ManualDecisionRequest = z.infer<typeof ManualDecisionRequest>;
export const CancelAssessmentRequest = z.object({ reason: NoteText(500).min(3) });
