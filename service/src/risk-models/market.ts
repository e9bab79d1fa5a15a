import type { MarketModelInputs, MarketModelResult } from '../../../shared/src/risk-data-models.ts';
import { round } from './liquidity.ts';

/**
 * Seed 001's market model: foreign-exchange net open position by currency (long − short, in KES
 * equivalent) and the aggregate by the Basel shorthand method — the larger of the sum of the net
 * long positions and the absolute sum of the net short ones — shown as a share of core capital
 * when the bank sends it (regulators usually cap it near 10 %).
 */
export function computeMarket(inputs: MarketModelInputs): MarketModelResult {
  const byCurrency = inputs.positions
    .map((p) => ({ currency: p.currency, long: p.long, short: p.short, net: round(p.long - p.short) }))
    .sort((a, b) => Math.abs(b.net) - Math.abs(a.net) || a.currency.localeCompare(b.currency));
  const totalNetLong = byCurrency.filter((p) => p.net > 0).reduce((sum, p) => sum + p.net, 0);
  const totalNetShort = -byCurrency.filter((p) => p.net < 0).reduce((sum, p) => sum + p.net, 0);
  const aggregateOpenPosition = Math.max(totalNetLong, totalNetShort);
  return {
    byCurrency,
    totalNetLong: round(totalNetLong),
    totalNetShort: round(totalNetShort),
    aggregateOpenPosition: round(aggregateOpenPosition),
    shareOfCapital: inputs.capital ? round((aggregateOpenPosition / inputs.capital) * 100) : null,
    largestCurrency: byCurrency.find((p) => p.net !== 0)?.currency ?? null,
  };
}
