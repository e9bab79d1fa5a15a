// The customer's consent screen walked in a real browser (issue 14 Proof): Chromium follows the
// app's authorization URL, the customer signs in, picks an account and allows; the browser lands
// on the app's redirect URI (a small server this test runs), and the app exchanges the code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { stopTestPostgres } from '../../testing/databases.ts';
import type { ObAppWithSecret } from '../../../../shared/src/open-banking.ts';
import { DEMO_CUSTOMER_PASSCODE } from './customer-auth.ts';
import { addAccounts, askConsent, CUSTOMER, registerApp, startOauthWorld, type OauthWorld } from './oauth-fixture.ts';

after(stopTestPostgres);

function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(candidate)) throw new Error(`Chromium not found at ${candidate}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return candidate;
}

/** The partner app's redirect URI: records each callback's query and answers a plain page. */
async function startCallbackServer(): Promise<{ url: string; callbacks: URL[]; close(): Promise<void> }> {
  const callbacks: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    callbacks.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Pesa Tracker</title><h1>Connected</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    callbacks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the consent screen in Chromium', { timeout: 240_000 }, () => {
  let world: OauthWorld;
  let app: ObAppWithSecret;
  let accounts: string[];
  let browser: Browser;
  let partner: Awaited<ReturnType<typeof startCallbackServer>>;

  before(async () => {
    world = await startOauthWorld('sqlite');
    partner = await startCallbackServer();
    app = await registerApp(world, [partner.url]);
    accounts = await addAccounts(world, CUSTOMER, 2);
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await partner?.close();
    await world?.svc.stop();
  });

  it('signs the customer in, shows what the app asks for, and returns the code to the app', async () => {
    const config = await oidc.discovery(new URL(world.svc.url), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    const consentId = await askConsent(world, app, ['accounts.read', 'transactions.read']);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: partner.url,
      scope: 'openid accounts.read transactions.read',
      state,
      consent_id: consentId,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      // Status codes show up as "Failed to load resource" (the wrong passcode's 401, a favicon's
      // 404); anything else — a CSP refusal above all — is a fault of the pages.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) violations.push(message.text());
    });
    try {
      await page.goto(authorizationUrl.toString());
      await page.getByRole('heading', { name: 'Sign in to Wekeza Bank' }).waitFor();
      // A wrong passcode first: the page says so and keeps the customer number.
      await page.getByLabel('Customer number').fill(CUSTOMER);
      await page.getByLabel('Passcode').fill('000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      // biome-ignore lint/performance/useDomNodeTextContent: the test reads what the customer sees
      assert.match(await page.getByRole('alert').innerText(), /do not match/);
      await page.getByLabel('Passcode').fill(DEMO_CUSTOMER_PASSCODE);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: `${app.name} asks for access to your accounts` }).waitFor();
      // biome-ignore lint/performance/useDomNodeTextContent: the test reads what the customer sees
      const text = await page.locator('main').innerText();
      assert.match(text, /See your accounts \(name, number, type\)/);
      assert.match(text, /See your transactions/);
      assert.match(text, /1 September 2026/);
      assert.match(text, /4 times a day at most/);
      // Both accounts are offered; the customer shares only the everyday account.
      const everyday = page.getByRole('checkbox', { name: /Everyday account/ });
      const savings = page.getByRole('checkbox', { name: /Savings account/ });
      assert.equal(await everyday.isChecked(), true);
      await savings.uncheck();
      // What the customer sees, on the phone and on the two desktop sizes (opened by hand).
      fs.mkdirSync('test-results/screenshots', { recursive: true });
      await page.screenshot({ path: 'test-results/screenshots/ob-consent-screen-phone.png', fullPage: true });
      for (const size of [
        { width: 1366, height: 768 },
        { width: 1920, height: 1080 },
      ]) {
        await page.setViewportSize(size);
        await page.screenshot({ path: `test-results/screenshots/ob-consent-screen-${size.width}x${size.height}.png` });
      }
      await page.getByRole('button', { name: 'Allow', exact: true }).click();

      await page.waitForURL((url) => url.toString().startsWith(partner.url), { timeout: 30_000 });
      await page.getByRole('heading', { name: 'Connected' }).waitFor();
    } finally {
      await context.close();
    }
    assert.deepEqual(violations, [], 'no CSP refusal or other console error');

    const callback = partner.callbacks.filter((url) => url.pathname === '/callback').at(-1)!;
    assert.equal(callback.searchParams.get('state'), state);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    assert.ok(tokens.access_token);
    const consent = await world.svc.service.context.db.kysely
      .selectFrom('consents')
      .select(['status', 'account_ids'])
      .where('id', '=', consentId)
      .executeTakeFirstOrThrow();
    assert.equal(consent.status, 'Authorised');
    assert.deepEqual(typeof consent.account_ids === 'string' ? JSON.parse(consent.account_ids) : consent.account_ids, [accounts[0]]);
  });
});
