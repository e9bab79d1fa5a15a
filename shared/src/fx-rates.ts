import { z } from 'zod';
import { CurrencyCode, CurrencyInfo } from './currencies.ts';
import { BoundedInstant, NoteText } from './text.ts';

/**
 * FX rates to KES are data (issue 11 §1): each row says how many KES one unit of a currency is
 * worth from an instant on, until the next row of that currency. Scoring converts a payment with
 * the rate effective at the payment's own time and stores the rate it used with the assessment
 * (ARCHITECTURE.md rule 3), so rates set later never change a decision already taken.
 */

/** Largest KES value of one unit accepted (one troy ounce of gold is worth well under this). */
export const MAX_KES_PER_UNIT = 100_000_000;
/** Decimal places kept (the column is numeric(28, 12)). */
export const KES_RATE_DECIMALS = 12;

export const KesPerUnit = z
  .number()
  .positive('must be more than 0')
  .max(MAX_KES_PER_UNIT, 'must be at most 100,000,000 KES per unit')
  .refine((n) => !Number.isFinite(n) || Number(n.toFixed(KES_RATE_DECIMALS)) === n, `at most ${KES_RATE_DECIMALS} decimal places`);

/** Where the rate comes from (e.g. "CBK mean rate 4 Dec 2026", "Treasury desk"): required, shown in the history. */
export const RateNote = NoteText(300).pipe(z.string().min(3, 'say where the rate comes from (at least 3 characters)'));

const CurrencyParam = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. USD');

export const FxRateState = z.enum(['PAST', 'CURRENT', 'SCHEDULED']);
export type FxRateState = z.infer<typeof FxRateState>;

export const FxRate = z.object({
  id: z.uuid(),
  currency: z.string(),
  kesPerUnit: z.number().positive(),
  effectiveFrom: z.iso.datetime(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedBy: z.string(),
  updatedAt: z.iso.datetime(),
  /** Row version (ARCHITECTURE.md rule 5): corrections and deletes name the version they change. */
  version: z.number().int().positive(),
  /** Relative to the answer's `at`: superseded, in effect, or not yet in effect. */
  state: FxRateState,
});
export type FxRate = z.infer<typeof FxRate>;

export const FxRateTableQuery = z.object({
  /** The instant the table is for (default now). */
  at: BoundedInstant.optional(),
});

export const FxRateTableRow = CurrencyInfo.safeExtend({
  /** The rate in effect at `at`; null when the currency has none (payments in it are refused). */
  current: FxRate.nullable(),
  /** The next rate scheduled after `at`, if any. */
  next: FxRate.nullable(),
});
export type FxRateTableRow = z.infer<typeof FxRateTableRow>;

export const FxRateTable = z.object({
  at: z.iso.datetime(),
  currencies: z.array(FxRateTableRow),
});
export type FxRateTable = z.infer<typeof FxRateTable>;

export const FxRateCurrencyParams = z.object({ currency: CurrencyParam });

export const FxRateHistory = z.object({
  currency: CurrencyInfo,
  at: z.iso.datetime(),
  /** Every rate of the currency, latest effectiveFrom first (deleted future rates are not listed; the audit log has them). */
  rates: z.array(FxRate),
});
export type FxRateHistory = z.infer<typeof FxRateHistory>;

export const FxRateAtQuery = z.object({ instant: BoundedInstant });

/**
 * Sets a rate from now (effectiveFrom left out) or schedules it (effectiveFrom in the future).
 * Rates already in effect are never changed: decisions may have used them.
 */
export const FxRateSetInput = z.object({
  currency: CurrencyCode,
  kesPerUnit: KesPerUnit,
  effectiveFrom: BoundedInstant.optional(),
  note: RateNote,
});
export type FxRateSetInput = z.input<typeof FxRateSetInput>;

/** Corrects a scheduled rate that has not taken effect yet. */
export const FxRateCorrectInput = z.object({
  kesPerUnit: KesPerUnit,
  effectiveFrom: BoundedInstant,
  note: RateNote,
  expectedVersion: z.number().int().positive(),
});
export type FxRateCorrectInput = z.input<typeof FxRateCorrectInput>;

export const FxRateDeleteQuery = z.object({
  expectedVersion: z.coerce.number().int().positive(),
  reason: NoteText(300).optional(),
});
