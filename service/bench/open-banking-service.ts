/**
 * The service side of `npm run bench:open-banking` (run in its own process by open-banking.bench.ts,
 * so that the load generator does not share its event loop): a standalone (SQLite) or hub
 * (PostgreSQL) service with the demo customer sign-in, core banking accounts and a payment history
 * scored by the real pipeline, one app, and consents obtained the way an app obtains them
 * (openid-client: authorization code + PKCE through the customer's pages). Prints one JSON line
 * with the URL and the access tokens, then serves until SIGTERM.
 */
import pino from 'pino';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { startService } from '../src/app.ts';
import { SYSTEM_ACTOR, type Actor } from '../src/commands/bus.ts';
import { createTestDatabase, stopTestPostgres, type Dialect } from '../src/testing/databases.ts';
import { demoCustomerAuthenticator } from '../src/open-banking/oauth/customer-auth.ts';
import { authoriseThroughHint } from '../src/open-banking/oauth/oauth-fixture.ts';
import { upsertBankAccounts, type BankAccountInput } from '../src/open-banking/api/bank-accounts.ts';
import { mulberry32 } from '../src/util/prng.ts';
import type { PaymentInput } from '../../shared/src/payments.ts';
import type { CreatedConsent } from '../../shared/src/open-banking-api.ts';
import type { ObAppWithSecret } from '../../shared/src/open-banking.ts';

const dialect = (process.argv[2] ?? 'sqlite') as Dialect;
const CUSTOMERS = Number(process.env.BENCH_CONSENTS ?? 20);
const HISTORY_PER_ACCOUNT = 150;
const NOISE_CUSTOMERS = 400;
const TENANT = 'WEKEZA-KE';
const ADMIN_PASSWORD = 'Bench-Admin-Password-2026';
const random = mulberry32(14_2026);

const database = await createTestDatabase(dialect);
const service = await startService({
  mode: dialect === 'sqlite' ? 'standalone' : 'hub',
  host: '127.0.0.1',
  port: 0,
  dataDir: database.dataDir,
  database: database.target,
  rendererDir: null,
  logger: pino({ level: 'warn' }, pino.destination(2)),
  env: { WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD },
  customerAuthenticator: demoCustomerAuthenticator,
});
const ctx = service.context;

async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// Core banking: the bench customers' accounts and a crowd of other customers (their payments fill the indexes).
const accounts: BankAccountInput[] = [];
const customerRef = (i: number) => `CIF-BENCH-${String(i).padStart(5, '0')}`;
const numberOf = (i: number, k: number) => `01199${String(i).padStart(6, '0')}${k}`;
for (let i = 0; i < CUSTOMERS + NOISE_CUSTOMERS; i++) {
  for (const [k, type] of (['CURRENT', 'SAVINGS'] as const).entries()) {
    accounts.push({
      tenantId: TENANT,
      customerRef: customerRef(i),
      accountNumber: numberOf(i, k),
      type,
      currency: 'KES',
      name: `Bench ${type.toLowerCase()} ${i}`,
      status: 'ACTIVE',
      openedOn: '2023-05-01',
      openingBalance: 250_000,
      openingBalanceAt: '2026-01-01T00:00:00.000Z',
    });
  }
}
for (let i = 0; i < accounts.length; i += 500) await ctx.bus.execute(upsertBankAccounts, { accounts: accounts.slice(i, i + 500) }, SYSTEM_ACTOR);

// History: payments out of and into every account over 60 days, scored and stored by the pipeline.
const engine: Actor = { kind: 'client', id: 'bench-engine', name: 'Bench payment engine', role: 'PAYMENT_ENGINE', tenants: [TENANT] };
const now = ctx.clock.now().getTime();
const history: PaymentInput[] = [];
for (let i = 0; i < CUSTOMERS + NOISE_CUSTOMERS; i++) {
  for (let n = 0; n < HISTORY_PER_ACCOUNT; n++) {
    const incoming = random() < 0.3;
    const own = numberOf(i, random() < 0.7 ? 0 : 1);
    history.push({
      transactionReference: `BENCH-${i}-${n}`,
      tenantId: TENANT,
      paymentType: 'INSTANT_TRANSFER',
      localInstrumentationCode: 'PESALINK',
      clearingSystemCode: 'IPSL',
      paymentSource: incoming ? 'CLEARING_SYSTEM' : 'BANK_CLIENT',
      amount: Math.round(100 + random() * 20_000),
      currency: 'KES',
      timestamp: new Date(now - Math.floor(random() * 60 * 86_400_000)).toISOString(),
      channel: 'MOBILE',
      country: 'KE',
      customerId: customerRef(i),
      debtorAccount: incoming ? `EXT-${Math.floor(random() * 1e9)}` : own,
      creditorAccount: incoming ? own : `MW-2547${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      description: incoming ? 'Salary' : 'Shopping',
    });
  }
}
history.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
for (let i = 0; i < history.length; i += 400) await Promise.all(history.slice(i, i + 400).map((p) => ctx.decisionEngine.pipeline.assess(p, engine)));
// A live database has planner statistics (autovacuum); right after a bulk load PostgreSQL has none yet.
if (dialect === 'postgres') await sql`analyze`.execute(ctx.db.kysely);

// One app, and a consent per bench customer through the real OAuth flow.
const adminToken = (
  await (
    await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
  ).json()
).token as string;
const redirectUri = 'http://127.0.0.1:9/callback';
const app = await api<ObAppWithSecret>('POST', '/api/v1/open-banking/apps', adminToken, {
  tenantId: TENANT,
  name: 'Bench budgeting app',
  kind: 'FINTECH',
  redirectUris: [redirectUri],
  allowedScopes: ['accounts.read', 'balances.read', 'transactions.read'],
});
const config = await oidc.discovery(new URL(service.url), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret), {
  execute: [oidc.allowInsecureRequests],
});
const appToken = (await oidc.clientCredentialsGrant(config, { scope: 'accounts.read' })).access_token;
const ids = new Map((await ctx.db.kysely.selectFrom('bank_accounts').select(['id', 'account_number']).execute()).map((r) => [r.account_number, r.id]));
const consents: Array<{ token: string; accountIds: string[] }> = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const { authorization } = await api<CreatedConsent>('POST', '/open-banking/v1/consents', appToken, {
    permissions: ['accounts.read', 'balances.read', 'transactions.read'],
    frequencyPerDay: 1000,
    recurring: true,
  });
  const accountIds = [ids.get(numberOf(i, 0))!, ids.get(numberOf(i, 1))!];
  const tokens = await authoriseThroughHint(config, authorization, redirectUri, { decision: 'approve', accountIds, customerRef: customerRef(i) });
  consents.push({ token: tokens.access_token, accountIds });
}

process.stdout.write(`${JSON.stringify({ event: 'ready', url: service.url, payments: history.length, consents })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await service.close();
    await database.drop();
    await stopTestPostgres();
    process.exit(0);
  })();
});
