import Provider, { errors, type BaseTokenInstance, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import type { Clock } from '../../clock.ts';
import type { CommandBus } from '../../commands/bus.ts';
import { OB_SCOPES } from '../../../../shared/src/open-banking.ts';
import { oidcAdapterFor } from './adapter.ts';
import { findActiveClient, PREVIOUS_SECRETS_PROPERTY } from './clients.ts';
import { loadOrCreateOidcSigningKey, oidcCookieKeys } from './keys.ts';
import { errorPage } from './pages.ts';

/** The one resource server of this authorization server: the partner API (issue 14). */
export const OB_RESOURCE_PATH = '/open-banking/v1';
export const resourceOf = (issuer: string): string => `${issuer.replace(/\/+$/, '')}${OB_RESOURCE_PATH}`;

/** Where oidc-provider's own endpoints live (besides /.well-known/openid-configuration). */
export const OIDC_ROUTES = {
  authorization: '/oauth/auth',
  token: '/oauth/token',
  introspection: '/oauth/token/introspection',
  revocation: '/oauth/token/revocation',
  jwks: '/oauth/jwks',
  userinfo: '/oauth/me',
  end_session: '/oauth/session/end',
  // Features this server does not enable keep paths under /oauth so nothing else is shadowed.
  registration: '/oauth/reg',
  pushed_authorization_request: '/oauth/request',
  code_verification: '/oauth/device',
  device_authorization: '/oauth/device/auth',
  backchannel_authentication: '/oauth/backchannel',
  challenge: '/oauth/challenge',
} as const;

export const interactionPath = (uid: string): string => `/oauth/interaction/${uid}`;

/** Lifetimes in seconds (issue 14: access tokens live 10 minutes; refresh tokens rotate). */
export const OAUTH_TTL = {
  AccessToken: 600,
  ClientCredentials: 600,
  AuthorizationCode: 60,
  IdToken: 600,
  RefreshToken: 90 * 24 * 3600,
  Grant: 90 * 24 * 3600,
  // A customer has an hour to sign in and decide (a consent awaiting longer is refused anyway).
  Interaction: 3600,
  Session: 3600,
} as const;

export interface ProviderDeps {
  db: Db;
  box: SecretBox;
  clock: Clock;
  bus: CommandBus;
  logger: Logger;
}

const openBankingScopes = (client: Client): string[] => {
  const allowed = new Set((client.scope ?? '').split(' '));
  return OB_SCOPES.filter((scope) => allowed.has(scope));
};

/**
 * The OAuth 2.0 / OpenID Connect authorization server, built on oidc-provider (a certified
 * implementation: the protocol is not written here). Opaque access tokens for the one resource
 * server (the partner API), authorization code with PKCE S256 required, client credentials,
 * rotating refresh tokens, revocation, introspection, discovery, ID tokens for the customer.
 */
export async function createOidcProvider(deps: ProviderDeps, issuer: string): Promise<Provider> {
  const resource = resourceOf(issuer);
  const signingKey = await loadOrCreateOidcSigningKey(deps.db, deps.bus, deps.box);
  const provider = new Provider(issuer, {
    adapter: oidcAdapterFor({ db: deps.db, findClient: (clientId) => findActiveClient(deps, clientId) }),
    extraClientMetadata: { properties: [PREVIOUS_SECRETS_PROPERTY] },
    clientDefaults: { token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
    // Only the code flow (no implicit or hybrid responses, OAuth 2.1 / FAPI) and confidential clients
    // authenticating with their secret: discovery advertises nothing the service would refuse.
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    scopes: ['openid', 'offline_access', ...OB_SCOPES],
    claims: { openid: ['sub'] },
    cookies: { keys: oidcCookieKeys(deps.box) },
    jwks: { keys: [signingKey] },
    // The consent the customer is asked to authorise travels with the authorization request (issue 14).
    extraParams: ['consent_id'],
    routes: { ...OIDC_ROUTES },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // An app may introspect only its own tokens.
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: Client, token: BaseTokenInstance) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        // An app may revoke only its own tokens (another's is refused, as oidc-provider's default does).
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: Client, token: BaseTokenInstance) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          return true;
        },
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        // Tokens from a code or refresh token are for the resource the customer granted, without
        // the client having to name it again.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string, client: Client) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`the only resource here is ${resource}`);
          return { scope: openBankingScopes(client).join(' '), audience: resource, accessTokenTTL: OAUTH_TTL.AccessToken, accessTokenFormat: 'opaque' };
        },
      },
    },
    // Issue 14: PKCE is required for every authorization code (oidc-provider only knows S256).
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    // Every authorization request carries a new consent: the customer always sees the consent
    // screen, and only the grant just made on it (never one from an earlier visit) is used.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // A customer-facing app gets a refresh token with every code (the consent, not the
    // offline_access scope, decides how long access lasts); each use rotates it.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    // The consent a token was issued under (consents.grant_id = the token's grant).
    extraTokenClaims: async (_ctx, token) => {
      if (!token.grantId) return undefined;
      const consent = await deps.db.kysely.selectFrom('consents').select('id').where('grant_id', '=', token.grantId).executeTakeFirst();
      return consent ? { consent_id: consent.id } : undefined;
    },
    ttl: { ...OAUTH_TTL },
    // Browsers on other sites never call the token endpoints (apps call them from their servers).
    clientBasedCORS: () => false,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error_description ?? out.error ?? 'The request could not be completed.');
    },
  });
  // Behind a TLS-terminating proxy the issuer is https while the socket is plain http.
  provider.proxy = issuer.startsWith('https://');

  // The previous secret keeps authenticating the app until its grace period after a rotation ends
  // (clients.ts puts it in the client's metadata only while it is still honoured).
  const compare = provider.Client.prototype.compareClientSecret;
  provider.Client.prototype.compareClientSecret = async function compareWithPrevious(this: Client, actual: string) {
    if (await compare.call(this, actual)) return true;
    // Extra metadata keeps its registered (snake_case) name on the client.
    const previous = this[PREVIOUS_SECRETS_PROPERTY];
    if (!Array.isArray(previous) || typeof actual !== 'string') return false;
    return previous.some(
      (secret) => typeof secret === 'string' && secret.length === actual.length && timingSafeEqual(Buffer.from(secret), Buffer.from(actual)),
    );
  };

  provider.on('server_error', (_ctx, error) => deps.logger.error({ err: error }, 'oauth server error'));
  return provider;
}
