/**
 * Indicative KES reference rates (KES per unit), used to compare amounts in one currency.
 * The bank's treasury rates replace these through configuration in the decision-engine issue.
 */
export const KES_REFERENCE_RATES: Readonly<Record<string, number>> = {
  KES: 1,
  USD: 129.25,
  EUR: 140.6,
  GBP: 164.3,
  AED: 35.19,
  CNY: 17.85,
  INR: 1.52,
  ZAR: 7.12,
  UGX: 0.0351,
  TZS: 0.0497,
  RWF: 0.0921,
  ETB: 1.05,
  NGN: 0.0838,
};

export function hasKesRate(currency: string): boolean {
  return Object.hasOwn(KES_REFERENCE_RATES, currency);
}

/** KES per unit of the currency; stored with each assessment's facts (ARCHITECTURE.md rule 3). */
export function kesRate(currency: string): number {
  const rate = KES_REFERENCE_RATES[currency];
  if (rate === undefined) throw new RangeError(`no KES reference rate for ${currency}`);
  return rate;
}

export function toKes(amount: number, currency: string): number {
  return toKesAt(amount, kesRate(currency));
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
