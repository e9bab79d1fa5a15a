import type { Heartbeat } from '../health/heartbeats.ts';
import type { Kysely } from 'kysely';
import type { Database, ConfigurationRow } from '../db/schema.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import type { ConfigurationChoice } from '../../../shared/src/assessments.ts';
import type { BankApiCredentials } from '../../../shared/src/decision-engine.ts';
import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { compileRuleSet, type CompiledRuleSet } from '../scoring/engine.ts';
import { bodyFromRow, openCredentials, type StoredBody } from './configurations.ts';
import { CONFIGURATION_REVISION } from './commands.ts';

/** A published configuration version ready to score payments. */
export interface ActiveConfiguration {
  id: string | null;
  name: string;
  version: string | null;
  versionNumber: number | null;
  body: StoredBody;
  ruleSet: CompiledRuleSet;
  credentials: BankApiCredentials;
  specificity: number;
}

/**
 * How specific a configuration is, as a bit mask so that the more important level always wins:
 * clearing system (8) > local instrument (4) > payment type (2) > payment source (1); a named
 * tenant (16) beats the "*" wildcard tenant. The same ladder as the fraud API toggles.
 */
export function specificityOf(
  body: Pick<StoredBody, 'tenantId' | 'paymentType' | 'localInstrumentationCode' | 'clearingSystemCode' | 'paymentSource'>,
): number {
  return (
    (body.tenantId !== '*' ? 16 : 0) +
    (body.clearingSystemCode ? 8 : 0) +
    (body.localInstrumentationCode ? 4 : 0) +
    (body.paymentType ? 2 : 0) +
    (body.paymentSource !== 'BOTH' ? 1 : 0)
  );
}

export function matches(body: StoredBody, payment: PaymentInput): boolean {
  return (
    (body.tenantId === '*' || body.tenantId === payment.tenantId) &&
    (body.paymentType === null || body.paymentType === payment.paymentType) &&
    (body.localInstrumentationCode === null || body.localInstrumentationCode === (payment.localInstrumentationCode ?? null)) &&
    (body.clearingSystemCode === null || body.clearingSystemCode === (payment.clearingSystemCode ?? null)) &&
    (body.paymentSource === 'BOTH' || body.paymentSource === payment.paymentSource)
  );
}

function describeScope(c: ActiveConfiguration): string {
  const b = c.body;
  const parts = [b.tenantId === '*' ? 'any tenant' : `tenant ${b.tenantId}`];
  if (b.paymentType) parts.push(`payment type ${b.paymentType}`);
  if (b.localInstrumentationCode) parts.push(`local instrument ${b.localInstrumentationCode}`);
  if (b.clearingSystemCode) parts.push(`clearing system ${b.clearingSystemCode}`);
  if (b.paymentSource !== 'BOTH') parts.push(`source ${b.paymentSource}`);
  return parts.join(', ');
}

/** The rules that apply when no configuration matches: the shipped defaults, never the bank engine. */
function builtInDefault(): ActiveConfiguration {
  const template = newConfigurationTemplate();
  const body: StoredBody = { ...template, configurationName: 'Built-in default rules', tenantId: '*', bankFraudApiConfig: null };
  return {
    id: null,
    name: body.configurationName,
    version: null,
    versionNumber: null,
    body,
    ruleSet: compileRuleSet(body.riskRules, body.thresholds, body.decisionCriteria),
    credentials: {},
    specificity: -1,
  };
}

/**
 * The published, enabled configurations, compiled, in memory. Choosing one per payment is a scan
 * of a handful of entries. Reloaded when this process changes a configuration and, for other hubs
 * over the same database, when the shared revision counter moves (checked every second).
 */
export class ConfigurationRegistry {
  private active: ActiveConfiguration[] = [];
  private readonly fallback = builtInDefault();
  private revision = -1;
  private timer: NodeJS.Timeout | null = null;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly onReload?: (configurations: readonly ActiveConfiguration[]) => void,
  ) {}

  /** Polls for other hubs' changes; each finished poll beats `heartbeat` (readiness, health/heartbeats.ts). */
  async start(pollMs = 1000, heartbeat?: Heartbeat): Promise<void> {
    await this.reload();
    this.timer = setInterval(
      () =>
        void this.reloadIfChanged()
          .catch(() => undefined)
          .finally(() => heartbeat?.beat()),
      pollMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get configurations(): readonly ActiveConfiguration[] {
    return this.active;
  }

  /** The rules that apply when no configuration matches (stored assessments name it with a null id). */
  get builtInDefault(): ActiveConfiguration {
    return this.fallback;
  }

  async reloadIfChanged(): Promise<void> {
    const row = await this.db.selectFrom('counters').select('value').where('name', '=', CONFIGURATION_REVISION).executeTakeFirst();
    if (Number(row?.value ?? 0) !== this.revision) await this.reload();
  }

  /** Resolves once every reload asked for so far has finished: scoring waits for it, so a committed change applies to the next payment. */
  settled(): Promise<void> {
    return this.tail.catch(() => undefined);
  }

  /** Loads serialise, and each call gets a load that starts after it: no stale in-flight load can answer it. */
  reload(): Promise<void> {
    this.tail = this.tail.then(
      () => this.load(),
      () => this.load(),
    );
    return this.tail;
  }

  private async load(): Promise<void> {
    const counter = await this.db.selectFrom('counters').select('value').where('name', '=', CONFIGURATION_REVISION).executeTakeFirst();
    const rows = await this.db.selectFrom('fraud_risk_configurations').selectAll().where('deleted_at', 'is', null).where('version_number', '>', 0).execute();
    const next: ActiveConfiguration[] = [];
    for (const row of rows) {
      const body = bodyFromRow(row);
      if (!body.isEnabled) continue;
      next.push(this.compile(row, body));
    }
    next.sort((a, b) => b.specificity - a.specificity || a.body.priority - b.body.priority || (a.id ?? '').localeCompare(b.id ?? ''));
    this.active = next;
    this.revision = Number(counter?.value ?? 0);
    this.onReload?.(next);
  }

  private compile(row: ConfigurationRow, body: StoredBody): ActiveConfiguration {
    let credentials: BankApiCredentials = {};
    try {
      credentials = openCredentials(this.box, row.bank_api_credentials);
    } catch {
      // A key mismatch leaves the engine without credentials; its calls then fail visibly.
    }
    return {
      id: row.id,
      name: body.configurationName,
      version: row.version,
      versionNumber: row.version_number,
      body,
      ruleSet: compileRuleSet(body.riskRules, body.thresholds, body.decisionCriteria),
      credentials,
      specificity: specificityOf(body),
    };
  }

  /**
   * The configuration for a payment: among enabled configurations matching its tenant, payment
   * type, local instrument, clearing system and source, the most specific wins, then the lowest
   * priority number, then the oldest id (stable). No match → the built-in default rules.
   */
  choose(payment: PaymentInput): { configuration: ActiveConfiguration; choice: ConfigurationChoice } {
    const matching = this.active.filter((c) => matches(c.body, payment));
    const [winner, ...others] = matching;
    if (!winner) {
      return {
        configuration: this.fallback,
        choice: {
          configurationId: null,
          configurationName: this.fallback.name,
          version: null,
          versionNumber: null,
          specificity: -1,
          priority: null,
          reason: `No enabled configuration matches tenant ${payment.tenantId}, ${payment.paymentType}${payment.clearingSystemCode ? ` via ${payment.clearingSystemCode}` : ''}: the built-in default rules applied`,
          alsoMatched: [],
        },
      };
    }
    const runnerUp = others[0];
    let why = `matches ${describeScope(winner)}`;
    if (runnerUp) {
      why +=
        runnerUp.specificity < winner.specificity
          ? `; more specific than "${runnerUp.name}" (${describeScope(runnerUp)})`
          : `; as specific as "${runnerUp.name}" but priority ${winner.body.priority} comes before ${runnerUp.body.priority}`;
    }
    return {
      configuration: winner,
      choice: {
        configurationId: winner.id,
        configurationName: winner.name,
        version: winner.version,
        versionNumber: winner.versionNumber,
        specificity: winner.specificity,
        priority: winner.body.priority,
        reason: `"${winner.name}" ${winner.version}: ${why}`,
        alsoMatched: others.map((o) => ({ configurationId: o.id!, configurationName: o.name, specificity: o.specificity, priority: o.body.priority })),
      },
    };
  }

  /** Compiles any stored version (drafts and old versions, for backtests and the connectivity test). */
  async loadVersion(configurationId: string, versionNumber: number): Promise<ActiveConfiguration | null> {
    const version = await this.db
      .selectFrom('fraud_risk_configuration_versions')
      .selectAll()
      .where('configuration_id', '=', configurationId)
      .where('version_number', '=', versionNumber)
      .executeTakeFirst();
    if (!version) return null;
    const body = (typeof version.body === 'string' ? JSON.parse(version.body) : version.body) as StoredBody;
    let credentials: BankApiCredentials = {};
    try {
      credentials = openCredentials(this.box, version.bank_api_credentials);
    } catch {
      // as above
    }
    return {
      id: configurationId,
      name: body.configurationName,
      version: version.version,
      versionNumber: version.version_number,
      body,
      ruleSet: compileRuleSet(body.riskRules, body.thresholds, body.decisionCriteria),
      credentials,
      specificity: specificityOf(body),
    };
  }
}
