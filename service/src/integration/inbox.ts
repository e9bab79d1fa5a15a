import { createHash } from 'node:crypto';
import type { CommandContext } from '../commands/bus.ts';
import { fromJson, toJson } from '../db/database.ts';
import { forbidden, ServiceError } from '../errors.ts';
import { tenantAllowed } from '../../../shared/src/tenants.ts';
import type { IngestResult } from '../../../shared/src/risk-data.ts';

export const INBOX_ENTITY = 'integration_delivery';

/** JSON with object keys sorted, so that the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The delivery's idempotency key: the sender's Idempotency-Key header, else its natural id (an
 * incident id, a queue eventId), else the request's own content hash — an exact resend is then a
 * repeat, while changed figures are new data (upserted by the bank's ids).
 */
export function deliveryKey(type: string, header: string | undefined, naturalId: string | undefined, body: unknown): string {
  if (header) return `key:${header}`;
  if (naturalId) return `${type}:${naturalId}`;
  return `${type}:sha256:${sha256(canonicalJson(body))}`;
}

export interface Delivery {
  tenantId: string;
  source: 'HTTP' | 'AMQP';
  type: string;
  idempotencyKey: string;
  requestHash: string;
}

/** The caller must act for the tenant (ARCHITECTURE.md "Tenants"): the router checked a named one, this covers every path. */
export function assertActsFor(ctx: CommandContext, tenantId: string): void {
  if (!tenantAllowed(ctx.actor.tenants, tenantId)) throw forbidden(`you do not feed tenant ${tenantId}`);
}

/** The answer already given to this delivery, or null. The same key with another request is refused (409). */
export async function findDelivery(ctx: CommandContext, delivery: Delivery): Promise<IngestResult | null> {
  const row = await ctx.trx
    .selectFrom('integration_inbox')
    .select(['request_hash', 'type', 'result'])
    .where('tenant_id', '=', delivery.tenantId)
    .where('idempotency_key', '=', delivery.idempotencyKey)
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== delivery.requestHash || row.type !== delivery.type) {
    throw new ServiceError(
      409,
      'IDEMPOTENCY_CONFLICT',
      `the idempotency key ${delivery.idempotencyKey} was already used for a different ${row.type} request; nothing was stored: use a new key for new data`,
      [{ path: 'headers.idempotency-key', message: 'already used for a different request' }],
    );
  }
  return fromJson<IngestResult>(row.result);
}

/**
 * Claims the delivery's key first thing in the command's transaction (a concurrent twin then fails
 * on the unique key and is answered from the stored result once this one commits).
 */
export async function claimDelivery(ctx: CommandContext, delivery: Delivery, result: IngestResult): Promise<void> {
  await ctx.trx
    .insertInto('integration_inbox')
    .values({
      id: result.ingestionId,
      tenant_id: delivery.tenantId,
      source: delivery.source,
      idempotency_key: delivery.idempotencyKey,
      type: delivery.type,
      request_hash: delivery.requestHash,
      received_at: result.receivedAt,
      actor_id: ctx.actor.id,
      result: toJson(result),
    })
    .execute();
}

/** Stores the answer with the delivery, audited (seed 000 "Audit Logging"). */
export async function completeDelivery(ctx: CommandContext, delivery: Delivery, result: IngestResult): Promise<void> {
  await ctx.trx
    .updateTable('integration_inbox')
    .set({ result: toJson(result) })
    .where('id', '=', result.ingestionId)
    .execute();
  ctx.audit({
    entityType: INBOX_ENTITY,
    entityId: result.ingestionId,
    before: null,
    after: {
      source: delivery.source,
      type: delivery.type,
      idempotencyKey: delivery.idempotencyKey,
      records: result.records,
      riskEventIds: result.riskEventIds,
      riskIds: result.riskIds,
      modelRuns: result.modelRuns,
      kriMeasurements: result.kriMeasurements,
      notes: result.notes,
    },
    tenantId: delivery.tenantId,
  });
}
