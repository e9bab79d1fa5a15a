import { randomBytes } from 'node:crypto';
import type { Db } from './db/database.ts';
import { isUniqueViolation } from './db/database.ts';
import { SYSTEM_ACTOR, type CommandBus } from './commands/bus.ts';
import type { SecretBox } from './auth/secret-box.ts';
import { loadOrCreateSealedSecret } from './auth/service-secrets.ts';
import { createUser } from './users/users.ts';
import { generateOneTimePassword } from './auth/passwords.ts';

const SIGNING_KEY = 'session-signing-key';

/**
 * The key that signs session tokens. Kept in the database (so every hub over one PostgreSQL
 * shares it) and sealed with the master key (so a database dump alone cannot forge sessions).
 */
export async function loadOrCreateSigningKey(db: Db, bus: CommandBus, box: SecretBox): Promise<Uint8Array> {
  const base64 = await loadOrCreateSealedSecret(db, bus, box, SIGNING_KEY, 'session signing key', () => randomBytes(32).toString('base64'));
  return new Uint8Array(Buffer.from(base64, 'base64'));
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
