import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { defineCommand } from '../commands/bus.ts';
import { forbidden, notFound } from '../errors.ts';
import { dbBool, fromJson, toBool, toIso, toJson } from '../db/database.ts';
import type { Database, SavedFilterRow } from '../db/schema.ts';
import { CaseFilter, SavedFilterInput, type SavedFilter } from '../../../shared/src/cases.ts';

function toSavedFilter(row: SavedFilterRow): SavedFilter {
  return { id: row.id, name: row.name, filter: CaseFilter.parse(fromJson(row.filter)), shared: toBool(row.shared), ownerId: row.owner_id, ownerName: row.owner_name, createdAt: toIso(row.created_at) };
}

/** The viewer's own saved views and everyone's shared ones. */
export async function listSavedFilters(db: Kysely<Database>, viewerId: string, dialect: 'sqlite' | 'postgres'): Promise<SavedFilter[]> {
  const rows = await db
    .selectFrom('saved_filters')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('owner_id', '=', viewerId), eb('shared', '=', dbBool(dialect, true))]))
    .orderBy('name')
    .execute();
  return rows.map(toSavedFilter);
}

export const saveCaseFilter = defineCommand({
  name: 'case.saved-filter.create',
  input: SavedFilterInput,
  permission: 'case:read',
  async apply(ctx, input) {
    const row = { id: randomUUID(), owner_id: ctx.actor.id, owner_name: ctx.actor.name, name: input.name, filter: toJson(input.filter), shared: dbBool(ctx.dialect, input.shared), created_at: ctx.now.toISOString(), version: 1, deleted_at: null };
    await ctx.trx.insertInto('saved_filters').values(row).execute();
    const saved = toSavedFilter(row);
    ctx.audit({ entityType: 'saved-filter', entityId: row.id, before: null, after: saved });
    ctx.change({ entityType: 'saved-filter', entityId: row.id, operation: 'upsert', version: 1, data: saved });
    return saved;
  },
});

export const deleteCaseFilter = defineCommand({
  name: 'case.saved-filter.delete',
  input: z.object({ filterId: z.uuid() }),
  permission: 'case:read',
  async apply(ctx, input) {
    const row = await ctx.trx.selectFrom('saved_filters').selectAll().where('id', '=', input.filterId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('saved filter');
    if (row.owner_id !== ctx.actor.id) throw forbidden(`"${row.name}" belongs to ${row.owner_name}; only they can delete it`);
    await ctx.trx.updateTable('saved_filters').set({ deleted_at: ctx.now.toISOString(), version: row.version + 1 }).where('id', '=', row.id).execute();
    ctx.audit({ entityType: 'saved-filter', entityId: row.id, before: toSavedFilter(row), after: null });
    ctx.change({ entityType: 'saved-filter', entityId: row.id, operation: 'delete', version: row.version + 1, data: null });
    return null;
  },
});
