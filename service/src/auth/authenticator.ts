import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromJson, toBool, toIso } from '../db/database.ts';
import { Role } from '../../../shared/src/roles.ts';
import { tenantAccessFor } from '../../../shared/src/tenants.ts';
import { principalFor, type Principal } from './principal.ts';
import { hashClientSecret } from './sessions.ts';
import type { TokenService } from './tokens.ts';
import type { Clock } from '../clock.ts';

interface CachedLookup<T> {
  value: T;
  checkedAt: number;
  /** A key accepted only until a rotation's grace ends is not served from the cache after that. */
  validUntil?: string;
}

/** What a live session resolves to; role, name and tenants come from the user row, not the token. */
interface SessionLookup {
  principal: Principal | null;
  userId: string;
  /** When the session ends (ISO); a cached live session still ends then. */
  expiresAt: string;
}

/**
 * Resolves the credentials on a request to a Principal: a session token (Bearer JWT, users and
 * OAuth2 clients) or an API key (machine clients). The user's role, tenants and state are read
 * from the database (so a re-role, a tenant change or a deactivation applies without a new
 * token) and cached briefly: on the hub that made the change at once (forgetUser/forgetClient),
 * on other hubs within CACHE_MS.
 */
export class Authenticator {
  private static readonly CACHE_MS = 15_000;
  private static readonly TOUCH_EVERY_MS = 60_000;
  private readonly sessions = new Map<string, CachedLookup<SessionLookup>>();
  private readonly clients = new Map<string, CachedLookup<Principal | null>>();
  private readonly touched = new Map<string, number>();
  /** Called (at most once a minute per client) when a machine client authenticates. */
  onClientUsed: ((clientId: string) => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
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
    if (claims.typ === 'client') return this.used(await this.clientById(claims.sub));
    return this.sessionPrincipal(claims.sid, claims.sub);
  }

  async fromApiKey(apiKey: string): Promise<Principal | null> {
    if (!apiKey.startsWith('wkz_') || apiKey.length > 100) return null;
    const hash = hashClientSecret(apiKey);
    const cached = this.clients.get(`key:${hash}`);
    const now = this.clock.now().toISOString();
    if (cached && this.fresh(cached) && (cached.validUntil === undefined || cached.validUntil > now)) return this.used(cached.value);
    const row = await this.db
      .selectFrom('api_clients')
      .selectAll()
      .where((eb) => eb.or([eb('secret_hash', '=', hash), eb.and([eb('previous_secret_hash', '=', hash), eb('previous_secret_expires_at', '>', now)])]))
      .executeTakeFirst();
    const principal = row && clientIsLive(row) ? clientPrincipal(row) : null;
    const validUntil = row && row.secret_hash !== hash && row.previous_secret_expires_at ? toIso(row.previous_secret_expires_at) : undefined;
    this.clients.set(`key:${hash}`, { value: principal, checkedAt: Date.now(), ...(validUntil ? { validUntil } : {}) });
    return this.used(principal);
  }

  /** OAuth2 client-credentials check; returns the client's principal or null. */
  async verifyClientSecret(clientId: string, secret: string): Promise<Principal | null> {
    const row = await this.db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!row || !clientIsLive(row)) return null;
    const hash = hashClientSecret(secret);
    const previousValid =
      row.previous_secret_hash === hash && row.previous_secret_expires_at !== null && toIso(row.previous_secret_expires_at) > this.clock.now().toISOString();
    return row.secret_hash === hash || previousValid ? this.used(clientPrincipal(row)) : null;
  }

  forgetSession(sessionId: string): void {
    const cached = this.sessions.get(sessionId);
    this.sessions.set(sessionId, { value: { principal: null, userId: cached?.value.userId ?? '', expiresAt: '' }, checkedAt: Date.now() });
  }

  /** Drops what is cached about a user, so a change of role, tenants or state applies to the next request. */
  forgetUser(userId: string): void {
    for (const [sessionId, cached] of this.sessions) if (cached.value.userId === userId) this.sessions.delete(sessionId);
  }

  /** Drops what is cached about machine clients (after a revoke, rotate or edit). */
  forgetClients(): void {
    this.clients.clear();
  }

  private fresh(cached: CachedLookup<unknown>): boolean {
    return Date.now() - cached.checkedAt < Authenticator.CACHE_MS;
  }

  private used(principal: Principal | null): Principal | null {
    if (principal && this.onClientUsed) {
      const last = this.touched.get(principal.actor.id) ?? 0;
      if (Date.now() - last >= Authenticator.TOUCH_EVERY_MS) {
        this.touched.set(principal.actor.id, Date.now());
        this.onClientUsed(principal.actor.id);
      }
    }
    return principal;
  }

  private async clientById(id: string): Promise<Principal | null> {
    const cached = this.clients.get(`id:${id}`);
    if (cached && this.fresh(cached)) return cached.value;
    const row = await this.db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
    const principal = row && clientIsLive(row) ? clientPrincipal(row) : null;
    this.clients.set(`id:${id}`, { value: principal, checkedAt: Date.now() });
    return principal;
  }

  private async sessionPrincipal(sessionId: string, userId: string): Promise<Principal | null> {
    const cached = this.sessions.get(sessionId);
    if (cached && (cached.value.principal === null || this.fresh(cached))) {
      const { principal, expiresAt } = cached.value;
      return principal && expiresAt > this.clock.now().toISOString() ? principal : null;
    }
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.revoked_at',
        'sessions.expires_at',
        'users.active',
        'users.role',
        'users.display_name',
        'users.tenant_ids',
        'users.password_change_required',
      ])
      .where('sessions.id', '=', sessionId)
      .where('sessions.user_id', '=', userId)
      .executeTakeFirst();
    const live = !!row && row.revoked_at === null && toBool(row.active) && toIso(row.expires_at) > this.clock.now().toISOString();
    let principal: Principal | null = null;
    if (row && live) {
      const role = Role.parse(row.role);
      const tenants = tenantAccessFor(role, tenantIdsOf(row.tenant_ids));
      principal = principalFor({ kind: 'user', id: userId, name: row.display_name, role, tenants }, sessionId, {
        passwordChangeRequired: toBool(row.password_change_required),
      });
    }
    this.sessions.set(sessionId, { value: { principal, userId, expiresAt: row ? toIso(row.expires_at) : '' }, checkedAt: Date.now() });
    return principal;
  }
}

export function tenantIdsOf(stored: unknown): string[] {
  const value = fromJson<unknown>(stored);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function clientIsLive(row: { active: boolean | number; revoked_at: unknown }): boolean {
  return toBool(row.active) && row.revoked_at === null;
}

function clientPrincipal(row: { id: string; name: string; role: string; tenant_ids: unknown }): Principal {
  const role = Role.parse(row.role);
  return principalFor({ kind: 'client', id: row.id, name: row.name, role, tenants: tenantAccessFor(role, tenantIdsOf(row.tenant_ids)) }, null);
}
