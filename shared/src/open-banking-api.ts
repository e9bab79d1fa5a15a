import { z } from 'zod';
import { CurrencyCode } from './currencies.ts';
import { ConsentStatus, ConsentStatusReason, OB_SCOPES, ObScope } from './open-banking.ts';
import { BoundedInstant, NO_CONTROL, NoteText, PlainText } from './text.ts';

/**
 * The partner-facing Open Banking API (issue 14, seed 002 §4): what apps send to and get from
 * /open-banking/v1. Field names are the public contract for partners; do not rename. Amounts are
 * numbers in the account's currency, rounded to its minor units.
 */

// ---- consents ---------------------------------------------------------------------------------

/** POST /open-banking/v1/consents: what the app asks the customer to agree to. */
export const CreateConsentRequest = z.object({
  permissions: z
    .array(ObScope)
    .min(1, 'ask for at least one scope')
    .max(OB_SCOPES.length)
    .refine((list) => new Set(list).size === list.length, 'each scope once'),
  /** When the consent ends (optional: none = until revoked). Must be in the future. */
  expiresAt: BoundedInstant.nullable().optional(),
  /** The oldest and newest transactions the app may read (optional; from < to). */
  transactionFrom: BoundedInstant.nullable().optional(),
  transactionTo: BoundedInstant.nullable().optional(),
  /** Unattended calls per bank day (default 4): calls without x-fapi-customer-ip-address. */
  frequencyPerDay: z.number().int().min(1).max(1000).optional(),
  /** Recurring access (a newer recurring consent for the same customer and scopes ends this one) or one-off. */
  recurring: z.boolean().optional(),
});
export type CreateConsentRequest = z.input<typeof CreateConsentRequest>;

/** A consent as its app sees it (the bank's register shows more: ConsentView). */
export const PartnerConsent = z.object({
  consentId: z.uuid(),
  /** As of the answer: an Authorised consent past its expiry answers Expired. */
  status: ConsentStatus,
  statusReason: ConsentStatusReason.nullable(),
  statusChangedAt: z.iso.datetime(),
  permissions: z.array(ObScope),
  /** The accounts the customer selected (empty until Authorised). */
  accountIds: z.array(z.uuid()),
  expiresAt: z.iso.datetime().nullable(),
  transactionFrom: z.iso.datetime().nullable(),
  transactionTo: z.iso.datetime().nullable(),
  frequencyPerDay: z.number().int().positive(),
  recurring: z.boolean(),
  createdAt: z.iso.datetime(),
  authorisedAt: z.iso.datetime().nullable(),
});
export type PartnerConsent = z.infer<typeof PartnerConsent>;

/** What creating a consent answers: the consent and how to send the customer to authorise it. */
export const CreatedConsent = z.object({
  consent: PartnerConsent,
  authorization: z.object({
    /** The authorization endpoint (OpenID discovery: /.well-known/openid-configuration). */
    authorizationEndpoint: z.string(),
    tokenEndpoint: z.string(),
    /** The resource indicator (RFC 8707) tokens for this API are issued for. */
    resource: z.string(),
    /** Parameters to add to the authorization request, besides redirect_uri, state and the PKCE code_challenge. */
    parameters: z.object({
      response_type: z.literal('code'),
      client_id: z.string(),
      scope: z.string(),
      consent_id: z.uuid(),
      resource: z.string(),
      code_challenge_method: z.literal('S256'),
    }),
    /** The customer has this long to authorise it (then AUTHORISATION_TIMEOUT). */
    authoriseBefore: z.iso.datetime(),
  }),
});
export type CreatedConsent = z.infer<typeof CreatedConsent>;

// ---- accounts and balances ----------------------------------------------------------------------

export const BankAccountType = z.enum(['CURRENT', 'SAVINGS', 'MOBILE_WALLET', 'LOAN']);
export const BankAccountStatus = z.enum(['ACTIVE', 'DORMANT', 'FROZEN']);

export const PartnerAccount = z.object({
  accountId: z.uuid(),
  accountNumber: z.string(),
  type: BankAccountType,
  currency: z.string(),
  name: z.string(),
  status: BankAccountStatus,
  openedOn: z.iso.date(),
});
export type PartnerAccount = z.infer<typeof PartnerAccount>;
export const PartnerAccountList = z.object({ items: z.array(PartnerAccount) });
export type PartnerAccountList = z.infer<typeof PartnerAccountList>;

/**
 * Berlin Group balance types: booked (settled movements) and available (booked less outgoing
 * payments still pending, e.g. held for fraud review).
 */
export const PartnerBalance = z.object({
  accountId: z.uuid(),
  currency: z.string(),
  asOf: z.iso.datetime(),
  balances: z.array(
    z.object({
      type: z.enum(['BOOKED', 'AVAILABLE']),
      amount: z.number(),
      creditDebit: z.enum(['CREDIT', 'DEBIT']),
    }),
  ),
});
export type PartnerBalance = z.infer<typeof PartnerBalance>;

// ---- transactions -------------------------------------------------------------------------------

/** A day (YYYY-MM-DD, a whole bank day in Africa/Nairobi) or an instant. */
const BookingBound = z.union([z.iso.date(), BoundedInstant]);
const Amount = z.coerce.number().nonnegative().max(1e13);

export const TransactionQuery = z
  .object({
    bookingDateFrom: BookingBound.optional(),
    bookingDateTo: BookingBound.optional(),
    minAmount: Amount.optional(),
    maxAmount: Amount.optional(),
    creditDebit: z.enum(['CREDIT', 'DEBIT']).optional(),
    /** The nextCursor of the previous page (opaque). */
    cursor: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'the nextCursor of a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => q.minAmount === undefined || q.maxAmount === undefined || q.minAmount <= q.maxAmount, {
    path: ['maxAmount'],
    message: 'must not be below minAmount',
  });
export type TransactionQuery = z.input<typeof TransactionQuery>;

export const PartnerTransaction = z.object({
  transactionId: z.uuid(),
  /** The payment's end-to-end reference. */
  reference: z.string(),
  /** BOOKED once settled; PENDING while the payment waits (e.g. held for fraud review). */
  status: z.enum(['BOOKED', 'PENDING']),
  creditDebit: z.enum(['CREDIT', 'DEBIT']),
  amount: z.number(),
  currency: z.string(),
  bookingDateTime: z.iso.datetime(),
  /** The other side's account. */
  counterpartyAccount: z.string().nullable(),
  description: z.string().nullable(),
});
export type PartnerTransaction = z.infer<typeof PartnerTransaction>;

export const PartnerTransactionPage = z.object({
  accountId: z.uuid(),
  items: z.array(PartnerTransaction),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PartnerTransactionPage = z.infer<typeof PartnerTransactionPage>;

// ---- payments -----------------------------------------------------------------------------------

/**
 * UK Open Banking payment states: Received (taken, not yet assessed), Pending (held: the fraud
 * engine sent it to review, a case decides), AcceptedSettlementCompleted (booked), Rejected.
 */
export const ObPaymentStatus = z.enum(['Received', 'Pending', 'AcceptedSettlementCompleted', 'Rejected']);
export type ObPaymentStatus = z.infer<typeof ObPaymentStatus>;
export const FINAL_PAYMENT_STATUSES: readonly ObPaymentStatus[] = ['AcceptedSettlementCompleted', 'Rejected'];

/** POST /open-banking/v1/payments (with an Idempotency-Key header). */
export const PaymentInitiationRequest = z.object({
  debtorAccountId: z.uuid(),
  creditorAccount: z.string().trim().min(4).max(64).regex(NO_CONTROL, 'must not contain control or invisible characters'),
  creditorName: PlainText(200).min(2, 'at least 2 characters'),
  amount: z.number().positive().max(1e13),
  currency: CurrencyCode,
  /** What the customer and the payee see (remittance information). */
  reference: NoteText(140).min(1, 'give a reference'),
});
export type PaymentInitiationRequest = z.input<typeof PaymentInitiationRequest>;

export const PartnerPayment = z.object({
  paymentId: z.uuid(),
  consentId: z.uuid(),
  status: ObPaymentStatus,
  /** Why it is pending or was rejected. */
  statusReason: z.string().nullable(),
  debtorAccountId: z.uuid(),
  creditorAccount: z.string(),
  creditorName: z.string(),
  amount: z.number(),
  currency: z.string(),
  reference: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PartnerPayment = z.infer<typeof PartnerPayment>;
