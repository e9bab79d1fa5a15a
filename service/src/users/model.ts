import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';
import { toBool, toIso, toIsoOrNull } from '../db/database.ts';
import { Role, ROLE_PERMISSIONS } from '../../../shared/src/roles.ts';
import type { UserPublic } from '../../../shared/src/auth.ts';
import type { AdminUser } from '../../../shared/src/users.ts';
import { tenantAccessFor, type TenantAccess } from '../../../shared/src/tenants.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';

/** The users columns an answer may show: never password_hash or password_history (ARCHITECTURE.md rule 6). */
const VISIBLE_COLUMNS = [
  'id',
  'username',
  'display_name',
  'role',
  'active',
  'tenant_ids',
  'password_change_required',
  'created_at',
  'updated_at',
  'version',
  'password_changed_at',
  'deactivated_at',
] as const;

type VisibleUserRow = Pick<UserRow, (typeof VISIBLE_COLUMNS)[number]>;

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

export function toAdminUser(row: VisibleUserRow, lastSignInAt: Date | string | null): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: Role.parse(row.role),
    tenantIds: tenantIdsOf(row.tenant_ids),
    active: toBool(row.active),
    passwordChangeRequired: toBool(row.password_change_required),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
    lastSignInAt: toIsoOrNull(lastSignInAt),
    passwordChangedAt: toIsoOrNull(row.password_changed_at),
    deactivatedAt: toIsoOrNull(row.deactivated_at),
  };
}

/** What a user acts for: its tenants, or every tenant for a bank-wide role with none named. */
export function accessOfRow(row: Pick<UserRow, 'role' | 'tenant_ids'>): TenantAccess {
  return tenantAccessFor(Role.parse(row.role), tenantIdsOf(row.tenant_ids));
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findActiveUser(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBool(row.active) ? row : undefined;
}

/** The full row (hash and history included) for a command to change; 404 when there is none. */
export async function loadUserRow(trx: Transaction<Database>, id: string): Promise<UserRow> {
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user');
  return row;
}

/** Last sign-in: the newest session the user opened (sessions are indexed by user). */
async function lastSignIns(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, Date | string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sessions')
    .select((eb) => ['user_id', eb.fn.max('created_at').as('last')])
    .where('user_id', 'in', [...userIds])
    .groupBy('user_id')
    .execute();
  return new Map(rows.filter((r) => r.last !== null).map((r) => [r.user_id, r.last as Date | string]));
}

/** Every user, for administrators (users are bank-wide data: ARCHITECTURE.md "Tenants", global). */
export async function listUsers(db: Kysely<Database>): Promise<AdminUser[]> {
  const rows = await db.selectFrom('users').select(VISIBLE_COLUMNS).orderBy('display_name').orderBy('username').execute();
  const last = await lastSignIns(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toAdminUser(row, last.get(row.id) ?? null));
}

export async function adminUserById(db: Kysely<Database> | Transaction<Database>, id: string): Promise<AdminUser> {
  const row = await db.selectFrom('users').select(VISIBLE_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user');
  const last = await lastSignIns(db, [id]);
  return toAdminUser(row, last.get(id) ?? null);
}

/**
 * Users who can be given cases (active, holding case:work) and who share a tenant with the caller,
 * for the assign dialog: a case of tenant A is never offered to someone who does not act for A.
 */
export async function listAssignableUsers(db: Kysely<Database>, scope: TenantScope = TenantScope.ALL): Promise<UserPublic[]> {
  const roles = Role.options.filter((role) => ROLE_PERMISSIONS[role].includes('case:work'));
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'active', 'tenant_ids', 'password_change_required'])
    .where('role', 'in', roles)
    .orderBy('display_name')
    .execute();
  return rows.filter((r) => toBool(r.active) && sharesTenant(scope, accessOfRow(r))).map(toUserPublic);
}

function sharesTenant(scope: TenantScope, access: TenantAccess): boolean {
  // A user acting for no tenant can work no case, so is offered to nobody.
  if (access !== 'ALL' && access.length === 0) return false;
  if (scope.isAll || access === 'ALL') return true;
  return access.some((tenant) => scope.allows(tenant));
}
