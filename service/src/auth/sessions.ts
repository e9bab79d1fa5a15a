import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand } from '../commands/bus.ts';
import { conflict, forbidden } from '../errors.ts';
import { Role } from '../../../shared/src/roles.ts';
import { dbBool } from '../db/database.ts';

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
      .values({ id, user_id: input.userId, created_at: ctx.now.toISOString(), expires_at: expiresAt.toISOString(), revoked_at: null, user_agent: input.userAgent })
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

export const CreateApiClientInput = z.object({
  name: z.string().trim().min(3).max(100),
  role: Role.extract(['PAYMENT_ENGINE']).default('PAYMENT_ENGINE'),
});

/**
 * Registers a machine client (the bank's payment engine). The secret is returned once; only its
 * hash is kept. It works both as an API key (X-API-Key) and as an OAuth2 client secret.
 */
export const createApiClient = defineCommand({
  name: 'apiClient.create',
  input: CreateApiClientInput,
  permission: 'user:manage',
  async apply(ctx, input) {
    const clash = await ctx.trx.selectFrom('api_clients').select('id').where('name', '=', input.name).where('revoked_at', 'is', null).executeTakeFirst();
    if (clash) throw conflict(`an active client named "${input.name}" already exists`);
    const id = randomUUID();
    const clientId = `wkz-client-${randomBytes(6).toString('hex')}`;
    const secret = `wkz_${randomBytes(32).toString('base64url')}`;
    await ctx.trx
      .insertInto('api_clients')
      .values({
        id,
        name: input.name,
        client_id: clientId,
        secret_hash: hashClientSecret(secret),
        key_prefix: secret.slice(0, 10),
        role: input.role,
        active: dbBool(ctx.dialect, true),
        created_at: ctx.now.toISOString(),
        created_by: ctx.actor.name,
        revoked_at: null,
      })
      .execute();
    ctx.audit({ entityType: 'api_client', entityId: id, before: null, after: { name: input.name, clientId, role: input.role, keyPrefix: secret.slice(0, 10) } });
    return { id, name: input.name, clientId, apiKey: secret, role: input.role };
  },
});
