import { randomBytes } from 'node:crypto';
import type { PaymentInput } from '../../../shared/src/payments.ts';

/** A plain daytime KES mobile payment that no rule flags; override fields to make it risky. */
export function samplePayment(overrides: Partial<PaymentInput> = {}): PaymentInput {
  return {
    transactionReference: `TEST-${randomBytes(6).toString('hex').toUpperCase()}`,
    tenantId: 'WEKEZA-KE',
    paymentType: 'MOBILE_MONEY',
    localInstrumentationCode: 'MPESA_B2C',
    clearingSystemCode: 'MPESA',
    paymentSource: 'BANK_CLIENT',
    amount: 4_500,
    currency: 'KES',
    timestamp: '2026-11-20T10:15:00+03:00',
    channel: 'MOBILE',
    country: 'KE',
    customerId: 'CIF-00000001',
    debtorAccount: '0120012345678',
    creditorAccount: 'MW-254712345678',
    ipAddress: '105.163.10.20',
    deviceId: 'dev-5f2a9c1e',
    userAgent: 'WekezaMobile/5.2.1 (Android 14; SM-A155F)',
    description: 'School fees – Alliance High',
    ...overrides,
  };
}

/** 12.5M KES to Nigeria at 02:30 Nairobi time: CRITICAL, ESCALATE, opens a case. */
export function criticalPayment(overrides: Partial<PaymentInput> = {}): PaymentInput {
  return samplePayment({
    paymentType: 'RTGS',
    localInstrumentationCode: 'KEPSS',
    clearingSystemCode: 'KEPSS',
    channel: 'WEB',
    amount: 12_500_000,
    country: 'NG',
    timestamp: '2026-11-20T02:30:00+03:00',
    description: 'Investment return – urgent',
    ...overrides,
  });
}
