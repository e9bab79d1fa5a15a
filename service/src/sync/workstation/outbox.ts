import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppliedCommand, ExecuteOptions } from '../../commands/bus.ts';
import { toJson } from '../../db/database.ts';
import { crashPoint } from '../../util/crash-points.ts';
import { isSyncableCommand, SYNCABLE_COMMANDS } from '../../../../shared/src/sync.ts';

/**
 * The workstation bus's `afterApply` hook: a user's syncable action (a case action run locally,
 * optimistically) is queued for the hub in the SAME transaction as the action itself, so an
 * action is never committed without its outbox entry nor queued without having been applied
 * (ARCHITECTURE.md rule 1). A rebase (re-running a waiting entry on newer hub rows) is already
 * queued; system work (seeding, sync itself) is not a user's action.
 *
 * Crash points (issue 12 "Proof", kill -9 tests): `ws.before-local-commit` is here, inside the
 * transaction (dies with neither the action nor its entry written); the shell calls
 * `crashPoint('ws.after-local-commit')` once the local command returned (both written, not sent).
 */
export async function outboxAfterApply(trx: Transaction<Database>, applied: AppliedCommand, options: ExecuteOptions): Promise<void> {
  if (!isSyncableCommand(applied.command) || applied.actor.kind !== 'user' || options.rebase) return;
  const spec = SYNCABLE_COMMANDS[applied.command];
  const input = { ...((applied.rawInput ?? {}) as Record<string, unknown>) };
  // When the user did it, not when the hub hears of it (SyncableCommand.timeField).
  const timeField = 'timeField' in spec ? spec.timeField : undefined;
  if (timeField && input[timeField] === undefined) input[timeField] = applied.now.toISOString();
  await trx
    .insertInto('sync_outbox')
    .values({
      mutation_id: applied.mutationId,
      command: applied.command,
      command_version: spec.version,
      input: toJson(input),
      actor_id: applied.actor.id,
      actor_name: applied.actor.name,
      entity_type: spec.entityType,
      entity_id: spec.idField === null ? '' : String(input[spec.idField] ?? ''),
      status: 'pending',
      created_at: applied.now.toISOString(),
    })
    .execute();
  crashPoint('ws.before-local-commit');
}
