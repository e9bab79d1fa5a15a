import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { BankAccountRow } from '../../db/schema-open-banking.ts';
import { toIso } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import type { CheckedConsent } from '../../consents/check.ts';
import { zoneOffsetAt } from '../../../../shared/src/bank-time.ts';
import type {
  PartnerAccountList,
  PartnerAccount,
  PartnerBalance,
  PartnerTransaction,
  PartnerTransactionPage,
  TransactionQuery,
} from '../../../../shared/src/open-banking-api.ts';
import { decodeCursor, encodeCursor, pipelineReference, roundToCurrency, toPartnerAccount } from './mapping.ts';

/**
 * The account side of the partner API over the accounts and payments the service holds (the
 * demo's core banking: bank_accounts, and the payments scored by the fraud pipeline). Every read
 * here runs after the consent check allowed it (routes.ts): these functions see only the accounts
 * the customer selected, in the consent's tenant, and transactions inside its window.
 */

/** Settled: the fraud engine (or a case) approved it. Rejected payments never moved money. */
const BOOKED = 'APPROVE';
const REJECTED = 'REJECT';

/** One account of the consent, or 404 (not selected, or not the consent's tenant). */
export async function accountOfConsent(db: Kysely<Database>, consent: CheckedConsent, accountId: string): Promise<BankAccountRow> {
  if (!consent.accountIds.includes(accountId)) throw notFound('account');
  const row = await db
    .selectFrom('bank_accounts')
    .selectAll()
    .where('id', '=', accountId)
    .where('tenant_id', '=', consent.consent.tenant_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  // Selected accounts belong to the consent's customer (authorisation checked it); a closed one is gone.
  if (!row || row.customer_ref !== consent.consent.customer_ref) throw notFound('account');
  return row;
}

export async function listConsentAccounts(db: Kysely<Database>, consent: CheckedConsent): Promise<PartnerAccountList> {
  if (consent.accountIds.length === 0) return { items: [] };
  const rows = await db
    .selectFrom('bank_accounts')
    .selectAll()
    .where('id', 'in', consent.accountIds)
    .where('tenant_id', '=', consent.consent.tenant_id)
    .where('customer_ref', '=', consent.consent.customer_ref ?? '')
    .where('deleted_at', 'is', null)
    .orderBy('opened_on')
    .orderBy('account_number')
    .execute();
  return { items: rows.map(toPartnerAccount) };
}

export async function getConsentAccount(db: Kysely<Database>, consent: CheckedConsent, accountId: string): Promise<PartnerAccount> {
  return toPartnerAccount(await accountOfConsent(db, consent, accountId));
}

/**
 * The amount a payment moves on an account in the account's currency: the instructed amount when
 * the currencies match, else its KES value for a KES account (at the rate of the payment's time).
 */
function movementExpression(currency: string) {
  return currency === 'KES'
    ? sql<number>`case when payments.currency = ${currency} then payments.amount else payments.amount_kes end`
    : sql<number>`payments.amount`;
}

/**
 * Initiations taken but not yet assessed hold their funds. Once the pipeline has recorded one as a
 * payment it counts there (booked or pending) even before its ob_payments row is settled, so it is
 * left out here: counting both once refused a payment the account could fund (a race under load).
 */
async function reservedBy(db: Kysely<Database>, account: BankAccountRow): Promise<number> {
  const received = await db
    .selectFrom('ob_payments')
    .select(['id', 'amount'])
    .where('debtor_account_id', '=', account.id)
    .where('status', '=', 'Received')
    .execute();
  if (received.length === 0) return 0;
  const recorded = await db
    .selectFrom('payments')
    .select('transaction_reference')
    .where('tenant_id', '=', account.tenant_id)
    .where(
      'transaction_reference',
      'in',
      received.map((r) => pipelineReference(r.id)),
    )
    .execute();
  const inPipeline = new Set(recorded.map((r) => r.transaction_reference));
  return received.filter((r) => !inPipeline.has(pipelineReference(r.id))).reduce((sum, r) => sum + Number(r.amount), 0);
}

/**
 * Booked balance (opening + approved movements since the opening balance) and available (booked −
 * outgoing payments still pending, e.g. held for review, and initiations taken but not yet
 * assessed, which hold their funds already). Rejected payments moved nothing. One statement: each
 * side is a scalar subquery that uses its own account index (an OR of the two columns would not).
 */
export async function balancesOf(db: Kysely<Database>, account: BankAccountRow): Promise<{ booked: number; available: number }> {
  const since = toIso(account.opening_balance_at);
  const amount = movementExpression(account.currency);
  const side = (eb: ExpressionBuilder<Database, 'bank_accounts'>, column: 'debtor_account' | 'creditor_account', booked: boolean) => {
    let query = eb
      .selectFrom('payments')
      .innerJoin('fraud_risk_assessments', 'fraud_risk_assessments.payment_id', 'payments.id')
      .select(sql<number | string>`coalesce(sum(${amount}), 0)`.as('total'))
      .where(`payments.${column}`, '=', account.account_number)
      .where('payments.tenant_id', '=', account.tenant_id)
      .where('payments.occurred_at', '>=', since)
      .where('fraud_risk_assessments.deleted_at', 'is', null);
    query = booked
      ? query.where('fraud_risk_assessments.decision', '=', BOOKED)
      : query.where((w) => w.or([w('fraud_risk_assessments.decision', 'is', null), w('fraud_risk_assessments.decision', 'not in', [BOOKED, REJECTED])]));
    if (account.currency !== 'KES') query = query.where('payments.currency', '=', account.currency);
    return query;
  };
  // Reservations first, movements second: a payment the pipeline records in between is then
  // counted twice (a refusal, the safe side), never not at all (an overspend).
  const reserved = await reservedBy(db, account);
  const row = await db
    .selectFrom('bank_accounts')
    .select((eb) => [
      side(eb, 'creditor_account', true).as('booked_credit'),
      side(eb, 'debtor_account', true).as('booked_debit'),
      side(eb, 'debtor_account', false).as('pending_debit'),
    ])
    .where('id', '=', account.id)
    .executeTakeFirstOrThrow();
  const booked = Number(account.opening_balance) + Number(row.booked_credit ?? 0) - Number(row.booked_debit ?? 0);
  const available = booked - Number(row.pending_debit ?? 0) - reserved;
  return { booked: roundToCurrency(booked, account.currency), available: roundToCurrency(available, account.currency) };
}

export async function getConsentBalance(db: Kysely<Database>, consent: CheckedConsent, accountId: string, now: Date): Promise<PartnerBalance> {
  const account = await accountOfConsent(db, consent, accountId);
  const { booked, available } = await balancesOf(db, account);
  const entry = (type: 'BOOKED' | 'AVAILABLE', amount: number) => ({
    type,
    amount: Math.abs(amount),
    creditDebit: amount < 0 ? ('DEBIT' as const) : ('CREDIT' as const),
  });
  return { accountId: account.id, currency: account.currency, asOf: now.toISOString(), balances: [entry('BOOKED', booked), entry('AVAILABLE', available)] };
}

/** The instant a bank day (Africa/Nairobi) starts: a date bound covers that whole day. */
function bankDayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d + plusDays);
  return new Date(midnightUtc - zoneOffsetAt(midnightUtc - zoneOffsetAt(midnightUtc) * 60_000) * 60_000).toISOString();
}

const isDay = (value: string) => /^\d{4}-\d\d-\d\d$/.test(value);
const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * Transactions of one account of the consent, newest first, keyset-paged: the query's booking
 * dates clipped to the consent's transaction window (transactions outside it are not an error,
 * they are simply not there), amount and credit/debit filters. Rejected payments are left out.
 */
export async function listConsentTransactions(
  db: Kysely<Database>,
  consent: CheckedConsent,
  accountId: string,
  query: z.output<typeof TransactionQuery>,
): Promise<PartnerTransactionPage> {
  const account = await accountOfConsent(db, consent, accountId);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const fromQuery = query.bookingDateFrom ? (isDay(query.bookingDateFrom) ? bankDayStart(query.bookingDateFrom) : toIso(query.bookingDateFrom)) : null;
  // A day bound ends where the next bank day starts (exclusive); an instant bound is inclusive.
  const toQuery = query.bookingDateTo ? (isDay(query.bookingDateTo) ? bankDayStart(query.bookingDateTo, 1) : toIso(query.bookingDateTo)) : null;
  const toExclusive = query.bookingDateTo !== undefined && isDay(query.bookingDateTo);
  const from = later(fromQuery, consent.transactionFrom);
  const to = earlier(toQuery, consent.transactionTo);
  const number = account.account_number;
  // One index-ordered query per side (debtor, creditor) merged here: an OR of the two columns
  // would make SQLite scan the payments by time instead of using either account index.
  const side = (column: 'debtor_account' | 'creditor_account') => {
    let select = db
      .selectFrom('payments')
      .innerJoin('fraud_risk_assessments', 'fraud_risk_assessments.payment_id', 'payments.id')
      .select([
        'payments.id',
        'payments.transaction_reference',
        'payments.amount',
        'payments.currency',
        'payments.occurred_at',
        'payments.debtor_account',
        'payments.creditor_account',
        'payments.description',
        'fraud_risk_assessments.decision',
      ])
      .where(`payments.${column}`, '=', number)
      .where('payments.tenant_id', '=', account.tenant_id)
      .where('fraud_risk_assessments.deleted_at', 'is', null)
      .where((eb) => eb.or([eb('fraud_risk_assessments.decision', 'is', null), eb('fraud_risk_assessments.decision', '!=', REJECTED)]));
    if (from) select = select.where('payments.occurred_at', '>=', from);
    // The consent's own `to` is inclusive; a day bound of the query is exclusive of the next day.
    if (to) select = select.where('payments.occurred_at', to === toQuery && toExclusive ? '<' : '<=', to);
    if (query.minAmount !== undefined) select = select.where('payments.amount', '>=', query.minAmount);
    if (query.maxAmount !== undefined) select = select.where('payments.amount', '<=', query.maxAmount);
    if (cursor) {
      select = select.where((eb) =>
        eb.or([eb('payments.occurred_at', '<', cursor.at), eb.and([eb('payments.occurred_at', '=', cursor.at), eb('payments.id', '<', cursor.id)])]),
      );
    }
    return select
      .orderBy('payments.occurred_at', 'desc')
      .orderBy('payments.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  };
  const sides = await Promise.all([
    query.creditDebit === 'CREDIT' ? [] : side('debtor_account'),
    query.creditDebit === 'DEBIT' ? [] : side('creditor_account'),
  ]);
  const seen = new Set<string>();
  const rows = sides
    .flat()
    .map((r) => ({ ...r, at: toIso(r.occurred_at) }))
    .sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .slice(0, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: PartnerTransaction[] = page.map((r) => {
    const debit = r.debtor_account === number;
    return {
      transactionId: r.id,
      reference: r.transaction_reference,
      status: r.decision === BOOKED ? 'BOOKED' : 'PENDING',
      creditDebit: debit ? 'DEBIT' : 'CREDIT',
      amount: Number(r.amount),
      currency: r.currency,
      bookingDateTime: r.at,
      counterpartyAccount: (debit ? r.creditor_account : r.debtor_account) || null,
      description: r.description,
    };
  });
  const last = page.at(-1);
  return {
    accountId: account.id,
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
