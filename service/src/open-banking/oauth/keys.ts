import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { defineCommand, SYSTEM_ACTOR, type CommandBus } from '../../commands/bus.ts';
import type { SecretBox } from '../../auth/secret-box.ts';

const OIDC_SIGNING_KEY = 'oidc-signing-jwk';

/** Stores the authorization server's ID-token signing key, sealed; the audit row records that it exists, never its value. */
const storeOidcSigningKey = defineCommand({
  name: 'openBanking.oidcSigningKey.store',
  input: z.object({ ciphertext: z.string().min(1) }),
  permission: null,
  async apply(ctx, input) {
    await ctx.trx.insertInto('service_secrets').values({ name: OIDC_SIGNING_KEY, ciphertext: input.ciphertext, created_at: ctx.now.toISOString() }).execute();
    ctx.audit({ entityType: 'service_secret', entityId: OIDC_SIGNING_KEY, before: null, after: { name: OIDC_SIGNING_KEY, stored: true } });
    return { name: OIDC_SIGNING_KEY };
  },
});

/**
 * The private JWK that signs ID tokens (RS256). Kept in the database, sealed with the master key,
 * so every hub over one PostgreSQL signs with the same key and a restart keeps issued ID tokens
 * verifiable (like the session signing key, bootstrap.ts).
 */
export async function loadOrCreateOidcSigningKey(db: Db, bus: CommandBus, box: SecretBox): Promise<Record<string, unknown>> {
  const read = async () => {
    const row = await db.kysely.selectFrom('service_secrets').select('ciphertext').where('name', '=', OIDC_SIGNING_KEY).executeTakeFirst();
    return row ? (JSON.parse(box.open(row.ciphertext)) as Record<string, unknown>) : null;
  };
  const existing = await read();
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
  try {
    await bus.execute(storeOidcSigningKey, { ciphertext: box.seal(JSON.stringify(jwk)) }, SYSTEM_ACTOR);
  } catch (error) {
    // Another hub created it first: use theirs.
    if (!isUniqueViolation(error)) throw error;
  }
  const created = await read();
  if (!created) throw new Error('OIDC signing key missing after creation');
  return created;
}

/** Keys that sign oidc-provider's cookies: derived from the master key, the same on every hub. */
export function oidcCookieKeys(box: SecretBox): string[] {
  return [box.deriveKey('oidc-cookies').toString('base64url')];
}
