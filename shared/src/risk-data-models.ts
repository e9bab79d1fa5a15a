import { z } from 'zod';
import { TenantId } from './tenants.ts';

/**
 * Seed 001's risk models as the API shows them (issue 13): every run with the inputs it used, so a
 * figure can be checked by hand. Percentages are 0–100.
 */

export const SectorConcentration = z.object({
  sector: z.string(),
  exposure: z.number(),
  percentage: z.number(),
  /** Seed 000's response: Low < 15 % ≤ Medium < 25 % ≤ High of the outstanding balance. */
  riskLevel: z.enum(['Low', 'Medium', 'High']),
});

/** Seed 000 Example 1's response, GET /api/integration/credit/portfolio-risk (plus what it was computed from). */
export const PortfolioRisk = z.object({
  tenantId: z.string(),
  asOf: z.string(),
  currency: z.literal('KES'),
  totalExposure: z.number(),
  riskWeightedAssets: z.number(),
  concentrationRisks: z.array(SectorConcentration),
  nplRatio: z.number(),
  provisionCoverage: z.number().nullable(),
  loanCount: z.number().int(),
});
export type PortfolioRisk = z.infer<typeof PortfolioRisk>;

export const CreditSectorInput = z.object({
  sector: z.string(),
  loans: z.number().int(),
  balance: z.number(),
  nplBalance: z.number(),
  provisions: z.number(),
  nplProvisions: z.number(),
  collateral: z.number(),
  riskWeightedAssets: z.number(),
});

export const LargeTransactionCustomer = z.object({
  customerRef: z.string(),
  /** Large payments in the frequency window. */
  count: z.number().int(),
  amountKes: z.number(),
  /** Large payments in the velocity window (the last 24 hours). */
  velocity: z.number().int(),
});

export const CreditModelInputs = z.object({
  sectors: z.array(CreditSectorInput),
  riskWeights: z.object({ performing: z.number(), pastDueLowProvision: z.number(), pastDueHighProvision: z.number(), provisionThreshold: z.number() }),
  largeTransaction: z.object({
    thresholdKes: z.number(),
    frequencyWindowDays: z.number(),
    velocityWindowHours: z.number(),
    paymentsConsidered: z.number().int(),
  }),
});
export type CreditModelInputs = z.infer<typeof CreditModelInputs>;

export const CreditModelResult = z.object({
  totalExposure: z.number(),
  riskWeightedAssets: z.number(),
  concentrationRisks: z.array(SectorConcentration),
  largestSector: z.object({ sector: z.string(), percentage: z.number() }).nullable(),
  nplBalance: z.number(),
  nplRatio: z.number(),
  provisions: z.number(),
  provisionCoverage: z.number().nullable(),
  collateralCoverage: z.number().nullable(),
  loanCount: z.number().int(),
  largeTransactions: z.object({
    customers: z.array(LargeTransactionCustomer),
    totalCount: z.number().int(),
    maxVelocity: z.number().int(),
  }),
});
export type CreditModelResult = z.infer<typeof CreditModelResult>;

export const LiquidityModelInputs = z.object({
  asOf: z.string(),
  currency: z.string(),
  level1: z.number(),
  level2a: z.number(),
  level2b: z.number(),
  outflows30d: z.number(),
  inflows30d: z.number(),
  availableStableFunding: z.number().nullable(),
  requiredStableFunding: z.number().nullable(),
});
export type LiquidityModelInputs = z.infer<typeof LiquidityModelInputs>;

export const LiquidityModelResult = z.object({
  haircuts: z.object({ level1: z.number(), level2a: z.number(), level2b: z.number() }),
  afterHaircut: z.object({ level1: z.number(), level2a: z.number(), level2b: z.number() }),
  /** Basel III LCR ¶48 (Annex 1): the amount of Level 2B over its 15 % cap. */
  adjustment15: z.number(),
  /** …and of Level 2 over its 40 % cap. */
  adjustment40: z.number(),
  hqla: z.number(),
  inflowCap: z.number(),
  inflowsCounted: z.number(),
  netOutflows: z.number(),
  lcr: z.number(),
  nsfr: z.number().nullable(),
  meetsLcrMinimum: z.boolean(),
  meetsNsfrMinimum: z.boolean().nullable(),
});
export type LiquidityModelResult = z.infer<typeof LiquidityModelResult>;

export const FxCurrencyPosition = z.object({ currency: z.string(), long: z.number(), short: z.number(), net: z.number() });
export const MarketModelInputs = z.object({ asOf: z.string(), capital: z.number().nullable(), positions: z.array(FxCurrencyPosition.omit({ net: true })) });
export type MarketModelInputs = z.infer<typeof MarketModelInputs>;
export const MarketModelResult = z.object({
  byCurrency: z.array(FxCurrencyPosition),
  totalNetLong: z.number(),
  totalNetShort: z.number(),
  /** Shorthand method: the larger of the net long and the (absolute) net short total. */
  aggregateOpenPosition: z.number(),
  shareOfCapital: z.number().nullable(),
  largestCurrency: z.string().nullable(),
});
export type MarketModelResult = z.infer<typeof MarketModelResult>;

const runFields = { id: z.string(), tenantId: z.string(), runAt: z.string(), trigger: z.string() };
export const CreditModelRun = z.object({ ...runFields, model: z.literal('CREDIT'), inputs: CreditModelInputs, result: CreditModelResult });
export const LiquidityModelRun = z.object({ ...runFields, model: z.literal('LIQUIDITY'), inputs: LiquidityModelInputs, result: LiquidityModelResult });
export const MarketModelRun = z.object({ ...runFields, model: z.literal('MARKET'), inputs: MarketModelInputs, result: MarketModelResult });
export type CreditModelRun = z.infer<typeof CreditModelRun>;
export type LiquidityModelRun = z.infer<typeof LiquidityModelRun>;
export type MarketModelRun = z.infer<typeof MarketModelRun>;
export const RiskModelRun = z.discriminatedUnion('model', [CreditModelRun, LiquidityModelRun, MarketModelRun]);
export type RiskModelRun = z.infer<typeof RiskModelRun>;

/** GET /api/v1/risk-models/<model>: the latest run (inputs and result) and the earlier ones, newest first. */
export const CreditModelView = z.object({ tenantId: z.string(), latest: CreditModelRun.nullable(), history: z.array(CreditModelRun) });
export const LiquidityModelView = z.object({ tenantId: z.string(), latest: LiquidityModelRun.nullable(), history: z.array(LiquidityModelRun) });
export const MarketModelView = z.object({ tenantId: z.string(), latest: MarketModelRun.nullable(), history: z.array(MarketModelRun) });

export const RiskModelQuery = z.object({ tenantId: TenantId, limit: z.coerce.number().int().min(1).max(100).default(20) });
export const RiskModelRunInput = z.object({ tenantId: TenantId });
