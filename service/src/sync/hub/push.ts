import { z } from 'zod';
import type { Logger } from 'pino';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../../commands/bus.ts';
import { fromJsonOrNull, isDatabaseUnavailable, isUniqueViolation, toJson } from '../../db/database.ts';
import { ServiceError } from '../../errors.ts';
import type { Principal } from '../../auth/principal.ts';
import { crashPoint } from '../../util/crash-points.ts';
import {
  isSyncableCommand,
  type REGISTER_SYNC_ENTITIES,
  SYNCABLE_COMMANDS,
  SyncMutationError,
  type SyncMutation,
  type SyncMutationResult,
  type SyncPushRequest,
  type SyncPushResponse,
  type SyncTableRows,
} from '../../../../shared/src/sync.ts';
import { inSyncScope, type SyncViewer } from './scope.ts';
import { loadCaseBundles, selectSynced } from './bundles.ts';
import { REGISTER_RESOLVERS } from './register.ts';
import { CONSENT_RESOLVERS } from './consents.ts';
import type { HubReader } from './snapshot.ts';

/**
 * A workstation's queued actions, replayed in order (shared/src/sync.ts "Up"). Each mutation runs
 * as its own command by name, with the actor and tenants of the token (never of the payload), and
 * the hub's record of it (sync_mutations) commits in the same transaction, so an answer lost on the
 * way back makes the repeat a 'duplicate', never a second application. A refusal (4xx) is recorded
 * and the queue moves on; a fault that may pass (database away, 5xx) stops the batch there.
 */

/** Refusals are kept in their own small transaction; a concurrent application of the same id wins. */
const recordRejection = defineCommand({
  name: 'sync.mutation.reject',
  input: z.object({
    mutationId: z.uuid(),
    workstationId: z.uuid(),
    userId: z.string(),
    command: z.string(),
    clientTime: z.string(),
    error: SyncMutationError,
  }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx
      .insertInto('sync_mutations')
      .values({
        mutation_id: input.mutationId,
        workstation_id: input.workstationId,
        user_id: input.userId,
        command: input.command,
        status: 'rejected',
        error: toJson(input.error),
        client_time: input.clientTime,
        applied_at: ctx.now.toISOString(),
      })
      .onConflict((oc) => oc.column('mutation_id').doNothing())
      .execute();
    return readRecord(ctx.trx, input.mutationId);
  },
});

type Reader = Pick<HubReader['db']['kysely'], 'selectFrom'>;

async function readRecord(db: Reader, mutationId: string): Promise<{ status: string; error: SyncMutationError | null } | null> {
  const row = await db.selectFrom('sync_mutations').select(['status', 'error']).where('mutation_id', '=', mutationId).executeTakeFirst();
  return row ? { status: row.status, error: fromJsonOrNull<SyncMutationError>(row.error) } : null;
}

export interface PushDeps {
  reader: HubReader;
  bus: CommandBus;
  /** Syncable command versions this hub accepts (name → version). */
  accepted: Record<string, number>;
  logger: Logger;
}

/** Raised to end the batch at a fault that may pass: the mutations from here on are sent again later. */
class StopBatch extends Error {}

export async function pushMutations(deps: PushDeps, principal: Principal, viewer: SyncViewer, request: SyncPushRequest): Promise<SyncPushResponse> {
  const results: SyncMutationResult[] = [];
  for (const mutation of request.mutations) {
    try {
      results.push(await pushOne(deps, principal, viewer, request.workstationId, mutation));
    } catch (error) {
      if (error instanceof StopBatch) return { results, stoppedAt: mutation.mutationId };
      throw error;
    }
  }
  return { results, stoppedAt: null };
}

async function pushOne(deps: PushDeps, principal: Principal, viewer: SyncViewer, workstationId: string, m: SyncMutation): Promise<SyncMutationResult> {
  const refused = (status: number, code: string, message: string): SyncMutationResult => ({
    mutationId: m.mutationId,
    status: 'rejected',
    error: { status, code, message },
    current: null,
  });
  // Deterministic refusals: the same answer every time, so nothing needs recording.
  if (!isSyncableCommand(m.command)) return refused(400, 'BAD_REQUEST', `${m.command} cannot be run from a workstation`);
  const accepted = deps.accepted[m.command];
  if (accepted !== m.commandVersion) {
    return refused(426, 'VERSION_SKEW', `this hub accepts ${m.command} version ${accepted ?? 'none'}, the workstation sent version ${m.commandVersion}`);
  }

  const { db } = deps.reader;
  const earlier = await stopOnFault(deps, () => readRecord(db.kysely, m.mutationId));
  if (earlier) return duplicate(deps, viewer, m, earlier);

  const clientTime = new Date(m.clientTime).toISOString();
  try {
    await deps.bus.executeByName(m.command, m.input, principal.actor, {
      mutationId: m.mutationId,
      inTransaction: async (trx) => {
        await trx
          .insertInto('sync_mutations')
          .values({
            mutation_id: m.mutationId,
            workstation_id: workstationId,
            user_id: principal.actor.id,
            command: m.command,
            status: 'applied',
            error: null,
            client_time: clientTime,
            applied_at: deps.bus.clock.now().toISOString(),
          })
          .execute();
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // The same mutation applied concurrently (a retry racing its original): that one counts.
      const stored = await stopOnFault(deps, () => readRecord(db.kysely, m.mutationId));
      if (stored) return duplicate(deps, viewer, m, stored);
      throw new StopBatch();
    }
    if (!(error instanceof ServiceError) || error.status >= 500) {
      deps.logger.warn({ err: error, mutationId: m.mutationId, command: m.command, databaseUnavailable: isDatabaseUnavailable(error) }, 'sync push stopped');
      throw new StopBatch();
    }
    const said: SyncMutationError = { status: error.status, code: error.code, message: error.message };
    const stored = await stopOnFault(deps, () =>
      deps.bus.execute(
        recordRejection,
        { mutationId: m.mutationId, workstationId, userId: principal.actor.id, command: m.command, clientTime, error: said },
        SYSTEM_ACTOR,
      ),
    );
    if (stored?.status === 'applied') return duplicate(deps, viewer, m, stored);
    return { mutationId: m.mutationId, status: 'rejected', error: stored?.error ?? said, current: await stopOnFault(deps, () => currentRows(deps, viewer, m)) };
  }
  crashPoint('hub.push.after-commit');
  return { mutationId: m.mutationId, status: 'applied', error: null, current: null };
}

async function duplicate(
  deps: PushDeps,
  viewer: SyncViewer,
  m: SyncMutation,
  stored: { status: string; error: SyncMutationError | null },
): Promise<SyncMutationResult> {
  const rejected = stored.status === 'rejected';
  return {
    mutationId: m.mutationId,
    status: 'duplicate',
    error: rejected ? stored.error : null,
    current: rejected ? await stopOnFault(deps, () => currentRows(deps, viewer, m)) : null,
  };
}

async function stopOnFault<T>(deps: PushDeps, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    deps.logger.warn({ err: error, databaseUnavailable: isDatabaseUnavailable(error) }, 'sync push stopped');
    throw new StopBatch();
  }
}

/**
 * The case a refused mutation addressed, as the hub has it now for this caller, so the workstation
 * can roll its optimistic change back. Empty when the case is not (or no longer) the caller's:
 * nothing of it belongs on that workstation, and another tenant's case is not revealed.
 */
async function currentRows(deps: PushDeps, viewer: SyncViewer, m: SyncMutation): Promise<SyncTableRows[]> {
  const spec = isSyncableCommand(m.command) ? SYNCABLE_COMMANDS[m.command] : null;
  if (spec && spec.entityType === 'consent') return currentConsentRows(deps, viewer, spec.idField ? m.input[spec.idField] : undefined);
  if (spec && spec.entityType !== 'case') return currentRegisterRow(deps, viewer, spec.entityType, spec.idField ? m.input[spec.idField] : undefined);
  const caseId = m.input.caseId;
  if (typeof caseId !== 'string' || !z.uuid().safeParse(caseId).success) return [];
  const { kysely, dialect } = deps.reader.db;
  const kinds = await deps.reader.kinds();
  const rows = await inSyncScope(selectSynced(kysely, kinds, 'cases'), viewer, dialect)
    .where('cases.id', '=', caseId)
    .execute();
  if (rows.length === 0) return [];
  return (await loadCaseBundles(kysely, kinds, rows, { perCase: false })).tables;
}

/** A consent a refused revocation addressed (its rows as the hub has them), when the caller may see it. */
async function currentConsentRows(deps: PushDeps, viewer: SyncViewer, id: unknown): Promise<SyncTableRows[]> {
  if (typeof id !== 'string' || !z.uuid().safeParse(id).success) return [];
  const resolved = await CONSENT_RESOLVERS.consent!({ db: deps.reader.db.kysely, kinds: await deps.reader.kinds(), viewer }, [id]);
  return resolved.get(id)?.rows ?? [];
}

/** A register entity a refused mutation addressed (its row as the hub has it), when the caller may see it. */
async function currentRegisterRow(deps: PushDeps, viewer: SyncViewer, entityType: keyof typeof REGISTER_SYNC_ENTITIES, id: unknown): Promise<SyncTableRows[]> {
  if (typeof id !== 'string' || !z.uuid().safeParse(id).success) return [];
  const resolve = REGISTER_RESOLVERS[entityType];
  if (!resolve) return [];
  const resolved = await resolve({ db: deps.reader.db.kysely, kinds: await deps.reader.kinds(), viewer }, [id]);
  return resolved.get(id)?.rows ?? [];
}
