// Shared by the OAuth tests (issue 14 slice A): a service with demo customers, an app registered
// through the admin API, a customer's accounts, a consent the app asked for, and a small cookie
// jar to walk the customer's pages over plain HTTP the way a browser would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../../testing/service.ts';
import type { Dialect } from '../../testing/databases.ts';
import { ManualClock } from '../../clock.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { createConsent } from '../../consents/commands.ts';
import type { ObAppWithSecret, ObScope } from '../../../../shared/src/open-banking.ts';
import type { CreatedConsent } from '../../../../shared/src/open-banking-api.ts';
import { DEMO_CUSTOMER_PASSCODE, demoCustomerAuthenticator } from './customer-auth.ts';
import { upsertBankAccounts } from '../api/bank-accounts.ts';
import { appActor } from './partner-auth.ts';

export const NOW = '2026-03-02T07:00:00.000Z';
export const CUSTOMER = 'CUST-7001';

export interface OauthWorld {
  svc: TestService;
  clock: ManualClock;
  managerToken: string;
}

export async function startOauthWorld(dialect: Dialect): Promise<OauthWorld> {
  const clock = new ManualClock(NOW);
  const svc = await startTestService(dialect, { clock, customerAuthenticator: demoCustomerAuthenticator });
  await svc.service.context.riskScheduler?.stop();
  const { tokens } = await addTestTeam(svc, [['faith.wambui', 'RISK_MANAGER']]);
  return { svc, clock, managerToken: tokens['faith.wambui']! };
}

export async function registerApp(
  world: OauthWorld,
  redirectUris: string[],
  scopes: ObScope[] = ['accounts.read', 'balances.read', 'transactions.read'],
): Promise<ObAppWithSecret> {
  const res = await world.svc.request('POST', '/api/v1/open-banking/apps', {
    token: world.managerToken,
    body: { tenantId: TEST_TENANT, name: `Pesa Tracker ${randomUUID().slice(0, 6)}`, kind: 'FINTECH', redirectUris, allowedScopes: scopes },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as ObAppWithSecret;
}

/**
 * Where the partner-API tests over HTTP start: an app allowed every scope, as openid-client sees it
 * (discovery done), and the customer's one current account holding `openingBalance`.
 */
export async function partnerAppWithAccount(
  world: OauthWorld,
  redirectUri: string,
  account: { accountNumber: string; openingBalance: number },
): Promise<{ app: ObAppWithSecret; config: oidc.Configuration; accountId: string }> {
  const app = await registerApp(world, [redirectUri], ['accounts.read', 'balances.read', 'transactions.read', 'payments.write']);
  const ctx = world.svc.service.context;
  await ctx.bus.execute(
    upsertBankAccounts,
    {
      accounts: [
        {
          tenantId: TEST_TENANT,
          customerRef: CUSTOMER,
          accountNumber: account.accountNumber,
          type: 'CURRENT',
          currency: 'KES',
          name: 'Everyday account',
          status: 'ACTIVE',
          openedOn: '2024-01-15',
          openingBalance: account.openingBalance,
          openingBalanceAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    },
    SYSTEM_ACTOR,
  );
  const accountId = (await ctx.db.kysely.selectFrom('bank_accounts').select('id').where('account_number', '=', account.accountNumber).executeTakeFirstOrThrow())
    .id;
  const config = await oidc.discovery(new URL(world.svc.url), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  return { app, config, accountId };
}

/** The customer's core-banking accounts (rows a bank's core system feeds; no command owns them). */
export async function addAccounts(world: OauthWorld, customerRef: string, count = 2): Promise<string[]> {
  const ids: string[] = [];
  const at = world.clock.now().toISOString();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    await world.svc.service.context.db.kysely
      .insertInto('bank_accounts')
      .values({
        id,
        tenant_id: TEST_TENANT,
        customer_ref: customerRef,
        account_number: `0110${Math.floor(Math.random() * 1e9)}`,
        type: i === 0 ? 'CURRENT' : 'SAVINGS',
        currency: 'KES',
        name: i === 0 ? 'Everyday account' : 'Savings account',
        status: 'ACTIVE',
        opened_on: '2024-01-15',
        opening_balance: 50_000,
        opening_balance_at: at,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_at: null,
      })
      .execute();
  }
  return ids;
}

/** The actor an app's token makes (the partner authenticator's own). */
export { appActor };

export async function askConsent(world: OauthWorld, app: ObAppWithSecret, permissions: ObScope[] = ['accounts.read', 'transactions.read']): Promise<string> {
  const view = await world.svc.service.context.bus.execute(
    createConsent,
    { appId: app.id, permissions, expiresAt: '2026-09-01T00:00:00.000Z', frequencyPerDay: 4, recurring: true },
    appActor(app),
  );
  return view.id;
}

/** Just enough of a browser's cookie handling for these pages (names are unique here). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface Step {
  status: number;
  location: string | null;
  text: string;
}

export async function browse(jar: CookieJar, url: string, form?: Record<string, string | string[]>): Promise<Step> {
  const headers: Record<string, string> = { cookie: jar.header() };
  let body: string | undefined;
  if (form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) params.append(k, value);
    body = params.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = new URL(url).origin;
  }
  const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
  jar.store(res.headers);
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location, url).toString() : null, text: await res.text() };
}

export const csrfOf = (html: string): string => {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has a CSRF field');
  return match[1]!;
};

/** The meta refresh target of a "returning to the app" page. */
export const refreshTarget = (html: string, base: string): string => {
  const match = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(html);
  assert.ok(match, `a continue page: ${html.slice(0, 300)}`);
  return new URL(match[1]!.replace(/&amp;/g, '&'), base).toString();
};

/**
 * Walks the customer from the authorization URL through sign-in and the consent screen; answers
 * the app's callback URL (with code or error). `decide` chooses approve/deny and the accounts.
 */
export async function walkConsent(
  authorizationUrl: string,
  decide: { decision: 'approve' | 'deny'; accountIds: string[]; customerRef?: string; passcode?: string },
): Promise<{ callback: string; pages: string[] }> {
  const jar = new CookieJar();
  const pages: string[] = [];
  let step = await browse(jar, authorizationUrl);
  assert.equal(step.status, 303, step.text);
  step = await browse(jar, step.location!);
  assert.equal(step.status, 200, step.text);
  pages.push(step.text);
  const signInAction = /action="([^"]+)"/.exec(step.text)![1]!;
  const base = new URL(authorizationUrl).origin;
  step = await browse(jar, base + signInAction, {
    csrf: csrfOf(step.text),
    identifier: decide.customerRef ?? CUSTOMER,
    secret: decide.passcode ?? DEMO_CUSTOMER_PASSCODE,
  });
  assert.equal(step.status, 303, step.text);
  step = await browse(jar, step.location!); // resume at the authorization endpoint
  assert.equal(step.status, 303, step.text);
  step = await browse(jar, step.location!); // the consent screen
  assert.equal(step.status, 200, step.text);
  pages.push(step.text);
  const confirmAction = /action="([^"]+\/confirm)"/.exec(step.text)![1]!;
  step = await browse(jar, base + confirmAction, { csrf: csrfOf(step.text), decision: decide.decision, accountIds: decide.accountIds });
  assert.equal(step.status, 200, step.text);
  pages.push(step.text);
  step = await browse(jar, refreshTarget(step.text, base));
  assert.equal(step.status, 303, step.text);
  return { callback: step.location!, pages };
}

/**
 * The app's side of authorization code + PKCE for a consent it created: it sends the customer where
 * the consent's hint says (with its own state and challenge), the customer walks the pages, and the
 * app redeems the code at its callback.
 */
export async function authoriseThroughHint(
  config: oidc.Configuration,
  authorization: CreatedConsent['authorization'],
  redirectUri: string,
  decide: Parameters<typeof walkConsent>[1],
): Promise<oidc.TokenEndpointResponse> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const { response_type: _type, client_id: _client, ...parameters } = authorization.parameters;
  const url = oidc.buildAuthorizationUrl(config, {
    ...parameters,
    redirect_uri: redirectUri,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
  });
  const { callback } = await walkConsent(url.toString(), decide);
  return oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
}
