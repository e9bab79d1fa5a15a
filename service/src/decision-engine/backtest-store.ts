import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, BacktestsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { defineCommand } from '../commands/bus.ts';
import { dbBool, fromJsonOrNull, toBool, toIso, toIsoOrNull, toJson } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { Backtest, BacktestStatus } from '../../../shared/src/decision-engine.ts';
import type { BacktestListItem } from '../../../shared/src/backtests.ts';

/**
 * Backtests in the database (issue 11 §3, migration 0013): any hub answers for any backtest, a
 * configuration lists its earlier ones, and a restart forgets none. The hub running one renews
 * its lease as it progresses; a RUNNING backtest whose lease ran out (its hub stopped) is marked
 * FAILED as interrupted. Every change is a command (ARCHITECTURE.md rule 1); starting, finishing
 * and cancelling are audited, progress is not (it is the same backtest moving on).
 */
export const BACKTEST_LEASE_MS = 60_000;
export const INTERRUPTED = 'interrupted: the hub running this backtest stopped before it finished; start it again';

type BacktestRow = Selectable<BacktestsTable>;
const Result = Backtest.pick({ summary: true, changes: true });

export function backtestFromRow(row: BacktestRow): Backtest {
  const result = fromJsonOrNull<z.infer<typeof Result>>(row.result);
  return {
    id: row.id,
    configurationId: row.configuration_id,
    versionNumber: row.version_number,
    days: row.days,
    status: BacktestStatus.parse(row.status),
    progress: Number(row.progress),
    processed: row.processed,
    total: row.total,
    startedAt: toIso(row.created_at),
    finishedAt: toIsoOrNull(row.finished_at),
    startedBy: row.requested_by,
    error: row.error,
    summary: result?.summary ?? null,
    changes: result?.changes ?? [],
  };
}

export const recordBacktest = defineCommand({
  name: 'backtest.start',
  input: z.object({
    id: z.string().min(1).max(20),
    configurationId: z.uuid(),
    versionNumber: z.number().int(),
    days: z.number().int(),
    windowEnd: z.iso.datetime(),
  }),
  permission: 'configuration:manage',
  async apply(ctx, input) {
    const now = ctx.now.toISOString();
    await ctx.trx
      .insertInto('backtests')
      .values({
        id: input.id,
        configuration_id: input.configurationId,
        version_number: input.versionNumber,
        days: input.days,
        window_end: input.windowEnd,
        requested_by: ctx.actor.name,
        requested_by_id: ctx.actor.id,
        status: 'RUNNING',
        progress: 0,
        processed: 0,
        total: 0,
        result: null,
        error: null,
        cancel_requested: dbBool(ctx.dialect, false),
        lease_until: new Date(ctx.now.getTime() + BACKTEST_LEASE_MS).toISOString(),
        created_at: now,
        finished_at: null,
        updated_at: now,
      })
      .execute();
    ctx.audit({ entityType: 'backtest', entityId: input.id, before: null, after: { ...input, status: 'RUNNING' } });
  },
});

/** Progress of a running backtest; renews its hub's lease. Answers whether a cancel was asked for (on any hub). */
export const recordBacktestProgress = defineCommand({
  name: 'backtest.progress',
  input: z.object({ id: z.string(), progress: z.number(), processed: z.number().int(), total: z.number().int() }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx
      .updateTable('backtests')
      .set({
        progress: input.progress,
        processed: input.processed,
        total: input.total,
        lease_until: new Date(ctx.now.getTime() + BACKTEST_LEASE_MS).toISOString(),
        updated_at: ctx.now.toISOString(),
      })
      .where('id', '=', input.id)
      .where('status', '=', 'RUNNING')
      .execute();
    const row = await ctx.trx.selectFrom('backtests').select('cancel_requested').where('id', '=', input.id).executeTakeFirst();
    return { cancelRequested: row ? toBool(row.cancel_requested) : false };
  },
});

export const finishBacktest = defineCommand({
  name: 'backtest.finish',
  input: z.object({
    id: z.string(),
    status: z.enum(['COMPLETED', 'FAILED', 'CANCELLED']),
    progress: z.number(),
    processed: z.number().int(),
    total: z.number().int(),
    result: Result.nullable(),
    error: z.string().nullable(),
  }),
  permission: null,
  async apply(ctx, input) {
    const now = ctx.now.toISOString();
    await ctx.trx
      .updateTable('backtests')
      .set({
        status: input.status,
        progress: input.progress,
        processed: input.processed,
        total: input.total,
        result: input.result ? toJson(input.result) : null,
        error: input.error,
        lease_until: null,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', input.id)
      .where('status', '=', 'RUNNING')
      .execute();
    ctx.audit({
      entityType: 'backtest',
      entityId: input.id,
      before: { status: 'RUNNING' },
      after: { status: input.status, changed: input.result?.summary?.changed ?? null, error: input.error },
    });
  },
});

export const requestBacktestCancel = defineCommand({
  name: 'backtest.cancel',
  input: z.object({ id: z.string() }),
  permission: 'configuration:manage',
  async apply(ctx, { id }) {
    const result = await ctx.trx
      .updateTable('backtests')
      .set({ cancel_requested: dbBool(ctx.dialect, true), updated_at: ctx.now.toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'RUNNING')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) ctx.audit({ entityType: 'backtest', entityId: id, before: null, after: { cancelRequested: true } });
  },
});

/**
 * RUNNING backtests no hub runs any more become FAILED (interrupted): those whose lease ran out,
 * or, at the start of a standalone service (the only process on its database), all of them.
 */
export const markInterruptedBacktests = defineCommand({
  name: 'backtest.interrupted',
  input: z.object({ all: z.boolean() }),
  permission: null,
  async apply(ctx, { all }) {
    const now = ctx.now.toISOString();
    let query = ctx.trx.selectFrom('backtests').select('id').where('status', '=', 'RUNNING');
    if (!all) query = query.where('lease_until', '<', now);
    const ids = (await query.execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    await ctx.trx
      .updateTable('backtests')
      .set({ status: 'FAILED', error: INTERRUPTED, lease_until: null, finished_at: now, updated_at: now })
      .where('id', 'in', ids)
      .where('status', '=', 'RUNNING')
      .execute();
    for (const id of ids) ctx.audit({ entityType: 'backtest', entityId: id, before: { status: 'RUNNING' }, after: { status: 'FAILED', error: INTERRUPTED } });
    return ids.length;
  },
});

export async function readBacktest(db: Kysely<Database>, id: string): Promise<Backtest> {
  const row = await db.selectFrom('backtests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('backtest');
  return backtestFromRow(row);
}

/** A configuration's backtests, newest first, without their changed payments. */
export async function listBacktests(db: Kysely<Database>, configurationId: string, limit = 50): Promise<BacktestListItem[]> {
  const rows = await db
    .selectFrom('backtests')
    .selectAll()
    .where('configuration_id', '=', configurationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const { changes: _changes, ...item } = backtestFromRow(row);
    return item;
  });
}
