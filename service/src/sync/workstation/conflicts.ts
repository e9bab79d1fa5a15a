import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, SyncConflictsTable } from '../../db/schema.ts';
import { defineCommand, type CommandBus } from '../../commands/bus.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import { fromJson, fromJsonOrNull, toIso, toIsoOrNull } from '../../db/database.ts';
import type { ServiceContext } from '../../context.ts';
import { syncOperations } from '../../../../shared/src/contract/sync.ts';
import { ResolveConflictRequest, SYNCABLE_COMMANDS, type SyncConflict, type SyncConflictList } from '../../../../shared/src/sync.ts';
import type { WorkstationSync } from './engine.ts';

/**
 * The Conflicts inbox of a workstation: actions the hub refused (a 409 because the case moved on
 * meanwhile, or another refusal), with both sides. Resolving is a command (ARCHITECTURE.md rule
 * 1): re-apply runs the original action again on the case as it is now locally — a new action,
 * so it gets a new outbox entry and goes to the hub like any other — or discard drops it.
 */

type ConflictRow = Selectable<SyncConflictsTable>;

function toSyncConflict(row: ConflictRow): SyncConflict {
  const spec = (SYNCABLE_COMMANDS as Readonly<Record<string, { label: string }>>)[row.command];
  return {
    id: row.id,
    mutationId: row.mutation_id,
    command: row.command,
    label: spec?.label ?? row.command,
    kind: row.kind === 'conflict' ? 'conflict' : 'refused',
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityLabel: row.entity_label,
    mine: fromJson<Record<string, unknown>>(row.mine),
    theirs: fromJsonOrNull<Record<string, unknown>>(row.theirs),
    message: row.message,
    actorId: row.actor_id,
    actorName: row.actor_name,
    createdAt: toIso(row.created_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    resolution: row.resolution === 'reapplied' || row.resolution === 'discarded' ? row.resolution : null,
  };
}

/** The inbox: unresolved first, newest first. */
export async function listConflicts(db: Kysely<Database>): Promise<SyncConflictList> {
  const rows = await db
    .selectFrom('sync_conflicts')
    .selectAll()
    .orderBy((eb) => eb.case().when('resolved_at', 'is', null).then(0).else(1).end())
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return { items: rows.map(toSyncConflict) };
}

export const ResolveConflictInput = ResolveConflictRequest.extend({ id: z.uuid() });

/**
 * `sync.conflict.resolve`, bound to the workstation's bus (re-applying runs the original command
 * through it, inside this command's transaction, so its outbox entry commits with the resolution).
 */
export function defineResolveConflict(bus: CommandBus) {
  return defineCommand({
    name: 'sync.conflict.resolve',
    input: ResolveConflictInput,
    permission: 'signed-in',
    async apply(ctx, input): Promise<SyncConflict> {
      const row = await ctx.trx.selectFrom('sync_conflicts').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!row) throw notFound('conflict');
      // Only the person who acted may re-apply or drop their action.
      if (row.actor_id !== ctx.actor.id) throw forbidden(`only ${row.actor_name} may resolve this conflict`);
      if (row.resolved_at !== null) throw conflict(`this conflict was already resolved (${row.resolution ?? 'resolved'})`);
      if (input.action === 'reapply') {
        const mine = fromJson<Record<string, unknown>>(row.mine);
        const again = { ...mine };
        if ('expectedVersion' in mine && row.entity_type === 'case') {
          const current = await ctx.trx.selectFrom('cases').select('version').where('id', '=', row.entity_id).executeTakeFirst();
          if (!current) throw notFound('case');
          again.expectedVersion = Number(current.version);
        }
        // Not a rebase: the bus's afterApply queues it as a new action for the hub.
        await bus.executeWithin(ctx.trx, row.command, again, ctx.actor);
      }
      const resolution = input.action === 'reapply' ? 'reapplied' : 'discarded';
      await ctx.trx
        .updateTable('sync_conflicts')
        .set({ resolved_at: ctx.now.toISOString(), resolution, version: row.version + 1 })
        .where('id', '=', row.id)
        .execute();
      // The refused entry has been answered by its owner: it no longer counts as rejected.
      await ctx.trx.deleteFrom('sync_outbox').where('mutation_id', '=', row.mutation_id).where('status', '=', 'rejected').execute();
      ctx.audit({ entityType: 'sync-conflict', entityId: row.id, before: null, after: { resolution, command: row.command, caseId: row.entity_id } });
      return toSyncConflict({ ...row, resolved_at: ctx.now.toISOString(), resolution, version: row.version + 1 });
    },
  });
}

/**
 * The sync operations a workstation answers itself (ARCHITECTURE.md rule 2: each handler runs
 * one query or one command). The shell wires this in workstation mode.
 */
export function registerWorkstationSyncRoutes(ctx: ServiceContext, engineOf: WorkstationSync | (() => WorkstationSync)): void {
  // The shell registers routes before the engine starts (it needs the listening server): a getter.
  const engine = () => (typeof engineOf === 'function' ? engineOf() : engineOf);
  const resolve = defineResolveConflict(ctx.bus);
  ctx.operations.implement(syncOperations.status, () => engine().status());
  ctx.operations.implement(syncOperations.conflicts, () => listConflicts(ctx.db.kysely));
  ctx.operations.implement(syncOperations.resolveConflict, async ({ principal, params, body, request }) => {
    const result = await ctx.bus.execute(resolve, { id: params.id, action: body.action }, principal.actor, { requestId: request.id });
    // A re-applied action is a new outbox entry: send it now.
    engine().kick();
    return result;
  });
}
