import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import type { ServiceContext } from '../context.ts';
import { decisionEngineOperations as ops } from '../../../shared/src/contract/decision-engine.ts';
import { readScope } from '../assessments/queries.ts';
import { fraudRiskStatistics } from './statistics.ts';
import { fraudRiskHealth, fraudRiskMetrics } from './monitoring.ts';
import {
  configurationBacktests,
  getConfiguration,
  getVersion,
  listConfigurations,
  listVersions,
  startBacktest,
  testBankApi,
  visibleBacktest,
} from './queries.ts';
import { backtestOperations } from '../../../shared/src/contract/backtests.ts';
import { trainAnomalyModel } from './training.ts';

/** Assessments slower than this count as slow in the statistics. */
/** Assessments decided by the built-in rules count as slow against the shipped template's limit. */
const DEFAULT_SLOW_MS = newConfigurationTemplate().monitoringConfig.slowAssessmentMs;

/**
 * Seed 003 configuration management, backtests, the anomaly model, statistics, metrics and health
 * (ARCHITECTURE.md rule 2: declared in shared/src/contract/decision-engine.ts). Each handler calls
 * one command or one query. Configuration commands check the tenant themselves (a replay by name
 * is checked too); the registry reloads after them on the bus's after-commit hook
 * (decision-engine.ts, ARCHITECTURE.md rule 1), not here.
 */
export function registerDecisionEngineRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const engine = ctx.decisionEngine;
  const commands = engine.commands;
  const kysely = db.kysely;

  operations.implement(ops.listConfigurations, ({ scope, query }) => listConfigurations(kysely, db.dialect, query, scope));
  operations.implement(ops.getConfiguration, ({ scope, params }) => getConfiguration(kysely, params.id, scope));
  operations.implement(ops.createConfiguration, ({ principal, body, request }) =>
    bus.execute(commands.create, body, principal.actor, { requestId: request.id }),
  );
  operations.implement(ops.updateConfiguration, ({ principal, params, body, request }) =>
    bus.execute(commands.update, { ...body, id: params.id }, principal.actor, { requestId: request.id }),
  );
  operations.implement(ops.deleteConfiguration, async ({ principal, params, query, request }) => {
    await bus.execute(commands.remove, { id: params.id, expectedRowVersion: query.expectedRowVersion }, principal.actor, { requestId: request.id });
  });

  operations.implement(ops.listVersions, ({ scope, params }) => listVersions(kysely, params.id, scope));
  operations.implement(ops.getVersion, ({ scope, params }) => getVersion(kysely, params.id, params.versionNumber, scope));
  operations.implement(ops.saveDraft, ({ principal, params, body, request }) =>
    bus.execute(commands.saveDraft, { ...body, id: params.id }, principal.actor, { requestId: request.id }),
  );
  operations.implement(ops.discardDraft, async ({ principal, params, request }) => {
    await bus.execute(commands.discardDraft, { id: params.id }, principal.actor, { requestId: request.id });
  });
  operations.implement(ops.publishDraft, ({ principal, params, body, request }) =>
    bus.execute(commands.publishDraft, { ...body, id: params.id }, principal.actor, { requestId: request.id }),
  );

  operations.implement(ops.testBankApi, ({ scope, params, body }) => testBankApi(engine, kysely, params.id, body.useDraft, scope, clock.now()));
  operations.implement(ops.startBacktest, ({ principal, scope, params, body }) => startBacktest(engine, kysely, params.id, body, principal.actor, scope));
  operations.implement(ops.getBacktest, ({ scope, params }) => visibleBacktest(engine, kysely, params.id, scope));
  operations.implement(backtestOperations.listBacktests, ({ scope, params }) => configurationBacktests(engine, kysely, params.id, scope));
  operations.implement(ops.cancelBacktest, async ({ principal, scope, params }) => {
    await visibleBacktest(engine, kysely, params.id, scope);
    return engine.backtests.cancel(params.id, principal.actor);
  });

  operations.implement(ops.getAnomalyModel, () => engine.anomalyModel);
  operations.implement(ops.trainAnomalyModel, ({ principal, body, request }) =>
    trainAnomalyModel(engine, { db: kysely, bus, clock }, body, principal.actor, request.id),
  );

  operations.implement(ops.statistics, ({ scope, query }) =>
    fraudRiskStatistics(kysely, db.dialect, query, DEFAULT_SLOW_MS, readScope(scope, query.tenantId, clock.now(), db.dialect)),
  );
  operations.implement(ops.metrics, ({ scope }) => fraudRiskMetrics(engine, kysely, scope, clock.now()));
  operations.implement(ops.health, async ({ scope, reply }) => {
    const { health, down } = await fraudRiskHealth(engine, kysely, scope, clock.now());
    if (down) reply.code(503);
    return health;
  });
}
