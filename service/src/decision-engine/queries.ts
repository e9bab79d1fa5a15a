import type { BacktestList } from '../../../shared/src/backtests.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseDialect } from '../db/database.ts';
import { dbBool } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { Actor } from '../commands/bus.ts';
import type {
  Backtest,
  BacktestRequest,
  BankApiTestResult,
  ConfigurationListQuery,
  ConfigurationVersion,
  FraudRiskConfiguration,
} from '../../../shared/src/decision-engine.ts';
import { toConfiguration, toConfigurationVersion } from './configurations.ts';
import { configurationTenants, configurationVisible } from './tenancy.ts';
import type { DecisionEngine } from './decision-engine.ts';

/**
 * The decision engine's reads (ARCHITECTURE.md rule 2: one query per handler), scoped to the
 * caller's tenants: a configuration of another tenant does not exist for the caller (404), those
 * of every tenant ("*") are visible to all (ARCHITECTURE.md "Tenants").
 */

export async function listConfigurations(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  query: ConfigurationListQuery,
  scope: TenantScope,
): Promise<FraudRiskConfiguration[]> {
  let q = db.selectFrom('fraud_risk_configurations').selectAll().where('deleted_at', 'is', null);
  const tenants = configurationTenants(scope);
  if (tenants) q = q.where('tenant_id', 'in', tenants);
  if (query.tenantId) q = q.where('tenant_id', '=', query.tenantId);
  if (query.enabled !== undefined) q = q.where('is_enabled', '=', dbBool(dialect, query.enabled));
  if (query.search)
    q = q.where((eb) => eb(eb.fn('lower', ['configuration_name']), 'like', `%${query.search!.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  const rows = await q.orderBy('tenant_id').orderBy('priority').orderBy('configuration_name').execute();
  const drafts =
    rows.length === 0
      ? []
      : await db
          .selectFrom('fraud_risk_configuration_versions')
          .selectAll()
          .where('status', '=', 'DRAFT')
          .where(
            'configuration_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
  const draftOf = new Map(drafts.map((d) => [d.configuration_id, d]));
  return rows.map((r) => toConfiguration(r, draftOf.get(r.id) ?? null));
}

/** A configuration row the caller may see; deleted ones only when asked (their versions stay readable). */
async function visibleRow(db: Kysely<Database>, id: string, scope: TenantScope, includeDeleted = false) {
  let q = db.selectFrom('fraud_risk_configurations').selectAll().where('id', '=', id);
  if (!includeDeleted) q = q.where('deleted_at', 'is', null);
  const row = await q.executeTakeFirst();
  if (!row || !configurationVisible(scope, row.tenant_id)) throw notFound('configuration');
  return row;
}

export async function getConfiguration(db: Kysely<Database>, id: string, scope: TenantScope): Promise<FraudRiskConfiguration> {
  const row = await visibleRow(db, id, scope);
  const draft = await db
    .selectFrom('fraud_risk_configuration_versions')
    .selectAll()
    .where('configuration_id', '=', id)
    .where('status', '=', 'DRAFT')
    .executeTakeFirst();
  return toConfiguration(row, draft ?? null);
}

export async function listVersions(db: Kysely<Database>, id: string, scope: TenantScope): Promise<ConfigurationVersion[]> {
  await visibleRow(db, id, scope, true);
  const rows = await db
    .selectFrom('fraud_risk_configuration_versions')
    .selectAll()
    .where('configuration_id', '=', id)
    .orderBy('version_number', 'desc')
    .execute();
  return rows.map(toConfigurationVersion);
}

export async function getVersion(db: Kysely<Database>, id: string, versionNumber: number, scope: TenantScope): Promise<ConfigurationVersion> {
  await visibleRow(db, id, scope, true);
  const row = await db
    .selectFrom('fraud_risk_configuration_versions')
    .selectAll()
    .where('configuration_id', '=', id)
    .where('version_number', '=', versionNumber)
    .executeTakeFirst();
  if (!row) throw notFound('configuration version');
  return toConfigurationVersion(row);
}

/**
 * Seed 003: tests the bank's fraud API with a configuration's stored settings (the draft's if
 * asked), sending a fixed sample payment stamped with the service clock's time.
 */
export async function testBankApi(
  engine: DecisionEngine,
  db: Kysely<Database>,
  id: string,
  useDraft: boolean,
  scope: TenantScope,
  now: Date,
): Promise<BankApiTestResult> {
  const configuration = await getConfiguration(db, id, scope);
  const versionNumber = useDraft ? configuration.draft?.versionNumber : configuration.versionNumber;
  if (versionNumber === undefined || versionNumber === 0) throw notFound(useDraft ? 'draft' : 'published version');
  const version = await engine.registry.loadVersion(id, versionNumber);
  const bank = version?.body.bankFraudApiConfig;
  if (!version || !bank) throw notFound('bank fraud engine settings on this version');
  const at = now.toISOString();
  const sample = {
    transactionReference: `TEST-${now.getTime()}`,
    tenantId: version.body.tenantId === '*' ? 'WEKEZA-KE' : version.body.tenantId,
    paymentType: version.body.paymentType ?? 'INSTANT_TRANSFER',
    paymentSource: 'BANK_CLIENT' as const,
    amount: 25_000,
    currency: 'KES',
    timestamp: at,
    channel: 'MOBILE' as const,
    country: 'KE',
    customerId: 'CONNECTIVITY-TEST',
    debtorAccount: '0000000000',
    creditorAccount: '0000000001',
    description: 'Connectivity test from Wekeza Risk Workstation',
  };
  return engine.adapter.test({
    key: `test:${id}:${versionNumber}`,
    settings: bank,
    credentials: version.credentials,
    timeout: version.body.timeoutConfig,
    retry: version.body.retryConfig,
    breaker: version.body.circuitBreakerConfig,
    context: {
      payment: sample,
      amountKes: sample.amount,
      assessmentId: 'FRA-CONNECTIVITY-TEST',
      now: at,
      local: { riskScore: 0, riskLevel: 'LOW', decision: 'APPROVE' },
    },
  });
}

/** Starts a backtest of a configuration the caller may see (read-only: it needs no command). */
export async function startBacktest(
  engine: DecisionEngine,
  db: Kysely<Database>,
  id: string,
  request: BacktestRequest,
  actor: Actor,
  scope: TenantScope,
): Promise<Backtest> {
  await visibleRow(db, id, scope);
  return (await engine.backtests.start(id, request, actor)).backtest;
}

/** A configuration's stored backtests, newest first; another tenant's configuration is not found (404). */
export async function configurationBacktests(engine: DecisionEngine, db: Kysely<Database>, id: string, scope: TenantScope): Promise<BacktestList> {
  await visibleRow(db, id, scope, true);
  return { items: await engine.backtests.list(id) };
}

/** A backtest follows its configuration: one of another tenant's configurations is not found (404). */
export async function visibleBacktest(engine: DecisionEngine, db: Kysely<Database>, id: string, scope: TenantScope): Promise<Backtest> {
  const backtest = await engine.backtests.get(id);
  await visibleRow(db, backtest.configurationId, scope, true).catch(() => {
    throw notFound('backtest');
  });
  return backtest;
}
