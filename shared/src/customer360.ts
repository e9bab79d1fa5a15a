import { z } from 'zod';
import { Decision, RiskLevel } from './assessments.ts';
import { Customer } from './customers.ts';
import { PageQuery } from './api.ts';
import { CaseOutcome, CaseState } from './cases.ts';
import { CustomerRisk } from './customer-risk.ts';

/**
 * Identity resolution (seed 004): identifiers that say "this is the same person". Strong ones
 * merge customer records; a device fingerprint only links a record that has no strong identifier
 * (shared family phones and agent devices would otherwise merge strangers).
 */
export const IdentifierKind = z.enum(['NATIONAL_ID', 'PHONE', 'EMAIL', 'CUSTOMER_REF', 'DEVICE']);
export type IdentifierKind = z.infer<typeof IdentifierKind>;
export const STRONG_IDENTIFIERS: readonly IdentifierKind[] = ['NATIONAL_ID', 'PHONE', 'EMAIL', 'CUSTOMER_REF'];

/** Canonical form of an identifier, so that "0712 345 678" and "+254712345678" match. */
export function normaliseIdentifier(kind: IdentifierKind, raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  switch (kind) {
    case 'PHONE': {
      const digits = value.replace(/[^\d+]/g, '');
      if (/^\+\d{8,15}$/.test(digits)) return digits;
      if (/^0[17]\d{8}$/.test(digits)) return `+254${digits.slice(1)}`;
      if (/^254\d{9}$/.test(digits)) return `+${digits}`;
      if (/^[17]\d{8}$/.test(digits)) return `+254${digits}`;
      return digits.length >= 7 ? digits : null;
    }
    case 'EMAIL':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value.toLowerCase() : null;
    case 'NATIONAL_ID':
      return value.replace(/[\s-]/g, '').toUpperCase();
    // Core-banking references and device fingerprints are opaque: compared exactly.
    case 'CUSTOMER_REF':
    case 'DEVICE':
      return value;
  }
}

export const CustomerIdentifier = z.object({
  kind: IdentifierKind,
  value: z.string(),
  source: z.string(),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
});
export type CustomerIdentifier = z.infer<typeof CustomerIdentifier>;

export const Customer360 = z.object({
  gcid: z.uuid(),
  displayName: z.string(),
  /** GCIDs merged into this one (they redirect here). */
  mergedFrom: z.array(z.uuid()),
  identifiers: z.array(CustomerIdentifier),
  /** Core-banking customer records (CIFs) that resolve to this person. */
  profiles: z.array(Customer),
  segment: Customer.shape.segment.nullable(),
  kycStatus: Customer.shape.kycStatus.nullable(),
  riskRating: RiskLevel.nullable(),
  customerSince: z.iso.date().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Customer360 = z.infer<typeof Customer360>;

export const Customer360Account = z.object({
  accountNumber: z.string(),
  customerRef: z.string().nullable(),
  type: z.string().nullable(),
  status: z.string().nullable(),
  openedOn: z.iso.date().nullable(),
  /** CORE: from the core-banking record; PAYMENTS: seen only as a debtor account on payments. */
  source: z.enum(['CORE', 'PAYMENTS']),
  paymentCount: z.number().int(),
  totalOutKes: z.number(),
  lastPaymentAt: z.iso.datetime().nullable(),
});
export type Customer360Account = z.infer<typeof Customer360Account>;

export const Customer360Transaction = z.object({
  paymentId: z.uuid(),
  transactionReference: z.string(),
  occurredAt: z.iso.datetime(),
  customerRef: z.string(),
  amount: z.number(),
  currency: z.string(),
  amountKes: z.number(),
  channel: z.string(),
  paymentType: z.string(),
  debtorAccount: z.string(),
  creditorAccount: z.string(),
  country: z.string(),
  deviceId: z.string().nullable(),
  riskLevel: RiskLevel.nullable(),
  riskScore: z.number().nullable(),
  decision: Decision.nullable(),
  assessmentId: z.uuid().nullable(),
  caseId: z.uuid().nullable(),
});
export type Customer360Transaction = z.infer<typeof Customer360Transaction>;
export const Customer360TransactionsQuery = PageQuery.extend({ days: z.coerce.number().int().min(1).max(3650).default(90) });

export const Customer360Risk = z.object({
  gcid: z.uuid(),
  coreRiskRating: RiskLevel.nullable(),
  /** Our view: the worst of core rating, recent payment risk and case outcomes (= overall.level). */
  overallRiskLevel: RiskLevel,
  /** The same figure the case page shows, with its parts (shared/src/customer-risk.ts). */
  overall: CustomerRisk,
  payments: z.object({
    total: z.number().int(),
    last30Days: z.number().int(),
    byRiskLevel: z.record(RiskLevel, z.number().int()),
    byDecision: z.record(z.string(), z.number().int()),
    averageScore: z.number().nullable(),
    maxScore: z.number().nullable(),
    totalKes30Days: z.number(),
  }),
  cases: z.object({
    open: z.number().int(),
    closed: z.number().int(),
    blocked: z.number().int(),
    approved: z.number().int(),
  }),
  pastCases: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      state: CaseState,
      outcome: CaseOutcome.nullable(),
      reasonCode: z.string().nullable(),
      riskLevel: RiskLevel,
      totalAmountKes: z.number(),
      createdAt: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
    }),
  ),
  /** Daily average risk score over the last 30 days. */
  trend: z.array(z.object({ date: z.iso.date(), count: z.number().int(), averageScore: z.number() })),
  /** Rules that fired most on this customer's payments. */
  topRules: z.array(z.object({ ruleId: z.string(), name: z.string(), hits: z.number().int() })),
  devices: z.number().int(),
});
export type Customer360Risk = z.infer<typeof Customer360Risk>;

export const CustomerResolveQuery = z
  .object({
    nationalId: z.string().trim().max(32).optional(),
    phone: z.string().trim().max(32).optional(),
    email: z.string().trim().max(200).optional(),
    customerRef: z.string().trim().max(64).optional(),
    deviceId: z.string().trim().max(128).optional(),
  })
  .refine((q) => Object.values(q).some(Boolean), { message: 'give at least one identifier', path: ['nationalId'] });

export const CustomerResolveResult = z.object({
  gcid: z.uuid().nullable(),
  matchedBy: z.array(IdentifierKind),
  /** More than one person matched: the identifiers conflict (a merge may be needed). */
  conflicts: z.array(z.uuid()),
});

export const CustomerMergeRequest = z
  .object({
    survivorGcid: z.uuid(),
    mergedGcid: z.uuid(),
    reason: z.string().trim().min(5).max(500),
  })
  .refine((m) => m.survivorGcid !== m.mergedGcid, { path: ['mergedGcid'], message: 'cannot merge a customer into itself' });
