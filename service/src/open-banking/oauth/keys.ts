import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { CommandBus } from '../../commands/bus.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import { loadOrCreateSealedSecret } from '../../auth/service-secrets.ts';

const OIDC_SIGNING_KEY = 'oidc-signing-jwk';

/**
 * The private JWK that signs ID tokens (RS256). Kept in the database, sealed with the master key,
 * so every hub over one PostgreSQL signs with the same key and a restart keeps issued ID tokens
 * verifiable (like the session signing key, bootstrap.ts).
 */
export async function loadOrCreateOidcSigningKey(db: Db, bus: CommandBus, box: SecretBox): Promise<Record<string, unknown>> {
  const json = await loadOrCreateSealedSecret(db, bus, box, OIDC_SIGNING_KEY, 'OIDC signing key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' });
  });
  return JSON.parse(json) as Record<string, unknown>;
}

/** Keys that sign oidc-provider's cookies: derived from the master key, the same on every hub. */
export function oidcCookieKeys(box: SecretBox): string[] {
  return [box.deriveKey('oidc-cookies').toString('base64url')];
}
