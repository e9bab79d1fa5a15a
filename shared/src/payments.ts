import { z } from 'zod';

export const Channel = z.enum(['MOBILE', 'USSD', 'WEB', 'ATM', 'BRANCH', 'AGENT']);
export type Channel = z.infer<typeof Channel>;

export const PaymentSource = z.enum(['BANK_CLIENT', 'CLEARING_SYSTEM', 'BOTH']);
export type PaymentSource = z.infer<typeof PaymentSource>;

/** ISO 4217 code: three upper-case letters. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. KES');
/** ISO 3166-1 alpha-2 country code. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. KE');

const Code = z.string().trim().min(1).max(50);
const Reference = z.string().trim().min(1).max(100);

/**
 * The payment engine's native payment JSON, as posted to POST /api/v1/fraud-risk/assessments.
 * Field names are the public contract (README "Assessment API"); do not rename.
 */
export const PaymentInput = z.object({
  transactionReference: Reference,
  tenantId: Code,
  paymentType: Code,
  localInstrumentationCode: Code.optional(),
  clearingSystemCode: Code.optional(),
  paymentSource: PaymentSource,
  amount: z.number().positive().max(1e13).multipleOf(0.01, 'at most two decimal places'),
  currency: CurrencyCode,
  timestamp: z.iso.datetime({ offset: true }),
  channel: Channel,
  country: CountryCode,
  customerId: z.string().trim().min(1).max(64),
  debtorAccount: z.string().trim().min(1).max(64),
  creditorAccount: z.string().trim().min(1).max(64),
  ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  deviceId: z.string().trim().min(1).max(128).optional(),
  userAgent: z.string().max(512).optional(),
  description: z.string().max(500).optional(),
});
export type PaymentInput = z.infer<typeof PaymentInput>;
