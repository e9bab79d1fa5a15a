import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { dbBool, fromJson, toBool, toIso, toJson } from '../db/database.ts';
import type { CaseQueueRow, Database } from '../db/schema.ts';
import {
  type CaseQueue,
  CaseQueueInput,
  CaseQueueUpdate,
  DEFAULT_SLA_ESCALATION,
  QueueRouting,
  QueueSla,
  QueueSlaEscalation,
} from '../../../shared/src/queues.ts';

export function toCaseQueue(row: CaseQueueRow): CaseQueue {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind as CaseQueue['kind'],
    priority: row.priority,
    routing: QueueRouting.parse(fromJson(row.routing)),
    sla: QueueSla.parse(fromJson(row.sla)),
    // Queues from before migration 0021 have no escalation settings: the defaults (warn at 80 %, notify only).
    slaEscalation: row.sla_escalation == null ? DEFAULT_SLA_ESCALATION : QueueSlaEscalation.parse(fromJson(row.sla_escalation)),
    active: toBool(row.active),
    isDefault: toBool(row.is_default),
    version: row.version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

export async function listQueues(db: Kysely<Database>): Promise<CaseQueue[]> {
  const rows = await db
    .selectFrom('case_queues')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('kind', 'desc')
    .orderBy('priority')
    .orderBy('name')
    .execute();
  return rows.map(toCaseQueue);
}

/** The live queues, read inside the caller's transaction (routing and escalation). */
export async function queuesIn(ctx: Pick<CommandContext, 'trx'>): Promise<CaseQueue[]> {
  return listQueues(ctx.trx);
}

async function loadQueue(ctx: CommandContext, id: string, expectedVersion: number): Promise<CaseQueueRow> {
  const row = await ctx.trx.selectFrom('case_queues').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('queue');
  if (row.version !== expectedVersion)
    throw conflict(`queue "${row.name}" was changed by someone else (you saw version ${expectedVersion}, it is now ${row.version}); reload it`);
  return row;
}

async function assertNameFree(ctx: CommandContext, name: string, exceptId: string | null): Promise<void> {
  const clash = await ctx.trx.selectFrom('case_queues').select('id').where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst();
  if (clash && clash.id !== exceptId) throw validationFailed([{ path: 'body.name', message: `a queue named "${name}" already exists` }]);
}

function queueColumns(ctx: CommandContext, input: z.output<typeof CaseQueueInput>) {
  return {
    name: input.name,
    description: input.description,
    kind: input.kind,
    priority: input.priority,
    routing: toJson(input.routing),
    sla: toJson(input.sla),
    sla_escalation: toJson(input.slaEscalation),
    active: dbBool(ctx.dialect, input.active),
    updated_at: ctx.now.toISOString(),
    updated_by: ctx.actor.name,
  };
}

function announceQueue(ctx: CommandContext, queueId: string | null, action: 'created' | 'updated' | 'deleted' | 'four-eyes'): void {
  ctx.announce({ event: 'queue.changed', audience: 'case:read', payload: { queueId, action, by: ctx.actor.name } });
}

export const createQueue = defineCommand({
  name: 'case-queue.create',
  input: CaseQueueInput,
  permission: 'case:configure',
  async apply(ctx, input) {
    await assertNameFree(ctx, input.name, null);
    const now = ctx.now.toISOString();
    const row = { id: randomUUID(), ...queueColumns(ctx, input), is_default: dbBool(ctx.dialect, false), created_at: now, version: 1, deleted_at: null };
    await ctx.trx.insertInto('case_queues').values(row).execute();
    const queue = toCaseQueue(row);
    ctx.audit({ entityType: 'case-queue', entityId: row.id, before: null, after: queue });
    ctx.change({ entityType: 'case-queue', entityId: row.id, operation: 'upsert', version: 1, data: queue });
    announceQueue(ctx, row.id, 'created');
    return queue;
  },
});

export const updateQueue = defineCommand({
  name: 'case-queue.update',
  input: CaseQueueUpdate.extend({ queueId: z.uuid() }),
  permission: 'case:configure',
  async apply(ctx, input) {
    const before = await loadQueue(ctx, input.queueId, input.expectedVersion);
    const wasDefault = toBool(before.is_default);
    if (wasDefault && (!input.active || input.kind !== 'STANDARD')) {
      throw validationFailed([
        {
          path: input.active ? 'body.kind' : 'body.active',
          message: 'the default queue takes every case no other queue takes: it stays an active standard queue',
        },
      ]);
    }
    await assertNameFree(ctx, input.name, before.id);
    const after: CaseQueueRow = { ...before, ...queueColumns(ctx, input), version: before.version + 1 };
    await ctx.trx
      .updateTable('case_queues')
      .set({ ...queueColumns(ctx, input), version: after.version })
      .where('id', '=', before.id)
      .where('version', '=', before.version)
      .execute();
    // Cases show their queue's name; keep it in step when the queue is renamed.
    if (after.name !== before.name) await ctx.trx.updateTable('cases').set({ queue: after.name }).where('queue_id', '=', before.id).execute();
    const queue = toCaseQueue(after);
    ctx.audit({ entityType: 'case-queue', entityId: before.id, before: toCaseQueue(before), after: queue });
    ctx.change({ entityType: 'case-queue', entityId: before.id, operation: 'upsert', version: after.version, data: queue });
    announceQueue(ctx, before.id, 'updated');
    return queue;
  },
});

export const deleteQueue = defineCommand({
  name: 'case-queue.delete',
  input: z.object({ queueId: z.uuid(), expectedVersion: z.coerce.number().int().positive() }),
  permission: 'case:configure',
  async apply(ctx, input) {
    const before = await loadQueue(ctx, input.queueId, input.expectedVersion);
    if (toBool(before.is_default)) throw conflict('the default queue cannot be deleted: cases no other queue takes land there');
    const open = await ctx.trx
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('queue_id', '=', before.id)
      .where('is_open', '=', dbBool(ctx.dialect, true))
      .executeTakeFirstOrThrow();
    if (Number(open.n) > 0) throw conflict(`queue "${before.name}" still has ${Number(open.n)} open cases; move or close them first`);
    await ctx.trx
      .updateTable('case_queues')
      .set({ deleted_at: ctx.now.toISOString(), version: before.version + 1, updated_at: ctx.now.toISOString(), updated_by: ctx.actor.name })
      .where('id', '=', before.id)
      .execute();
    ctx.audit({ entityType: 'case-queue', entityId: before.id, before: toCaseQueue(before), after: null });
    ctx.change({ entityType: 'case-queue', entityId: before.id, operation: 'delete', version: before.version + 1, data: null });
    announceQueue(ctx, before.id, 'deleted');
    return null;
  },
});
