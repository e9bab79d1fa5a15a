import { z } from 'zod';
import { CurrencyCode, currencyProblem, minorUnits } from './currencies.ts';
import { BoundedInstant, EARLIEST_INSTANT, LATEST_INSTANT, NO_CONTROL, NO_CONTROL_EXCEPT_LINES } from './text.ts';

export const Channel = z.enum(['MOBILE', 'USSD', 'WEB', 'ATM', 'BRANCH', 'AGENT']);
export type Channel = z.infer<typeof Channel>;

export const PaymentSource = z.enum(['BANK_CLIENT', 'CLEARING_SYSTEM', 'BOTH']);
export type PaymentSource = z.infer<typeof PaymentSource>;

/** ISO 4217 currencies and their minor units are data: shared/src/currencies.ts. */
export { CurrencyCode, currencyProblem, minorUnits } from './currencies.ts';
/** ISO 3166-1 alpha-2 country code. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. KE');

export const MAX_PAYMENT_AMOUNT = 1e13;

/**
 * Why an amount is not payable in a currency, or null when it is: positive, finite, at most
 * MAX_PAYMENT_AMOUNT, a whole number of the currency's minor units and at least one of them
 * (1.5e-300 is positive but rounds to no cents at all).
 */
export function amountProblem(amount: number, currency: string): string | null {
  if (!Number.isFinite(amount)) return 'must be a finite number';
  if (!(amount > 0)) return 'must be positive';
  if (amount > MAX_PAYMENT_AMOUNT) return 'must be at most 10,000,000,000,000';
  const units = minorUnits(currency);
  const scale = 10 ** units;
  const minor = Math.round(amount * scale);
  if (minor < 1) return `must be at least one minor unit of ${currency} (${(1 / scale).toFixed(units)})`;
  if (minor / scale !== amount)
    return units === 0
      ? `${currency} has no minor units: give a whole amount`
      : `at most ${['no', 'one', 'two', 'three', 'four'][units]} decimal place${units === 1 ? '' : 's'} for ${currency}`;
  return null;
}

/** Payment timestamps: see BoundedInstant (fixed bounds, never relative to today). */
export const EARLIEST_PAYMENT_TIME = EARLIEST_INSTANT;
export const LATEST_PAYMENT_TIME = LATEST_INSTANT;
export const PaymentTimestamp = BoundedInstant;

/** Identifiers: see NO_CONTROL in text.ts. */
const identifier = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL, 'must not contain control or invisible characters');
const freeText = (max: number) => z.string().max(max).regex(NO_CONTROL_EXCEPT_LINES, 'must not contain control characters');

const Code = identifier(50);
const Reference = identifier(100);

/**
 * The payment engine's native payment JSON, as posted to POST /api/v1/fraud-risk/assessments.
 * Field names are the public contract (README "Assessment API"); do not rename.
 */
export const PaymentInputShape = z.object({
  transactionReference: Reference,
  tenantId: Code,
  paymentType: Code,
  localInstrumentationCode: Code.optional(),
  clearingSystemCode: Code.optional(),
  paymentSource: PaymentSource,
  amount: z.number().positive().max(MAX_PAYMENT_AMOUNT),
  currency: CurrencyCode,
  timestamp: PaymentTimestamp,
  channel: Channel,
  country: CountryCode,
  customerId: identifier(64),
  // Optional as in ISO 20022 (DbtrAcct and CdtrAcct are 0..1): rules that need an account report
  // "not evaluated" for a payment without one. Optional keeps every earlier payment valid.
  debtorAccount: identifier(64).optional(),
  creditorAccount: identifier(64).optional(),
  ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  deviceId: identifier(128).optional(),
  userAgent: freeText(512).optional(),
  description: freeText(500).optional(),
});

/** The payment engine's payment, with the amount checked against its currency's minor units. */
export const PaymentInput = PaymentInputShape.superRefine((payment, ctx) => {
  // Minor units depend on the currency, so this is checked once both fields are otherwise valid
  // (the field checks above already named a bad amount or currency).
  if (!(payment.amount > 0 && payment.amount <= MAX_PAYMENT_AMOUNT) || currencyProblem(payment.currency) !== null) return;
  const problem = amountProblem(payment.amount, payment.currency);
  if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem, input: payment.amount });
});
export type PaymentInput = z.infer<typeof PaymentInput>;
