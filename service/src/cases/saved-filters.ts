import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { defineCommand } from '../commands/bus.ts';
import { forbidden, notFound } from '../errors.ts';
import { dbBool, fromJson, toBool, toIso, toJson } from '../db/database.ts';
import type { Database, SavedFilterRow } from '../db/schema.ts';
import { CaseFilter, SavedFilterInput, type SavedFilter } from '../../../shared/src/cases.ts';
import { viewerOf } from './commands.ts';

function toSavedFilter(row: SavedFilterRow): SavedFilter {
  return {
    id: row.id,
    name: row.name,
    filter: CaseFilter.parse(fromJson(row.filter)),
    shared: toBool(row.shared),
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    createdAt: toIso(row.created_at),
  };
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

/**
 * Saved views (issue 10 item 12). A view is a working tool: saving or deleting one needs
 * case:work, so read-only roles (auditors, executives) use shared views but cannot publish one
 * that analysts then see. Sharing needs nothing more: a shared view is only a filter — it grants
 * no access, and every list it opens stays scoped to the reader's tenants. Only the owner deletes
 * a view; a supervisor (case:supervise) may also remove a colleague's shared view.
 */
export const saveCaseFilter = defineCommand({
  name: 'case.saved-filter.create',
  input: SavedFilterInput,
  permission: 'case:work',
  async apply(ctx, input) {
    const row = {
      id: randomUUID(),
      owner_id: ctx.actor.id,
      owner_name: ctx.actor.name,
      name: input.name,
      filter: toJson(input.filter),
      shared: dbBool(ctx.dialect, input.shared),
      created_at: ctx.now.toISOString(),
      version: 1,
      deleted_at: null,
    };
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
  permission: 'case:work',
  async apply(ctx, input) {
    const row = await ctx.trx.selectFrom('saved_filters').selectAll().where('id', '=', input.filterId).where('deleted_at', 'is', null).executeTakeFirst();
    // Someone else's private view does not exist for this caller.
    if (!row || (row.owner_id !== ctx.actor.id && !toBool(row.shared))) throw notFound('saved filter');
    const supervisorOnShared = toBool(row.shared) && viewerOf(ctx.actor).permissions.has('case:supervise');
    if (row.owner_id !== ctx.actor.id && !supervisorOnShared)
      throw forbidden(`"${row.name}" belongs to ${row.owner_name}; only they (or a supervisor, for a shared view) can delete it`);
    await ctx.trx
      .updateTable('saved_filters')
      .set({ deleted_at: ctx.now.toISOString(), version: row.version + 1 })
      .where('id', '=', row.id)
      .execute();
    ctx.audit({ entityType: 'saved-filter', entityId: row.id, before: toSavedFilter(row), after: null });
    ctx.change({ entityType: 'saved-filter', entityId: row.id, operation: 'delete', version: row.version + 1, data: null });
    return null;
  },
});
