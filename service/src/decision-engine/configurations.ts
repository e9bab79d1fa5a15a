import type { SecretBox } from '../auth/secret-box.ts';
import { fromJson, fromJsonOrNull, toBool, toIso, toIsoOrNull, dbBool } from '../db/database.ts';
import type { ConfigurationRow, ConfigurationVersionRow } from '../db/schema.ts';
import {
  BankApiCredentials,
  ConfigurationBody,
  FraudRiskConfiguration,
  ConfigurationVersion,
  type BankApiSettingsInput,
  type BankApiSettingsView,
  type CredentialsSet,
  type ParsedConfigurationInput,
} from '../../../shared/src/decision-engine.ts';
import { z } from 'zod';

/** The stored body of a version: the editable fields plus the bank API settings without secrets. */
export const StoredBody = ConfigurationBody.safeExtend({ bankFraudApiConfig: z.custom<BankApiSettingsView | null>() });
export type StoredBody = z.infer<typeof StoredBody>;

export const versionLabel = (versionNumber: number) => `${versionNumber}.0`;

/**
 * Merges newly entered credentials over the stored ones (an omitted field keeps its value) and
 * seals the result. Values for secret headers no longer named by the auth settings are dropped.
 */
export function mergeCredentials(
  box: SecretBox,
  settings: BankApiSettingsInput | null,
  storedSealed: string | null,
): { sealed: string | null; credentialsSet: CredentialsSet } {
  const empty: CredentialsSet = { apiKey: false, password: false, token: false, headerNames: [] };
  if (!settings) return { sealed: null, credentialsSet: empty };
  const stored = storedSealed ? openCredentials(box, storedSealed) : {};
  const entered = settings.credentials ?? {};
  const merged: BankApiCredentials = {
    apiKey: entered.apiKey ?? stored.apiKey,
    password: entered.password ?? stored.password,
    token: entered.token ?? stored.token,
    headerValues: { ...(stored.headerValues ?? {}), ...(entered.headerValues ?? {}) },
  };
  const secretHeaders = settings.auth.kind === 'CUSTOM_HEADERS' ? settings.auth.headerNames : [];
  merged.headerValues = Object.fromEntries(Object.entries(merged.headerValues ?? {}).filter(([name]) => secretHeaders.includes(name)));
  const credentialsSet: CredentialsSet = {
    apiKey: Boolean(merged.apiKey),
    password: Boolean(merged.password),
    token: Boolean(merged.token),
    headerNames: Object.keys(merged.headerValues ?? {}),
  };
  const anything = credentialsSet.apiKey || credentialsSet.password || credentialsSet.token || credentialsSet.headerNames.length > 0;
  return { sealed: anything ? box.seal(JSON.stringify(merged)) : null, credentialsSet };
}

export function openCredentials(box: SecretBox, sealed: string | null): BankApiCredentials {
  if (!sealed) return {};
  return BankApiCredentials.parse(JSON.parse(box.open(sealed)));
}

/** The body to store: input minus write-only credentials and the change note. */
export function storedBodyOf(input: ParsedConfigurationInput, credentialsSet: CredentialsSet): StoredBody {
  const { bankFraudApiConfig, changeNote: _changeNote, ...rest } = input;
  let bank: BankApiSettingsView | null = null;
  if (bankFraudApiConfig) {
    const { credentials: _credentials, ...settings } = bankFraudApiConfig;
    bank = { ...settings, credentialsSet };
  }
  return { ...rest, bankFraudApiConfig: bank };
}

/** Column values of fraud_risk_configurations for a body (JSON columns as text). */
/** SQLite stores booleans as 0/1. */
export function configurationColumns(body: StoredBody, dialect: 'sqlite' | 'postgres') {
  return {
    configuration_name: body.configurationName,
    tenant_id: body.tenantId,
    payment_type: body.paymentType,
    local_instrumentation_code: body.localInstrumentationCode,
    clearing_system_code: body.clearingSystemCode,
    payment_source: body.paymentSource,
    risk_assessment_type: body.riskAssessmentType,
    bank_fraud_api_config: body.bankFraudApiConfig === null ? null : JSON.stringify(body.bankFraudApiConfig),
    risk_rules: JSON.stringify(body.riskRules),
    decision_criteria: JSON.stringify(body.decisionCriteria),
    thresholds: JSON.stringify(body.thresholds),
    timeout_config: JSON.stringify(body.timeoutConfig),
    retry_config: JSON.stringify(body.retryConfig),
    circuit_breaker_config: JSON.stringify(body.circuitBreakerConfig),
    fallback_config: JSON.stringify(body.fallbackConfig),
    monitoring_config: JSON.stringify(body.monitoringConfig),
    alerting_config: JSON.stringify(body.alertingConfig),
    is_enabled: dbBool(dialect, body.isEnabled),
    priority: body.priority,
    description: body.description,
  };
}

export function bodyFromRow(row: ConfigurationRow): StoredBody {
  return {
    configurationName: row.configuration_name,
    tenantId: row.tenant_id,
    paymentType: row.payment_type,
    localInstrumentationCode: row.local_instrumentation_code,
    clearingSystemCode: row.clearing_system_code,
    paymentSource: row.payment_source as StoredBody['paymentSource'],
    riskAssessmentType: row.risk_assessment_type as StoredBody['riskAssessmentType'],
    bankFraudApiConfig: fromJsonOrNull<BankApiSettingsView>(row.bank_fraud_api_config),
    riskRules: fromJson(row.risk_rules),
    decisionCriteria: fromJson(row.decision_criteria),
    thresholds: fromJson(row.thresholds),
    timeoutConfig: fromJson(row.timeout_config),
    retryConfig: fromJson(row.retry_config),
    circuitBreakerConfig: fromJson(row.circuit_breaker_config),
    fallbackConfig: fromJson(row.fallback_config),
    monitoringConfig: fromJson(row.monitoring_config),
    alertingConfig: fromJson(row.alerting_config),
    isEnabled: toBool(row.is_enabled),
    priority: row.priority,
    description: row.description,
  };
}

export function toConfiguration(row: ConfigurationRow, draft: ConfigurationVersionRow | null): FraudRiskConfiguration {
  return FraudRiskConfiguration.parse({
    ...bodyFromRow(row),
    id: row.id,
    version: row.version,
    versionNumber: row.version_number,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    draft: draft ? { versionNumber: draft.version_number, updatedAt: toIso(draft.created_at), updatedBy: draft.created_by } : null,
    rowVersion: row.row_version,
  });
}

export function toConfigurationVersion(row: ConfigurationVersionRow): ConfigurationVersion {
  return ConfigurationVersion.parse({
    configurationId: row.configuration_id,
    versionNumber: row.version_number,
    version: row.version,
    status: row.status,
    body: fromJson(row.body),
    changeNote: row.change_note,
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    publishedAt: toIsoOrNull(row.published_at),
    publishedBy: row.published_by,
    backtestId: row.backtest_id,
  });
}

/** What the audit log keeps of a configuration: everything but rules in full (their ids and weights suffice to diff). */
export function auditView(body: StoredBody, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    ...extra,
    ...body,
    riskRules: body.riskRules.map((r) => ({ id: r.id, kind: r.kind, weight: r.weight, enabled: r.enabled, params: r.params })),
  };
}
