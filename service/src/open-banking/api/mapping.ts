import { fromJson, toIso, toIsoOrNull, toBool } from '../../db/database.ts';
import type { BankAccountRow, ConsentRow, ObPaymentRow } from '../../db/schema-open-banking.ts';
import { effectiveStatus } from '../../consents/mapping.ts';
import { validationFailed } from '../../errors.ts';
import { ConsentStatusReason, ObScope } from '../../../../shared/src/open-banking.ts';
import {
  BankAccountStatus,
  BankAccountType,
  ObPaymentStatus,
  type PartnerAccount,
  type PartnerConsent,
  type PartnerPayment,
} from '../../../../shared/src/open-banking-api.ts';
import { minorUnits } from '../../../../shared/src/currencies.ts';

/** The entity names of the audit and change logs. */
export const OB_PAYMENT_ENTITY = 'ob_payment';
export const BANK_ACCOUNT_ENTITY = 'bank_account';

export function toPartnerConsent(row: ConsentRow, now: Date): PartnerConsent {
  const status = effectiveStatus(row, now);
  const reason = ConsentStatusReason.safeParse(row.status_reason);
  return {
    consentId: row.id,
    status,
    // An Authorised consent past its expiry is Expired now, for this reason, whatever the row says.
    statusReason: status === 'Expired' && row.status === 'Authorised' ? 'EXPIRED' : reason.success ? reason.data : null,
    statusChangedAt: status === 'Expired' && row.status === 'Authorised' && row.expires_at ? toIso(row.expires_at) : toIso(row.status_changed_at),
    permissions: fromJson<string[]>(row.permissions).filter((p): p is ObScope => ObScope.safeParse(p).success),
    accountIds: fromJson<string[]>(row.account_ids),
    expiresAt: toIsoOrNull(row.expires_at),
    transactionFrom: toIsoOrNull(row.transaction_from),
    transactionTo: toIsoOrNull(row.transaction_to),
    frequencyPerDay: row.frequency_per_day,
    recurring: toBool(row.recurring),
    createdAt: toIso(row.created_at),
    authorisedAt: toIsoOrNull(row.authorised_at),
  };
}

export function toPartnerAccount(row: BankAccountRow): PartnerAccount {
  return {
    accountId: row.id,
    accountNumber: row.account_number,
    type: BankAccountType.parse(row.type),
    currency: row.currency,
    name: row.name,
    status: BankAccountStatus.parse(row.status),
    openedOn: row.opened_on,
  };
}

export function toPartnerPayment(row: ObPaymentRow): PartnerPayment {
  return {
    paymentId: row.id,
    consentId: row.consent_id,
    status: ObPaymentStatus.parse(row.status),
    statusReason: row.status_reason,
    debtorAccountId: row.debtor_account_id,
    creditorAccount: row.creditor_account,
    creditorName: row.creditor_name,
    amount: Number(row.amount),
    currency: row.currency,
    reference: row.reference,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Rounds a sum of floating-point amounts to the currency's minor units (sums of cents drift). */
export function roundToCurrency(amount: number, currency: string): number {
  const scale = 10 ** minorUnits(currency);
  const rounded = Math.round(amount * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** The fraud pipeline's reference for a payment initiated through Open Banking (idempotent per tenant). */
export function pipelineReference(obPaymentId: string): string {
  return `OB-${obPaymentId}`;
}

export function customerPresentOf(row: Pick<ObPaymentRow, 'customer_present'>): boolean {
  return toBool(row.customer_present);
}

// ---- transaction cursors ------------------------------------------------------------------------

/** Keyset position of the last transaction of a page: its booking time and id (newest first). */
export interface TransactionCursor {
  at: string;
  id: string;
}

/** Opaque to apps (base64url), so the order it encodes can change without breaking them. */
export function encodeCursor(cursor: TransactionCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): TransactionCursor {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const [at, id, ...rest] = decoded.split('|');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (rest.length > 0 || !at || !id || !uuid.test(id) || !Number.isFinite(Date.parse(at)) || !/^\d{4}-\d\d-\d\dT/.test(at)) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor this API gave out: pass nextCursor of the previous page' }]);
  }
  return { at: new Date(at).toISOString(), id };
}
