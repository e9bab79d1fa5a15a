import { z } from 'zod';
import { RISK_LEVEL_ORDER, RiskLevel } from './assessments.ts';

/**
 * A customer's risk, one definition for every screen (issue 11: the case card said "Customer risk
 * Low" while Customer 360 said "Overall risk High" for the same person). The overall level is the
 * worst of: the core-banking rating (the bank's KYC view), the riskiest of the customer's payments
 * in the last 30 days, and HIGH when a past case was blocked. The case page and Customer 360 both
 * get it from the service (service/src/customers/customer360.ts customerRiskBasis) and show it
 * with its parts.
 */
export const CustomerRisk = z.object({
  level: RiskLevel,
  coreRating: RiskLevel.nullable(),
  /** The riskiest payment level in the last 30 days (the caller's tenants), null without payments. */
  worstPayment30Days: RiskLevel.nullable(),
  blockedCases: z.number().int(),
  /** "High = worst of core rating Low, riskiest payment in 30 days High, 0 blocked cases". */
  explanation: z.string(),
});
export type CustomerRisk = z.infer<typeof CustomerRisk>;

/** Days of payments the overall customer risk looks at. */
export const CUSTOMER_RISK_WINDOW_DAYS = 30;

const word = (level: RiskLevel | null) => (level ? level.charAt(0) + level.slice(1).toLowerCase() : 'none');

export function overallCustomerRisk(facts: { coreRating: RiskLevel | null; worstPayment30Days: RiskLevel | null; blockedCases: number }): CustomerRisk {
  const candidates: RiskLevel[] = [facts.coreRating ?? 'LOW', facts.worstPayment30Days ?? 'LOW', facts.blockedCases > 0 ? 'HIGH' : 'LOW'];
  const level = candidates.reduce((w, l) => (RISK_LEVEL_ORDER[l] > RISK_LEVEL_ORDER[w] ? l : w), 'LOW' as RiskLevel);
  const blocked = `${facts.blockedCases} blocked ${facts.blockedCases === 1 ? 'case' : 'cases'}${facts.blockedCases > 0 ? ' (counts as High)' : ''}`;
  const explanation = `${word(level)} = the worst of: core-banking rating ${word(facts.coreRating)}, riskiest payment in the last ${CUSTOMER_RISK_WINDOW_DAYS} days ${word(facts.worstPayment30Days)}, ${blocked}`;
  return { level, coreRating: facts.coreRating, worstPayment30Days: facts.worstPayment30Days, blockedCases: facts.blockedCases, explanation };
}
