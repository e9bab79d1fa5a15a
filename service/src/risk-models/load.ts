import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toIso, toNumber } from '../db/database.ts';
import type { CreditModelInputs, CreditModelResult, LiquidityModelInputs, MarketModelInputs } from '../../../shared/src/risk-data-models.ts';
import { creditInputs, LARGE_TRANSACTION, type CreditLoan } from './credit.ts';

/**
 * The models' inputs as of `at` (the injected clock, ARCHITECTURE.md rule 3), read from what the
 * bank fed (loans, positions) and what this service scored (payments). Works inside a command's
 * transaction too (a Transaction is a Kysely).
 */

const DAY_MS = 86_400_000;

export async function loadCreditLoans(db: Kysely<Database>, tenantId: string): Promise<CreditLoan[]> {
  const rows = await db
    .selectFrom('loans')
    .select(['sector', 'outstanding_balance', 'days_past_due', 'provision_amount', 'collateral_value', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where('status', 'in', ['ACTIVE', 'DEFAULTED'])
    .execute();
  return rows.map((r) => ({
    sector: r.sector,
    balance: Number(r.outstanding_balance),
    daysPastDue: Number(r.days_past_due),
    provision: Number(r.provision_amount),
    collateral: Number(r.collateral_value),
    status: r.status,
  }));
}

export async function loadCreditInputs(
  db: Kysely<Database>,
  tenantId: string,
  at: Date,
): Promise<{ inputs: CreditModelInputs; customers: CreditModelResult['largeTransactions']['customers'] } | null> {
  const loans = await loadCreditLoans(db, tenantId);
  const payments = await db
    .selectFrom('payments')
    .select(['customer_ref', 'amount_kes', 'occurred_at'])
    .where('tenant_id', '=', tenantId)
    .where('amount_kes', '>', LARGE_TRANSACTION.thresholdKes)
    .where('occurred_at', '>', new Date(at.getTime() - LARGE_TRANSACTION.frequencyWindowDays * DAY_MS).toISOString())
    .where('occurred_at', '<=', at.toISOString())
    .execute();
  if (loans.length === 0 && payments.length === 0) return null;
  const large = payments.map((p) => ({ customerRef: p.customer_ref, amountKes: toNumber(p.amount_kes), occurredAt: Date.parse(toIso(p.occurred_at)) }));
  return creditInputs(loans, large, at);
}

/** The latest liquidity position the bank sent as of `at` (by its as-of instant; ARCHITECTURE.md rule 3), or null. */
export async function loadLiquidityInputs(db: Kysely<Database>, tenantId: string, at: Date): Promise<LiquidityModelInputs | null> {
  const row = await db
    .selectFrom('liquidity_positions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where('as_of', '<=', at.toISOString())
    .orderBy('as_of', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    asOf: toIso(row.as_of),
    currency: row.currency,
    level1: Number(row.hqla_level1),
    level2a: Number(row.hqla_level2a),
    level2b: Number(row.hqla_level2b),
    outflows30d: Number(row.outflows_30d),
    inflows30d: Number(row.inflows_30d),
    availableStableFunding: row.available_stable_funding === null ? null : Number(row.available_stable_funding),
    requiredStableFunding: row.required_stable_funding === null ? null : Number(row.required_stable_funding),
  };
}

/** The latest FX book the bank sent as of `at` (every currency of its newest as-of instant up to then), or null. */
export async function loadMarketInputs(db: Kysely<Database>, tenantId: string, at: Date): Promise<MarketModelInputs | null> {
  const latest = await db
    .selectFrom('fx_positions')
    .select('as_of')
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where('as_of', '<=', at.toISOString())
    .orderBy('as_of', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return null;
  const asOf = toIso(latest.as_of);
  const rows = await db
    .selectFrom('fx_positions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where('as_of', '=', asOf)
    .orderBy('currency')
    .execute();
  const capital = rows.find((r) => r.capital !== null)?.capital ?? null;
  return {
    asOf,
    capital: capital === null ? null : Number(capital),
    positions: rows.map((r) => ({ currency: r.currency, long: Number(r.long_position), short: Number(r.short_position) })),
  };
}
