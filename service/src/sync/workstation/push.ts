import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import type { CommandBus } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import { uuidv7 } from '../../commands/ids.ts';
import { chunks } from '../../commands/bus.ts';
import { fromJson, toIso, toJson } from '../../db/database.ts';
import { isSyncableCommand, SYNCABLE_COMMANDS, type SyncMutation, type SyncMutationResult, type SyncTableRows } from '../../../../shared/src/sync.ts';
import { HubError, type HubClient } from './hub-client.ts';
import { replaceEntity, tablesOf } from './apply.ts';
import { readSyncState, writeSyncState } from './state.ts';
import type { HubCredentials } from './types.ts';

/** Mutations per sync.push request (the contract allows 100; smaller batches answer sooner). */
export const PUSH_BATCH = 50;

export interface PushContext {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  client: HubClient;
  credentials: HubCredentials;
  workstationId: string;
  /** The command versions the hub accepts (sync.info); entries of another version wait. */
  hubVersions: Readonly<Record<string, number>>;
  signal: AbortSignal;
}

export interface PushRound {
  /** Entries the hub settled (applied, repeat or refused) in this round. */
  settled: number;
  rejected: number;
  /** Pending entries left waiting: no token for their user, a version the hub does not take, or sent later. */
  waiting: number;
  /** Something stopped a user's queue early (a fault that may pass): try again after a pause. */
  retryLater: boolean;
  /** Cache tables a rollback rewrote (the renderer refreshes them). */
  tables: string[];
  lastError: string | null;
}

interface OutboxEntry {
  seq: number;
  mutation_id: string;
  command: string;
  command_version: number;
  input: unknown;
  actor_id: string;
  actor_name: string;
  entity_type: string;
  entity_id: string;
  created_at: Date | string;
}

/**
 * One round of uploads: the pending outbox in order, per user with that user's hub session
 * (the hub takes the actor from the token, never the payload), in batches. A user without a
 * session waits without blocking the others; within one user the order holds, so once one of
 * their entries has to wait, their later ones wait too. Unreachable hub: throws (HubError).
 */
export async function pushRound(ctx: PushContext): Promise<PushRound> {
  const round: PushRound = { settled: 0, rejected: 0, waiting: 0, retryLater: false, tables: [], lastError: null };
  const pending = (await ctx.db.kysely
    .selectFrom('sync_outbox')
    .select(['seq', 'mutation_id', 'command', 'command_version', 'input', 'actor_id', 'actor_name', 'entity_type', 'entity_id', 'created_at'])
    .where('status', '=', 'pending')
    .orderBy('seq')
    .limit(5000)
    .execute()) as OutboxEntry[];
  const tokens = new Map<string, string | null>();
  const held = new Set<string>();
  const byUser = new Map<string, OutboxEntry[]>();
  // One versioned action per case per round: a later one may have been made on the optimistic
  // result of the earlier (its expected version exists only here), so it leaves only once the
  // earlier one was applied — if that one is refused, so is it (rejectEntry), instead of landing
  // on whatever state the hub has under the same version number.
  const versionedCases = new Set<string>();
  for (const entry of pending) {
    if (!tokens.has(entry.actor_id)) tokens.set(entry.actor_id, await ctx.credentials.tokenFor(entry.actor_id));
    const skewed = ctx.hubVersions[entry.command] !== entry.command_version;
    const stacked = isVersioned(entry.command) && versionedCases.has(entry.entity_id);
    if (held.has(entry.actor_id) || tokens.get(entry.actor_id) === null || skewed || stacked) {
      held.add(entry.actor_id);
      round.waiting += 1;
      continue;
    }
    if (isVersioned(entry.command)) versionedCases.add(entry.entity_id);
    if (!byUser.has(entry.actor_id)) byUser.set(entry.actor_id, []);
    byUser.get(entry.actor_id)!.push(entry);
  }
  for (const [userId, entries] of byUser) {
    const token = tokens.get(userId)!;
    for (const [index, batch] of chunks(entries, PUSH_BATCH).entries()) {
      const outcome = await pushBatch(ctx, userId, token, batch, round);
      if (outcome === 'continue') continue;
      // The rest of this user's queue waits for the next round (order within a user holds).
      round.waiting += Math.max(entries.length - (index + 1) * PUSH_BATCH, 0);
      round.retryLater = true;
      break;
    }
  }
  round.tables = [...new Set(round.tables)];
  return round;
}

async function pushBatch(ctx: PushContext, userId: string, token: string, batch: OutboxEntry[], round: PushRound): Promise<'continue' | 'stop'> {
  const mutations: SyncMutation[] = batch.map((e) => ({
    mutationId: e.mutation_id,
    command: e.command,
    commandVersion: e.command_version,
    input: fromJson<Record<string, unknown>>(e.input),
    clientTime: toIso(e.created_at),
  }));
  // Where the download stood when this batch left (see the rewind below).
  const cursorBefore = (await readSyncState(ctx.db.kysely)).cursor;
  let response: Awaited<ReturnType<HubClient['push']>>;
  try {
    response = await ctx.client.push(token, { workstationId: ctx.workstationId, mutations }, ctx.signal);
  } catch (error) {
    if (!(error instanceof HubError) || error.failure === 'unreachable') throw error;
    if (error.failure === 'unauthorized') {
      // The user's hub session ended: their entries wait for their next online sign-in.
      await ctx.credentials.invalidate(userId);
      round.lastError = `the hub session of ${batch[0]!.actor_name} ended; their changes wait until they sign in online`;
      return 'stop';
    }
    // The batch itself was refused (e.g. a body the hub cannot read): keep it, note why, retry later.
    round.lastError = error.message;
    await ctx.db.kysely
      .updateTable('sync_outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.message.slice(0, 1000) }))
      .where(
        'mutation_id',
        'in',
        batch.map((e) => e.mutation_id),
      )
      .execute();
    return 'stop';
  }
  const entries = new Map(batch.map((e) => [e.mutation_id, e]));
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const rejectedBefore = round.rejected;
    for (const result of response.results) {
      const entry = entries.get(result.mutationId);
      if (!entry) continue;
      // A repeat of a mutation the hub refused earlier (its first answer was lost) comes back as
      // 'duplicate' with the stored refusal: it is still a refusal, never a silent success.
      if (result.status === 'rejected' || result.error !== null) {
        await rejectEntry(trx, ctx, entry, result);
        round.rejected += 1;
        round.tables.push(...tablesOf(result.current ?? []), 'sync_conflicts');
      } else {
        await trx.deleteFrom('sync_outbox').where('mutation_id', '=', entry.mutation_id).where('status', '=', 'pending').execute();
      }
      round.settled += 1;
    }
    // A rollback wrote the entity as the hub had it when it answered, but pages pulled meanwhile
    // (the download runs alongside) may hold newer rows — a colleague's comment, a later version —
    // which the rollback just overwrote behind the cursor. Pulling again from where the cursor
    // stood when the batch left brings them back (the feed sends current rows: repeats are harmless).
    if (round.rejected > rejectedBefore) {
      const now = await readSyncState(trx);
      if (now.snapshot.done && now.cursor > cursorBefore) await writeSyncState(trx, { cursor: cursorBefore }, ctx.clock.now());
    }
  });
  const answered = new Set(response.results.map((r) => r.mutationId));
  const unanswered = batch.filter((e) => !answered.has(e.mutation_id)).length;
  if (response.stoppedAt !== null || unanswered > 0) {
    round.waiting += unanswered;
    round.lastError = 'the hub stopped before the end of a batch; the rest is sent again';
    return 'stop';
  }
  return 'continue';
}

/**
 * A refused action: marked rejected, recorded in the Conflicts inbox with both sides, and rolled
 * back locally — all in the transaction of the batch's results.
 */
async function rejectEntry(trx: Transaction<Database>, ctx: PushContext, entry: OutboxEntry, result: SyncMutationResult): Promise<void> {
  const now = ctx.clock.now();
  const message = result.error?.message ?? 'the hub refused this change';
  const updated = await trx
    .updateTable('sync_outbox')
    .set((eb) => ({ status: 'rejected', last_error: message.slice(0, 1000), attempts: eb('attempts', '+', 1) }))
    .where('mutation_id', '=', entry.mutation_id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await rejectDependents(trx, ctx, entry, result);
  const theirs = caseSummary(result.current, entry.entity_id);
  const local = await trx.selectFrom('cases').select('reference').where('id', '=', entry.entity_id).executeTakeFirst();
  await trx
    .insertInto('sync_conflicts')
    .values({
      id: uuidv7(now.getTime()),
      mutation_id: entry.mutation_id,
      command: entry.command,
      kind: result.error?.status === 409 ? 'conflict' : 'refused',
      entity_type: entry.entity_type,
      entity_id: entry.entity_id,
      entity_label: String(theirs?.reference ?? local?.reference ?? entry.entity_id),
      mine: toJson(fromJson<unknown>(entry.input)),
      theirs: theirs === null ? null : toJson(theirs),
      message: message.slice(0, 4000),
      actor_id: entry.actor_id,
      actor_name: entry.actor_name,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('mutation_id').doNothing())
    .execute();
  await replaceEntity(trx, ctx.bus, { type: entry.entity_type, id: entry.entity_id }, result.current, ctx.logger);
}

const isVersioned = (command: string) => isSyncableCommand(command) && SYNCABLE_COMMANDS[command].kind === 'versioned';
const expectedVersionOf = (input: unknown) => Number(fromJson<Record<string, unknown>>(input).expectedVersion);

/**
 * Waiting versioned actions on the same case made on top of a refused one (a higher expected
 * version than it: a version that existed only on this workstation) are refused with it, into the
 * Conflicts inbox; the hub never saw them (pushRound sends one versioned action per case per round).
 */
async function rejectDependents(trx: Transaction<Database>, ctx: PushContext, entry: OutboxEntry, result: SyncMutationResult): Promise<void> {
  if (!isVersioned(entry.command)) return;
  const base = expectedVersionOf(entry.input);
  const later = (await trx
    .selectFrom('sync_outbox')
    .select(['seq', 'mutation_id', 'command', 'command_version', 'input', 'actor_id', 'actor_name', 'entity_type', 'entity_id', 'created_at'])
    .where('status', '=', 'pending')
    .where('entity_type', '=', entry.entity_type)
    .where('entity_id', '=', entry.entity_id)
    .where('seq', '>', entry.seq)
    .orderBy('seq')
    .execute()) as OutboxEntry[];
  const label = isSyncableCommand(entry.command) ? SYNCABLE_COMMANDS[entry.command].label : entry.command;
  for (const next of later) {
    if (!isVersioned(next.command) || !(expectedVersionOf(next.input) > base)) continue;
    await rejectEntry(trx, ctx, next, {
      mutationId: next.mutation_id,
      status: 'rejected',
      error: {
        status: 409,
        code: 'CONFLICT',
        message: `made on top of your earlier change (${label}), which the hub refused: ${result.error?.message ?? ''}`.trim(),
      },
      current: result.current,
    });
  }
}

/** The hub's side of a conflict, in a few fields a person compares (reference, state, assignee, outcome, version). */
export function caseSummary(current: readonly SyncTableRows[] | null, caseId: string): Record<string, unknown> | null {
  const row = (current ?? []).find((t) => t.table === 'cases')?.rows.find((r) => String(r.id) === caseId);
  if (!row) return null;
  return {
    reference: row.reference ?? null,
    state: row.state ?? null,
    assignee: row.assignee_name ?? null,
    outcome: row.outcome ?? null,
    version: row.version ?? null,
  };
}
