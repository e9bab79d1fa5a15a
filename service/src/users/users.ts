import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { conflict } from '../errors.ts';
import { dbBool, fromJson, toBool, toJson } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import { generateOneTimePassword, hashPassword } from '../auth/passwords.ts';
import { revokeSessionsOf } from '../auth/sessions.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { HumanRole } from '../../../shared/src/roles.ts';
import { Username } from '../../../shared/src/auth.ts';
import { TenantIdList } from '../../../shared/src/tenants.ts';
import { DisplayName, PASSWORD_HISTORY, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type AdminUser } from '../../../shared/src/users.ts';
import { ADMIN_ROLE, assertCanGrant, assertManages, assertNotLastAdmin, assertTenantsFitRole } from './access.ts';
import { accessOfRow, adminUserById, loadUserRow } from './model.ts';

// Queries and mappers used by sign-in and the assign dialog live in model.ts.
export { findActiveUser, findUserByUsername, listAssignableUsers, toUserPublic } from './model.ts';

/**
 * What a user's audit and change-log rows show: never the password, its hash or its history
 * (ARCHITECTURE.md rule 6).
 */
export function visibleUser(
  row: Pick<UserRow, 'username' | 'display_name' | 'role' | 'tenant_ids' | 'active' | 'password_change_required'>,
): Record<string, unknown> {
  return {
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    tenantIds: tenantIdsOf(row.tenant_ids),
    active: toBool(row.active),
    passwordChangeRequired: toBool(row.password_change_required),
  };
}

/** Records the change of a user row in the audit and change logs (ARCHITECTURE.md rule 1). */
function recordUserChange(ctx: CommandContext, before: UserRow | null, after: UserRow, extra: Record<string, unknown> = {}): void {
  const now = visibleUser(after);
  ctx.audit({ entityType: 'user', entityId: after.id, before: before ? visibleUser(before) : null, after: { ...now, ...extra } });
  ctx.change({ entityType: 'user', entityId: after.id, operation: 'upsert', version: after.version, data: now });
}

/** The earlier password hashes kept so that a password is not reused (the current one is not in it). */
export function passwordHistoryOf(row: Pick<UserRow, 'password_history'>): string[] {
  const value = fromJson<unknown>(row.password_history);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** After a password change: the previous hash joins the history, which keeps the last PASSWORD_HISTORY - 1. */
export function nextPasswordHistory(row: Pick<UserRow, 'password_hash' | 'password_history'>): string[] {
  return [row.password_hash, ...passwordHistoryOf(row)].slice(0, PASSWORD_HISTORY - 1);
}

export const CreateUserInput = z.object({
  username: Username,
  displayName: DisplayName,
  role: HumanRole,
  /** [] = every tenant for bank-wide roles; other roles must name tenants (refused otherwise, except for the service itself). */
  tenantIds: TenantIdList.default([]),
  /**
   * Set only by the service itself (first admin from WEKEZA_ADMIN_PASSWORD, demo seeding, tests);
   * the HTTP operation has no such field, so administrators always hand out one-time passwords.
   */
  password: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH).optional(),
  /** Defaults to true when the password is generated here (a one-time password). */
  passwordChangeRequired: z.boolean().optional(),
});

export const createUser = defineCommand({
  name: 'user.create',
  input: CreateUserInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<{ id: string; user: AdminUser; oneTimePassword: string | null }> {
    if (ctx.actor.kind !== 'system') {
      assertTenantsFitRole(input.role, input.tenantIds);
      assertCanGrant(ctx.actor, input.role, input.tenantIds);
    }
    const existing = await ctx.trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (existing) throw conflict(`user ${input.username} already exists`);
    const password = input.password ?? generateOneTimePassword();
    const now = ctx.now.toISOString();
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(password),
      active: dbBool(ctx.dialect, true),
      created_at: now,
      updated_at: now,
      version: 1,
      tenant_ids: toJson(input.tenantIds),
      password_change_required: dbBool(ctx.dialect, input.passwordChangeRequired ?? input.password === undefined),
      password_history: '[]',
      password_changed_at: now,
      deactivated_at: null,
    } satisfies UserRow;
    await ctx.trx.insertInto('users').values(row).execute();
    recordUserChange(ctx, null, row);
    return { id: row.id, user: await adminUserById(ctx.trx, row.id), oneTimePassword: input.password === undefined ? password : null };
  },
});

export const UpdateUserInput = z.object({
  id: z.uuid(),
  displayName: DisplayName.optional(),
  role: HumanRole.optional(),
  tenantIds: TenantIdList.optional(),
  expectedVersion: z.number().int().positive(),
});

/**
 * Changes a user's display name, role or tenants. A new role or new tenants also ends the user's
 * sessions: its open screens and sockets were authorised for the old rights (socket rooms are per
 * permission and tenant), so it signs in again and gets the new ones everywhere at once.
 */
export const updateUser = defineCommand({
  name: 'user.update',
  input: UpdateUserInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<{ user: AdminUser; revokedSessionIds: string[] }> {
    const before = await loadUserRow(ctx.trx, input.id);
    if (before.version !== input.expectedVersion) {
      throw conflict(
        `user ${before.username} was changed by someone else (version ${before.version}, you sent ${input.expectedVersion}): reload and try again`,
      );
    }
    const role = input.role ?? HumanRole.parse(before.role);
    const tenantIds = input.tenantIds ?? tenantIdsOf(before.tenant_ids);
    assertManages(ctx.actor, accessOfRow(before), 'user');
    assertTenantsFitRole(role, tenantIds);
    assertCanGrant(ctx.actor, role, tenantIds);
    if (before.role === ADMIN_ROLE && role !== ADMIN_ROLE && toBool(before.active))
      await assertNotLastAdmin(ctx.trx, ctx.dialect, before.id, 'changing its role');
    const rightsChanged = role !== before.role || JSON.stringify([...tenantIds].sort()) !== JSON.stringify([...tenantIdsOf(before.tenant_ids)].sort());
    const after: UserRow = {
      ...before,
      display_name: input.displayName ?? before.display_name,
      role,
      tenant_ids: toJson(tenantIds),
      updated_at: ctx.now.toISOString(),
      version: before.version + 1,
    };
    await ctx.trx
      .updateTable('users')
      .set({ display_name: after.display_name, role: after.role, tenant_ids: toJson(tenantIds), updated_at: ctx.now.toISOString(), version: after.version })
      .where('id', '=', before.id)
      .execute();
    const revokedSessionIds = rightsChanged ? await revokeSessionsOf(ctx.trx, before.id, ctx.now) : [];
    recordUserChange(ctx, before, after, rightsChanged ? { sessionsEnded: revokedSessionIds.length } : {});
    return { user: await adminUserById(ctx.trx, before.id), revokedSessionIds };
  },
});

const UserIdInput = z.object({ id: z.uuid() });

/** Stops a user from signing in and revokes all its sessions in the same transaction. */
export const deactivateUser = defineCommand({
  name: 'user.deactivate',
  input: UserIdInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<{ user: AdminUser; revokedSessionIds: string[] }> {
    const before = await loadUserRow(ctx.trx, input.id);
    assertManages(ctx.actor, accessOfRow(before), 'user');
    if (before.id === ctx.actor.id) throw conflict('you cannot deactivate your own account: ask another administrator');
    if (!toBool(before.active)) return { user: await adminUserById(ctx.trx, before.id), revokedSessionIds: [] };
    if (before.role === ADMIN_ROLE) await assertNotLastAdmin(ctx.trx, ctx.dialect, before.id, 'deactivating it');
    const now = ctx.now.toISOString();
    const after: UserRow = { ...before, active: dbBool(ctx.dialect, false), deactivated_at: now, updated_at: now, version: before.version + 1 };
    await ctx.trx
      .updateTable('users')
      .set({ active: after.active, deactivated_at: now, updated_at: now, version: after.version })
      .where('id', '=', before.id)
      .execute();
    const revokedSessionIds = await revokeSessionsOf(ctx.trx, before.id, ctx.now);
    recordUserChange(ctx, before, after, { sessionsEnded: revokedSessionIds.length });
    return { user: await adminUserById(ctx.trx, before.id), revokedSessionIds };
  },
});

export const reactivateUser = defineCommand({
  name: 'user.reactivate',
  input: UserIdInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<{ user: AdminUser }> {
    const before = await loadUserRow(ctx.trx, input.id);
    assertManages(ctx.actor, accessOfRow(before), 'user');
    if (toBool(before.active)) return { user: await adminUserById(ctx.trx, before.id) };
    const now = ctx.now.toISOString();
    const after: UserRow = { ...before, active: dbBool(ctx.dialect, true), deactivated_at: null, updated_at: now, version: before.version + 1 };
    await ctx.trx
      .updateTable('users')
      .set({ active: after.active, deactivated_at: null, updated_at: now, version: after.version })
      .where('id', '=', before.id)
      .execute();
    recordUserChange(ctx, before, after);
    return { user: await adminUserById(ctx.trx, before.id) };
  },
});

/**
 * Gives a user a new one-time password (returned once, to the administrator) and ends its
 * sessions; the user must change it at its next sign-in. The old password joins the history.
 */
export const resetUserPassword = defineCommand({
  name: 'user.resetPassword',
  input: UserIdInput,
  permission: 'user:manage',
  async apply(ctx, input): Promise<{ user: AdminUser; oneTimePassword: string; revokedSessionIds: string[] }> {
    const before = await loadUserRow(ctx.trx, input.id);
    assertManages(ctx.actor, accessOfRow(before), 'user');
    if (before.id === ctx.actor.id) throw conflict('use "Change password" for your own account');
    const oneTimePassword = generateOneTimePassword();
    const now = ctx.now.toISOString();
    const after: UserRow = {
      ...before,
      password_hash: await hashPassword(oneTimePassword),
      password_history: toJson(nextPasswordHistory(before)),
      password_change_required: dbBool(ctx.dialect, true),
      password_changed_at: now,
      updated_at: now,
      version: before.version + 1,
    };
    await ctx.trx
      .updateTable('users')
      .set({
        password_hash: after.password_hash,
        password_history: toJson(nextPasswordHistory(before)),
        password_change_required: after.password_change_required,
        password_changed_at: now,
        updated_at: now,
        version: after.version,
      })
      .where('id', '=', before.id)
      .execute();
    const revokedSessionIds = await revokeSessionsOf(ctx.trx, before.id, ctx.now);
    recordUserChange(ctx, before, after, { passwordReset: true, sessionsEnded: revokedSessionIds.length });
    return { user: await adminUserById(ctx.trx, before.id), oneTimePassword, revokedSessionIds };
  },
});
