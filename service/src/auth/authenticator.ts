import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toBool, toIso } from '../db/database.ts';
import { Role } from '../../../shared/src/roles.ts';
import { principalFor, type Principal } from './principal.ts';
import { hashClientSecret } from './sessions.ts';
import type { TokenService } from './tokens.ts';

interface CachedLookup<T> {
  value: T;
  checkedAt: number;
}

/**
 * Resolves the credentials on a request to a Principal: a session token (Bearer JWT, users and
 * OAuth2 clients) or an API key (machine clients). Revocation is looked up in the database and
 * cached briefly, so a signed-out or disabled session stops working within CACHE_MS on every hub
 * (immediately on the hub that handled the sign-out).
 */
export class Authenticator {
  private static readonly CACHE_MS = 15_000;
  private readonly sessions = new Map<string, CachedLookup<boolean>>();
  private readonly clients = new Map<string, CachedLookup<Principal | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tokens: TokenService,
  ) {}

  async fromHeaders(headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined }): Promise<Principal | null> {
    const authorization = headers.authorization ?? '';
    const [scheme, credential] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer' && credential) return this.fromToken(credential);
    if (scheme?.toLowerCase() === 'apikey' && credential) return this.fromApiKey(credential);
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.fromApiKey(apiKey);
    return null;
  }

  async fromToken(token: string): Promise<Principal | null> {
    const claims = await this.tokens.verify(token);
    if (!claims) return null;
    if (claims.typ === 'client') {
      const principal = await this.clientById(claims.sub);
      return principal;
    }
    if (!(await this.sessionIsLive(claims.sid, claims.sub))) return null;
    return principalFor({ kind: 'user', id: claims.sub, name: claims.name, role: claims.role }, claims.sid);
  }

  async fromApiKey(apiKey: string): Promise<Principal | null> {
    if (!apiKey.startsWith('wkz_') || apiKey.length > 100) return null;
    const hash = hashClientSecret(apiKey);
    const cached = this.clients.get(`key:${hash}`);
    if (cached && Date.now() - cached.checkedAt < Authenticator.CACHE_MS) return cached.value;
    const row = await this.db.selectFrom('api_clients').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
    const principal = row && toBool(row.active) && row.revoked_at === null ? clientPrincipal(row) : null;
    this.clients.set(`key:${hash}`, { value: principal, checkedAt: Date.now() });
    return principal;
  }

  /** OAuth2 client-credentials check; returns the client's principal or null. */
  async verifyClientSecret(clientId: string, secret: string): Promise<Principal | null> {
    const row = await this.db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!row || !toBool(row.active) || row.revoked_at !== null) return null;
    return row.secret_hash === hashClientSecret(secret) ? clientPrincipal(row) : null;
  }

  forgetSession(sessionId: string): void {
    this.sessions.set(sessionId, { value: false, checkedAt: Date.now() });
  }

  private async clientById(id: string): Promise<Principal | null> {
    const cached = this.clients.get(`id:${id}`);
    if (cached && Date.now() - cached.checkedAt < Authenticator.CACHE_MS) return cached.value;
    const row = await this.db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
    const principal = row && toBool(row.active) && row.revoked_at === null ? clientPrincipal(row) : null;
    this.clients.set(`id:${id}`, { value: principal, checkedAt: Date.now() });
    return principal;
  }

  private async sessionIsLive(sessionId: string, userId: string): Promise<boolean> {
    const cached = this.sessions.get(sessionId);
    if (cached && (cached.value === false || Date.now() - cached.checkedAt < Authenticator.CACHE_MS)) return cached.value;
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.revoked_at', 'sessions.expires_at', 'users.active'])
      .where('sessions.id', '=', sessionId)
      .where('sessions.user_id', '=', userId)
      .executeTakeFirst();
    const live = !!row && row.revoked_at === null && toBool(row.active) && toIso(row.expires_at) > new Date().toISOString();
    this.sessions.set(sessionId, { value: live, checkedAt: Date.now() });
    return live;
  }
}

function clientPrincipal(row: { id: string; name: string; role: string }): Principal {
  return principalFor({ kind: 'client', id: row.id, name: row.name, role: Role.parse(row.role) }, null);
}
