import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { defineCommand } from '../commands/bus.ts';
import type { Database, AnomalyModelRow } from '../db/schema.ts';
import { fromJson, toIso, toNumber, dbBool } from '../db/database.ts';
import { validationFailed } from '../errors.ts';
import { AnomalyModelInfo, type AnomalyTrainRequest } from '../../../shared/src/decision-engine.ts';
import type { Channel } from '../../../shared/src/payments.ts';
import { ANOMALY_FEATURES, anomalyFeatures } from '../scoring/anomaly/features.ts';
import {
  deserializeModel,
  scoreIsolationForest,
  serializeModel,
  trainIsolationForest,
  type IsolationForestModel,
} from '../scoring/anomaly/isolation-forest.ts';
import type { AnomalyScorer, ScoringFacts } from '../scoring/facts.ts';
import { zoneOffsetMinutes } from '../scoring/local-time.ts';

/** Training reads at most this many recent payments: enough for 100 trees of 256, bounded in memory. */
const MAX_TRAINING_SAMPLE = 50_000;
const DEFAULT_THRESHOLD = 0.6;

export function toAnomalyModelInfo(row: AnomalyModelRow): AnomalyModelInfo {
  return AnomalyModelInfo.parse({
    id: row.id,
    trainedAt: toIso(row.trained_at),
    trainedBy: row.trained_by,
    sampleSize: row.sample_size,
    trees: row.trees,
    subsampleSize: row.subsample_size,
    features: fromJson(row.features),
    shareAboveDefaultThreshold: toNumber(row.share_above_threshold),
  });
}

export function scorerFor(id: string, model: IsolationForestModel): AnomalyScorer {
  return { modelId: id, score: (features) => scoreIsolationForest(model, features) };
}

/**
 * Builds the training sample from stored payments of the last `days` days, with each customer's
 * running average as it was at the time (so the feature means what it means when scoring).
 */
export async function trainingSample(db: Kysely<Database>, days: number, now: Date): Promise<Float64Array[]> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('payments')
    .select(['amount_kes', 'occurred_at', 'channel', 'country', 'customer_ref', 'payment_type'])
    .where('occurred_at', '>=', since)
    .orderBy('occurred_at', 'desc')
    .limit(MAX_TRAINING_SAMPLE)
    .execute();
  rows.reverse();
  const running = new Map<string, { n: number; sum: number }>();
  return rows.map((r) => {
    const amountKes = toNumber(r.amount_kes);
    const timestamp = toIso(r.occurred_at);
    const seen = running.get(r.customer_ref);
    const features = anomalyFeatures({
      amountKes,
      timestamp,
      channel: r.channel as Channel,
      country: r.country,
      homeCountry: 'KE',
      timeZoneOffsetMinutes: zoneOffsetMinutes(Date.parse(timestamp), 'Africa/Nairobi'),
      customerMedianAmountKes: seen ? seen.sum / seen.n : null,
      paymentType: r.payment_type,
    });
    running.set(r.customer_ref, { n: (seen?.n ?? 0) + 1, sum: (seen?.sum ?? 0) + amountKes });
    return features;
  });
}

/** The trained model to store: computed outside the transaction by the caller, stored by the command. */
const TrainedModel = z.object({
  model: z.custom<IsolationForestModel>((v) => typeof v === 'object' && v !== null && 'roots' in v),
  sampleSize: z.number().int().positive(),
  shareAbove: z.number().min(0).max(1),
});

export const storeAnomalyModel = defineCommand({
  name: 'anomaly-model.train',
  input: TrainedModel,
  permission: 'configuration:manage',
  async apply(ctx, { model, sampleSize, shareAbove }) {
    const previous = await ctx.trx
      .selectFrom('anomaly_models')
      .select(['id', 'trained_at', 'sample_size'])
      .where('active', '=', dbBool(ctx.dialect, true))
      .executeTakeFirst();
    await ctx.trx
      .updateTable('anomaly_models')
      .set({ active: dbBool(ctx.dialect, false) })
      .where('active', '=', dbBool(ctx.dialect, true))
      .execute();
    const row = {
      id: randomUUID(),
      trained_at: ctx.now.toISOString(),
      trained_by: ctx.actor.name,
      sample_size: sampleSize,
      trees: model.trees,
      subsample_size: model.subsampleSize,
      features: JSON.stringify(ANOMALY_FEATURES),
      share_above_threshold: Math.round(shareAbove * 100_000) / 100_000,
      model: JSON.stringify(serializeModel(model)),
      active: dbBool(ctx.dialect, true),
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('anomaly_models').values(row).execute();
    const info = toAnomalyModelInfo(row as AnomalyModelRow);
    ctx.audit({
      entityType: 'anomaly_model',
      entityId: row.id,
      before: previous ? { id: previous.id, sampleSize: previous.sample_size } : null,
      after: { ...info },
    });
    ctx.change({ entityType: 'anomaly_model', entityId: row.id, operation: 'upsert', version: 1, data: { ...info } });
    return info;
  },
});

export function trainModel(sample: Float64Array[], request: z.output<typeof AnomalyTrainRequest>, seed: number) {
  if (sample.length < 64) {
    throw validationFailed([{ path: 'body.days', message: `only ${sample.length} payments in that period; at least 64 are needed to train` }]);
  }
  const model = trainIsolationForest(sample, { trees: request.trees, subsampleSize: request.subsampleSize, seed, featureNames: ANOMALY_FEATURES });
  let above = 0;
  for (const features of sample) if (scoreIsolationForest(model, features) >= DEFAULT_THRESHOLD) above++;
  return { model, sampleSize: sample.length, shareAbove: above / sample.length };
}

/**
 * Models by id, for scoring stored facts with the model that scored them at the time (retries,
 * batch runs, replays, backtests). Models are immutable once stored; a few are kept in memory.
 */
export class AnomalyModelCache {
  private readonly byId = new Map<string, Promise<AnomalyScorer | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly capacity = 8,
  ) {}

  remember(scorer: AnomalyScorer): void {
    this.keep(scorer.modelId, Promise.resolve(scorer));
  }

  get(id: string): Promise<AnomalyScorer | null> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const loading = this.db
      .selectFrom('anomaly_models')
      .select(['id', 'model'])
      .where('id', '=', id)
      .executeTakeFirst()
      .then((row) => (row ? scorerFor(row.id, deserializeModel(JSON.parse(row.model))) : null));
    this.keep(id, loading);
    loading.catch(() => this.byId.delete(id));
    return loading;
  }

  private keep(id: string, scorer: Promise<AnomalyScorer | null>): void {
    this.byId.delete(id);
    this.byId.set(id, scorer);
    if (this.byId.size > this.capacity) this.byId.delete(this.byId.keys().next().value!);
  }
}

export async function loadActiveModel(db: Kysely<Database>): Promise<{ info: AnomalyModelInfo; scorer: AnomalyScorer } | null> {
  const row = await db.selectFrom('anomaly_models').selectAll().where('deleted_at', 'is', null).orderBy('trained_at', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const model = deserializeModel(JSON.parse(row.model));
  return { info: toAnomalyModelInfo(row), scorer: scorerFor(row.id, model) };
}

/**
 * Fills the in-memory facts from the database at start-up: accounts' opening dates, the last
 * week of payments for the velocity windows, the last 90 days for the devices customers use,
 * and the active anomaly model. One pass, not a scan per payment.
 */
export async function warmUpFacts(
  db: Kysely<Database>,
  facts: ScoringFacts,
  now: Date,
): Promise<{ payments: number; accounts: number; model: AnomalyModelInfo | null }> {
  const accounts = await loadAccountOpenings(db, facts);
  const since = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  let payments = 0;
  let cursor = since;
  let cursorId = '00000000-0000-0000-0000-000000000000';
  // Keyset paging keeps memory flat however many payments there are.
  for (;;) {
    const page = await db
      .selectFrom('payments')
      .select(['id', 'tenant_id', 'customer_ref', 'debtor_account', 'device_id', 'occurred_at', 'amount_kes'])
      .where((eb) => eb.or([eb('occurred_at', '>', cursor), eb.and([eb('occurred_at', '=', cursor), eb('id', '>', cursorId)])]))
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(5000)
      .execute();
    for (const p of page) {
      facts.observe({
        tenantId: p.tenant_id,
        customerId: p.customer_ref,
        debtorAccount: p.debtor_account,
        deviceId: p.device_id ?? undefined,
        atMs: Date.parse(toIso(p.occurred_at)),
        amountKes: toNumber(p.amount_kes),
      });
    }
    payments += page.length;
    if (page.length < 5000) break;
    const last = page[page.length - 1]!;
    cursor = toIso(last.occurred_at);
    cursorId = last.id;
  }
  const active = await loadActiveModel(db);
  facts.anomaly = active?.scorer ?? null;
  return { payments, accounts, model: active?.info ?? null };
}

/**
 * Account opening dates from the core-banking customer records. Read in full at start-up and
 * again after customer records change (decision-engine.ts), so a new account's age is known from
 * its first payment on.
 */
export async function loadAccountOpenings(db: Kysely<Database>, facts: ScoringFacts, refs?: readonly string[]): Promise<number> {
  let accounts = 0;
  const parts: Array<readonly string[] | null> = refs
    ? Array.from({ length: Math.ceil(refs.length / 500) }, (_, i) => refs.slice(i * 500, i * 500 + 500))
    : [null];
  for (const part of parts) {
    let query = db.selectFrom('customers').select(['accounts']).where('deleted_at', 'is', null);
    if (part) query = query.where('customer_ref', 'in', part);
    for (const c of await query.execute()) {
      for (const a of fromJson<Array<{ accountNumber: string; openedOn: string }>>(c.accounts)) {
        facts.setAccountOpened(a.accountNumber, a.openedOn);
        accounts++;
      }
    }
  }
  return accounts;
}
