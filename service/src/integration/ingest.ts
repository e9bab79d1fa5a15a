import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { TenantId } from '../../../shared/src/tenants.ts';
import type { IngestResult } from '../../../shared/src/risk-data.ts';
import { assertActsFor, canonicalJson, claimDelivery, completeDelivery, deliveryKey, findDelivery, sha256, type Delivery } from './inbox.ts';

/** What an ingestion command answers: the result, and whether it is the stored answer to an earlier delivery. */
export interface IngestOutcome {
  result: IngestResult;
  replayed: boolean;
}

/** A key the sender chose: printable, at most 200 characters (IETF draft "Idempotency-Key"). */
export const IdempotencyKeyHeader = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** The input of every ingestion command: the tenant, the sender's key if any, and the body. */
export function ingestInput<S extends z.ZodType>(body: S) {
  return z.object({ tenantId: TenantId, idempotencyKey: IdempotencyKeyHeader.optional(), body });
}

/**
 * The frame of every delivery (HTTP or queue): tenant check, the repeat check by key, claiming the
 * key, applying, and storing the answer — all in the command's one transaction (rule 1), so a
 * delivery is applied exactly once or not at all.
 */
export async function ingestWithin(
  ctx: CommandContext,
  frame: {
    tenantId: string;
    source: Delivery['source'];
    type: string;
    idempotencyKey?: string | undefined;
    naturalId?: string | undefined;
    exactKey?: string;
    body: unknown;
  },
  apply: (result: IngestResult) => Promise<void>,
): Promise<IngestOutcome> {
  assertActsFor(ctx, frame.tenantId);
  const delivery: Delivery = {
    tenantId: frame.tenantId,
    source: frame.source,
    type: frame.type,
    idempotencyKey: frame.exactKey ?? deliveryKey(frame.type, frame.idempotencyKey, frame.naturalId, frame.body),
    requestHash: sha256(`${frame.type}\n${canonicalJson(frame.body)}`),
  };
  const earlier = await findDelivery(ctx, delivery);
  if (earlier) return { result: earlier, replayed: true };
  const result: IngestResult = {
    ingestionId: ctx.newId(),
    type: delivery.type,
    tenantId: delivery.tenantId,
    idempotencyKey: delivery.idempotencyKey,
    receivedAt: ctx.now.toISOString(),
    records: { created: 0, updated: 0, unchanged: 0 },
    riskEventIds: [],
    riskIds: [],
    modelRuns: [],
    kriMeasurements: [],
    notes: [],
  };
  await claimDelivery(ctx, delivery, result);
  await apply(result);
  await completeDelivery(ctx, delivery, result);
  return { result, replayed: false };
}

/**
 * One integration endpoint as a command (ARCHITECTURE.md rule 1): `integration:ingest`, the body
 * framed by ingestWithin as an HTTP delivery of `type`, and `apply` writing what the body says.
 */
export function defineHttpIngest<S extends z.ZodType>(spec: {
  name: string;
  body: S;
  type: string;
  /** The body's own id of the delivery (e.g. an incident id), used as its key when no header names one. */
  naturalId?: (body: z.output<S>) => string | undefined;
  apply: (ctx: CommandContext, tenantId: string, body: z.output<S>, result: IngestResult) => Promise<void>;
}) {
  return defineCommand({
    name: spec.name,
    input: ingestInput(spec.body),
    permission: 'integration:ingest',
    apply: (ctx, input) => {
      // The generic schema hides `body` from the inferred input type; ingestInput puts it there.
      const { body } = input as unknown as { body: z.output<S> };
      return ingestWithin(
        ctx,
        { tenantId: input.tenantId, source: 'HTTP', type: spec.type, idempotencyKey: input.idempotencyKey, naturalId: spec.naturalId?.(body), body },
        (result) => spec.apply(ctx, input.tenantId, body, result),
      );
    },
  });
}
