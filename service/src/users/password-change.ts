import { z } from 'zod';
import { defineCommand } from '../commands/bus.ts';
import { dbBool, toBool, toJson } from '../db/database.ts';
import { forbidden, validationFailed } from '../errors.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { revokeSessionsOf } from '../auth/sessions.ts';
import { ChangePasswordRequest, PASSWORD_HISTORY, passwordProblem } from '../../../shared/src/users.ts';
import { loadUserRow } from './model.ts';
import { nextPasswordHistory, passwordHistoryOf, visibleUser } from './users.ts';

export const ChangePasswordInput = ChangePasswordRequest.extend({
  /** The session the change is made from: it stays signed in, every other session ends. */
  keepSessionId: z.uuid().nullable(),
});

/**
 * A user changes its own password (also the way out of a one-time password). The new password
 * must pass the policy (shared/src/users.ts passwordProblem) and differ from the last
 * PASSWORD_HISTORY passwords; refusals name body.newPassword. Other sessions end, since whoever
 * knew the old password may hold one.
 */
export const changeOwnPassword = defineCommand({
  name: 'user.changePassword',
  input: ChangePasswordInput,
  permission: 'signed-in',
  async apply(ctx, input): Promise<{ userId: string; revokedSessionIds: string[] }> {
    if (ctx.actor.kind !== 'user') throw forbidden('only people have passwords: machine clients rotate their keys');
    const row = await loadUserRow(ctx.trx, ctx.actor.id);
    if (!toBool(row.active)) throw forbidden('this account is deactivated');
    if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
      throw validationFailed([{ path: 'body.currentPassword', message: 'this is not your current password' }], 'the current password is wrong');
    }
    const problem = passwordProblem(input.newPassword, row.username);
    if (problem) throw validationFailed([{ path: 'body.newPassword', message: problem }], `new password: ${problem}`);
    // The current password and the kept history: PASSWORD_HISTORY passwords in all.
    for (const earlier of [row.password_hash, ...passwordHistoryOf(row)].slice(0, PASSWORD_HISTORY)) {
      if (await verifyPassword(input.newPassword, earlier)) {
        const message = `must not be one of your last ${PASSWORD_HISTORY} passwords`;
        throw validationFailed([{ path: 'body.newPassword', message }], `new password: ${message}`);
      }
    }
    const now = ctx.now.toISOString();
    const version = row.version + 1;
    await ctx.trx
      .updateTable('users')
      .set({
        password_hash: await hashPassword(input.newPassword),
        password_history: toJson(nextPasswordHistory(row)),
        password_change_required: dbBool(ctx.dialect, false),
        password_changed_at: now,
        updated_at: now,
        version,
      })
      .where('id', '=', row.id)
      .execute();
    const revokedSessionIds = await revokeSessionsOf(ctx.trx, row.id, ctx.now, input.keepSessionId);
    // That the password changed, never what it is or its hash (ARCHITECTURE.md rule 6).
    ctx.audit({
      entityType: 'user',
      entityId: row.id,
      before: { passwordChangeRequired: toBool(row.password_change_required) },
      after: { passwordChanged: true, passwordChangeRequired: false, otherSessionsEnded: revokedSessionIds.length },
    });
    ctx.change({ entityType: 'user', entityId: row.id, operation: 'upsert', version, data: visibleUser({ ...row, password_change_required: false }) });
    return { userId: row.id, revokedSessionIds };
  },
});
