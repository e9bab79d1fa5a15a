import type { RuleDefinition, ParsedConfigurationInput, BankApiSettingsInput, RuleKind } from './decision-engine.ts';
import { RuleDefinition as RuleSchema } from './decision-engine.ts';

/**
 * The shipped rule set, one or more rules per family, and the defaults a new configuration starts
 * from. The service seeds its first configuration from these; the UI's "New configuration" and
 * "Add rule" start from them too, so both sides agree on what a sensible default is.
 */
export const DEFAULT_RULES: RuleDefinition[] = [
  {
    id: 'amount.high',
    name: 'High amount',
    kind: 'high-amount',
    family: 'AMOUNT',
    weight: 0.35,
    enabled: true,
    description: 'Seed 001: more than KES 10M is high risk on its own.',
    params: { thresholdKes: 1_000_000, severeThresholdKes: 10_000_000, severeWeight: 0.6 },
  },
  {
    id: 'amount.round',
    name: 'Round amount',
    kind: 'round-amount',
    family: 'AMOUNT',
    weight: 0.1,
    enabled: true,
    params: { minimumKes: 100_000, multipleOfKes: 50_000 },
  },
  {
    id: 'location.high-risk-country',
    name: 'High-risk country',
    kind: 'high-risk-country',
    family: 'LOCATION',
    weight: 0.35,
    enabled: true,
    params: {
      // FATF "call for action" jurisdictions plus comprehensive-sanctions and conflict destinations.
      countries: ['KP', 'IR', 'MM', 'SY', 'YE', 'AF', 'SO', 'SS', 'SD', 'LY', 'CU', 'RU', 'BY', 'VE'],
      // Higher-risk corridors that warrant a second look but not on their own a hold.
      elevatedCountries: ['NG', 'AE', 'CD', 'HT', 'ML', 'BF', 'LB', 'MZ', 'CM', 'HK'],
      elevatedWeight: 0.2,
    },
  },
  {
    id: 'location.suspicious-ip',
    name: 'Suspicious IP range',
    kind: 'suspicious-ip',
    family: 'LOCATION',
    weight: 0.25,
    enabled: true,
    description: 'Known anonymising exits and hosting ranges abused for account takeover.',
    params: { ranges: ['185.220.100.0/22', '45.154.255.0/24', '193.189.100.0/24', '171.25.193.0/24', '104.244.72.0/21'] },
  },
  {
    id: 'time.off-hours',
    name: 'Off-hours payment',
    kind: 'off-hours',
    family: 'TIME',
    weight: 0.2,
    enabled: true,
    params: { timeZone: 'Africa/Nairobi', startHour: 22, endHour: 6 },
  },
  {
    id: 'time.weekend',
    name: 'Weekend payment',
    kind: 'weekend',
    family: 'TIME',
    weight: 0.05,
    enabled: true,
    params: { timeZone: 'Africa/Nairobi', days: [0, 6] },
  },
  {
    id: 'frequency.account-day',
    name: 'Account velocity (day)',
    kind: 'velocity',
    family: 'FREQUENCY',
    weight: 0.2,
    enabled: true,
    params: { subject: 'ACCOUNT', window: 'DAY', maxCount: 20, maxSumKes: 5_000_000 },
  },
  {
    id: 'frequency.customer-week',
    name: 'Customer velocity (week)',
    kind: 'velocity',
    family: 'FREQUENCY',
    weight: 0.15,
    enabled: true,
    params: { subject: 'CUSTOMER', window: 'WEEK', maxCount: 80, maxSumKes: 30_000_000 },
  },
  {
    id: 'frequency.large-transactions',
    name: 'Large-transaction frequency (credit risk)',
    kind: 'credit-velocity',
    family: 'FREQUENCY',
    weight: 0.1,
    enabled: true,
    params: { window: 'WEEK', largeAmountKes: 1_000_000, maxLargeCount: 6 },
  },
  {
    id: 'account.new',
    name: 'New account',
    kind: 'new-account',
    family: 'ACCOUNT',
    weight: 0.15,
    enabled: true,
    params: { maxAgeDays: 30 },
  },
  {
    id: 'account.cross-border',
    name: 'Cross-border payment',
    kind: 'cross-border',
    family: 'ACCOUNT',
    weight: 0.1,
    enabled: true,
    params: { homeCountry: 'KE' },
  },
  {
    id: 'device.new',
    name: 'First use of this device',
    kind: 'new-device',
    family: 'DEVICE',
    weight: 0.15,
    enabled: true,
    params: { minPriorPayments: 3 },
  },
  {
    id: 'device.user-agent',
    name: 'Suspicious user agent',
    kind: 'suspicious-user-agent',
    family: 'DEVICE',
    weight: 0.2,
    enabled: true,
    params: { patterns: ['headless', 'phantomjs', 'selenium', 'python-requests', 'curl/', 'okhttp/2\\.', 'sqlmap'], flagMissing: false },
  },
  {
    id: 'pattern.text',
    name: 'Suspicious reference or description',
    kind: 'suspicious-text',
    family: 'PATTERN',
    weight: 0.2,
    enabled: true,
    params: {
      fields: ['transactionReference', 'description'],
      patterns: [
        '\\bgift ?cards?\\b',
        '\\bcrypto\\b',
        '\\busdt\\b',
        '\\bbitcoin\\b',
        '\\burgent\\b',
        '\\binvestment (scheme|return)',
        '\\blottery\\b',
        '\\bwinnings?\\b',
        '\\bloan ?app\\b',
      ],
    },
  },
  {
    id: 'merchant.block-list',
    name: 'Blocked merchant',
    kind: 'merchant-block-list',
    family: 'MERCHANT',
    weight: 0.6,
    enabled: true,
    params: { merchantIds: [], merchantNames: ['FastCash Betting', 'QuickLoan Xpress', 'Crypto Wave Exchange'] },
  },
  {
    id: 'channel.risk',
    name: 'Channel risk',
    kind: 'channel-risk',
    family: 'CHANNEL',
    weight: 0.06,
    enabled: true,
    description: 'Seed 001: online payments carry more risk than branch or ATM.',
    params: { factors: { WEB: 1, MOBILE: 0.5, USSD: 0.4, AGENT: 0.6, ATM: 0.3, BRANCH: 0 } },
  },
  {
    id: 'anomaly.isolation-forest',
    name: 'Unusual for this bank (isolation forest)',
    kind: 'anomaly',
    family: 'ANOMALY',
    weight: 0.2,
    enabled: true,
    params: { minScore: 0.64 },
  },
];

/** A fresh rule of a kind, for the rule editor's "Add rule". */
export function newRuleOfKind(kind: RuleKind, takenIds: ReadonlySet<string>): RuleDefinition {
  const template = DEFAULT_RULES.find((r) => r.kind === kind);
  if (!template) throw new Error(`no default rule of kind ${kind}`);
  let id = template.id;
  for (let n = 2; takenIds.has(id); n++) id = `${template.id}-${n}`;
  return RuleSchema.parse({ ...(JSON.parse(JSON.stringify(template)) as RuleDefinition), id });
}

export const EXAMPLE_BANK_API: BankApiSettingsInput = {
  enabled: true,
  name: 'Bank fraud engine',
  endpointUrl: 'http://127.0.0.1:4790/v1/score',
  method: 'POST',
  auth: { kind: 'API_KEY', headerName: 'X-Api-Key' },
  headers: { 'X-Source-System': 'wekeza-risk-workstation' },
  requestTemplate: JSON.stringify(
    {
      requestId: '{{assessmentId}}',
      transaction: {
        reference: '{{payment.transactionReference}}',
        amount: '{{payment.amount}}',
        currency: '{{payment.currency}}',
        amountKes: '{{amountKes}}',
        channel: '{{payment.channel}}',
        country: '{{payment.country}}',
        customerId: '{{payment.customerId}}',
        debtorAccount: '{{payment.debtorAccount}}',
        creditorAccount: '{{payment.creditorAccount}}',
        timestamp: '{{payment.timestamp}}',
      },
      localAssessment: { score: '{{local.riskScore}}', level: '{{local.riskLevel}}' },
    },
    null,
    2,
  ),
  responseMapping: {
    scorePath: 'result.riskScore',
    scoreScale: 1000,
    decisionPath: 'result.decision',
    reasonPath: 'result.reasons[0]',
    decisionMap: { ALLOW: 'APPROVE', REVIEW: 'MANUAL_REVIEW', HOLD: 'HOLD', DECLINE: 'REJECT' },
  },
  combination: { mode: 'HIGHEST_RISK', engineWeight: 0.5 },
};

/** What "New configuration" starts from: every family's rule and conservative resilience settings. */
export function newConfigurationTemplate(): ParsedConfigurationInput {
  return {
    configurationName: 'New configuration',
    tenantId: 'WEKEZA-KE',
    paymentType: null,
    localInstrumentationCode: null,
    clearingSystemCode: null,
    paymentSource: 'BOTH',
    riskAssessmentType: 'REAL_TIME',
    bankFraudApiConfig: null,
    riskRules: RuleSchema.array().parse(DEFAULT_RULES),
    decisionCriteria: {
      // Seed 001: low risk is approved straight through; medium and above go to an analyst.
      byRiskLevel: { LOW: 'APPROVE', MEDIUM: 'MANUAL_REVIEW', HIGH: 'HOLD', CRITICAL: 'ESCALATE' },
      ruleOverrides: [{ ruleId: 'merchant.block-list', decision: 'REJECT' }],
    },
    thresholds: { medium: 0.3, high: 0.5, critical: 0.8 },
    timeoutConfig: { assessmentTimeoutMs: 1500, bankApiTimeoutMs: 500 },
    retryConfig: { maxRetries: 2, initialDelayMs: 50, maxDelayMs: 400, multiplier: 2, jitter: true },
    circuitBreakerConfig: { enabled: true, failureThreshold: 5, halfOpenAfterMs: 30_000 },
    fallbackConfig: { mode: 'LOCAL_RULES_ONLY' },
    monitoringConfig: { storeEngineExchange: true, slowAssessmentMs: 250 },
    alertingConfig: { enabled: false, minRiskLevel: 'CRITICAL', channels: [], recipients: [] },
    isEnabled: true,
    priority: 100,
    description: null,
  };
}
