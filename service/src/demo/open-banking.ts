import { sql } from 'kysely';
import type { ServiceContext } from '../context.ts';
import type { Actor } from '../commands/bus.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { upsertBankAccounts, type BankAccountInput } from '../open-banking/api/bank-accounts.ts';
import { obAppCommands } from '../open-banking/apps/commands.ts';
import { createRng, type DemoCustomer, type Rng } from './generator.ts';

/** The demo's partner app (a Kenyan budgeting fintech), registered by the admin at seeding. */
export const DEMO_OB_APP = {
  name: 'Pesa Planner',
  kind: 'FINTECH',
  description: 'Budgeting app: reads accounts, balances and transactions with the customer’s consent and pays bills from their account.',
  contactEmail: 'api@pesaplanner.example',
  redirectUris: ['http://127.0.0.1:8765/callback', 'https://pesaplanner.example/oauth/callback'],
  allowedScopes: ['accounts.read', 'balances.read', 'transactions.read', 'payments.write'],
} as const;

const TYPE_NAMES: Record<DemoCustomer['accounts'][number]['type'], string> = {
  CURRENT: 'Current account',
  SAVINGS: 'Savings account',
  MOBILE_WALLET: 'Mobile wallet',
  LOAN: 'Loan account',
};

/** KES, log-uniform between the bounds, to the cent: what such an account typically holds. */
function between(rng: Rng, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + rng.float() * (Math.log(max) - Math.log(min))) * 100) / 100;
}

/** A realistic starting balance by segment and account type (a loan's is what is still owed, negative). */
function typicalBalance(rng: Rng, segment: DemoCustomer['segment'], type: DemoCustomer['accounts'][number]['type']): number {
  if (type === 'LOAN') return -between(rng, segment === 'RETAIL' ? 30_000 : 500_000, segment === 'RETAIL' ? 1_500_000 : 40_000_000);
  if (type === 'MOBILE_WALLET') return between(rng, 150, 45_000);
  const ranges: Record<DemoCustomer['segment'], [number, number]> = {
    RETAIL: type === 'SAVINGS' ? [8_000, 900_000] : [3_000, 280_000],
    SME: [150_000, 9_000_000],
    CORPORATE: [4_000_000, 160_000_000],
    PRIVATE_BANKING: [2_000_000, 220_000_000],
  };
  const [min, max] = ranges[segment];
  return between(rng, min, max);
}

/**
 * The demo's core banking for the Open Banking APIs (issue 14): every demo customer's accounts
 * with a realistic KES balance as of the start of the seeded history (enough to cover what the
 * account paid out since, so no balance goes below what people keep), through the core banking
 * feed's command; then the demo partner app, registered by the admin through the app command.
 * Answers the app's client id and its secret (shown once, like any registration).
 */
export async function seedDemoOpenBanking(
  ctx: ServiceContext,
  admin: Actor,
  groups: ReadonlyArray<{ tenantId: string; customers: readonly DemoCustomer[] }>,
  options: { seed: number; historyStart: Date },
): Promise<{ clientId: string; clientSecret: string }> {
  const db = ctx.db.kysely;
  const rng = createRng(options.seed);
  const openingBalanceAt = options.historyStart.toISOString();
  for (const { tenantId, customers } of groups) {
    // What each account paid out and received in the seeded history (rejected payments moved nothing).
    const flows = await db
      .selectFrom('payments')
      .innerJoin('fraud_risk_assessments', 'fraud_risk_assessments.payment_id', 'payments.id')
      .select(['payments.debtor_account as account', sql<number | string>`sum(payments.amount_kes)`.as('out')])
      .where('payments.tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('fraud_risk_assessments.decision', 'is', null), eb('fraud_risk_assessments.decision', '!=', 'REJECT')]))
      .groupBy('payments.debtor_account')
      .execute();
    const paidOut = new Map(flows.map((f) => [f.account, Number(f.out)]));
    const accounts: BankAccountInput[] = customers.flatMap((customer) =>
      customer.accounts.map((account) => {
        const typical = typicalBalance(rng, customer.segment, account.type);
        const opening = account.type === 'LOAN' ? typical : Math.round((typical + (paidOut.get(account.accountNumber) ?? 0)) * 100) / 100;
        return {
          tenantId,
          customerRef: customer.customerRef,
          accountNumber: account.accountNumber,
          type: account.type,
          currency: 'KES',
          name: `${customer.fullName} – ${TYPE_NAMES[account.type]}`,
          status: account.status,
          openedOn: account.openedOn,
          openingBalance: opening,
          openingBalanceAt,
        };
      }),
    );
    for (let i = 0; i < accounts.length; i += 500) {
      await ctx.bus.execute(upsertBankAccounts, { accounts: accounts.slice(i, i + 500) }, SYSTEM_ACTOR, { at: options.historyStart });
    }
  }
  const { register } = obAppCommands(ctx.secrets);
  const app = await ctx.bus.execute(
    register,
    {
      ...DEMO_OB_APP,
      tenantId: groups[0]?.tenantId ?? 'WEKEZA-KE',
      redirectUris: [...DEMO_OB_APP.redirectUris],
      allowedScopes: [...DEMO_OB_APP.allowedScopes],
    },
    admin,
  );
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}
