// A partner app played for real (issue 14 screens): it gets a client-credentials token from the
// service's authorization server (openid-client), asks for a consent, sends the customer through
// the service's own consent pages in Chromium (sign in with the demo passcode, tick an account,
// Allow), exchanges the code with PKCE, and calls the partner API. A small HTTP server is the
// app's redirect URI.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import type { CreatedConsent } from '../../shared/src/open-banking-api.ts';
import type { ObScope } from '../../shared/src/open-banking.ts';

/** The demo customers' passcode (service/src/open-banking/oauth/customer-auth.ts). */
export const DEMO_CUSTOMER_PASSCODE = '246810';

export interface RedirectReceiver {
  url: string;
  close: () => Promise<void>;
}

/** The app's redirect URI: answers 200 to whatever the browser brings back. */
export async function startRedirectReceiver(): Promise<RedirectReceiver> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('back at the app');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export class PartnerApp {
  private constructor(
    readonly baseUrl: string,
    readonly config: oidc.Configuration,
  ) {}

  static async connect(baseUrl: string, clientId: string, clientSecret: string): Promise<PartnerApp> {
    const config = await oidc.discovery(new URL(baseUrl), clientId, undefined, oidc.ClientSecretBasic(clientSecret), { execute: [oidc.allowInsecureRequests] });
    return new PartnerApp(baseUrl, config);
  }

  async clientToken(): Promise<string> {
    return (await oidc.clientCredentialsGrant(this.config)).access_token;
  }

  async call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  async askConsent(permissions: ObScope[], options: { expiresAt?: string; frequencyPerDay?: number } = {}): Promise<CreatedConsent> {
    const res = await this.call('POST', '/open-banking/v1/consents', await this.clientToken(), { permissions, recurring: true, ...options });
    if (res.status !== 201 && res.status !== 200) throw new Error(`consent not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as CreatedConsent;
  }

  /** The customer authorises the consent in the browser; answers the consent's access token. */
  async authorise(
    browser: Browser,
    created: CreatedConsent,
    redirectUri: string,
    customerRef: string,
    options: { allAccounts?: boolean } = {},
  ): Promise<string> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const { parameters } = created.authorization;
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: redirectUri,
      scope: parameters.scope,
      consent_id: parameters.consent_id,
      resource: parameters.resource,
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-KE', timezoneId: 'Africa/Nairobi' });
    try {
      const page = await context.newPage();
      await page.goto(url.toString());
      await page.locator('#identifier').fill(customerRef);
      await page.locator('#secret').fill(DEMO_CUSTOMER_PASSCODE);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page
        .locator('input[name="accountIds"]')
        .first()
        .check()
        .catch(async (error: unknown) => {
          throw new Error(`no consent screen: ${page.url()} ${(await page.locator('body').innerText()).slice(0, 600)}`, { cause: error });
        });
      if (options.allAccounts) for (const box of await page.locator('input[name="accountIds"]').all()) await box.check();
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      await page.waitForURL((u) => u.toString().startsWith(redirectUri), { timeout: 30_000 });
      const tokens = await oidc.authorizationCodeGrant(this.config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      return tokens.access_token;
    } finally {
      await context.close();
    }
  }
}
