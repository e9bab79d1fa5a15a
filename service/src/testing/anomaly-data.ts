import type { Channel } from '../../../shared/src/payments.ts';
import type { AnomalyFeatureInput } from '../scoring/anomaly/features.ts';

/**
 * Reproducible synthetic payments for the isolation-forest tests and bench: dates are fixed
 * (November 2026), never today (ARCHITECTURE.md rule 3), and the randomness is a seeded PRNG.
 */

/** Standard normal via Box–Muller on the seeded PRNG, so the synthetic data is reproducible. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A weekday daytime domestic retail payment, the bulk of what the bank sees. */
export function normalPayment(random: () => number): AnomalyFeatureInput {
  const normal = gaussian(random);
  const median = Math.exp(8.5 + 0.8 * normal()); // ≈ KES 5,000 typical customer median
  const amountKes = Math.round(median * Math.exp(0.5 * normal()));
  const day = 16 + Math.floor(random() * 5); // Mon 16 – Fri 20 November 2026
  const minutes = 7 * 60 + Math.floor(random() * 14 * 60); // 07:00–21:00 Nairobi
  const utc = Date.UTC(2026, 10, day, 0, minutes) - 180 * 60_000;
  const channels: Channel[] = ['MOBILE', 'MOBILE', 'MOBILE', 'USSD', 'WEB'];
  return {
    amountKes,
    timestamp: new Date(utc).toISOString(),
    channel: channels[Math.floor(random() * channels.length)]!,
    country: 'KE',
    homeCountry: 'KE',
    customerMedianAmountKes: median,
    paymentType: random() < 0.7 ? 'MOBILE_MONEY' : 'INSTANT_TRANSFER',
  };
}

/** What the desk would call unusual: large, at night, cross-border, far above the customer's median. */
export function outlierPayment(random: () => number): AnomalyFeatureInput {
  const amountKes = Math.round(2_000_000 + random() * 8_000_000);
  const minutes = 60 + Math.floor(random() * 180); // 01:00–04:00 Nairobi on a Sunday
  return {
    amountKes,
    timestamp: new Date(Date.UTC(2026, 10, 22, 0, minutes) - 180 * 60_000).toISOString(),
    channel: 'WEB',
    country: random() < 0.5 ? 'NG' : 'AE',
    homeCountry: 'KE',
    customerMedianAmountKes: 3_000 + random() * 4_000,
    paymentType: 'SWIFT_TRANSFER',
  };
}
