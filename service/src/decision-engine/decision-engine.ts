import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { CommandBus } from '../commands/bus.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { AnomalyModelInfo } from '../../../shared/src/decision-engine.ts';
import { ScoringFacts } from '../scoring/facts.ts';
import type { ToggleService } from '../toggles/service.ts';
import type { KesRateSource } from '../scoring/fx.ts';
import { BankEngineAdapter } from '../bank-engine/adapter.ts';
import { AssessmentPipeline } from '../assessments/pipeline.ts';
import { replayAssessment } from '../assessments/replay.ts';
import type { AssessmentReplayResult } from '../../../shared/src/assessments.ts';
import { ConfigurationRegistry } from './registry.ts';
import { BacktestRunner } from './backtest.ts';
import { configurationCommands, type ConfigurationCommands } from './commands.ts';
import { AnomalyModelCache, loadAccountOpenings, warmUpFacts } from './anomaly-model.ts';
import type { Heartbeat } from '../health/heartbeats.ts';

/** Everything the decision engine keeps in memory, built once per service. */
export interface DecisionEngine {
  registry: ConfigurationRegistry;
  facts: ScoringFacts;
  models: AnomalyModelCache;
  adapter: BankEngineAdapter;
  pipeline: AssessmentPipeline;
  backtests: BacktestRunner;
  commands: ConfigurationCommands;
  anomalyModel: AnomalyModelInfo | null;
  /** Re-runs a stored assessment from its stored facts and compares (assessments/replay.ts). */
  replay(assessmentId: string): Promise<AssessmentReplayResult>;
  /** Loads configurations and starts the background loops, which beat the given heartbeats (readiness). */
  start(heartbeats?: { configurations?: Heartbeat; batch?: Heartbeat }): Promise<void>;
  stop(): void;
}

/** Commands after which the in-memory account opening dates are read again. */
const CUSTOMER_COMMANDS = new Set(['customer.upsert']);

/**
 * The decision engine's time is the command bus's clock (ARCHITECTURE.md rule 3): tests and
 * replays set it, nothing here reads the wall clock.
 */
export function createDecisionEngine(deps: {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  bus: CommandBus;
  toggles: ToggleService;
  /** FX rates to KES (fx-rates/service.ts). */
  fxRates: KesRateSource;
  box: SecretBox;
  logger: Logger;
  onEngineCall?: (outcome: string) => void;
}): DecisionEngine {
  const clock = deps.bus.clock;
  const facts = new ScoringFacts();
  const models = new AnomalyModelCache(deps.db);
  const adapter = new BankEngineAdapter({ onCall: (_key, result) => deps.onEngineCall?.(result.outcome) });
  const registry = new ConfigurationRegistry(deps.db, deps.box, (active) => {
    // Breakers of versions no longer published are dropped.
    const keys = new Set(active.map((c) => `${c.id}:${c.versionNumber}`));
    for (const s of adapter.status()) if (!keys.has(s.key)) adapter.forget(s.key);
  });
  const accounts = accountOpeningsRefresher(deps.db, facts, deps.logger);
  const pipeline = new AssessmentPipeline({
    db: deps.db,
    dialect: deps.dialect,
    bus: deps.bus,
    clock,
    toggles: deps.toggles,
    registry,
    facts,
    rates: deps.fxRates,
    models,
    adapter,
    logger: deps.logger,
    accountsPending: accounts.pending,
  });
  const backtests = new BacktestRunner(deps.db, registry, deps.bus, facts, models, clock, deps.logger);
  const engine: DecisionEngine = {
    registry,
    facts,
    models,
    adapter,
    pipeline,
    backtests,
    commands: configurationCommands(deps.box),
    anomalyModel: null,
    replay: (assessmentId) => replayAssessment({ db: deps.db, registry, facts, models, rates: deps.fxRates }, assessmentId),
    async start(heartbeats = {}) {
      const started = performance.now();
      await registry.start(undefined, heartbeats.configurations);
      // Backtests left RUNNING by a stopped process are marked interrupted (SQLite: this is the only process).
      await backtests.recover(deps.dialect === 'sqlite');
      const warm = await warmUpFacts(deps.db, facts, clock.now());
      if (facts.anomaly) models.remember(facts.anomaly);
      engine.anomalyModel = warm.model;
      pipeline.startBatchProcessor(undefined, heartbeats.batch);
      deps.logger.info(
        {
          configurations: registry.configurations.length,
          payments: warm.payments,
          accounts: warm.accounts,
          anomalyModel: warm.model?.id ?? null,
          ms: Math.round(performance.now() - started),
        },
        'decision engine ready',
      );
    },
    stop() {
      registry.stop();
      pipeline.stop();
    },
  };
  // Follow-ups after commit (ARCHITECTURE.md rule 1): reload at once when this process changed a
  // configuration (other hubs notice the revision), and learn new accounts' opening dates.
  deps.bus.events.on('announce', (a) => {
    if (a.event === 'configuration.changed') void registry.reload();
  });
  deps.bus.events.on('executed', (e) => {
    if (e.outcome === 'ok' && CUSTOMER_COMMANDS.has(e.command)) accounts.refresh();
  });
  return engine;
}

/**
 * Re-reads account opening dates after customer records change. Changes that arrive while a read
 * runs are picked up by one more read; scoring waits for a read in progress, so a payment from an
 * account created a moment ago is scored with its age (the "New account" rule), as a backtest of
 * the same payment would be.
 */
function accountOpeningsRefresher(db: Kysely<Database>, facts: ScoringFacts, logger: Logger) {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> =>
    loadAccountOpenings(db, facts)
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'reading account opening dates failed'),
      )
      .then(() => {
        if (again) {
          again = false;
          return run();
        }
        running = null;
        return undefined;
      });
  return {
    refresh(): void {
      if (running) again = true;
      else running = run();
    },
    pending: (): Promise<void> | null => running,
  };
}
