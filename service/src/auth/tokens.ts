import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { Role } from '../../../shared/src/roles.ts';

const ISSUER = 'wekeza-risk-workstation';
const AUDIENCE = 'wekeza-api';

export const TokenClaims = z.discriminatedUnion('typ', [
  z.object({ typ: z.literal('user'), sub: z.uuid(), sid: z.uuid(), role: Role, name: z.string(), exp: z.number() }),
  z.object({ typ: z.literal('client'), sub: z.uuid(), role: Role, name: z.string(), scope: z.string(), exp: z.number() }),
]);
export type TokenClaims = z.infer<typeof TokenClaims>;
/** The claims a caller supplies; expiry is set by sign(). Distributes over the union. */
export type TokenRequest = TokenClaims extends infer T ? (T extends TokenClaims ? Omit<T, 'exp'> : never) : never;

/** Signs and verifies session tokens (HS256 JWT) with a key kept sealed in the database. */
export class TokenService {
  constructor(private readonly key: Uint8Array) {}

  async sign(claims: TokenRequest, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + ttlSeconds) * 1000);
    const { sub, ...rest } = claims;
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** Null for anything that is not a valid, unexpired token of ours. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const parsed = TokenClaims.safeParse(payload);
      return parsed.success ? parsed.data : null;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
