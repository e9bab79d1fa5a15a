import { z } from 'zod';
import { RiskLevel } from './assessments.ts';

export const Customer = z.object({
  id: z.uuid(),
  customerRef: z.string(),
  fullName: z.string(),
  nationalId: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  county: z.string(),
  segment: z.enum(['RETAIL', 'SME', 'CORPORATE', 'PRIVATE_BANKING']),
  kycStatus: z.enum(['VERIFIED', 'PENDING', 'EXPIRED']),
  riskRating: RiskLevel,
  customerSince: z.iso.date(),
  accounts: z.array(
    z.object({
      accountNumber: z.string(),
      type: z.enum(['CURRENT', 'SAVINGS', 'MOBILE_WALLET', 'LOAN']),
      openedOn: z.iso.date(),
      status: z.enum(['ACTIVE', 'DORMANT', 'FROZEN']),
    }),
  ),
});
export type Customer = z.infer<typeof Customer>;
