import type { CreditModelInputs, CreditModelResult } from '../../../shared/src/risk-data-models.ts';
import { round } from './liquidity.ts';

/**
 * Seed 001's credit risk model and seed 000's portfolio figures, from the loans core banking feeds
 * and the payments this service scored.
 *
 * - Sector concentration: each sector's share of the outstanding balance (seed 000's grouping by
 *   industry); risk level Low < 15 % ≤ Medium < 25 % ≤ High.
 * - NPL ratio: balance of loans 90 or more days past due (or DEFAULTED) / total outstanding.
 * - Provision coverage: all loan-loss provisions / NPL balance.
 * - Risk-weighted assets, a Basel II standardised simplification for unrated exposures: performing
 *   loans 100 %; past-due (≥ 90 days) loans, net of their specific provision, 150 % when the
 *   provision is under 20 % of the balance and 100 % otherwise (Basel II ¶75).
 * - Large-transaction frequency and velocity per customer (seed 001): payments above 10 M KES
 *   (seed 001's "> 10M KES = high risk") in the last 30 days, and in the last 24 hours.
 */
export const RISK_WEIGHTS = { performing: 1, pastDueLowProvision: 1.5, pastDueHighProvision: 1, provisionThreshold: 0.2 } as const;
export const NPL_DAYS = 90;
export const LARGE_TRANSACTION = { thresholdKes: 10_000_000, frequencyWindowDays: 30, velocityWindowHours: 24 } as const;
export const CONCENTRATION_LEVELS = { high: 25, medium: 15 } as const;

export interface CreditLoan {
  sector: string;
  balance: number;
  daysPastDue: number;
  provision: number;
  collateral: number;
  status: string;
}

export interface LargePayment {
  customerRef: string;
  amountKes: number;
  occurredAt: number;
}

export function isNonPerforming(loan: Pick<CreditLoan, 'daysPastDue' | 'status'>): boolean {
  return loan.status === 'DEFAULTED' || loan.daysPastDue >= NPL_DAYS;
}

/** Risk-weighted amount of one loan (see RISK_WEIGHTS). */
export function riskWeighted(loan: CreditLoan): number {
  if (!isNonPerforming(loan)) return loan.balance * RISK_WEIGHTS.performing;
  const net = Math.max(loan.balance - loan.provision, 0);
  const covered = loan.balance > 0 && loan.provision / loan.balance >= RISK_WEIGHTS.provisionThreshold;
  return net * (covered ? RISK_WEIGHTS.pastDueHighProvision : RISK_WEIGHTS.pastDueLowProvision);
}

/** The model's inputs, as stored with each run: per-sector sums and the per-customer large-payment counts. */
export function creditInputs(
  loans: readonly CreditLoan[],
  largePayments: readonly LargePayment[],
  at: Date,
): { inputs: CreditModelInputs; customers: CreditModelResult['largeTransactions']['customers'] } {
  const sectors = new Map<string, CreditModelInputs['sectors'][number]>();
  for (const loan of loans) {
    const s = sectors.get(loan.sector) ?? {
      sector: loan.sector,
      loans: 0,
      balance: 0,
      nplBalance: 0,
      provisions: 0,
      nplProvisions: 0,
      collateral: 0,
      riskWeightedAssets: 0,
    };
    s.loans += 1;
    s.balance += loan.balance;
    s.provisions += loan.provision;
    s.collateral += loan.collateral;
    s.riskWeightedAssets += riskWeighted(loan);
    if (isNonPerforming(loan)) {
      s.nplBalance += loan.balance;
      s.nplProvisions += loan.provision;
    }
    sectors.set(loan.sector, s);
  }
  const velocityFrom = at.getTime() - LARGE_TRANSACTION.velocityWindowHours * 3_600_000;
  const byCustomer = new Map<string, { customerRef: string; count: number; amountKes: number; velocity: number }>();
  for (const p of largePayments) {
    const c = byCustomer.get(p.customerRef) ?? { customerRef: p.customerRef, count: 0, amountKes: 0, velocity: 0 };
    c.count += 1;
    c.amountKes += p.amountKes;
    if (p.occurredAt > velocityFrom) c.velocity += 1;
    byCustomer.set(p.customerRef, c);
  }
  const customers = [...byCustomer.values()]
    .sort((a, b) => b.velocity - a.velocity || b.count - a.count || a.customerRef.localeCompare(b.customerRef))
    .map((c) => ({ ...c, amountKes: round(c.amountKes) }));
  return {
    inputs: {
      sectors: [...sectors.values()]
        .map((s) => ({
          ...s,
          balance: round(s.balance),
          nplBalance: round(s.nplBalance),
          provisions: round(s.provisions),
          nplProvisions: round(s.nplProvisions),
          collateral: round(s.collateral),
          riskWeightedAssets: round(s.riskWeightedAssets),
        }))
        .sort((a, b) => b.balance - a.balance || a.sector.localeCompare(b.sector)),
      riskWeights: { ...RISK_WEIGHTS },
      largeTransaction: { ...LARGE_TRANSACTION, paymentsConsidered: largePayments.length },
    },
    customers,
  };
}

export function concentrationLevel(percentage: number): 'Low' | 'Medium' | 'High' {
  if (percentage >= CONCENTRATION_LEVELS.high) return 'High';
  return percentage >= CONCENTRATION_LEVELS.medium ? 'Medium' : 'Low';
}

/** The model's result from its inputs (reproducible from a stored run's inputs alone). */
export function computeCredit(inputs: CreditModelInputs, customers: CreditModelResult['largeTransactions']['customers']): CreditModelResult {
  const sum = (pick: (s: CreditModelInputs['sectors'][number]) => number) => inputs.sectors.reduce((total, s) => total + pick(s), 0);
  const totalExposure = sum((s) => s.balance);
  const nplBalance = sum((s) => s.nplBalance);
  const provisions = sum((s) => s.provisions);
  const collateral = sum((s) => s.collateral);
  const concentrationRisks = inputs.sectors
    .map((s) => {
      const percentage = totalExposure > 0 ? round((s.balance / totalExposure) * 100) : 0;
      return { sector: s.sector, exposure: s.balance, percentage, riskLevel: concentrationLevel(percentage) };
    })
    .sort((a, b) => b.exposure - a.exposure || a.sector.localeCompare(b.sector));
  const largest = totalExposure > 0 ? concentrationRisks[0] : undefined;
  return {
    totalExposure: round(totalExposure),
    riskWeightedAssets: round(sum((s) => s.riskWeightedAssets)),
    concentrationRisks,
    largestSector: largest ? { sector: largest.sector, percentage: largest.percentage } : null,
    nplBalance: round(nplBalance),
    nplRatio: totalExposure > 0 ? round((nplBalance / totalExposure) * 100) : 0,
    provisions: round(provisions),
    provisionCoverage: nplBalance > 0 ? round((provisions / nplBalance) * 100) : null,
    collateralCoverage: totalExposure > 0 ? round((collateral / totalExposure) * 100) : null,
    loanCount: sum((s) => s.loans),
    largeTransactions: {
      customers: customers.slice(0, 20),
      totalCount: customers.reduce((total, c) => total + c.count, 0),
      maxVelocity: customers.reduce((max, c) => Math.max(max, c.velocity), 0),
    },
  };
}
