import type { FxRateRow } from '../db/schema.ts';
import { toIso, toNumber } from '../db/database.ts';
import type { FxRate, FxRateState } from '../../../shared/src/fx-rates.ts';

/** A stored rate as the API shows it; `state` relative to `atMs`, given the next rate's instant (null = none). */
export function toFxRate(row: FxRateRow, atMs: number, nextFromMs: number | null): FxRate {
  const fromMs = Date.parse(toIso(row.effective_from));
  const state: FxRateState = fromMs > atMs ? 'SCHEDULED' : nextFromMs !== null && nextFromMs <= atMs ? 'PAST' : 'CURRENT';
  return {
    id: row.id,
    currency: row.currency,
    kesPerUnit: toNumber(row.kes_per_unit),
    effectiveFrom: new Date(fromMs).toISOString(),
    note: row.note,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
    version: row.version,
    state,
  };
}

/** A currency's live rows (ascending effective instant) as API rates. */
export function toFxRates(rows: readonly FxRateRow[], atMs: number): FxRate[] {
  const sorted = [...rows].sort((a, b) => Date.parse(toIso(a.effective_from)) - Date.parse(toIso(b.effective_from)));
  return sorted.map((row, i) => toFxRate(row, atMs, i + 1 < sorted.length ? Date.parse(toIso(sorted[i + 1]!.effective_from)) : null));
}
