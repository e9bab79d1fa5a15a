import type { FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { BaseTokenInstance } from 'oidc-provider';
import type { Db } from '../../db/database.ts';
import { toIsoOrNull } from '../../db/database.ts';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../../commands/bus.ts';
import { ServiceError } from '../../errors.ts';
import type { PartnerAuthenticator, PartnerCaller } from '../../auth/partner.ts';
import { principalFor } from '../../auth/principal.ts';
import { recordRefusedRequest } from '../../consents/check.ts';
import { findAppByClientId } from '../apps/store.ts';
import { ObScope } from '../../../../shared/src/open-banking.ts';
import type { ConsentCheckReason } from '../../../../shared/src/open-banking.ts';
import { wasRevoked } from './adapter.ts';

const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;
/** last_used_at is written at most this often per app (a busy app would otherwise write on every call). */
export const LAST_USED_EVERY_MS = 60_000;

/** The actor an app's token makes: `app:<id>`, in the app's one tenant (webhooks/commands.ts checks the id). */
export function appActor(app: { id: string; name: string; tenantId: string }): Actor & { role: 'OPEN_BANKING_APP' } {
  return { kind: 'client', id: `app:${app.id}`, name: app.name, role: 'OPEN_BANKING_APP', tenants: [app.tenantId] };
}

export interface PartnerAuthDeps {
  db: Db;
  clock: Clock;
  provider: () => Promise<Provider>;
  /** The partner API's resource indicator (the audience its tokens must carry). */
  resource: () => string;
}

const MESSAGES: Partial<Record<ConsentCheckReason, string>> = {
  TOKEN_INVALID: 'the access token is missing, expired or not one this service issued',
  TOKEN_REVOKED: 'the access token was revoked',
  APP_SUSPENDED: 'the app is suspended: its tokens are no longer accepted',
};

/**
 * Check 1 of every partner request (issue 14), before the body is read: the bearer token is an
 * access token this server issued for the partner API (from a customer's consent, or the app's own
 * client-credentials token), not expired or revoked, and its app is registered and ACTIVE. A
 * refusal is recorded in the access log (consent.recordRefusedRequest) and answered 401 with
 * WWW-Authenticate (RFC 6750). The consent itself is checked by the handler's query or command.
 */
export function createPartnerAuthenticator(deps: PartnerAuthDeps): PartnerAuthenticator {
  const lastTouched = new Map<string, number>();

  async function touch(appId: string, lastUsedAt: string | null): Promise<void> {
    const now = deps.clock.now();
    const previous = Math.max(lastTouched.get(appId) ?? 0, lastUsedAt ? Date.parse(lastUsedAt) : 0);
    if (now.getTime() - previous < LAST_USED_EVERY_MS) return;
    lastTouched.set(appId, now.getTime());
    // Usage metadata, like a session's last-seen time: not a change anyone decides, so no command.
    await deps.db.kysely.updateTable('ob_apps').set({ last_used_at: now.toISOString() }).where('id', '=', appId).execute();
  }

  return async (op, request: FastifyRequest) => {
    const customerPresent = request.headers['x-fapi-customer-ip-address'] !== undefined;
    const refuse = async (reason: ConsentCheckReason, app: { id: string; tenant_id: string } | null): Promise<never> => {
      await recordRefusedRequest(
        { db: deps.db, clock: deps.clock },
        {
          appId: app?.id ?? null,
          tenantId: app?.tenant_id ?? null,
          method: request.method,
          endpoint: op.path,
          path: request.url.split('?')[0]!,
          reason,
          statusCode: 401,
          requestId: request.id,
          customerPresent,
        },
      );
      const message = MESSAGES[reason] ?? 'not allowed';
      throw new ServiceError(401, reason as 'TOKEN_INVALID', message, undefined, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"`,
      });
    };

    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) return refuse('TOKEN_INVALID', null);
    const value = match[1]!;
    const provider = await deps.provider();
    let token: BaseTokenInstance | undefined;
    try {
      token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
    } catch {
      token = undefined; // a malformed value is no token
    }
    if (!token || token.isExpired) return refuse((await wasRevoked(deps.db, value)) ? 'TOKEN_REVOKED' : 'TOKEN_INVALID', null);
    const audience = [token.aud ?? []].flat();
    if (!audience.includes(deps.resource())) return refuse('TOKEN_INVALID', null);

    const app = await findAppByClientId(deps.db, token.clientId);
    if (!app) return refuse('TOKEN_INVALID', null);
    if (app.status !== 'ACTIVE') return refuse('APP_SUSPENDED', app);

    const clientCredentials = token.kind === 'ClientCredentials';
    let consentId: string | null = null;
    if (!clientCredentials) {
      const claimed = token.extra?.consent_id;
      consentId = typeof claimed === 'string' ? claimed : null;
      if (!consentId && token.grantId) {
        const row = await deps.db.kysely.selectFrom('consents').select('id').where('grant_id', '=', token.grantId).executeTakeFirst();
        consentId = row?.id ?? null;
      }
    }
    const scopes = new Set<ObScope | 'openid'>();
    for (const scope of (token.scope ?? '').split(' ')) {
      if (scope === 'openid') scopes.add('openid');
      else if (ObScope.safeParse(scope).success) scopes.add(scope as ObScope);
    }
    const partner: PartnerCaller = {
      appId: app.id,
      clientId: app.client_id,
      tenantId: app.tenant_id,
      tokenId: token.jti,
      grantType: clientCredentials ? 'client_credentials' : 'authorization_code',
      consentId,
      customerRef: clientCredentials ? null : (token.accountId ?? null),
      scopes,
      customerPresent,
    };
    const principal = principalFor(appActor({ id: app.id, name: app.name, tenantId: app.tenant_id }), null);
    await touch(app.id, toIsoOrNull(app.last_used_at));
    return { principal, partner };
  };
}
