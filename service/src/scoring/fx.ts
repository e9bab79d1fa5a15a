import { REFERENCE_KES_RATES, REFERENCE_RATES_EFFECTIVE_FROM } from './reference-kes-rates.ts';

/** One currency's rates: effective instants ascending, each rate holding until the next. */
interface CurrencyTimeline {
  fromMs: Float64Array;
  rates: Float64Array;
}

export interface KesRatePoint {
  currency: string;
  kesPerUnit: number;
  effectiveFromMs: number;
}

/**
 * The FX rates to KES in memory, for scoring (issue 11 §1): per currency, the rates in effect from
 * each instant on. A look-up is a map read and a binary search, so scoring never queries the
 * database per payment. Built by fx-rates/service.ts from the fx_rates table and rebuilt whole
 * after every change (the table is small: a few hundred rows).
 */
export class KesRateTimeline {
  private readonly byCurrency = new Map<string, CurrencyTimeline>();
  readonly size: number;

  constructor(points: readonly KesRatePoint[]) {
    const grouped = new Map<string, KesRatePoint[]>();
    for (const p of points) {
      let list = grouped.get(p.currency);
      if (!list) {
        list = [];
        grouped.set(p.currency, list);
      }
      list.push(p);
    }
    for (const [currency, list] of grouped) {
      list.sort((a, b) => a.effectiveFromMs - b.effectiveFromMs);
      this.byCurrency.set(currency, {
        fromMs: Float64Array.from(list, (p) => p.effectiveFromMs),
        rates: Float64Array.from(list, (p) => p.kesPerUnit),
      });
    }
    this.size = points.length;
  }

  /** KES per unit of the currency in effect at `atMs` (the latest rate effective at or before it), or null. */
  rateAt(currency: string, atMs: number): number | null {
    if (currency === 'KES') return 1;
    const t = this.byCurrency.get(currency);
    if (!t) return null;
    // The last index whose effective instant is <= atMs.
    let lo = 0;
    let hi = t.fromMs.length - 1;
    if (hi < 0 || t.fromMs[0]! > atMs) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t.fromMs[mid]! <= atMs) lo = mid;
      else hi = mid - 1;
    }
    return t.rates[lo]!;
  }

  /** The currencies that have at least one rate. */
  currencies(): string[] {
    return [...this.byCurrency.keys()];
  }
}

/** Where scoring gets KES rates from (the live timeline of fx-rates/service.ts; a fixed one in unit tests). */
export interface KesRateSource {
  rateAt(currency: string, atMs: number): number | null;
}

/**
 * The reference table as a timeline (fixtures and unit tests that run the rules without a
 * service; the service seeds the same table into fx_rates and scores from there).
 */
export const REFERENCE_TIMELINE = new KesRateTimeline(
  Object.entries(REFERENCE_KES_RATES).map(([currency, kesPerUnit]) => ({ currency, kesPerUnit, effectiveFromMs: Date.parse(REFERENCE_RATES_EFFECTIVE_FROM) })),
);

/** The seeded reference rate of a currency (fixtures and unit tests only; scoring uses the live table). */
export function referenceKesRate(currency: string): number {
  const rate = REFERENCE_TIMELINE.rateAt(currency, Number.POSITIVE_INFINITY);
  if (rate === null) throw new RangeError(`no reference KES rate for ${currency}`);
  return rate;
}

/** An amount in KES at the reference rate (fixtures and unit tests only). */
export function toKes(amount: number, currency: string): number {
  return toKesAt(amount, referenceKesRate(currency));
}

export function toKesAt(amount: number, rate: number): number {
  return Math.round(amount * rate * 100) / 100;
}

/**
 * "KES 12,500,000": rule explanations are built for every payment, and Intl.NumberFormat costs
 * microseconds per call, so whole shillings are grouped by hand.
 */
export function formatKes(amount: number): string {
  const rounded = Math.round(Math.abs(amount));
  const digits = String(rounded);
  let grouped = '';
  for (let i = digits.length; i > 0; i -= 3) grouped = digits.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  return `${amount < 0 && rounded !== 0 ? '-' : ''}KES ${grouped}`;
}
