import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, PaymentRow } from '../db/schema.ts';
import { SYSTEM_ACTOR, type CommandBus, type Actor } from '../commands/bus.ts';
import type { Clock } from '../clock.ts';
import { fromJsonOrNull, toIso, toNumber } from '../db/database.ts';
import { notFound, validationFailed } from '../errors.ts';
import { paymentFromRow, storedFacts } from '../assessments/mapping.ts';
import type { Backtest, BacktestChange, BacktestRequest } from '../../../shared/src/decision-engine.ts';
import type { BacktestListItem } from '../../../shared/src/backtests.ts';
import {
  finishBacktest,
  listBacktests,
  markInterruptedBacktests,
  readBacktest,
  recordBacktest,
  recordBacktestProgress,
  requestBacktestCancel,
} from './backtest-store.ts';
import type { AssessmentDetails, ConfigurationChoice, Decision, RiskLevel } from '../../../shared/src/assessments.ts';
import { Decision as DecisionEnum } from '../../../shared/src/assessments.ts';
import { evaluateLocal } from '../scoring/engine.ts';
import { decideWith, engineFromHistory } from '../scoring/decide.ts';
import { ScoringFacts, type PaymentFacts } from '../scoring/facts.ts';
import { matches, specificityOf, type ActiveConfiguration, type ConfigurationRegistry } from './registry.ts';
import { loadAccountOpenings, type AnomalyModelCache } from './anomaly-model.ts';

const MAX_CHANGES = 1000;
const PAGE = 2000;
const WARM_UP_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Would the tested version have decided this payment? Yes when this configuration decided it,
 * or when the deciding configuration was one the version beats (less specific, or as specific
 * with a later priority, or the built-in default). Payments a more specific configuration decided
 * are not the version's to change.
 */
function versionDecides(version: ActiveConfiguration, configurationId: string, stored: ConfigurationChoice | undefined): boolean {
  if (!stored || stored.configurationId === configurationId || stored.configurationId === null) return true;
  const specificity = specificityOf(version.body);
  if (stored.specificity !== specificity) return specificity > stored.specificity;
  return version.body.priority < (stored.priority ?? Number.POSITIVE_INFINITY);
}

/**
 * Replays stored payments of the N days before `to` (default: the clock's now) through a
 * configuration version (normally the draft) and counts how its decisions differ from the
 * decisions actually made. Runs in the background in slices, announcing progress; read-only, so
 * it needs no command.
 *
 * Each payment is re-scored from the facts stored with its assessment (ARCHITECTURE.md rule 3),
 * with the fraud API toggle and the bank engine's answer recorded at the time (the engine is not
 * called for history), so a draft identical to the published version changes nothing. Payments
 * assessed before facts were stored get facts rebuilt from history as the replay goes (starting a
 * week earlier).
 */
export class BacktestRunner {
  /** The backtests this process runs now; every backtest is in the database (backtest-store.ts). */
  private readonly jobs = new Map<string, { backtest: Backtest; cancelled: boolean }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly registry: ConfigurationRegistry,
    private readonly bus: CommandBus,
    private readonly liveFacts: ScoringFacts,
    private readonly models: AnomalyModelCache,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Any hub's backtest, from the database; one whose hub stopped reads as FAILED (interrupted). */
  async get(id: string): Promise<Backtest> {
    const stored = await readBacktest(this.db, id);
    if (stored.status === 'RUNNING' && !this.jobs.has(id) && (await this.markInterrupted(false)) > 0) return readBacktest(this.db, id);
    return stored;
  }

  /** A configuration's backtests, newest first (without their changed payments). */
  async list(configurationId: string): Promise<BacktestListItem[]> {
    const items = await listBacktests(this.db, configurationId);
    if (items.some((b) => b.status === 'RUNNING' && !this.jobs.has(b.id)) && (await this.markInterrupted(false)) > 0)
      return listBacktests(this.db, configurationId);
    return items;
  }

  /** Asks the hub running it (this one or another) to stop; it stops at its next page. */
  async cancel(id: string, actor: Actor): Promise<Backtest> {
    const stored = await this.get(id);
    if (stored.status !== 'RUNNING') return stored;
    const job = this.jobs.get(id);
    if (job) job.cancelled = true;
    await this.bus.execute(requestBacktestCancel, { id }, actor);
    return job?.backtest ?? stored;
  }

  /**
   * At start-up: RUNNING backtests whose hub stopped become FAILED (interrupted). A standalone
   * service is the only process on its database, so all of them; a hub leaves other live hubs'
   * backtests alone (their leases have not run out).
   */
  async recover(onlyProcessOnDatabase: boolean): Promise<number> {
    return this.markInterrupted(onlyProcessOnDatabase);
  }

  private async markInterrupted(all: boolean): Promise<number> {
    return (await this.bus.execute(markInterruptedBacktests, { all }, SYSTEM_ACTOR)) as number;
  }

  /** Starts a backtest and returns it at once (status RUNNING); `done` resolves when it ends. */
  async start(configurationId: string, request: BacktestRequest, actor: Actor): Promise<{ backtest: Backtest; done: Promise<void> }> {
    let versionNumber = request.versionNumber;
    if (versionNumber === undefined) {
      const draft = await this.db
        .selectFrom('fraud_risk_configuration_versions')
        .select('version_number')
        .where('configuration_id', '=', configurationId)
        .where('status', '=', 'DRAFT')
        .executeTakeFirst();
      if (!draft) throw validationFailed([{ path: 'body.versionNumber', message: 'this configuration has no draft: save a draft first or name a version' }]);
      versionNumber = draft.version_number;
    }
    const version = await this.registry.loadVersion(configurationId, versionNumber);
    if (!version) throw notFound(`version ${versionNumber} of the configuration`);
    const backtest: Backtest = {
      id: `BT-${randomUUID().slice(0, 8).toUpperCase()}`,
      configurationId,
      versionNumber,
      days: request.days,
      status: 'RUNNING',
      progress: 0,
      processed: 0,
      total: 0,
      startedAt: this.clock.now().toISOString(),
      finishedAt: null,
      startedBy: actor.name,
      error: null,
      summary: null,
      changes: [],
    };
    const to = request.to ? Date.parse(request.to) : this.clock.now().getTime();
    await this.bus.execute(
      recordBacktest,
      { id: backtest.id, configurationId, versionNumber, days: request.days, windowEnd: new Date(to).toISOString() },
      actor,
    );
    const job = { backtest, cancelled: false };
    this.jobs.set(backtest.id, job);
    const done = this.run(job, version, to)
      .catch(async (error: unknown) => {
        this.logger.error({ err: error, backtest: backtest.id }, 'backtest failed');
        Object.assign(backtest, {
          status: 'FAILED',
          error: error instanceof Error ? error.message : String(error),
          finishedAt: this.clock.now().toISOString(),
        });
        await this.finish(backtest).catch((stored: unknown) => this.logger.error({ err: stored, backtest: backtest.id }, 'backtest failure not stored'));
        this.announce(backtest);
      })
      .finally(() => this.jobs.delete(backtest.id));
    return { backtest, done };
  }

  /** Stores the end of a backtest (COMPLETED, FAILED or CANCELLED) with its result. */
  private async finish(backtest: Backtest): Promise<void> {
    const status = backtest.status === 'RUNNING' ? 'FAILED' : backtest.status;
    await this.bus.execute(
      finishBacktest,
      {
        id: backtest.id,
        status,
        progress: backtest.progress,
        processed: backtest.processed,
        total: backtest.total,
        result: backtest.summary ? { summary: backtest.summary, changes: backtest.changes } : null,
        error: backtest.error,
      },
      SYSTEM_ACTOR,
    );
  }

  /** Stores progress (renewing this hub's lease) and learns whether a cancel was asked for on any hub. */
  private async saveProgress(job: { backtest: Backtest; cancelled: boolean }): Promise<void> {
    const { backtest } = job;
    const { cancelRequested } = (await this.bus.execute(
      recordBacktestProgress,
      { id: backtest.id, progress: backtest.progress, processed: backtest.processed, total: backtest.total },
      SYSTEM_ACTOR,
    )) as { cancelRequested: boolean };
    if (cancelRequested) job.cancelled = true;
  }

  private announce(backtest: Backtest): void {
    const { changes: _changes, ...rest } = backtest;
    this.bus.events.emit('announce', { event: 'backtest.progress', audience: 'configuration:read', payload: rest });
  }

  private async run(job: { backtest: Backtest; cancelled: boolean }, version: ActiveConfiguration, toMs: number): Promise<void> {
    const { backtest } = job;
    const configurationId = backtest.configurationId;
    // The window is by the payments' own time, so what is "recent" never depends on when they were posted.
    const from = new Date(toMs - backtest.days * DAY_MS).toISOString();
    const to = new Date(toMs).toISOString();
    const warmFrom = new Date(toMs - (backtest.days + WARM_UP_DAYS) * DAY_MS).toISOString();
    const counted = await this.db
      .selectFrom('payments as p')
      .innerJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('p.occurred_at', '>=', from)
      .where('p.occurred_at', '<', to)
      .where('a.deleted_at', 'is', null)
      .executeTakeFirst();
    backtest.total = Number(counted?.n ?? 0);

    // Only for assessments made before facts were stored: history rebuilt as the replay goes.
    const rebuilt = new ScoringFacts();
    rebuilt.anomaly = this.liveFacts.anomaly;
    await loadAccountOpenings(this.db, rebuilt);

    const decisionTransitions = new Map<string, number>();
    const levelTransitions = new Map<string, number>();
    const current = Object.fromEntries(DecisionEnum.options.map((d) => [d, 0])) as Record<Decision, number>;
    const proposed = { ...current };
    const ruleHits = new Map<string, { name: string; hits: number }>();
    let evaluated = 0;
    let changed = 0;
    let levelChanged = 0;
    let lastAnnounce = 0;

    let cursor = warmFrom;
    let cursorId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      if (job.cancelled) {
        Object.assign(backtest, { status: 'CANCELLED', finishedAt: this.clock.now().toISOString() });
        await this.finish(backtest);
        this.announce(backtest);
        return;
      }
      const page = await this.db
        .selectFrom('payments as p')
        .leftJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
        .selectAll('p')
        .select([
          'a.assessment_id as a_assessment_id',
          'a.engine_decision as a_engine_decision',
          'a.risk_level as a_risk_level',
          'a.risk_score as a_risk_score',
          'a.status as a_status',
          'a.scoring_facts as a_scoring_facts',
          'a.assessment_details as a_assessment_details',
          'a.deleted_at as a_deleted_at',
        ])
        .where((eb) => eb.or([eb('p.occurred_at', '>', cursor), eb.and([eb('p.occurred_at', '=', cursor), eb('p.id', '>', cursorId)])]))
        .where('p.occurred_at', '<', to)
        .orderBy('p.occurred_at')
        .orderBy('p.id')
        .limit(PAGE)
        .execute();
      for (const row of page) {
        const payment = paymentFromRow(row as PaymentRow);
        const { amountKes, ...input } = payment;
        const atMs = Date.parse(payment.timestamp);
        const stored = storedFacts({ scoring_facts: row.a_scoring_facts });
        const inWindow = row.a_assessment_id !== null && row.a_deleted_at === null && payment.timestamp >= from;
        if (inWindow) backtest.processed++;
        const details = inWindow ? fromJsonOrNull<AssessmentDetails>(row.a_assessment_details) : null;
        if (
          inWindow &&
          row.a_engine_decision &&
          row.a_risk_level &&
          row.a_status !== 'CANCELLED' &&
          matches(version.body, input) &&
          versionDecides(version, configurationId, details?.configuration)
        ) {
          let facts: PaymentFacts;
          if (stored) {
            const anomaly =
              stored.anomalyModelId === null
                ? null
                : stored.anomalyModelId === this.liveFacts.anomaly?.modelId
                  ? this.liveFacts.anomaly
                  : await this.models.get(stored.anomalyModelId);
            facts = { snapshot: stored, anomaly };
          } else {
            // Stored before facts were kept: the rate its stored KES amount was converted with.
            facts = rebuilt.factsFor(input, atMs, amountKes / input.amount);
          }
          const local = evaluateLocal(version.ruleSet, { payment: input, amountKes, atMs }, facts);
          const toggle = details?.toggle ?? null;
          const engine = engineFromHistory(version, local, details?.engine ?? null, toggle, version.body.fallbackConfig.mode);
          const result = decideWith(version, local, engine, toggle);
          const was = row.a_engine_decision as Decision;
          const wasLevel = row.a_risk_level as RiskLevel;
          evaluated++;
          current[was]++;
          proposed[result.decision]++;
          for (const f of local.riskFactors) {
            if (f.outcome !== 'HIT') continue;
            const entry = ruleHits.get(f.ruleId) ?? { name: f.name, hits: 0 };
            entry.hits++;
            ruleHits.set(f.ruleId, entry);
          }
          if (wasLevel !== result.riskLevel) {
            levelChanged++;
            const key = `${wasLevel}>${result.riskLevel}`;
            levelTransitions.set(key, (levelTransitions.get(key) ?? 0) + 1);
          }
          if (was !== result.decision) {
            changed++;
            const key = `${was}>${result.decision}`;
            decisionTransitions.set(key, (decisionTransitions.get(key) ?? 0) + 1);
            if (backtest.changes.length < MAX_CHANGES) {
              const change: BacktestChange = {
                assessmentId: row.a_assessment_id ?? '',
                transactionReference: payment.transactionReference,
                customerId: payment.customerId,
                amountKes,
                channel: payment.channel,
                occurredAt: payment.timestamp,
                currentDecision: was,
                proposedDecision: result.decision,
                currentRiskLevel: wasLevel,
                proposedRiskLevel: result.riskLevel,
                currentScore: toNumber(row.a_risk_score ?? 0),
                proposedScore: result.riskScore,
                proposedRules: local.riskFactors.filter((f) => f.outcome === 'HIT').map((f) => f.name),
              };
              backtest.changes.push(change);
            }
          }
        }
        rebuilt.observe({
          tenantId: payment.tenantId,
          customerId: payment.customerId,
          debtorAccount: payment.debtorAccount,
          deviceId: payment.deviceId,
          atMs,
          amountKes,
        });
      }
      backtest.progress = backtest.total === 0 ? 1 : Math.min(1, backtest.processed / backtest.total);
      // Progress is paced by elapsed processing time, not by the clock (which tests hold still).
      if (performance.now() - lastAnnounce > 200) {
        lastAnnounce = performance.now();
        await this.saveProgress(job);
        this.announce(backtest);
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      cursor = toIso(last.occurred_at);
      cursorId = last.id;
      // Yield so that live assessments are not held up by a long replay.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const split = (map: Map<string, number>) =>
      [...map.entries()]
        .map(([key, count]) => {
          const [fromValue, toValue] = key.split('>');
          return { from: fromValue, to: toValue, count };
        })
        .sort((a, b) => b.count - a.count);
    backtest.summary = {
      evaluated,
      changed,
      riskLevelChanged: levelChanged,
      decisionTransitions: split(decisionTransitions) as Array<{ from: Decision; to: Decision; count: number }>,
      riskLevelTransitions: split(levelTransitions) as Array<{ from: RiskLevel; to: RiskLevel; count: number }>,
      current,
      proposed,
      ruleHits: [...ruleHits.entries()].map(([ruleId, v]) => ({ ruleId, name: v.name, hits: v.hits })).sort((a, b) => b.hits - a.hits),
    };
    Object.assign(backtest, { status: 'COMPLETED', progress: 1, finishedAt: this.clock.now().toISOString() });
    await this.finish(backtest);
    this.announce(backtest);
  }
}
