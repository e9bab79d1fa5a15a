import { z } from 'zod';
import { RuleFamily } from '../../../shared/src/assessments.ts';

/**
 * The first rule set, kept as data (zod-validated) so that the decision-engine issue can store,
 * version and edit it per configuration. Each rule has a family, parameters and a weight: the
 * share of the 0..1 risk score it adds when it fires.
 */
const RuleBase = z.object({
  id: z.string().min(1).max(80),
  name: z.string().min(1).max(120),
  family: RuleFamily,
  weight: z.number().min(0).max(1),
  enabled: z.boolean().default(true),
});

export const HighAmountRule = RuleBase.extend({
  kind: z.literal('high-amount'),
  params: z.object({
    thresholdKes: z.number().positive(),
    /** Seed 001: more than KES 10M is high risk on its own. */
    severeThresholdKes: z.number().positive(),
    severeWeight: z.number().min(0).max(1),
  }),
});

export const OffHoursRule = RuleBase.extend({
  kind: z.literal('off-hours'),
  params: z.object({
    timeZone: z.string().min(1),
    /** Local hour at which off-hours start (inclusive) and end (exclusive); may wrap midnight. */
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(0).max(23),
  }),
});

export const HighRiskCountryRule = RuleBase.extend({
  kind: z.literal('high-risk-country'),
  params: z.object({
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)),
    elevatedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)),
    elevatedWeight: z.number().min(0).max(1),
  }),
});

export const RuleDefinition = z.discriminatedUnion('kind', [HighAmountRule, OffHoursRule, HighRiskCountryRule]);
export type RuleDefinition = z.infer<typeof RuleDefinition>;

export const Thresholds = z.object({ medium: z.number(), high: z.number(), critical: z.number() });
export type Thresholds = z.infer<typeof Thresholds>;

export const RuleSet = z.object({
  name: z.string(),
  rules: z.array(RuleDefinition),
  thresholds: Thresholds,
});
export type RuleSet = z.infer<typeof RuleSet>;

export const DEFAULT_RULE_SET: RuleSet = RuleSet.parse({
  name: 'Wekeza default rules v1',
  thresholds: { medium: 0.3, high: 0.5, critical: 0.8 },
  rules: [
    {
      id: 'amount.high',
      name: 'High amount',
      family: 'AMOUNT',
      kind: 'high-amount',
      weight: 0.35,
      params: { thresholdKes: 1_000_000, severeThresholdKes: 10_000_000, severeWeight: 0.6 },
    },
    {
      id: 'location.high-risk-country',
      name: 'High-risk country',
      family: 'LOCATION',
      kind: 'high-risk-country',
      weight: 0.35,
      params: {
        // FATF "call for action" jurisdictions plus comprehensive-sanctions and conflict destinations.
        countries: ['KP', 'IR', 'MM', 'SY', 'YE', 'AF', 'SO', 'SS', 'SD', 'LY', 'CU', 'RU', 'BY', 'VE'],
        // Higher-risk corridors that warrant a second look but not on their own a hold.
        elevatedCountries: ['NG', 'AE', 'CD', 'HT', 'ML', 'BF', 'LB', 'MZ', 'CM', 'HK'],
        elevatedWeight: 0.2,
      },
    },
    {
      id: 'time.off-hours',
      name: 'Off-hours payment',
      family: 'TIME',
      kind: 'off-hours',
      weight: 0.2,
      params: { timeZone: 'Africa/Nairobi', startHour: 22, endHour: 6 },
    },
  ],
});
