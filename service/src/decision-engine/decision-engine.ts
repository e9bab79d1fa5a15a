import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { CommandBus } from '../commands/bus.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { AnomalyModelInfo } from '../../../shared/src/decision-engine.ts';
import { ScoringFacts } from '../scoring/facts.ts';
import type { ToggleService } from '../toggles/service.ts';
import { BankEngineAdapter } from '../bank-engine/adapter.ts';
import { AssessmentPipeline } from '../assessments/pipeline.ts';
import { ConfigurationRegistry } from './registry.ts';
import { BacktestRunner } from './backtest.ts';
import { configurationCommands, type ConfigurationCommands } from './commands.ts';
import { warmUpFacts } from './anomaly-model.ts';

/** Everything the decision engine keeps in memory, built once per service. */
export interface DecisionEngine {
  registry: ConfigurationRegistry;
  facts: ScoringFacts;
  adapter: BankEngineAdapter;
  pipeline: AssessmentPipeline;
  backtests: BacktestRunner;
  commands: ConfigurationCommands;
  anomalyModel: AnomalyModelInfo | null;
  start(): Promise<void>;
  stop(): void;
}

export function createDecisionEngine(deps: { db: Kysely<Database>; dialect: 'sqlite' | 'postgres'; bus: CommandBus; toggles: ToggleService; box: SecretBox; logger: Logger; onEngineCall?: (outcome: string) => void }): DecisionEngine {
  const facts = new ScoringFacts();
  const adapter = new BankEngineAdapter({ onCall: (_key, result) => deps.onEngineCall?.(result.outcome) });
  const registry = new ConfigurationRegistry(deps.db, deps.box, (active) => {
    // Breakers of versions no longer published are dropped.
    const keys = new Set(active.map((c) => `${c.id}:${c.versionNumber}`));
    for (const s of adapter.status()) if (!keys.has(s.key)) adapter.forget(s.key);
  });
  const pipeline = new AssessmentPipeline({ db: deps.db, dialect: deps.dialect, bus: deps.bus, toggles: deps.toggles, registry, facts, adapter, logger: deps.logger });
  const backtests = new BacktestRunner(deps.db, registry, deps.bus, facts, deps.logger);
  const engine: DecisionEngine = {
    registry,
    facts,
    adapter,
    pipeline,
    backtests,
    commands: configurationCommands(deps.box),
    anomalyModel: null,
    async start() {
      const started = performance.now();
      await registry.start();
      const warm = await warmUpFacts(deps.db, facts, new Date());
      engine.anomalyModel = warm.model;
      pipeline.startBatchProcessor();
      deps.logger.info({ configurations: registry.configurations.length, payments: warm.payments, accounts: warm.accounts, anomalyModel: warm.model?.id ?? null, ms: Math.round(performance.now() - started) }, 'decision engine ready');
    },
    stop() {
      registry.stop();
      pipeline.stop();
    },
  };
  // Reload at once when this process changed a configuration (other hubs notice the revision).
  deps.bus.events.on('announce', (a) => {
    if (a.event === 'configuration.changed') void registry.reload();
  });
  return engine;
}
