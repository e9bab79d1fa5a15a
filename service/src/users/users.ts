import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';
import { toBool, dbBool } from '../db/database.ts';
import { defineCommand } from '../commands/bus.ts';
import { conflict } from '../errors.ts';
import { hashPassword } from '../auth/passwords.ts';
import { Role, ROLE_PERMISSIONS } from '../../../shared/src/roles.ts';
import { Username, type UserPublic } from '../../../shared/src/auth.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';

export const CreateUserInput = z.object({
  username: Username,
  displayName: z.string().trim().min(2).max(120),
  role: Role.exclude(['PAYMENT_ENGINE']),
  password: z.string().min(12, 'at least 12 characters').max(256),
});

export const createUser = defineCommand({
  name: 'user.create',
  input: CreateUserInput,
  permission: 'user:manage',
  async apply(ctx, input) {
    const existing = await ctx.trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (existing) throw conflict(`user ${input.username} already exists`);
    const now = ctx.now.toISOString();
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(input.password),
      active: dbBool(ctx.dialect, true),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await ctx.trx.insertInto('users').values(row).execute();
    // The password hash never leaves the users table: not in audit, not in the change log.
    const visible = { username: row.username, displayName: row.display_name, role: row.role, active: true };
    ctx.audit({ entityType: 'user', entityId: row.id, before: null, after: visible });
    ctx.change({ entityType: 'user', entityId: row.id, operation: 'upsert', version: 1, data: visible });
    return { id: row.id };
  },
});

export function toUserPublic(row: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'tenant_ids' | 'password_change_required'>): UserPublic {
  const role = Role.parse(row.role);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role,
    permissions: [...ROLE_PERMISSIONS[role]],
    tenantIds: tenantIdsOf(row.tenant_ids),
    passwordChangeRequired: toBool(row.password_change_required),
  };
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findActiveUser(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBool(row.active) ? row : undefined;
}

/** Users who can be given cases (they hold case:work), for the assign dialog. */
export async function listAssignableUsers(db: Kysely<Database>): Promise<UserPublic[]> {
  const roles = Role.options.filter((role) => ROLE_PERMISSIONS[role].includes('case:work'));
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'active', 'tenant_ids', 'password_change_required'])
    .where('role', 'in', roles)
    .orderBy('display_name')
    .execute();
  return rows.filter((r) => toBool(r.active)).map(toUserPublic);
}
