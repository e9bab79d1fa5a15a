import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import type { Actor, CommandBus } from '../../commands/bus.ts';
import { fromJson, toBool } from '../../db/database.ts';
import { tenantIdsOf } from '../../auth/authenticator.ts';
import { Role } from '../../../../shared/src/roles.ts';
import { tenantAccessFor } from '../../../../shared/src/tenants.ts';
import type { SyncRow, SyncTableRows } from '../../../../shared/src/sync.ts';
import { removeEntity, upsertRows } from '../rows.ts';
import type { UserAccessChange } from './types.ts';

/**
 * Applying hub rows to the workstation's cache inside one transaction, and rebasing the waiting
 * actions (the pending outbox overlay) on them: the cache shows the hub's state with the user's
 * own not-yet-accepted actions on top (Replicache-style rebase).
 */

/** The local actor of an outbox entry, rebuilt from the cached user row (role and tenants as the hub last sent them). */
export async function actorFromLocalUser(trx: Transaction<Database>, userId: string): Promise<Actor | null> {
  const row = await trx.selectFrom('users').select(['id', 'display_name', 'role', 'tenant_ids', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!row || !toBool(row.active)) return null;
  const role = Role.safeParse(row.role);
  if (!role.success) return null;
  return { kind: 'user', id: row.id, name: row.display_name, role: role.data, tenants: tenantAccessFor(role.data, tenantIdsOf(row.tenant_ids)) };
}

/**
 * Users whose access changed in these rows (deactivated, or another role or tenants), compared
 * with the cached rows before they are overwritten. A user not cached yet is new, not changed.
 */
export async function accessChanges(trx: Transaction<Database>, tables: readonly SyncTableRows[]): Promise<UserAccessChange[]> {
  const incoming = tables.filter((t) => t.table === 'users').flatMap((t) => t.rows);
  if (incoming.length === 0) return [];
  const ids = incoming.map((r) => String(r.id));
  const before = new Map((await trx.selectFrom('users').select(['id', 'role', 'tenant_ids', 'active']).where('id', 'in', ids).execute()).map((r) => [r.id, r]));
  const changes: UserAccessChange[] = [];
  for (const row of incoming) {
    const old = before.get(String(row.id));
    if (!old) continue;
    const deactivated = toBool(old.active) && row.active !== undefined && !truthy(row.active);
    const roleChanged = row.role !== undefined && row.role !== old.role;
    const tenantsChanged = row.tenant_ids !== undefined && sameTenants(row.tenant_ids, old.tenant_ids) === false;
    if (deactivated || roleChanged || tenantsChanged) changes.push({ userId: String(row.id), deactivated, rightsChanged: roleChanged || tenantsChanged });
  }
  return changes;
}

const truthy = (value: SyncRow[string]) => value === 1 || value === '1' || value === 'true';

function sameTenants(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => [...tenantIdsOf(v)].sort().join(',');
  return norm(a) === norm(b);
}

/** Tables written by a set of table rows (for the renderer's refresh). */
export function tablesOf(tables: readonly SyncTableRows[]): string[] {
  return tables.filter((t) => t.rows.length > 0).map((t) => t.table);
}

/**
 * Re-runs the waiting (pending) outbox entries of these entities, in order, on the rows just
 * written. Each runs under a savepoint: one that fails locally (the case moved on, a comment that
 * is already there) is undone alone and stays pending — the hub decides it.
 */
export async function rebaseEntities(
  trx: Transaction<Database>,
  bus: CommandBus,
  entities: ReadonlyArray<{ type: string; id: string }>,
  logger: Logger,
): Promise<number> {
  let rerun = 0;
  // Nothing waits (the usual case, and every page of a first sync): no per-entity lookups.
  const anyPending = await trx.selectFrom('sync_outbox').select('seq').where('status', '=', 'pending').limit(1).executeTakeFirst();
  if (!anyPending) return 0;
  const seen = new Set<string>();
  for (const { type, id } of entities) {
    const key = `${type}:${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entries = await trx
      .selectFrom('sync_outbox')
      .select(['seq', 'mutation_id', 'command', 'input', 'actor_id'])
      .where('status', '=', 'pending')
      .where('entity_type', '=', type)
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    for (const entry of entries) {
      const actor = await actorFromLocalUser(trx, entry.actor_id);
      if (!actor) continue;
      const savepoint = sql.raw(`rebase_${entry.seq}`);
      await sql`savepoint ${savepoint}`.execute(trx);
      try {
        await bus.executeWithin(trx, entry.command, fromJson<unknown>(entry.input), actor, { mutationId: entry.mutation_id, rebase: true });
        await sql`release ${savepoint}`.execute(trx);
        rerun += 1;
      } catch (error) {
        await sql`rollback to ${savepoint}`.execute(trx);
        await sql`release ${savepoint}`.execute(trx);
        logger.debug(
          { mutationId: entry.mutation_id, command: entry.command, err: error },
          'a waiting action does not apply on the newer hub rows; the hub will decide',
        );
      }
    }
  }
  return rerun;
}

/** Entities whose waiting actions a set of rows may affect: the cases among them. */
export function caseEntities(tables: readonly SyncTableRows[]): Array<{ type: string; id: string }> {
  return tables.filter((t) => t.table === 'cases').flatMap((t) => t.rows.map((r) => ({ type: 'case', id: String(r.id) })));
}

/**
 * The hub refused an action: its local effects are rolled back by replacing the entity's cached
 * rows with the hub's current ones (the case and everything hanging off it, so an optimistic
 * comment of the refused action goes too), then the entity's other waiting actions are rebased.
 */
export async function replaceEntity(
  trx: Transaction<Database>,
  bus: CommandBus,
  entity: { type: string; id: string },
  current: readonly SyncTableRows[] | null,
  logger: Logger,
): Promise<void> {
  const holdsEntity = entity.type === 'case' && (current ?? []).some((t) => t.table === 'cases' && t.rows.some((r) => String(r.id) === entity.id));
  if (holdsEntity) await removeEntity(trx, entity.type, entity.id);
  if (current) await upsertRows(trx, current);
  await rebaseEntities(trx, bus, [entity], logger);
}
