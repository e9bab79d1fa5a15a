import type { BankApiSettings, ConfigurationBody, CredentialsSet, RuleDefinition } from './decision-engine.ts';

/**
 * What changes between two versions of a decision-engine configuration, as a reader needs it:
 * rules added, removed or changed (each changed setting with its value before and after),
 * thresholds, decisions, weights and every other setting, grouped by section. Shared so that the
 * publish dialog, and later the audit log, describe a change the same way. Secrets are never
 * compared or shown: only whether each credential is set.
 */

/** A configuration body as any side holds it: a stored version, the published configuration, or the form being edited. */
export type DiffableConfiguration = ConfigurationBody & {
  bankFraudApiConfig: (BankApiSettings & { credentialsSet?: CredentialsSet }) | null;
};

export const DIFF_SECTIONS = ['Basics', 'Rules', 'Thresholds & decisions', 'Bank engine', 'Resilience', 'Monitoring & alert settings'] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export interface ConfigurationChange {
  section: DiffSection;
  kind: 'added' | 'removed' | 'changed';
  /** What changed, e.g. `Rule “High amount” (amount.high)` or `Thresholds`. */
  subject: string;
  /** Which setting of it, e.g. `Review threshold (KES)`; null for a whole rule added or removed. */
  setting: string | null;
  /** Dotted path in the body, e.g. `riskRules.amount.high.params.thresholdKes` (rules by id). */
  path: string;
  before: string | null;
  after: string | null;
  /** For lists: the items added and removed (the whole list is in before/after). */
  added?: string[];
  removed?: string[];
}

const SECTION_OF: Record<string, DiffSection> = {
  configurationName: 'Basics',
  tenantId: 'Basics',
  paymentType: 'Basics',
  localInstrumentationCode: 'Basics',
  clearingSystemCode: 'Basics',
  paymentSource: 'Basics',
  riskAssessmentType: 'Basics',
  isEnabled: 'Basics',
  priority: 'Basics',
  description: 'Basics',
  riskRules: 'Rules',
  thresholds: 'Thresholds & decisions',
  decisionCriteria: 'Thresholds & decisions',
  bankFraudApiConfig: 'Bank engine',
  timeoutConfig: 'Resilience',
  retryConfig: 'Resilience',
  circuitBreakerConfig: 'Resilience',
  fallbackConfig: 'Resilience',
  monitoringConfig: 'Monitoring & alert settings',
  alertingConfig: 'Monitoring & alert settings',
};

/** Words for settings whose key does not say it plainly; others are spelled out from the key. */
const LABELS: Record<string, string> = {
  configurationName: 'Name',
  tenantId: 'Tenant',
  localInstrumentationCode: 'Local instrument',
  isEnabled: 'Enabled',
  'thresholds.medium': 'Medium risk from score',
  'thresholds.high': 'High risk from score',
  'thresholds.critical': 'Critical risk from score',
  'decisionCriteria.ruleOverrides': 'Rule overrides',
  'params.thresholdKes': 'Review threshold (KES)',
  'params.severeThresholdKes': 'High-risk limit (KES)',
  'params.severeWeight': 'Weight above the high-risk limit',
  'params.elevatedWeight': 'Weight for elevated countries',
  'params.countries': 'High-risk countries',
  'params.elevatedCountries': 'Elevated-risk countries',
  'params.maxCount': 'Most payments',
  'params.maxSumKes': 'Most total (KES)',
  'params.minScore': 'Anomaly score from',
  'params.ranges': 'IP ranges',
  'params.flagMissing': 'Flag a missing user agent',
  'scope.minAmountKes': 'Scope: from amount (KES)',
  'scope.channels': 'Scope: channels',
  'scope.paymentTypes': 'Scope: payment types',
  'monitoringConfig.slowAssessmentMs': 'Slow assessment from (ms)',
  'monitoringConfig.storeEngineExchange': 'Keep the engine exchange',
  'alertingConfig.enabled': 'Alert on risky payments',
  'alertingConfig.minRiskLevel': 'Alert from risk level',
  'fallbackConfig.mode': 'Fallback',
  'bankFraudApiConfig.endpointUrl': 'Endpoint URL',
  'bankFraudApiConfig.requestTemplate': 'Request template',
};

const CREDENTIALS: Record<string, string> = { apiKey: 'API key', password: 'password', token: 'token', headerNames: 'secret headers' };

function spelled(key: string): string {
  const unit = /Kes$/.test(key) ? ' (KES)' : /Ms$/.test(key) ? ' (ms)' : '';
  const words = key
    .replace(/(Kes|Ms)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${unit}`;
}

function labelOf(path: readonly string[]): string {
  const joined = path.join('.');
  for (let start = 0; start < path.length; start++) {
    const tail = path.slice(start).join('.');
    if (LABELS[tail]) return LABELS[tail];
  }
  const last = path.at(-1) ?? joined;
  const parent = path.length > 1 ? path.at(-2) : null;
  // A decision per risk level, a factor per channel: name both parts.
  if (parent === 'byRiskLevel') return `Decision at ${last} risk`;
  if (parent === 'factors') return `${last} channel factor`;
  if (parent === 'credentialsSet') return `Credential set: ${CREDENTIALS[last] ?? last}`;
  return spelled(last);
}

function formatValue(value: unknown, key: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') {
    if (/Kes$/.test(key)) return `KES ${value.toLocaleString('en-KE', { maximumFractionDigits: 2 })}`;
    if (/Ms$/.test(key)) return `${value.toLocaleString('en-KE')} ms`;
    return String(value);
  }
  if (typeof value === 'string') return value === '' ? '—' : value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((v) => formatValue(v, key)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${formatValue(v, k)}`)
    .join(', ');
}

/** Leaves of a value by path; arrays are leaves (compared whole, listed by item). Secrets are skipped. */
function leaves(value: unknown, path: string[], out: Map<string, { path: string[]; value: unknown }>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'credentials') continue;
      leaves(item, [...path, key], out);
    }
    return;
  }
  out.set(path.join('.'), { path, value });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function listItems(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((item) => (item !== null && typeof item === 'object' ? formatValue(item, '') : String(item)));
}

/** The changes between two objects' leaves, all under one subject. */
function compareLeaves(
  section: DiffSection,
  subject: string,
  pathPrefix: string,
  before: unknown,
  after: unknown,
  skip: ReadonlySet<string> = new Set(),
): ConfigurationChange[] {
  const a = new Map<string, { path: string[]; value: unknown }>();
  const b = new Map<string, { path: string[]; value: unknown }>();
  leaves(before, [], a);
  leaves(after, [], b);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const changes: ConfigurationChange[] = [];
  for (const key of keys) {
    if (skip.has(key)) continue;
    const was = a.get(key);
    const now = b.get(key);
    if (same(was?.value, now?.value)) continue;
    const path = (now ?? was)!.path;
    const last = path.at(-1) ?? '';
    const change: ConfigurationChange = {
      section,
      kind: was === undefined || was.value === undefined ? 'added' : now === undefined || now.value === undefined ? 'removed' : 'changed',
      subject,
      setting: labelOf([...pathPrefix.split('.').filter(Boolean), ...path]),
      path: [pathPrefix, key].filter(Boolean).join('.'),
      before: was === undefined ? null : formatValue(was.value, last),
      after: now === undefined ? null : formatValue(now.value, last),
    };
    const oldItems = listItems(was?.value);
    const newItems = listItems(now?.value);
    if (oldItems || newItems) {
      change.kind = 'changed';
      change.added = (newItems ?? []).filter((item) => !(oldItems ?? []).includes(item));
      change.removed = (oldItems ?? []).filter((item) => !(newItems ?? []).includes(item));
    }
    changes.push(change);
  }
  return changes;
}

function ruleSubject(rule: RuleDefinition): string {
  return `Rule “${rule.name}” (${rule.id})`;
}

function ruleSummary(rule: RuleDefinition): string {
  const params = Object.entries(rule.params as Record<string, unknown>)
    .map(([key, value]) => `${labelOf(['params', key])}: ${formatValue(value, key)}`)
    .join('; ');
  return `${rule.kind}, weight ${rule.weight}, ${rule.enabled ? 'enabled' : 'disabled'}${params ? ` — ${params}` : ''}`;
}

function compareRules(before: readonly RuleDefinition[], after: readonly RuleDefinition[]): ConfigurationChange[] {
  const old = new Map(before.map((r) => [r.id, r]));
  const next = new Map(after.map((r) => [r.id, r]));
  const changes: ConfigurationChange[] = [];
  for (const rule of after) {
    const was = old.get(rule.id);
    if (!was) {
      changes.push({
        section: 'Rules',
        kind: 'added',
        subject: ruleSubject(rule),
        setting: null,
        path: `riskRules.${rule.id}`,
        before: null,
        after: ruleSummary(rule),
      });
      continue;
    }
    const subject = ruleSubject(rule.name === was.name ? rule : was);
    if (was.kind !== rule.kind) {
      changes.push({
        section: 'Rules',
        kind: 'changed',
        subject,
        setting: 'Kind',
        path: `riskRules.${rule.id}.kind`,
        before: ruleSummary(was),
        after: ruleSummary(rule),
      });
      continue;
    }
    changes.push(...compareLeaves('Rules', subject, `riskRules.${rule.id}`, was, rule, new Set(['id', 'kind', 'family'])));
  }
  for (const rule of before) {
    if (!next.has(rule.id))
      changes.push({
        section: 'Rules',
        kind: 'removed',
        subject: ruleSubject(rule),
        setting: null,
        path: `riskRules.${rule.id}`,
        before: ruleSummary(rule),
        after: null,
      });
  }
  return changes;
}

const SUBJECTS: Record<string, string> = {
  thresholds: 'Thresholds',
  decisionCriteria: 'Decisions',
  bankFraudApiConfig: 'Bank engine',
  timeoutConfig: 'Time limits',
  retryConfig: 'Retries',
  circuitBreakerConfig: 'Circuit breaker',
  fallbackConfig: 'Fallback',
  monitoringConfig: 'Monitoring',
  alertingConfig: 'Alert settings',
};

/** Every change from `before` (the published version) to `after` (the draft), grouped in DIFF_SECTIONS order. */
export function diffConfigurations(before: DiffableConfiguration, after: DiffableConfiguration): ConfigurationChange[] {
  const changes: ConfigurationChange[] = [];
  const keys = Object.keys(SECTION_OF) as Array<keyof DiffableConfiguration>;
  for (const key of keys) {
    const section = SECTION_OF[key]!;
    if (key === 'riskRules') {
      changes.push(...compareRules(before.riskRules, after.riskRules));
    } else if (key === 'bankFraudApiConfig' && (before.bankFraudApiConfig === null) !== (after.bankFraudApiConfig === null)) {
      const added = after.bankFraudApiConfig;
      const removed = before.bankFraudApiConfig;
      changes.push({
        section,
        kind: added ? 'added' : 'removed',
        subject: 'Bank engine',
        setting: null,
        path: key,
        before: removed ? `${removed.name} (${removed.endpointUrl})` : null,
        after: added ? `${added.name} (${added.endpointUrl})` : null,
      });
    } else if (section === 'Basics') {
      changes.push(...compareLeaves(section, 'Configuration', '', { [key]: before[key] }, { [key]: after[key] }));
    } else {
      changes.push(...compareLeaves(section, SUBJECTS[key] ?? spelled(key), key, before[key], after[key]));
    }
  }
  const order = (c: ConfigurationChange) => DIFF_SECTIONS.indexOf(c.section);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => order(x.c) - order(y.c) || x.i - y.i)
    .map(({ c }) => c);
}

/** One line per kind of change, e.g. "1 rule added, 2 rules changed, 1 threshold or decision changed". */
export function summariseChanges(changes: readonly ConfigurationChange[]): string {
  if (changes.length === 0) return 'No changes';
  const ruleIds = (kind: ConfigurationChange['kind']) => new Set(changes.filter((c) => c.section === 'Rules' && c.kind === kind).map((c) => c.subject)).size;
  const parts: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (ruleIds('added')) parts.push(`${plural(ruleIds('added'), 'rule', 'rules')} added`);
  if (ruleIds('removed')) parts.push(`${plural(ruleIds('removed'), 'rule', 'rules')} removed`);
  if (ruleIds('changed')) parts.push(`${plural(ruleIds('changed'), 'rule', 'rules')} changed`);
  const others = changes.filter((c) => c.section !== 'Rules').length;
  if (others) parts.push(`${plural(others, 'other setting', 'other settings')} changed`);
  return parts.join(', ');
}
