import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as oidc from 'openid-client';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import type { ObAppWithSecret } from '../../../../shared/src/open-banking.ts';
import { DEMO_CUSTOMER_PASSCODE } from './customer-auth.ts';
import { addAccounts, askConsent, browse, CookieJar, csrfOf, CUSTOMER, registerApp, startOauthWorld, walkConsent, type OauthWorld } from './oauth-fixture.ts';

after(stopTestPostgres);

const MINUTE = 60_000;

/** fetch cannot send another Host header: a raw request can (DNS rebinding is what the check stops). */
function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within 10 s`)));
    req.end(body);
  });
}

for (const dialect of DIALECTS) {
  describe(`customer pages and client secrets on ${dialect}`, { timeout: 300_000 }, () => {
    let world: OauthWorld;
    let app: ObAppWithSecret;
    let accounts: string[];
    const redirectUri = 'http://127.0.0.1:9/cb';
    const configFor = (clientId: string, secret: string) =>
      oidc.discovery(new URL(world.svc.url), clientId, undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });

    before(async () => {
      world = await startOauthWorld(dialect);
      app = await registerApp(world, [redirectUri]);
      accounts = await addAccounts(world, CUSTOMER, 2);
    });
    after(async () => world?.svc.stop());

    async function authorise(config: oidc.Configuration) {
      const consentId = await askConsent(world, app);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid accounts.read transactions.read',
        state,
        consent_id: consentId,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const walked = await walkConsent(url.toString(), { decision: 'approve', accountIds: [accounts[0]!] });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(walked.callback), { pkceCodeVerifier: verifier, expectedState: state });
      return { consentId, tokens, pages: walked.pages };
    }

    it('shows the consent screen: the app, what it may see, the customer’s accounts, until when', async () => {
      const { pages } = await authorise(await configFor(app.clientId, app.clientSecret));
      const [signIn, screen] = pages;
      assert.match(signIn!, /<label for="identifier">Customer number<\/label>/);
      assert.match(signIn!, new RegExp(`${app.name} asks for access`));
      assert.match(screen!, new RegExp(`<h1>${app.name} asks for access to your accounts</h1>`));
      assert.match(screen!, /See your accounts \(name, number, type\)/);
      assert.match(screen!, /See your transactions/);
      assert.doesNotMatch(screen!, /Make payments/, 'only what the consent asks for');
      assert.match(screen!, /1 September 2026/, 'until when');
      assert.match(screen!, /Everyday account/);
      assert.match(screen!, /Savings account/);
      assert.doesNotMatch(screen!, /<script/i, 'no script at all');
    });

    it('refuses a sign-in or consent form that lacks the page’s CSRF token, and a wrong passcode', async () => {
      const config = await configFor(app.clientId, app.clientSecret);
      const consentId = await askConsent(world, app);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid accounts.read',
        consent_id: consentId,
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      });
      const jar = new CookieJar();
      const start = await browse(jar, url.toString());
      const page = await browse(jar, start.location!);
      const action = world.svc.url + /action="([^"]+)"/.exec(page.text)![1]!;
      const forged = await browse(jar, action, { csrf: 'forged', identifier: CUSTOMER, secret: DEMO_CUSTOMER_PASSCODE });
      assert.equal(forged.status, 403);
      const wrong = await browse(jar, action, { csrf: csrfOf(page.text), identifier: CUSTOMER, secret: '000000' });
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /do not match our records/);
      // Another site's form is refused before any page code runs (Origin check, ARCHITECTURE.md rule 6).
      const crossSite = await fetch(action, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
        body: new URLSearchParams({ csrf: csrfOf(page.text), identifier: CUSTOMER, secret: DEMO_CUSTOMER_PASSCODE }).toString(),
      });
      assert.equal(crossSite.status, 403);
      const consent = await world.svc.service.context.db.kysely.selectFrom('consents').select('status').where('id', '=', consentId).executeTakeFirstOrThrow();
      assert.equal(consent.status, 'AwaitingAuthorisation');
    });

    it('keeps the Host check on the OAuth endpoints', async () => {
      const discovery = await rawRequest(world.svc.url, 'GET', '/.well-known/openid-configuration', { host: 'attacker.example' });
      assert.equal(discovery.status, 421);
      const token = await rawRequest(
        world.svc.url,
        'POST',
        '/oauth/token',
        { host: 'attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
        'grant_type=client_credentials',
      );
      assert.equal(token.status, 421);
      const ours = await rawRequest(world.svc.url, 'GET', '/.well-known/openid-configuration', { host: new URL(world.svc.url).host });
      assert.equal(ours.status, 200);
    });

    it('lets the customer list their consents and withdraw one; the app’s next call is refused', async () => {
      const { consentId, tokens } = await authorise(await configFor(app.clientId, app.clientSecret));
      const ok = await world.svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));

      const jar = new CookieJar();
      const signIn = await browse(jar, `${world.svc.url}/customer/consents`);
      assert.equal(signIn.status, 200);
      assert.match(signIn.text, /action="\/customer\/sign-in"/);
      const signedIn = await browse(jar, `${world.svc.url}/customer/sign-in`, {
        csrf: csrfOf(signIn.text),
        identifier: CUSTOMER,
        secret: DEMO_CUSTOMER_PASSCODE,
      });
      assert.equal(signedIn.status, 303);
      const list = await browse(jar, `${world.svc.url}/customer/consents`);
      assert.equal(list.status, 200);
      assert.match(list.text, new RegExp(app.name));
      assert.match(list.text, new RegExp(`action="/customer/consents/${consentId}/revoke"`));

      const forged = await browse(jar, `${world.svc.url}/customer/consents/${consentId}/revoke`, { csrf: 'forged' });
      assert.equal(forged.status, 403);
      const revoked = await browse(jar, `${world.svc.url}/customer/consents/${consentId}/revoke`, { csrf: csrfOf(list.text) });
      assert.equal(revoked.status, 303, revoked.text);
      const row = await world.svc.service.context.db.kysely
        .selectFrom('consents')
        .select(['status', 'status_reason', 'status_changed_by'])
        .where('id', '=', consentId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'Revoked', status_reason: 'REVOKED_BY_CUSTOMER', status_changed_by: `customer:${CUSTOMER}` });
      const after = await browse(jar, `${world.svc.url}/customer/consents?done=1`);
      assert.match(after.text, /Consent withdrawn/);

      const refused = await world.svc.request('GET', '/open-banking/v1/accounts', { token: tokens.access_token });
      // The access token was issued before: the consent check refuses it, saying why; the refresh token is gone.
      const refusal = `${refused.status} ${(refused.body as { error: { code: string } }).error.code}`;
      assert.equal(refusal, '403 CONSENT_NOT_AUTHORISED');
      await assert.rejects(oidc.refreshTokenGrant(await configFor(app.clientId, app.clientSecret), tokens.refresh_token!));
    });

    it('does not let one customer withdraw another’s consent', async () => {
      const { consentId } = await authorise(await configFor(app.clientId, app.clientSecret));
      await addAccounts(world, 'CUST-7002', 1);
      const jar = new CookieJar();
      const signIn = await browse(jar, `${world.svc.url}/customer/consents`);
      await browse(jar, `${world.svc.url}/customer/sign-in`, { csrf: csrfOf(signIn.text), identifier: 'CUST-7002', secret: DEMO_CUSTOMER_PASSCODE });
      const list = await browse(jar, `${world.svc.url}/customer/consents`);
      assert.doesNotMatch(list.text, new RegExp(consentId));
      const attempt = await browse(jar, `${world.svc.url}/customer/consents/${consentId}/revoke`, { csrf: csrfOf(list.text) });
      assert.equal(attempt.status, 404);
      const row = await world.svc.service.context.db.kysely.selectFrom('consents').select('status').where('id', '=', consentId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'Authorised');
    });

    it('locks a customer number out after repeated wrong passcodes (the sign-in throttle)', async () => {
      await addAccounts(world, 'CUST-7003', 1);
      const jar = new CookieJar();
      const attempt = async (secret: string) => {
        const page = await browse(jar, `${world.svc.url}/customer/consents`);
        return browse(jar, `${world.svc.url}/customer/sign-in`, { csrf: csrfOf(page.text), identifier: 'CUST-7003', secret });
      };
      for (let i = 0; i < 5; i++) assert.equal((await attempt('999999')).status, 401);
      const locked = await attempt(DEMO_CUSTOMER_PASSCODE);
      assert.equal(locked.status, 429, 'even the right passcode waits');
      assert.match(locked.text, /Too many attempts/);
      world.clock.advance(2 * MINUTE);
      assert.equal((await attempt(DEMO_CUSTOMER_PASSCODE)).status, 303, 'signed in once the lock ends');
    });

    it('honours the previous secret during a rotation’s grace period, and not after', async () => {
      const other = await registerApp(world, []);
      const rotated = await world.svc.request('POST', `/api/v1/open-banking/apps/${other.id}/rotate`, {
        token: world.managerToken,
        body: { graceMinutes: 30 },
      });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const fresh = (rotated.body as ObAppWithSecret).clientSecret;
      assert.notEqual(fresh, other.clientSecret);
      assert.ok((await oidc.clientCredentialsGrant(await configFor(other.clientId, fresh))).access_token);
      assert.ok((await oidc.clientCredentialsGrant(await configFor(other.clientId, other.clientSecret))).access_token, 'old secret in grace');
      world.clock.advance(31 * MINUTE);
      await assert.rejects(oidc.clientCredentialsGrant(await configFor(other.clientId, other.clientSecret)), 'old secret after grace');
      assert.ok((await oidc.clientCredentialsGrant(await configFor(other.clientId, fresh))).access_token);
      // An app without redirect URIs is a client-credentials client only.
      const config = await configFor(other.clientId, fresh);
      const res = await fetch(
        oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }),
        { redirect: 'manual' },
      );
      assert.ok(res.status >= 400, `authorization refused: ${res.status}`);
    });
  });
}
