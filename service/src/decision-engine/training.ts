import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { Actor, CommandBus } from '../commands/bus.ts';
import type { Clock } from '../clock.ts';
import type { AnomalyModelInfo, AnomalyTrainRequest } from '../../../shared/src/decision-engine.ts';
import { loadActiveModel, storeAnomalyModel, trainingSample, trainModel } from './anomaly-model.ts';
import type { DecisionEngine } from './decision-engine.ts';

/**
 * Trains the bank-wide anomaly model on the stored payments of the `days` before the service
 * clock's now (ARCHITECTURE.md rule 3: the seed of the forest comes from that clock too), stores
 * it through its command, and makes the active model live in this process before answering, so
 * that the next payment is scored with it. Training happens outside the transaction; only the
 * store is a command.
 */
export async function trainAnomalyModel(
  engine: DecisionEngine,
  deps: { db: Kysely<Database>; bus: CommandBus; clock: Clock },
  request: z.output<typeof AnomalyTrainRequest>,
  actor: Actor,
  requestId: string,
): Promise<AnomalyModelInfo> {
  const now = deps.clock.now();
  const sample = await trainingSample(deps.db, request.days, now);
  const trained = trainModel(sample, request, now.getTime() >>> 0);
  const info = await deps.bus.execute(storeAnomalyModel, trained, actor, { requestId });
  const active = await loadActiveModel(deps.db);
  engine.facts.anomaly = active?.scorer ?? null;
  if (active) engine.models.remember(active.scorer);
  engine.anomalyModel = active?.info ?? info;
  return info;
}
