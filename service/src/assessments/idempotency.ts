import { createHash } from 'node:crypto';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { ServiceError, type FieldError } from '../errors.ts';

/**
 * Idempotency of POST /assessments. The key is the transaction reference within the tenant (the
 * (tenant_id, transaction_reference) unique index): for ISO 20022 messages the mapping puts the
 * UETR, or the instructing agent with the TxId, or the EndToEndId there (iso20022.ts). A repeat
 * whose content is the same answers with the first assessment; a repeat whose content differs is
 * another payment reusing the key and answers 409 IDEMPOTENCY_CONFLICT, naming what differs, and
 * stores nothing. The content fingerprint is stored with the assessment, so the common case (an
 * identical retry) compares one string.
 */

/** Every field but the key itself, in a fixed order, normalised as it is stored. */
const CONTENT_FIELDS = [
  'tenantId',
  'paymentType',
  'localInstrumentationCode',
  'clearingSystemCode',
  'paymentSource',
  'amount',
  'currency',
  'timestamp',
  'channel',
  'country',
  'customerId',
  'debtorAccount',
  'creditorAccount',
  'ipAddress',
  'deviceId',
  'userAgent',
  'description',
] as const satisfies ReadonlyArray<Exclude<keyof PaymentInput, 'transactionReference'>>;
type ContentField = (typeof CONTENT_FIELDS)[number];

/** The fields of a payment as compared: an instant rather than its spelling, absent as null. */
type Comparable = Pick<PaymentInput, ContentField>;
function canonical(payment: Comparable): Array<string | number | null> {
  return CONTENT_FIELDS.map((field) => {
    const value = payment[field];
    if (value === undefined || value === null) return null;
    // 10:15+03:00 and 07:15Z are the same moment: the same payment.
    if (field === 'timestamp') return new Date(value as string).toISOString();
    return value;
  });
}

export function paymentFingerprint(payment: Comparable): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(payment)))
    .digest('base64url');
}

/** The content fields whose values differ between a new payment and the stored one. */
export function differingFields(incoming: Comparable, stored: Comparable): ContentField[] {
  const a = canonical(incoming);
  const b = canonical(stored);
  return CONTENT_FIELDS.filter((_, i) => a[i] !== b[i]);
}

/**
 * The 409 for a reused key. Values are not echoed: the first payment may have been sent by
 * another client of the tenant. `pathOf` maps a field to where the caller sent it (an ISO element
 * for pacs.008).
 */
export function idempotencyConflict(reference: string, fields: readonly string[], pathOf: (field: string) => string = (f) => `body.${f}`): ServiceError {
  const named: FieldError[] = fields.map((field) => ({ path: pathOf(field), message: `differs from the payment first assessed under reference ${reference}` }));
  return new ServiceError(
    409,
    'IDEMPOTENCY_CONFLICT',
    `transaction reference ${reference} was already used for a different payment (${fields.join(', ')} differ); nothing was stored`,
    named,
  );
}
