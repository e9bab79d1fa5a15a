import { SYSTEM_ACTOR } from '../commands/bus.ts';
import type { ServiceContext } from '../context.ts';
import type { PartnerCaller } from '../auth/partner.ts';
import { obAppCommands } from '../open-banking/apps/commands.ts';
import { upsertBankAccounts } from '../open-banking/api/bank-accounts.ts';
import { webhookSubscriptionCommands } from '../webhooks/commands.ts';
import type { ObAppWithSecret, ObScope, ConsentView } from '../../../shared/src/open-banking.ts';
import { authoriseConsent, createConsent, type CreateConsentInput } from './commands.ts';
import { customerActor } from './mapping.ts';
import { appActor } from '../open-banking/oauth/partner-auth.ts';

/**
 * Test helpers for the consent tests (never loaded by the service): apps, core-banking accounts
 * and consents made through the same commands the service runs, and the PartnerCaller an app's
 * token would give (what the partner authenticator fills after checking the token).
 */

export const ALL_SCOPES: ObScope[] = ['accounts.read', 'balances.read', 'transactions.read', 'payments.write'];

/** The actor an app's token makes (the partner authenticator's own). */
export { appActor };

export async function registerApp(ctx: ServiceContext, tenantId: string, name: string, scopes: ObScope[] = ALL_SCOPES): Promise<ObAppWithSecret> {
  const { register } = obAppCommands(ctx.secrets);
  return ctx.bus.execute(register, { tenantId, name, kind: 'FINTECH', redirectUris: ['https://app.example/cb'], allowedScopes: scopes }, SYSTEM_ACTOR);
}

export async function suspendApp(ctx: ServiceContext, appId: string): Promise<void> {
  const { suspend } = obAppCommands(ctx.secrets);
  await ctx.bus.execute(suspend, { id: appId, reason: 'suspended by the test' }, SYSTEM_ACTOR);
}

export async function subscribe(ctx: ServiceContext, app: { id: string; name: string; tenantId: string }, url: string): Promise<void> {
  const { create } = webhookSubscriptionCommands(ctx.secrets);
  await ctx.bus.execute(create, { appId: app.id, url, events: ['consent.revoked'] }, appActor(app));
}

/** Accounts of one customer in one tenant (the core banking feed's command); answers their ids. */
export async function addAccounts(ctx: ServiceContext, tenantId: string, customerRef: string, numbers: string[]): Promise<string[]> {
  await ctx.bus.execute(
    upsertBankAccounts,
    {
      accounts: numbers.map((accountNumber) => ({
        tenantId,
        customerRef,
        accountNumber,
        type: 'CURRENT',
        currency: 'KES',
        name: `Account ${accountNumber}`,
        status: 'ACTIVE',
        openedOn: '2024-01-02',
        openingBalance: 1000,
        openingBalanceAt: '2026-01-01T00:00:00.000Z',
      })),
    },
    SYSTEM_ACTOR,
  );
  const rows = await ctx.db.kysely.selectFrom('bank_accounts').select(['id', 'account_number']).where('account_number', 'in', numbers).execute();
  const byNumber = new Map(rows.map((r) => [r.account_number, r.id]));
  return numbers.map((n) => byNumber.get(n)!);
}

export async function newConsent(
  ctx: ServiceContext,
  app: { id: string; name: string; tenantId: string },
  input: Omit<CreateConsentInput, 'appId'> = { permissions: ALL_SCOPES },
): Promise<ConsentView> {
  return ctx.bus.execute(createConsent, { ...input, appId: app.id }, appActor(app));
}

export async function authorise(
  ctx: ServiceContext,
  consent: ConsentView,
  customerRef: string,
  accountIds: string[],
  grantId = `grant-${consent.id}`,
): Promise<ConsentView> {
  return ctx.bus.execute(authoriseConsent, { consentId: consent.id, customerRef, accountIds, grantId }, customerActor(customerRef, consent.tenantId));
}

/** What the partner authenticator hands the check for a token issued under `consent`. */
export function partnerFor(
  app: { id: string; clientId: string; tenantId: string },
  consent: { id: string; customerRef: string | null } | null,
  options: { scopes?: ObScope[]; customerPresent?: boolean } = {},
): PartnerCaller {
  return {
    appId: app.id,
    clientId: app.clientId,
    tenantId: app.tenantId,
    tokenId: 'token-under-test',
    grantType: consent ? 'authorization_code' : 'client_credentials',
    consentId: consent?.id ?? null,
    customerRef: consent?.customerRef ?? null,
    scopes: new Set(options.scopes ?? ALL_SCOPES),
    customerPresent: options.customerPresent ?? false,
  };
}
