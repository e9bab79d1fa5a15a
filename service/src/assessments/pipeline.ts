import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { SYSTEM_ACTOR, type Actor, type CommandBus } from '../commands/bus.ts';
import { isUniqueViolation } from '../db/database.ts';
import { validationFailed } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import {
  AssessmentResponse,
  type ConfigurationChoice,
  type EngineContribution,
  type ScoringFactsSnapshot,
  type StoredPayment,
} from '../../../shared/src/assessments.ts';
import { toKesAt, type KesRateSource } from '../scoring/fx.ts';
import { evaluateLocal } from '../scoring/engine.ts';
import { decideWith, engineNotCalled, engineSkipReason, statusFor, type ToggleState } from '../scoring/decide.ts';
import type { PaymentFacts, ScoringFacts } from '../scoring/facts.ts';
import type { ConfigurationRegistry, ActiveConfiguration } from '../decision-engine/registry.ts';
import type { AnomalyModelCache } from '../decision-engine/anomaly-model.ts';
import type { BankEngineAdapter, BankEngineCallResult } from '../bank-engine/adapter.ts';
import { GroupCommitWriter } from './group-commit.ts';
import { countOutcome, newPipelineStats, ratePerSecond, type PipelineStats } from './pipeline-stats.ts';
import type { ToggleService } from '../toggles/service.ts';
import {
  completeAssessment,
  newAssessmentId,
  recordAssessments,
  startAssessments,
  claimable,
  type AssessmentOutcome,
  type RecordItem,
  type RecordResult,
} from './commands.ts';
import { getAssessment } from './queries.ts';
import { paymentFromRow, toAssessmentResponse } from './mapping.ts';
import { differingFields, idempotencyConflict, paymentFingerprint } from './idempotency.ts';
import { writerConcurrency } from '../db/dialect.ts';
import type { Heartbeat } from '../health/heartbeats.ts';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/**
 * How long a hub's claim on a queued batch assessment holds: longer than scoring one payment can
 * take (the bank engine's timeouts and retries), so a live hub's claim never runs out under it;
 * a crashed hub's claims are taken over after it.
 */
export const BATCH_CLAIM_LEASE_MS = 5 * 60_000;

export interface AssessResult {
  created: boolean;
  assessment: AssessmentResponse;
}

/** Where the caller sent each payment field (ISO element paths for pacs.008); default body.<field>. */
export type FieldPaths = (field: string) => string;

/**
 * The assessment flow (seed 003 "Payment Processing Flow", seed 001 "Data Flow"): choose the
 * configuration, snapshot the facts, evaluate the local rules, call the bank's engine when the
 * configuration says so, combine, and persist through group commit. Scoring and the engine call
 * happen outside any transaction; only the write is transactional. Time comes from the injected
 * clock and the rules read only the payment and its stored facts (ARCHITECTURE.md rule 3).
 */
export class AssessmentPipeline {
  readonly writer: GroupCommitWriter<{ item: RecordItem; actor: Actor; requestId?: string }, RecordResult>;
  readonly stats: PipelineStats;
  /** Assessments per second, averaged over the last 60 seconds. */
  ratePerSecond(): number {
    return ratePerSecond(this.stats, this.deps.clock.now().getTime());
  }

  private batchTimer: NodeJS.Timeout | null = null;
  private batchRunning = false;
  /** Names this process in the claims it takes on queued batch assessments. */
  readonly instanceId = `${hostname().slice(0, 60)}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      dialect: 'sqlite' | 'postgres';
      bus: CommandBus;
      clock: Clock;
      registry: ConfigurationRegistry;
      toggles: ToggleService;
      facts: ScoringFacts;
      /** FX rates to KES by effective instant (fx-rates/service.ts): read in memory, never queried per payment. */
      rates: KesRateSource;
      models: AnomalyModelCache;
      adapter: BankEngineAdapter;
      logger: Logger;
      /** A read of account opening dates in progress, if any: scoring waits for it. */
      accountsPending?: () => Promise<void> | null;
    },
  ) {
    this.stats = newPipelineStats(deps.clock.now());
    this.writer = new GroupCommitWriter(
      async (batch) => {
        // One command per caller, all in one transaction.
        const byActor = new Map<string, { actor: Actor; items: RecordItem[]; index: number[] }>();
        batch.forEach((b, i) => {
          let group = byActor.get(b.actor.id);
          if (!group) {
            group = { actor: b.actor, items: [], index: [] };
            byActor.set(b.actor.id, group);
          }
          group.items.push(b.item);
          group.index.push(i);
        });
        const groups = [...byActor.values()];
        const results = (await deps.bus.executeMany(
          groups.map((g) => ({ command: recordAssessments, input: { items: g.items }, actor: g.actor })),
          SYSTEM_ACTOR,
        )) as RecordResult[][];
        const out = new Array<RecordResult>(batch.length);
        groups.forEach((g, gi) => {
          g.index.forEach((original, k) => {
            out[original] = results[gi]![k]!;
          });
        });
        return out;
      },
      async (one) => {
        try {
          const [result] = await deps.bus.execute(recordAssessments, { items: [one.item] }, one.actor, { requestId: one.requestId });
          return result!;
        } catch (error) {
          // Two concurrent first posts of one reference (another batch or hub won): answer with the
          // winner's, or refuse when the winner was another payment under the same key.
          if (!isUniqueViolation(error)) throw error;
          const existing = await getAssessment(deps.db, { reference: one.item.payment.transactionReference, tenantId: one.item.payment.tenantId });
          const differs = differingFields(one.item.payment, existing.payment);
          // zod strips the stored-assessment extras, leaving exactly the public response shape.
          return { created: false, assessment: AssessmentResponse.parse(existing), ...(differs.length > 0 ? { conflict: differs } : {}) };
        }
      },
      400,
      // SQLite has one writer and blocks while it writes; PostgreSQL transactions wait on the
      // network, so a few batches overlap (their change-log numbers still follow commit order).
      writerConcurrency(deps.dialect),
    );
  }

  /**
   * Scores one payment and stores it; idempotent per tenant and transaction reference. A repeat
   * with the same content answers with the first assessment (created: false); a repeat with other
   * content throws 409 IDEMPOTENCY_CONFLICT and stores nothing.
   */
  async assess(payment: PaymentInput, actor: Actor, requestId?: string, paths?: FieldPaths): Promise<AssessResult> {
    // The rate in effect at the payment's own time (ARCHITECTURE.md rule 3), stored with its facts.
    const fxRate = this.kesRateFor(payment, paths);
    const started = performance.now();
    const accounts = this.deps.accountsPending?.();
    if (accounts) await accounts;
    const assessmentId = newAssessmentId(this.deps.clock.now());
    const amountKes = toKesAt(payment.amount, fxRate);
    const atMs = Date.parse(payment.timestamp);
    // A configuration change committed before this payment arrived applies to it (reloads run after commit).
    await this.deps.registry.settled();
    const { configuration, choice } = this.deps.registry.choose(payment);
    // The facts as they stand when the payment arrives, before it counts itself; stored with it.
    const facts = this.deps.facts.factsFor(payment, atMs, fxRate);

    let outcome: AssessmentOutcome;
    if (configuration.body.riskAssessmentType === 'BATCH') {
      outcome = pendingOutcome(configuration, choice, amountKes, performance.now() - started, facts.snapshot);
    } else {
      if (engineSkipReason(configuration, null) === null) {
        // Do not call the bank's engine (and pay for it) for a payment-engine retry.
        const existing = await this.findExisting(payment, paths);
        if (existing) return existing;
      }
      outcome = await this.score(payment, amountKes, assessmentId, configuration, choice, started, { facts });
    }
    const observed = {
      tenantId: payment.tenantId,
      customerId: payment.customerId,
      debtorAccount: payment.debtorAccount,
      deviceId: payment.deviceId,
      atMs,
      amountKes,
    };
    this.deps.facts.observe(observed);
    let result: RecordResult;
    try {
      result = await this.writer.submit({ item: { assessmentId, payment, outcome }, actor, requestId });
    } catch (error) {
      this.deps.facts.forget(observed);
      throw error;
    }
    // A repeat was not stored, so it must not count in anyone's velocity or device history.
    if (!result.created) this.deps.facts.forget(observed);
    if (result.conflict) throw idempotencyConflict(payment.transactionReference, result.conflict, paths);
    if (result.created) this.count(outcome);
    return { created: result.created, assessment: result.assessment };
  }

  /**
   * KES per unit of the payment's currency in effect at the payment's timestamp (issue 11 §1), or
   * a 400 naming the currency field when there is none then.
   */
  kesRateFor(payment: Pick<PaymentInput, 'currency' | 'timestamp'>, paths?: FieldPaths): number {
    const rate = this.deps.rates.rateAt(payment.currency, Date.parse(payment.timestamp));
    if (rate === null) {
      const at = new Date(payment.timestamp).toISOString();
      throw validationFailed([{ path: paths?.('currency') ?? 'body.currency', message: `no KES rate for ${payment.currency} effective at ${at}` }]);
    }
    return rate;
  }

  /**
   * Several payments of one message (ISO 20022 pacs.008). A reused key with other content is
   * looked for first, so that a refused message stores none of its payments.
   */
  async assessAll(
    payments: readonly PaymentInput[],
    actor: Actor,
    requestId: string | undefined,
    pathsOf: (index: number) => FieldPaths,
  ): Promise<AssessResult[]> {
    for (const [i, payment] of payments.entries()) await this.findExisting(payment, pathsOf(i));
    return Promise.all(payments.map((p, i) => this.assess(p, actor, requestId, pathsOf(i))));
  }

  /** The stored assessment for this key, when its content is the same; throws 409 when it differs. */
  private async findExisting(payment: PaymentInput, paths?: FieldPaths): Promise<AssessResult | null> {
    const row = await this.deps.db
      .selectFrom('fraud_risk_assessments')
      .selectAll()
      .where('tenant_id', '=', payment.tenantId)
      .where('transaction_reference', '=', payment.transactionReference)
      .executeTakeFirst();
    if (!row) return null;
    if (row.content_fingerprint !== paymentFingerprint(payment)) {
      const stored = await this.deps.db.selectFrom('payments').selectAll().where('id', '=', row.payment_id).executeTakeFirstOrThrow();
      const differs = differingFields(payment, paymentFromRow(stored));
      if (differs.length > 0) throw idempotencyConflict(payment.transactionReference, differs, paths);
    }
    return { created: false, assessment: toAssessmentResponse(row) };
  }

  /** The rules' view of stored facts: the snapshot with the anomaly model it names. */
  async factsFrom(snapshot: ScoringFactsSnapshot): Promise<PaymentFacts> {
    const live = this.deps.facts.anomaly;
    const anomaly =
      snapshot.anomalyModelId === null ? null : live?.modelId === snapshot.anomalyModelId ? live : await this.deps.models.get(snapshot.anomalyModelId);
    return { snapshot, anomaly };
  }

  /** Local rules, then the bank engine if wanted, combined into an outcome. */
  async score(
    payment: PaymentInput,
    amountKes: number,
    assessmentId: string,
    configuration: ActiveConfiguration,
    choice: ConfigurationChoice,
    started: number,
    options: { replay?: boolean; facts?: PaymentFacts } = {},
  ): Promise<AssessmentOutcome> {
    const atMs = Date.parse(payment.timestamp);
    let facts = options.facts;
    if (!facts) {
      const accounts = this.deps.accountsPending?.();
      if (accounts) await accounts;
      facts = this.deps.facts.factsFor(payment, atMs, this.kesRateFor(payment));
    }
    const local = evaluateLocal(configuration.ruleSet, { payment, amountKes, atMs }, facts);
    const bank = configuration.body.bankFraudApiConfig;
    let engine: EngineContribution | null = null;
    let call: BankEngineCallResult | null = null;
    // A replay of history (demo seeding) asks as of the payment's time; a live payment as of now.
    const checkAt = options.replay ? atMs : this.deps.clock.now().getTime();
    // Issue 4: the fraud API toggle is checked before the bank's engine is called.
    const toggleCheck = this.deps.toggles.check(
      {
        tenantId: payment.tenantId,
        paymentType: payment.paymentType,
        localInstrumentationCode: payment.localInstrumentationCode,
        clearingSystemCode: payment.clearingSystemCode,
      },
      checkAt,
      !options.replay,
    );
    const toggle: ToggleState = toggleCheck.entry
      ? {
          enabled: toggleCheck.enabled,
          configurationId: toggleCheck.entry.id,
          reason: (toggleCheck.enabled ? toggleCheck.entry.enabledReason : toggleCheck.entry.disabledReason) ?? '',
          behaviour: toggleCheck.enabled ? null : toggleCheck.entry.disabledBehaviour,
        }
      : { enabled: true, configurationId: null, reason: 'No toggle configuration applies: enabled by default', behaviour: null };
    let skipReason = engineSkipReason(configuration, local);
    if (!toggle.enabled) skipReason = `Fraud API switched off for this context by toggle ${toggle.configurationId}: ${toggle.reason}`;
    if (bank && skipReason === null) {
      call = await this.deps.adapter.call({
        key: `${configuration.id ?? 'default'}:${configuration.versionNumber ?? 0}`,
        settings: bank,
        credentials: configuration.credentials,
        timeout: configuration.body.timeoutConfig,
        retry: configuration.body.retryConfig,
        breaker: configuration.body.circuitBreakerConfig,
        context: {
          payment,
          amountKes,
          assessmentId,
          now: new Date(checkAt).toISOString(),
          local: { riskScore: local.riskScore, riskLevel: local.riskLevel, decision: local.decision },
        },
      });
      const answered = call.outcome === 'ANSWERED' && call.score !== null;
      engine = {
        name: bank.name,
        outcome: call.outcome,
        detail: call.detail,
        score: call.score,
        decision: call.decision,
        reason: call.reason,
        attempts: call.attempts,
        responseTimeMs: Math.round(call.responseTimeMs),
        fallback: answered ? null : configuration.body.fallbackConfig.mode,
        combination: bank.combination.mode,
      };
    } else if (bank && skipReason) {
      engine = engineNotCalled(bank, skipReason);
    }
    const final = decideWith(configuration, local, engine, toggle);
    const keepExchange = configuration.body.monitoringConfig.storeEngineExchange;
    return {
      status: statusFor(engine),
      riskScore: final.riskScore,
      riskLevel: final.riskLevel,
      decision: final.decision,
      decisionReason: final.decisionReason,
      riskFactors: local.riskFactors,
      details: {
        amountKes,
        configuration: choice,
        thresholds: configuration.body.thresholds,
        localScore: local.riskScore,
        localRiskLevel: local.riskLevel,
        shortCircuited: local.shortCircuited,
        anomalyScore: local.anomalyScore,
        engine,
        decisionSource: final.decisionSource,
        toggle,
        history: [],
      },
      configurationId: configuration.id,
      configurationVersion: configuration.version,
      riskAssessmentType: configuration.body.riskAssessmentType,
      externalApiUsed: call ? (bank?.name ?? null) : null,
      externalApiRequest: call && keepExchange ? call.request : null,
      externalApiResponse: call && keepExchange ? call.responseBody : null,
      externalApiResponseTimeMs: call ? call.responseTimeMs : null,
      processingTimeMs: performance.now() - started,
      errorMessage: call && call.outcome !== 'ANSWERED' ? `Bank engine ${bank?.name ?? ''}: ${call.detail}` : null,
      amountKes,
      facts: facts.snapshot,
    };
  }

  private count(outcome: AssessmentOutcome): void {
    countOutcome(this.stats, outcome, this.deps.clock.now().getTime());
  }

  /**
   * The facts a stored assessment is (re)scored from: those taken when its payment arrived. The
   * payment has been counted in the live windows since, so they are never re-read from there;
   * only rows from before facts were kept fall back to the live windows.
   */
  private async factsOf(current: { scoringFacts: ScoringFactsSnapshot | null }, payment: PaymentInput): Promise<PaymentFacts> {
    if (current.scoringFacts) return this.factsFrom(current.scoringFacts);
    return this.deps.facts.factsFor(payment, Date.parse(payment.timestamp), this.kesRateFor(payment));
  }

  /** Re-runs a FAILED / ERROR / TIMEOUT assessment with the configuration that applies now. */
  async retry(id: string, actor: Actor): Promise<AssessmentResponse> {
    const current = await getAssessment(this.deps.db, { id });
    const payment = stripKes(current.payment);
    const started = performance.now();
    const { configuration, choice } = this.deps.registry.choose(payment);
    const outcome = await this.score(payment, current.payment.amountKes, current.assessmentId, configuration, choice, started, {
      facts: await this.factsOf(current, payment),
    });
    return this.deps.bus.execute(completeAssessment, { id: current.id, payment, outcome, retry: true, expectedVersion: current.version }, actor);
  }

  /** Starts the processor of queued BATCH assessments (every `intervalMs`); each finished round beats `heartbeat`. */
  startBatchProcessor(intervalMs = 500, heartbeat?: Heartbeat): void {
    this.batchTimer = setInterval(() => {
      // A round still running is not a finished one: a hung round stops the heartbeat.
      if (this.batchRunning) return;
      void this.processPendingBatch()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'batch assessment processing failed'))
        .finally(() => heartbeat?.beat());
    }, intervalMs);
    this.batchTimer.unref();
  }

  stop(): void {
    if (this.batchTimer) clearInterval(this.batchTimer);
    this.batchTimer = null;
  }

  /** PENDING → IN_PROGRESS → COMPLETED / ERROR / TIMEOUT / FAILED for queued batch assessments. */
  async processPendingBatch(limit = 200): Promise<number> {
    if (this.batchRunning) return 0;
    this.batchRunning = true;
    try {
      // Candidates only: the claim below decides, under row locks, which of them this hub takes.
      const pending = await this.deps.db
        .selectFrom('fraud_risk_assessments')
        .select('id')
        .where((eb) => claimable(eb, this.deps.clock.now().toISOString()))
        .orderBy('created_at')
        .limit(limit)
        .execute();
      if (pending.length === 0) return 0;
      const started = (await this.deps.bus.execute(
        startAssessments,
        { ids: pending.map((p) => p.id), claimedBy: this.instanceId, leaseMs: BATCH_CLAIM_LEASE_MS },
        SYSTEM_ACTOR,
      )) as string[];
      for (const id of started) {
        const current = await getAssessment(this.deps.db, { id });
        const payment = stripKes(current.payment);
        const t0 = performance.now();
        let outcome: AssessmentOutcome;
        try {
          const { configuration, choice } = this.deps.registry.choose(payment);
          outcome = await this.score(payment, current.payment.amountKes, current.assessmentId, configuration, choice, t0, {
            facts: await this.factsOf(current, payment),
          });
        } catch (error) {
          outcome = {
            ...pendingOutcomeBase(current.payment.amountKes),
            status: 'FAILED',
            decision: 'HOLD',
            decisionReason: 'Assessment failed; the payment stays on hold until it is retried',
            errorMessage: error instanceof Error ? error.message : String(error),
            processingTimeMs: performance.now() - t0,
          };
        }
        await this.deps.bus.execute(completeAssessment, { id, payment, outcome, retry: false, expectedVersion: current.version }, SYSTEM_ACTOR);
        this.count(outcome);
      }
      return started.length;
    } finally {
      this.batchRunning = false;
    }
  }
}

function stripKes(payment: StoredPayment): PaymentInput {
  const { amountKes: _amountKes, ...rest } = payment;
  return rest;
}

function pendingOutcomeBase(amountKes: number): AssessmentOutcome {
  return {
    status: 'PENDING',
    riskScore: null,
    riskLevel: null,
    decision: null,
    decisionReason: '',
    riskFactors: [],
    details: null,
    configurationId: null,
    configurationVersion: null,
    riskAssessmentType: 'BATCH',
    externalApiUsed: null,
    externalApiRequest: null,
    externalApiResponse: null,
    externalApiResponseTimeMs: null,
    processingTimeMs: 0,
    errorMessage: null,
    amountKes,
  };
}

function pendingOutcome(
  configuration: ActiveConfiguration,
  choice: ConfigurationChoice,
  amountKes: number,
  elapsed: number,
  facts: ScoringFactsSnapshot,
): AssessmentOutcome {
  return {
    ...pendingOutcomeBase(amountKes),
    // Taken at intake: the batch run later scores from what was known when the payment arrived.
    facts,
    decisionReason: `Queued for batch assessment under "${choice.configurationName}"; hold the payment until it completes`,
    configurationId: configuration.id,
    configurationVersion: configuration.version,
    processingTimeMs: elapsed,
  };
}
