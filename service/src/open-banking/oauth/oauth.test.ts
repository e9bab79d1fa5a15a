import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { fromJson } from '../../db/database.ts';
import type { ObAppWithSecret } from '../../../../shared/src/open-banking.ts';
import { addAccounts, askConsent, CUSTOMER, registerApp, startOauthWorld, walkConsent, type OauthWorld } from './oauth-fixture.ts';

after(stopTestPostgres);

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;
/** A refused client authentication: with Basic credentials the answer is a 401 challenge (RFC 6749 §5.2). */
const invalidClient = (error: unknown) =>
  (error instanceof oidc.ResponseBodyError && error.error === 'invalid_client') ||
  (error instanceof oidc.WWWAuthenticateChallengeError && error.status === 401 && error.cause.some((c) => c.parameters.error === 'invalid_client'));

for (const dialect of DIALECTS) {
  describe(`OAuth authorization server on ${dialect}`, { timeout: 300_000 }, () => {
    let world: OauthWorld;
    let app: ObAppWithSecret;
    let accounts: string[];
    let config: oidc.Configuration;
    let redirectUri: string;

    before(async () => {
      world = await startOauthWorld(dialect);
      redirectUri = 'http://127.0.0.1:9/callback';
      app = await registerApp(world, [redirectUri]);
      accounts = await addAccounts(world, CUSTOMER, 2);
      config = await oidc.discovery(new URL(world.svc.url), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret), {
        execute: [oidc.allowInsecureRequests],
      });
    });
    after(async () => world?.svc.stop());

    async function authorizationUrl(consentId: string, pkce: Record<string, string> | null, state = oidc.randomState()) {
      const verifier = oidc.randomPKCECodeVerifier();
      const params: Record<string, string> = { redirect_uri: redirectUri, scope: 'openid accounts.read transactions.read', state, consent_id: consentId };
      if (pkce === null) Object.assign(params, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      else Object.assign(params, pkce);
      return { url: oidc.buildAuthorizationUrl(config, params).toString(), verifier, state };
    }

    async function consentTokens(accountIds = [accounts[0]!]) {
      const consentId = await askConsent(world, app);
      const { url, verifier, state } = await authorizationUrl(consentId, null);
      const { callback } = await walkConsent(url, { decision: 'approve', accountIds });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
      return { consentId, tokens };
    }

    it('publishes discovery with the endpoints, PKCE S256 and the grants', async () => {
      const meta = config.serverMetadata();
      assert.equal(meta.issuer, world.svc.url);
      assert.equal(meta.authorization_endpoint, `${world.svc.url}/oauth/auth`);
      assert.equal(meta.token_endpoint, `${world.svc.url}/oauth/token`);
      assert.equal(meta.introspection_endpoint, `${world.svc.url}/oauth/token/introspection`);
      assert.equal(meta.revocation_endpoint, `${world.svc.url}/oauth/token/revocation`);
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      assert.deepEqual([...(meta.grant_types_supported ?? [])].sort(), ['authorization_code', 'client_credentials', 'refresh_token']);
      assert.deepEqual(meta.response_types_supported, ['code'], 'no implicit or hybrid flows');
      assert.deepEqual([...(meta.token_endpoint_auth_methods_supported ?? [])].sort(), ['client_secret_basic', 'client_secret_post'], 'no public clients');
      for (const scope of ['accounts.read', 'balances.read', 'transactions.read', 'payments.write']) assert.ok(meta.scopes_supported?.includes(scope), scope);
    });

    it('runs authorization code + PKCE S256: the consent is authorised, bound to the grant, and the token carries it', async () => {
      const { consentId, tokens } = await consentTokens();
      assert.ok(tokens.access_token);
      assert.ok(tokens.refresh_token, 'a refresh token is issued');
      assert.equal(tokens.expires_in, 600);
      assert.equal(tokens.claims()?.sub, CUSTOMER, 'the ID token names the customer');
      const consent = await world.svc.service.context.db.kysely.selectFrom('consents').selectAll().where('id', '=', consentId).executeTakeFirstOrThrow();
      assert.equal(consent.status, 'Authorised');
      assert.equal(consent.customer_ref, CUSTOMER);
      assert.deepEqual(fromJson<string[]>(consent.account_ids), [accounts[0]]);
      assert.ok(consent.grant_id);
      const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.client_id, app.clientId);
      assert.equal(introspected.sub, CUSTOMER);
      assert.equal(introspected.consent_id, consentId);
      assert.deepEqual(String(introspected.scope).split(' ').sort(), ['accounts.read', 'transactions.read']);
      assert.equal(introspected.aud, `${world.svc.url}/open-banking/v1`);
    });

    it('refuses an authorization request without PKCE, and with the plain method', async () => {
      const consentId = await askConsent(world, app);
      const withoutPkce: Record<string, string>[] = [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }];
      for (const pkce of withoutPkce) {
        const { url } = await authorizationUrl(consentId, pkce);
        const res = await fetch(url, { redirect: 'manual' });
        assert.equal(res.status, 303);
        const location = new URL(res.headers.get('location')!);
        assert.equal(`${location.origin}${location.pathname}`, redirectUri, 'the error goes back to the app');
        assert.equal(location.searchParams.get('error'), 'invalid_request', JSON.stringify(Object.fromEntries(location.searchParams)));
      }
    });

    it('refuses the code without the right verifier', async () => {
      const consentId = await askConsent(world, app);
      const { url, state } = await authorizationUrl(consentId, null);
      const { callback } = await walkConsent(url, { decision: 'approve', accountIds: [accounts[1]!] });
      await assert.rejects(
        oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state }),
        (error: unknown) => error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant',
      );
    });

    it('rotates refresh tokens: the new one works, the used one is refused', async () => {
      const { tokens } = await consentTokens();
      const first = tokens.refresh_token!;
      const refreshed = await oidc.refreshTokenGrant(config, first);
      assert.ok(refreshed.access_token);
      assert.ok(refreshed.refresh_token);
      assert.notEqual(refreshed.refresh_token, first);
      await assert.rejects(
        oidc.refreshTokenGrant(config, first),
        (error: unknown) => error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant',
      );
    });

    it('revokes an access token: introspection says inactive, and a partner call is refused TOKEN_REVOKED', async () => {
      const { tokens } = await consentTokens();
      const before = await world.svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      assert.notEqual(before.status, 401, JSON.stringify(before.body));
      await oidc.tokenRevocation(config, tokens.access_token);
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
      const res = await world.svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      assert.equal(res.status, 401);
      assert.equal(errorCode(res.body), 'TOKEN_REVOKED');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      const refusal = await world.svc.service.context.db.kysely
        .selectFrom('consent_access_log')
        .selectAll()
        .where('reason', '=', 'TOKEN_REVOKED')
        .where('endpoint', '=', '/open-banking/v1/accounts')
        .executeTakeFirst();
      assert.ok(refusal, 'the refusal is in the access log');
      assert.equal(refusal.decision, 'DENY');
      assert.equal(refusal.status_code, 401);
    });

    it('issues client-credentials tokens for the app itself, without a consent', async () => {
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' });
      assert.ok(tokens.access_token);
      assert.equal(tokens.expires_in, 600);
      const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.consent_id, undefined);
      // The app's own call (reading its consent) goes through the partner authenticator.
      const consentId = await askConsent(world, app);
      const res = await world.svc.request('GET', `/open-banking/v1/consents/${consentId}`, { token: tokens.access_token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const row = await world.svc.service.context.db.kysely.selectFrom('ob_apps').select('last_used_at').where('id', '=', app.id).executeTakeFirstOrThrow();
      assert.equal(row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(), world.clock.now().toISOString(), 'usage is tracked');
    });

    it('refuses a wrong client secret, an unknown token, and every token of a suspended app', async () => {
      const wrong = await oidc.discovery(new URL(world.svc.url), app.clientId, undefined, oidc.ClientSecretBasic('not-the-secret'), {
        execute: [oidc.allowInsecureRequests],
      });
      await assert.rejects(oidc.clientCredentialsGrant(wrong), invalidClient);
      const unknown = await world.svc.request('GET', '/open-banking/v1/accounts', { token: 'no-such-token-0123456789' });
      assert.equal(unknown.status, 401);
      assert.equal(errorCode(unknown.body), 'TOKEN_INVALID');
      const missing = await world.svc.request('GET', '/open-banking/v1/accounts');
      assert.equal(errorCode(missing.body), 'TOKEN_INVALID');

      const other = await registerApp(world, [redirectUri]);
      const otherConfig = await oidc.discovery(new URL(world.svc.url), other.clientId, undefined, oidc.ClientSecretBasic(other.clientSecret), {
        execute: [oidc.allowInsecureRequests],
      });
      const tokens = await oidc.clientCredentialsGrant(otherConfig);
      const suspended = await world.svc.request('POST', `/api/v1/open-banking/apps/${other.id}/suspend`, {
        token: world.managerToken,
        body: { reason: 'suspicious traffic' },
      });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      const res = await world.svc.request('GET', `/open-banking/v1/consents/${await askConsent(world, app)}`, { token: tokens.access_token });
      assert.equal(res.status, 401);
      assert.equal(errorCode(res.body), 'APP_SUSPENDED');
      const logged = await world.svc.service.context.db.kysely
        .selectFrom('consent_access_log')
        .select(['app_id', 'tenant_id', 'decision', 'status_code'])
        .where('reason', '=', 'APP_SUSPENDED')
        .executeTakeFirstOrThrow();
      assert.deepEqual(logged, { app_id: other.id, tenant_id: other.tenantId, decision: 'DENY', status_code: 401 });
      // A suspended app is no client: it gets no new tokens either.
      await assert.rejects(oidc.clientCredentialsGrant(otherConfig), invalidClient);
    });

    it('lets an app introspect and revoke only its own tokens', async () => {
      const { tokens } = await consentTokens();
      const other = await registerApp(world, [redirectUri]);
      const otherConfig = await oidc.discovery(new URL(world.svc.url), other.clientId, undefined, oidc.ClientSecretBasic(other.clientSecret), {
        execute: [oidc.allowInsecureRequests],
      });
      assert.equal((await oidc.tokenIntrospection(otherConfig, tokens.access_token)).active, false);
      await assert.rejects(oidc.tokenRevocation(otherConfig, tokens.access_token));
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true, 'still valid');
    });

    it('refuses a consent left waiting more than an hour (AUTHORISATION_TIMEOUT), telling the app', async () => {
      const consentId = await askConsent(world, app);
      world.clock.advance(61 * 60_000);
      const { url, state } = await authorizationUrl(consentId, null);
      const first = await fetch(url, { redirect: 'manual' });
      // The interaction's cookies, sent back as a browser would.
      const cookie = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const page = await fetch(new URL(first.headers.get('location')!, world.svc.url), {
        headers: { cookie },
        redirect: 'manual',
      });
      assert.equal(page.status, 200);
      const resume = /url=([^"]+)"/.exec(await page.text())![1]!.replace(/&amp;/g, '&');
      const back = await fetch(new URL(resume, world.svc.url), {
        headers: { cookie },
        redirect: 'manual',
      });
      const callback = new URL(back.headers.get('location')!);
      assert.equal(callback.searchParams.get('error'), 'access_denied');
      assert.equal(callback.searchParams.get('state'), state);
      const consent = await world.svc.service.context.db.kysely
        .selectFrom('consents')
        .select(['status', 'status_reason'])
        .where('id', '=', consentId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(consent, { status: 'Rejected', status_reason: 'AUTHORISATION_TIMEOUT' });
    });

    it('answers the app access_denied when the customer declines, and the consent is Rejected', async () => {
      const consentId = await askConsent(world, app);
      const { url, state } = await authorizationUrl(consentId, null);
      const { callback } = await walkConsent(url, { decision: 'deny', accountIds: [] });
      const params = new URL(callback).searchParams;
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), state);
      const consent = await world.svc.service.context.db.kysely
        .selectFrom('consents')
        .select(['status', 'status_reason'])
        .where('id', '=', consentId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(consent, { status: 'Rejected', status_reason: 'CUSTOMER_REJECTED' });
    });
  });
}
