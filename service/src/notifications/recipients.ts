import type { CommandContext } from '../commands/bus.ts';
import { dbBool } from '../db/database.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { Role, roleHasPermission, type Permission } from '../../../shared/src/roles.ts';
import { tenantAccessFor, tenantAllowed } from '../../../shared/src/tenants.ts';
import { notifyEachWithin, type NotifyInput } from './notify.ts';

export interface Recipient {
  id: string;
  name: string;
}

/**
 * Active users whose role holds `permission` and who act for `tenantId` (null = bank-wide data:
 * anyone holding the permission). Read inside the caller's transaction, so a notification goes to
 * the people who could act on the item at the moment it was raised (ARCHITECTURE.md "Tenants").
 */
export async function usersWithPermission(
  ctx: Pick<CommandContext, 'trx' | 'dialect'>,
  permission: Permission,
  tenantId: string | null,
  exceptUserId: string | null = null,
): Promise<Recipient[]> {
  const users = await ctx.trx
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'tenant_ids'])
    .where('active', '=', dbBool(ctx.dialect, true))
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  const out: Recipient[] = [];
  for (const user of users) {
    if (user.id === exceptUserId) continue;
    const role = Role.safeParse(user.role);
    if (!role.success || !roleHasPermission(role.data, permission)) continue;
    if (tenantId !== null && !tenantAllowed(tenantAccessFor(role.data, tenantIdsOf(user.tenant_ids)), tenantId)) continue;
    out.push({ id: user.id, name: user.display_name });
  }
  return out;
}

/**
 * A four-eyes request is waiting: everyone who may decide it hears about it — never the maker,
 * who cannot approve their own request. Called inside the command that writes the pending state,
 * so the notifications commit (and are pushed) with it (ARCHITECTURE.md rule 1).
 */
export async function notifyApproversWithin(
  ctx: CommandContext,
  request: { permission: Permission; tenantId: string | null; makerId: string } & Omit<NotifyInput, 'userId' | 'tenantId'>,
): Promise<number> {
  const { permission, makerId, ...content } = request;
  const approvers = await usersWithPermission(ctx, permission, request.tenantId, makerId);
  return notifyEachWithin(
    ctx,
    approvers.map((a) => a.id),
    content,
  );
}

/**
 * A four-eyes request was decided (or withdrawn): it no longer waits for anyone, so its "waiting
 * for your approval" notifications are marked read for everyone in the deciding command's
 * transaction. The bell's unread count then means "still waiting for you".
 */
export async function settleRequestNotificationsWithin(ctx: CommandContext, request: { kind: string; entityId: string }): Promise<number> {
  const result = await ctx.trx
    .updateTable('notifications')
    .set((eb) => ({ read_at: ctx.now.toISOString(), version: eb('version', '+', 1) }))
    .where('kind', '=', request.kind)
    .where('entity_id', '=', request.entityId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  const settled = Number(result.numUpdatedRows);
  if (settled > 0) ctx.audit({ entityType: 'notification', entityId: request.entityId, before: null, after: { settled, kind: request.kind } });
  return settled;
}
