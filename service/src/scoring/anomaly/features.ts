import type { Channel } from '../../../../shared/src/payments.ts';

/**
 * The anomaly model's feature vector for one payment. Order matters: a stored model records these
 * names, and a model trained on another layout must not be fed this one.
 */
export const ANOMALY_FEATURES: readonly string[] = Object.freeze([
  'log10AmountKes',
  'hourSin',
  'hourCos',
  'weekend',
  'channelRisk',
  'crossBorder',
  'log10AmountVsCustomerMedian',
  'paymentTypeCode',
]);

export interface AnomalyFeatureInput {
  amountKes: number;
  timestamp: string;
  channel: Channel;
  country: string;
  homeCountry: string;
  /** The bank's fixed UTC offset; default +180 (Africa/Nairobi, no DST). */
  timeZoneOffsetMinutes?: number;
  /** The customer's median payment in KES; null or absent when there is no history yet. */
  customerMedianAmountKes?: number | null;
  paymentType: string;
}

export const NAIROBI_OFFSET_MINUTES = 180;

/**
 * Ordinal channel encoding in the order of the seeded channel-risk factors (BRANCH 0 … WEB 1), so
 * one split separates remote channels from in-person ones.
 */
const CHANNEL_RISK: Readonly<Record<Channel, number>> = { BRANCH: 0, ATM: 1, USSD: 2, MOBILE: 3, AGENT: 4, WEB: 5 };

/**
 * Payment types grouped by rail, roughly by typical value (book < wallet < instant < ACH < RTGS <
 * card < cross-border); unknown types get 0 so they sit apart rather than alias a known rail.
 */
const PAYMENT_TYPE_CODE: ReadonlyMap<string, number> = new Map([
  ['INTERNAL_TRANSFER', 1],
  ['MOBILE_MONEY', 2],
  ['INSTANT_TRANSFER', 3],
  ['CREDIT_TRANSFER', 4],
  ['EFT', 4],
  ['RTGS', 5],
  ['CARD_PAYMENT', 6],
  ['CROSS_BORDER_TRANSFER', 7],
  ['SWIFT_TRANSFER', 7],
]);

const DAY_MS = 86_400_000;
const ZONED = /T.*(?:Z|[+-]\d{2}:?\d{2})$/i;
const TWO_PI = 2 * Math.PI;

/**
 * Cheap by design (it runs per assessment): no Intl, a fixed offset instead of a time-zone lookup.
 * Throws RangeError on inputs no payment can have (unparseable timestamp, negative or non-finite amounts).
 */
export function anomalyFeatures(input: AnomalyFeatureInput): Float64Array {
  const { amountKes, channel, paymentType } = input;
  if (!Number.isFinite(amountKes) || amountKes < 0) throw new RangeError('amountKes must be a finite number ≥ 0');
  // Without a zone designator Date.parse would use the host's zone, and the fixed offset would be wrong.
  const instant = ZONED.test(input.timestamp) ? Date.parse(input.timestamp) : Number.NaN;
  if (Number.isNaN(instant)) throw new RangeError(`timestamp needs a date, time and UTC offset: ${input.timestamp}`);
  const offset = input.timeZoneOffsetMinutes ?? NAIROBI_OFFSET_MINUTES;
  const median = input.customerMedianAmountKes;
  if (median != null && (!Number.isFinite(median) || median < 0)) throw new RangeError('customerMedianAmountKes must be a finite number ≥ 0');
  const channelRisk = CHANNEL_RISK[channel];
  if (channelRisk === undefined) throw new RangeError(`unknown channel: ${String(channel)}`);

  const local = instant + offset * 60_000;
  const msIntoDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  // Hour as an angle so 23:59 and 00:01 are neighbours, not 24 hours apart.
  const angle = (TWO_PI * msIntoDay) / DAY_MS;
  // 1970-01-01 was a Thursday (4); Sunday is 0 and Saturday 6, as in Date.getUTCDay.
  const weekday = (((Math.floor(local / DAY_MS) + 4) % 7) + 7) % 7;

  const out = new Float64Array(8);
  out[0] = Math.log10(amountKes + 1);
  out[1] = Math.sin(angle);
  out[2] = Math.cos(angle);
  out[3] = weekday === 0 || weekday === 6 ? 1 : 0;
  out[4] = channelRisk;
  out[5] = input.country.toUpperCase() === input.homeCountry.toUpperCase() ? 0 : 1;
  // +1 on both sides keeps tiny medians (and zero) from blowing the ratio up.
  out[6] = median == null ? 0 : Math.log10((amountKes + 1) / (median + 1));
  out[7] = PAYMENT_TYPE_CODE.get(paymentType.toUpperCase()) ?? 0;
  return out;
}
