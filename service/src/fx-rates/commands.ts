import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { toIso } from '../db/database.ts';
import type { FxRateRow } from '../db/schema.ts';
import { FxRateCorrectInput, FxRateSetInput, type FxRate } from '../../../shared/src/fx-rates.ts';
import { NoteText } from '../../../shared/src/text.ts';
import { REFERENCE_KES_RATES, REFERENCE_RATES_EFFECTIVE_FROM } from '../scoring/reference-kes-rates.ts';
import { toFxRate, toFxRates } from './mapping.ts';

/** Bumped by every rate command: hubs compare it to know when to reload their timeline. */
export const FX_REVISION = 'fx.revision';
/** Every FX command's name starts so: the service reloads its timeline after them (ARCHITECTURE.md rule 1). */
export const FX_COMMAND_PREFIX = 'fx-rate.';
const ENTITY = 'fx_rate';
export const REFERENCE_NOTE = 'Reference mid rate (seed): replace with the treasury rate';

function refuseBase(currency: string, path: string): void {
  if (currency === 'KES') throw validationFailed([{ path, message: 'KES is the base currency: its rate is always 1' }]);
}

function futureOnly(ctx: CommandContext, effectiveFrom: string, path: string): void {
  if (Date.parse(effectiveFrom) <= ctx.now.getTime()) {
    throw validationFailed([
      {
        path,
        message: `must be after now (${ctx.now.toISOString()}): a rate already in effect may have been used by decisions; leave effectiveFrom out to set a rate from now`,
      },
    ]);
  }
}

async function currencyRows(ctx: CommandContext, currency: string): Promise<FxRateRow[]> {
  return ctx.trx.selectFrom('fx_rates').selectAll().where('currency', '=', currency).where('deleted_at', 'is', null).execute();
}

/** The rate as the API shows it right after the command (its state among its currency's rates). */
async function view(ctx: CommandContext, row: FxRateRow): Promise<FxRate> {
  const rates = toFxRates(await currencyRows(ctx, row.currency), ctx.now.getTime());
  return rates.find((r) => r.id === row.id) ?? toFxRate(row, ctx.now.getTime(), null);
}

async function assertFreeInstant(ctx: CommandContext, currency: string, fromIso: string, exceptId: string | null, path: string): Promise<void> {
  const clash = (await currencyRows(ctx, currency)).find((r) => toIso(r.effective_from) === fromIso && r.id !== exceptId);
  if (clash) throw validationFailed([{ path, message: `${currency} already has a rate effective from ${fromIso}: correct that one instead` }]);
}

async function changed(ctx: CommandContext): Promise<void> {
  await reserveCounter(ctx.trx, FX_REVISION);
}

/** Sets a KES rate from now, or schedules one for a future instant (issue 11 §1). */
export const setFxRate = defineCommand({
  name: 'fx-rate.set',
  input: FxRateSetInput,
  permission: 'configuration:manage',
  async apply(ctx, input) {
    refuseBase(input.currency, 'body.currency');
    if (input.effectiveFrom !== undefined) futureOnly(ctx, input.effectiveFrom, 'body.effectiveFrom');
    const from = new Date(input.effectiveFrom ?? ctx.now).toISOString();
    await assertFreeInstant(ctx, input.currency, from, null, 'body.effectiveFrom');
    const now = ctx.now.toISOString();
    const row = {
      id: randomUUID(),
      currency: input.currency,
      kes_per_unit: input.kesPerUnit,
      effective_from: from,
      note: input.note,
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('fx_rates').values(row).execute();
    const after = await view(ctx, row);
    ctx.audit({ entityType: ENTITY, entityId: row.id, before: null, after: { ...after } });
    ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...after } });
    await changed(ctx);
    return after;
  },
});

async function loadFuture(ctx: CommandContext, id: string, expectedVersion: number, what: string): Promise<FxRateRow> {
  const row = await ctx.trx.selectFrom('fx_rates').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('FX rate');
  if (Date.parse(toIso(row.effective_from)) <= ctx.now.getTime()) {
    throw conflict(
      `this ${row.currency} rate took effect at ${toIso(row.effective_from)} and may have been used by decisions: it cannot be ${what}; set a new rate instead`,
    );
  }
  if (row.version !== expectedVersion) throw conflict(`this ${row.currency} rate was changed by ${row.updated_by} meanwhile: reload it`);
  return row;
}

/** Corrects a scheduled rate before it takes effect. */
export const correctFxRate = defineCommand({
  name: 'fx-rate.correct',
  input: FxRateCorrectInput.safeExtend({ id: z.uuid() }),
  permission: 'configuration:manage',
  async apply(ctx, input) {
    const existing = await loadFuture(ctx, input.id, input.expectedVersion, 'corrected');
    futureOnly(ctx, input.effectiveFrom, 'body.effectiveFrom');
    const from = new Date(input.effectiveFrom).toISOString();
    await assertFreeInstant(ctx, existing.currency, from, existing.id, 'body.effectiveFrom');
    const before = await view(ctx, existing);
    const changes = {
      kes_per_unit: input.kesPerUnit,
      effective_from: from,
      note: input.note,
      updated_by: ctx.actor.name,
      updated_at: ctx.now.toISOString(),
      version: existing.version + 1,
    };
    await ctx.trx.updateTable('fx_rates').set(changes).where('id', '=', existing.id).execute();
    const after = await view(ctx, { ...existing, ...changes });
    ctx.audit({ entityType: ENTITY, entityId: existing.id, before: { ...before }, after: { ...after } });
    ctx.change({ entityType: ENTITY, entityId: existing.id, operation: 'upsert', version: changes.version, data: { ...after } });
    await changed(ctx);
    return after;
  },
});

/** Deletes a scheduled rate before it takes effect; a tombstone is kept (ARCHITECTURE.md rule 5). */
export const deleteFxRate = defineCommand({
  name: 'fx-rate.delete',
  input: z.object({ id: z.uuid(), expectedVersion: z.number().int().positive(), reason: NoteText(300).optional() }),
  permission: 'configuration:manage',
  async apply(ctx, input) {
    const existing = await loadFuture(ctx, input.id, input.expectedVersion, 'deleted');
    const before = await view(ctx, existing);
    const version = existing.version + 1;
    await ctx.trx
      .updateTable('fx_rates')
      .set({ deleted_at: ctx.now.toISOString(), updated_by: ctx.actor.name, updated_at: ctx.now.toISOString(), version })
      .where('id', '=', existing.id)
      .execute();
    ctx.audit({ entityType: ENTITY, entityId: existing.id, before: { ...before }, after: input.reason ? { deleted: true, reason: input.reason } : null });
    ctx.change({ entityType: ENTITY, entityId: existing.id, operation: 'delete', version, data: null });
    await changed(ctx);
  },
});

/**
 * The reference table, seeded by the service itself on a database that has never had a rate
 * (fx-rates/service.ts): every currency of REFERENCE_KES_RATES from REFERENCE_RATES_EFFECTIVE_FROM,
 * audited like any other change (ARCHITECTURE.md rule 1). Currencies that already have a rate are
 * left alone, so running it twice changes nothing.
 */
export const seedReferenceFxRates = defineCommand({
  name: 'fx-rate.seed-reference',
  input: z.object({}),
  permission: null,
  async apply(ctx) {
    const have = new Set((await ctx.trx.selectFrom('fx_rates').select('currency').distinct().execute()).map((r) => r.currency));
    const now = ctx.now.toISOString();
    const rows = Object.entries(REFERENCE_KES_RATES)
      .filter(([currency]) => !have.has(currency))
      .map(([currency, kesPerUnit]) => ({
        id: randomUUID(),
        currency,
        kes_per_unit: kesPerUnit,
        effective_from: REFERENCE_RATES_EFFECTIVE_FROM,
        note: REFERENCE_NOTE,
        created_by: ctx.actor.name,
        created_at: now,
        updated_by: ctx.actor.name,
        updated_at: now,
        version: 1,
        deleted_at: null,
      }));
    if (rows.length === 0) return 0;
    await ctx.trx.insertInto('fx_rates').values(rows).execute();
    for (const row of rows) {
      const after = toFxRate(row, ctx.now.getTime(), null);
      ctx.audit({ entityType: ENTITY, entityId: row.id, before: null, after: { ...after } });
      ctx.change({ entityType: ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...after } });
    }
    await changed(ctx);
    return rows.length;
  },
});
