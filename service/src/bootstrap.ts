import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from './db/database.ts';
import { isUniqueViolation } from './db/database.ts';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from './commands/bus.ts';
import type { SecretBox } from './auth/secret-box.ts';
import { createUser } from './users/users.ts';
import { generateOneTimePassword } from './auth/passwords.ts';

const SIGNING_KEY = 'session-signing-key';

/** Stores a service secret sealed under the master key; the audit row records that it exists, never its value. */
const storeServiceSecret = defineCommand({
  name: 'serviceSecret.store',
  input: z.object({ name: z.string().min(1).max(100), ciphertext: z.string().min(1) }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.insertInto('service_secrets').values({ name: input.name, ciphertext: input.ciphertext, created_at: ctx.now.toISOString() }).execute();
    ctx.audit({ entityType: 'service_secret', entityId: input.name, before: null, after: { name: input.name, stored: true } });
    return { name: input.name };
  },
});

/**
 * The key that signs session tokens. Kept in the database (so every hub over one PostgreSQL
 * shares it) and sealed with the master key (so a database dump alone cannot forge sessions).
 */
export async function loadOrCreateSigningKey(db: Db, bus: CommandBus, box: SecretBox): Promise<Uint8Array> {
  const read = async () => {
    const row = await db.kysely.selectFrom('service_secrets').select('ciphertext').where('name', '=', SIGNING_KEY).executeTakeFirst();
    if (!row) return null;
    try {
      return new Uint8Array(Buffer.from(box.open(row.ciphertext), 'base64'));
    } catch {
      throw new Error(
        'the session signing key cannot be decrypted: this data folder or database belongs to a different master key (WEKEZA_MASTER_KEY / master.key)',
      );
    }
  };
  const existing = await read();
  if (existing) return existing;
  try {
    await bus.execute(storeServiceSecret, { name: SIGNING_KEY, ciphertext: box.seal(randomBytes(32).toString('base64')) }, SYSTEM_ACTOR);
  } catch (error) {
    // Another hub created it first: use theirs.
    if (!isUniqueViolation(error)) throw error;
  }
  const created = await read();
  if (!created) throw new Error('session signing key missing after creation');
  return created;
}

/**
 * On a database with no users, creates "admin" (risk manager, every tenant). Its password is
 * WEKEZA_ADMIN_PASSWORD when set (an operator chose it, so it need not be changed); otherwise a
 * one-time password is generated and returned so the caller can print it once, and the admin must
 * change it at first sign-in (it can do nothing else until then).
 */
export async function ensureAdminUser(db: Db, bus: CommandBus, env: NodeJS.ProcessEnv = process.env): Promise<{ generatedPassword: string | null }> {
  const anyUser = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return { generatedPassword: null };
  const fromEnv = env.WEKEZA_ADMIN_PASSWORD;
  const password = fromEnv && fromEnv.length > 0 ? fromEnv : generateOneTimePassword();
  try {
    await bus.execute(
      createUser,
      { username: 'admin', displayName: 'System Administrator', role: 'RISK_MANAGER', tenantIds: [], password, passwordChangeRequired: !fromEnv },
      SYSTEM_ACTOR,
    );
  } catch (error) {
    if (isUniqueViolation(error)) return { generatedPassword: null };
    throw error;
  }
  return { generatedPassword: fromEnv ? null : password };
}
