import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { notFound } from '../errors.ts';
import {
  AnomalyTrainRequest,
  BacktestRequest,
  BankApiTestRequest,
  ConfigurationListQuery,
  FraudRiskHealth,
  StatisticsQuery,
  type BankApiTestResult,
  type FraudRiskConfiguration,
  type FraudRiskMetrics,
} from '../../../shared/src/decision-engine.ts';
import { toConfiguration, toConfigurationVersion } from './configurations.ts';
import { fraudRiskStatistics } from './statistics.ts';
import { storeAnomalyModel, trainingSample, trainModel, loadActiveModel } from './anomaly-model.ts';
import { dbBool } from '../db/database.ts';

const IdParams = z.object({ id: z.uuid() });
const BASE = '/api/v1/fraud-risk';

/** Seed 003 configuration management, backtests, the anomaly model, statistics, metrics and health. */
export function registerDecisionEngineRoutes(ctx: ServiceContext): void {
  const { app, authenticator, db, bus } = ctx;
  const engine = ctx.decisionEngine;
  const commands = engine.commands;

  /** Runs a configuration command and makes its effect live before answering. */
  async function change<R>(run: Promise<R>): Promise<R> {
    const result = await run;
    await engine.registry.reload();
    return result;
  }

  async function listConfigurations(query: ConfigurationListQuery): Promise<FraudRiskConfiguration[]> {
    let q = db.kysely.selectFrom('fraud_risk_configurations').selectAll().where('deleted_at', 'is', null);
    if (query.tenantId) q = q.where('tenant_id', '=', query.tenantId);
    if (query.enabled !== undefined) q = q.where('is_enabled', '=', dbBool(db.dialect, query.enabled));
    if (query.search) q = q.where((eb) => eb(eb.fn('lower', ['configuration_name']), 'like', `%${query.search!.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
    const rows = await q.orderBy('tenant_id').orderBy('priority').orderBy('configuration_name').execute();
    const drafts = rows.length === 0 ? [] : await db.kysely.selectFrom('fraud_risk_configuration_versions').selectAll().where('status', '=', 'DRAFT').where('configuration_id', 'in', rows.map((r) => r.id)).execute();
    const draftOf = new Map(drafts.map((d) => [d.configuration_id, d]));
    return rows.map((r) => toConfiguration(r, draftOf.get(r.id) ?? null));
  }

  async function getConfiguration(id: string): Promise<FraudRiskConfiguration> {
    const row = await db.kysely.selectFrom('fraud_risk_configurations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('configuration');
    const draft = await db.kysely.selectFrom('fraud_risk_configuration_versions').selectAll().where('configuration_id', '=', id).where('status', '=', 'DRAFT').executeTakeFirst();
    return toConfiguration(row, draft ?? null);
  }

  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations`, access: 'configuration:read', query: ConfigurationListQuery, handler: ({ query }) => listConfigurations(query) });
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/configurations/:id`, access: 'configuration:read', params: IdParams, handler: ({ params }) => getConfiguration(params.id) });
  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/configurations`, access: 'configuration:manage', status: 201,
    handler: ({ principal, request }) => change(bus.execute(commands.create, request.body, principal.actor, { requestId: request.id })),
  });
  addRoute(app, authenticator, {
    method: 'PUT', url: `${BASE}/configurations/:id`, access: 'configuration:manage', params: IdParams,
    handler: ({ principal, params, request }) => change(bus.execute(commands.update, { ...(request.body as object), id: params.id }, principal.actor, { requestId: request.id })),
  });
  addRoute(app, authenticator, {
    method: 'DELETE', url: `${BASE}/configurations/:id`, access: 'configuration:manage', params: IdParams, status: 204,
    query: z.object({ expectedRowVersion: z.coerce.number().int().positive() }),
    async handler({ principal, params, query, request }) {
      await change(bus.execute(commands.remove, { id: params.id, expectedRowVersion: query.expectedRowVersion }, principal.actor, { requestId: request.id }));
      return undefined;
    },
  });

  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/configurations/:id/versions`, access: 'configuration:read', params: IdParams,
    async handler({ params }) {
      await getConfiguration(params.id).catch(async (error: unknown) => {
        // Versions of a deleted configuration stay readable.
        const exists = await db.kysely.selectFrom('fraud_risk_configurations').select('id').where('id', '=', params.id).executeTakeFirst();
        if (!exists) throw error;
      });
      const rows = await db.kysely.selectFrom('fraud_risk_configuration_versions').selectAll().where('configuration_id', '=', params.id).orderBy('version_number', 'desc').execute();
      return rows.map(toConfigurationVersion);
    },
  });
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/configurations/:id/versions/:versionNumber`, access: 'configuration:read',
    params: z.object({ id: z.uuid(), versionNumber: z.coerce.number().int().positive() }),
    async handler({ params }) {
      const row = await db.kysely.selectFrom('fraud_risk_configuration_versions').selectAll().where('configuration_id', '=', params.id).where('version_number', '=', params.versionNumber).executeTakeFirst();
      if (!row) throw notFound('configuration version');
      return toConfigurationVersion(row);
    },
  });
  addRoute(app, authenticator, {
    method: 'PUT', url: `${BASE}/configurations/:id/draft`, access: 'configuration:manage', params: IdParams,
    handler: ({ principal, params, request }) => bus.execute(commands.saveDraft, { ...(request.body as object), id: params.id }, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, {
    method: 'DELETE', url: `${BASE}/configurations/:id/draft`, access: 'configuration:manage', params: IdParams, status: 204,
    async handler({ principal, params, request }) {
      await bus.execute(commands.discardDraft, { id: params.id }, principal.actor, { requestId: request.id });
      return undefined;
    },
  });
  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/configurations/:id/draft/publish`, access: 'configuration:manage', params: IdParams,
    handler: ({ principal, params, request }) => change(bus.execute(commands.publishDraft, { ...(request.body as object), id: params.id }, principal.actor, { requestId: request.id })),
  });

  // Seed 003: test the bank's fraud API connectivity with the stored settings (the draft's if asked).
  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/configurations/:id/test-api`, access: 'configuration:manage', params: IdParams, body: BankApiTestRequest,
    async handler({ params, body }): Promise<BankApiTestResult> {
      const configuration = await getConfiguration(params.id);
      const versionNumber = body.useDraft ? configuration.draft?.versionNumber : configuration.versionNumber;
      if (versionNumber === undefined || versionNumber === 0) throw notFound(body.useDraft ? 'draft' : 'published version');
      const version = await engine.registry.loadVersion(params.id, versionNumber);
      const bank = version?.body.bankFraudApiConfig;
      if (!version || !bank) throw notFound('bank fraud engine settings on this version');
      const sample = { transactionReference: `TEST-${Date.now()}`, tenantId: version.body.tenantId === '*' ? 'WEKEZA-KE' : version.body.tenantId, paymentType: version.body.paymentType ?? 'INSTANT_TRANSFER', paymentSource: 'BANK_CLIENT' as const, amount: 25_000, currency: 'KES', timestamp: new Date().toISOString(), channel: 'MOBILE' as const, country: 'KE', customerId: 'CONNECTIVITY-TEST', debtorAccount: '0000000000', creditorAccount: '0000000001', description: 'Connectivity test from Wekeza Risk Workstation' };
      return engine.adapter.test({
        key: `test:${params.id}:${versionNumber}`, settings: bank, credentials: version.credentials, timeout: version.body.timeoutConfig, retry: version.body.retryConfig, breaker: version.body.circuitBreakerConfig,
        context: { payment: sample, amountKes: sample.amount, assessmentId: 'FRA-CONNECTIVITY-TEST', now: new Date().toISOString(), local: { riskScore: 0, riskLevel: 'LOW', decision: 'APPROVE' } },
      });
    },
  });

  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/configurations/:id/backtests`, access: 'configuration:manage', params: IdParams, body: BacktestRequest, status: 202,
    async handler({ principal, params, body }) {
      await getConfiguration(params.id);
      return (await engine.backtests.start(params.id, body, principal.actor)).backtest;
    },
  });
  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/backtests/:id`, access: 'configuration:read', params: z.object({ id: z.string().max(64) }), handler: async ({ params }) => engine.backtests.get(params.id) });
  addRoute(app, authenticator, { method: 'POST', url: `${BASE}/backtests/:id/cancel`, access: 'configuration:manage', params: z.object({ id: z.string().max(64) }), handler: async ({ params }) => engine.backtests.cancel(params.id) });

  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/anomaly-model`, access: 'configuration:read', handler: async () => engine.anomalyModel });
  addRoute(app, authenticator, {
    method: 'POST', url: `${BASE}/anomaly-model/train`, access: 'configuration:manage', body: AnomalyTrainRequest,
    async handler({ principal, body, request }) {
      const sample = await trainingSample(db.kysely, body.days, new Date());
      const trained = trainModel(sample, body, Date.now() >>> 0);
      const info = await bus.execute(storeAnomalyModel, trained, principal.actor, { requestId: request.id });
      const active = await loadActiveModel(db.kysely);
      engine.facts.anomaly = active?.scorer ?? null;
      engine.anomalyModel = active?.info ?? info;
      return info;
    },
  });

  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/statistics`, access: 'assessment:read', query: StatisticsQuery,
    handler: ({ query }) => fraudRiskStatistics(db.kysely, db.dialect, query, 250),
  });
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/metrics`, access: 'assessment:read',
    async handler(): Promise<FraudRiskMetrics> {
      const s = engine.pipeline.stats;
      const n = Math.min(s.latencyCount, s.latencies.length);
      const sorted = Float64Array.from(s.latencies.subarray(0, n)).sort();
      const at = (p: number) => (n === 0 ? 0 : Math.round(sorted[Math.min(n - 1, Math.floor(p * n))]! * 100) / 100);
      return {
        since: s.since.toISOString(),
        assessments: s.assessments,
        perSecondLastMinute: Math.round(engine.pipeline.ratePerSecond() * 100) / 100,
        latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: n === 0 ? 0 : Math.round(sorted[n - 1]! * 100) / 100 },
        engineCalls: s.engineCalls, engineFailures: s.engineFailures, fallbacks: s.fallbacks, ruleErrors: s.ruleErrors, shortCircuited: s.shortCircuited,
      };
    },
  });
  addRoute(app, authenticator, {
    method: 'GET', url: `${BASE}/health`, access: 'assessment:read',
    async handler({ reply }) {
      let database: 'UP' | 'DOWN' = 'UP';
      let pending = 0;
      try {
        const row = await db.kysely.selectFrom('fraud_risk_assessments').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', 'in', ['PENDING', 'IN_PROGRESS']).executeTakeFirst();
        pending = Number(row?.n ?? 0);
      } catch {
        database = 'DOWN';
      }
      const status = new Map(engine.adapter.status().map((s) => [s.key, s]));
      const bankEngines = engine.registry.configurations
        .filter((c) => c.id && c.body.bankFraudApiConfig?.enabled)
        .map((c) => {
          const s = status.get(`${c.id}:${c.versionNumber}`);
          return { configurationId: c.id!, configurationName: c.name, name: c.body.bankFraudApiConfig!.name, breakerState: s?.breakerState ?? 'CLOSED', lastError: s?.lastError ?? null, lastSuccessAt: s?.lastSuccessAt ?? null };
        });
      const degraded = bankEngines.some((b) => b.breakerState !== 'CLOSED');
      const health = FraudRiskHealth.parse({
        status: database === 'DOWN' ? 'DOWN' : degraded ? 'DEGRADED' : 'UP',
        database,
        checkedAt: new Date().toISOString(),
        writer: { queued: engine.pipeline.writer.queued, lastBatchSize: engine.pipeline.writer.lastBatchSize, lastFlushMs: Math.round(engine.pipeline.writer.lastFlushMs * 100) / 100 },
        anomalyModel: engine.anomalyModel,
        bankEngines,
        pendingAssessments: pending,
      });
      if (health.status === 'DOWN') reply.code(503);
      return health;
    },
  });
}
