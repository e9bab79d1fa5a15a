import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import { defineCommand } from '../commands/bus.ts';
import { forbidden } from '../errors.ts';
import type { Database } from '../db/schema.ts';

export const SESSION_TTL_SECONDS = 8 * 60 * 60; // one working day
export const CLIENT_TOKEN_TTL_SECONDS = 15 * 60;

export const openSession = defineCommand({
  name: 'session.open',
  input: z.object({ userId: z.uuid(), userAgent: z.string().max(512).nullable() }),
  // Run by the login route after the password check, as the user who signed in.
  permission: 'signed-in',
  async apply(ctx, input) {
    if (ctx.actor.id !== input.userId) throw forbidden('a session can only be opened for yourself');
    const id = randomUUID();
    const expiresAt = new Date(ctx.now.getTime() + SESSION_TTL_SECONDS * 1000);
    await ctx.trx
      .insertInto('sessions')
      .values({
        id,
        user_id: input.userId,
        created_at: ctx.now.toISOString(),
        expires_at: expiresAt.toISOString(),
        revoked_at: null,
        user_agent: input.userAgent,
      })
      .execute();
    ctx.audit({ entityType: 'session', entityId: id, before: null, after: { userId: input.userId, expiresAt: expiresAt.toISOString() } });
    return { sessionId: id, expiresAt };
  },
});

export const closeSession = defineCommand({
  name: 'session.close',
  input: z.object({ sessionId: z.uuid() }),
  permission: 'signed-in',
  async apply(ctx, input) {
    const session = await ctx.trx.selectFrom('sessions').selectAll().where('id', '=', input.sessionId).executeTakeFirst();
    if (!session || session.user_id !== ctx.actor.id) throw forbidden('you can only sign out of your own session');
    if (session.revoked_at !== null) return { alreadyClosed: true };
    await ctx.trx.updateTable('sessions').set({ revoked_at: ctx.now.toISOString() }).where('id', '=', input.sessionId).execute();
    ctx.audit({ entityType: 'session', entityId: input.sessionId, before: { revoked: false }, after: { revoked: true } });
    return { alreadyClosed: false };
  },
});

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Revokes every open session of a user (but `keep`), inside the caller's transaction, and returns
 * their ids so that the caller can end their sockets and cached principals after commit.
 */
export async function revokeSessionsOf(trx: Transaction<Database>, userId: string, now: Date, keep: string | null = null): Promise<string[]> {
  let open = trx.selectFrom('sessions').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', now.toISOString());
  if (keep) open = open.where('id', '!=', keep);
  const ids = (await open.execute()).map((r) => r.id);
  if (ids.length > 0) await trx.updateTable('sessions').set({ revoked_at: now.toISOString() }).where('id', 'in', ids).execute();
  return ids;
}
