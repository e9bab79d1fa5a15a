import type { LiquidityModelInputs, LiquidityModelResult } from '../../../shared/src/risk-data-models.ts';

/**
 * Seed 001's liquidity model: the Basel III Liquidity Coverage Ratio (BCBS 238, January 2013) and,
 * where the bank sends stable funding, the Net Stable Funding Ratio (BCBS 295).
 *
 * HQLA: Level 1 counts in full; Level 2A after a 15 % haircut, Level 2B after 50 % (the RMBS-free
 * 2B haircut, the conservative one). Caps, ¶48 and Annex 1 (no secured-funding unwinds here, so the
 * "adjusted" amounts equal the unadjusted ones):
 *   adjustment15 = max(L2B − 15/85 × (L1 + L2A), L2B − 15/60 × L1, 0)     (Level 2B ≤ 15 % of HQLA)
 *   adjustment40 = max(L2A + L2B − adjustment15 − 2/3 × L1, 0)            (Level 2 ≤ 40 % of HQLA)
 *   HQLA = L1 + L2A + L2B − adjustment15 − adjustment40                    (all after haircuts)
 * Net outflows (¶69): outflows − min(inflows, 75 % of outflows). LCR = HQLA / net outflows.
 */
export const LCR_HAIRCUTS = { level1: 0, level2a: 0.15, level2b: 0.5 } as const;
/** Inflows count up to 75 % of outflows (¶144), so net outflows are at least a quarter of outflows. */
export const INFLOW_CAP_SHARE = 0.75;

export function computeLiquidity(inputs: LiquidityModelInputs): LiquidityModelResult {
  const l1 = inputs.level1 * (1 - LCR_HAIRCUTS.level1);
  const l2a = inputs.level2a * (1 - LCR_HAIRCUTS.level2a);
  const l2b = inputs.level2b * (1 - LCR_HAIRCUTS.level2b);
  const adjustment15 = Math.max(l2b - (15 / 85) * (l1 + l2a), l2b - (15 / 60) * l1, 0);
  const adjustment40 = Math.max(l2a + l2b - adjustment15 - (2 / 3) * l1, 0);
  const hqla = l1 + l2a + l2b - adjustment15 - adjustment40;
  const inflowCap = INFLOW_CAP_SHARE * inputs.outflows30d;
  const inflowsCounted = Math.min(inputs.inflows30d, inflowCap);
  const netOutflows = inputs.outflows30d - inflowsCounted;
  const lcr = (hqla / netOutflows) * 100;
  const nsfr =
    inputs.availableStableFunding !== null && inputs.requiredStableFunding !== null && inputs.requiredStableFunding > 0
      ? (inputs.availableStableFunding / inputs.requiredStableFunding) * 100
      : null;
  return {
    haircuts: { ...LCR_HAIRCUTS },
    afterHaircut: { level1: round(l1), level2a: round(l2a), level2b: round(l2b) },
    adjustment15: round(adjustment15),
    adjustment40: round(adjustment40),
    hqla: round(hqla),
    inflowCap: round(inflowCap),
    inflowsCounted: round(inflowsCounted),
    netOutflows: round(netOutflows),
    lcr: round(lcr),
    nsfr: nsfr === null ? null : round(nsfr),
    meetsLcrMinimum: lcr >= 100,
    meetsNsfrMinimum: nsfr === null ? null : nsfr >= 100,
  };
}

/** Six decimals: enough for money in the units sent and for ratios, without binary-fraction noise. */
export function round(value: number, places = 6): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
