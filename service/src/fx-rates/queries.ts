import type { Kysely } from 'kysely';
import type { Database, FxRateRow } from '../db/schema.ts';
import { toIso } from '../db/database.ts';
import { notFound, validationFailed } from '../errors.ts';
import { CURRENCIES, currencyByCode } from '../../../shared/src/currencies.ts';
import type { FxRate, FxRateHistory, FxRateTable } from '../../../shared/src/fx-rates.ts';
import { toFxRates } from './mapping.ts';

/**
 * The FX rate screens' reads (ARCHITECTURE.md rule 2: one query per route), from the table itself
 * (every hub answers the same). "Now" comes from the injected clock (rule 3).
 */

async function liveRows(db: Kysely<Database>, currency?: string): Promise<FxRateRow[]> {
  let q = db.selectFrom('fx_rates').selectAll().where('deleted_at', 'is', null);
  if (currency) q = q.where('currency', '=', currency);
  return q.execute();
}

function byCurrency(rows: readonly FxRateRow[]): Map<string, FxRateRow[]> {
  const out = new Map<string, FxRateRow[]>();
  for (const row of rows) {
    const list = out.get(row.currency) ?? [];
    list.push(row);
    out.set(row.currency, list);
  }
  return out;
}

const info = (c: (typeof CURRENCIES)[number]) => ({ code: c.code, name: c.name, minorUnits: c.minorUnits, kind: c.kind, active: c.active });

/** Every active ISO 4217 currency (plus any other code that has rates) with its rate at `atMs` and the next one. */
export async function fxRateTable(db: Kysely<Database>, atMs: number): Promise<FxRateTable> {
  const grouped = byCurrency(await liveRows(db));
  const codes = new Set([...CURRENCIES.filter((c) => c.active && c.kind !== 'test').map((c) => c.code), ...grouped.keys()]);
  const currencies = [...codes].sort().map((code) => {
    const currency = currencyByCode(code);
    const rates = toFxRates(grouped.get(code) ?? [], atMs);
    return {
      ...(currency ? info(currency) : { code, name: code, minorUnits: null, kind: 'currency' as const, active: false }),
      current: rates.find((r) => r.state === 'CURRENT') ?? null,
      next: rates.find((r) => r.state === 'SCHEDULED') ?? null,
    };
  });
  return { at: new Date(atMs).toISOString(), currencies };
}

function knownCurrency(code: string) {
  const currency = currencyByCode(code);
  if (!currency) throw validationFailed([{ path: 'params.currency', message: `${code} is not an ISO 4217 currency code` }]);
  return currency;
}

export async function fxRateHistory(db: Kysely<Database>, code: string, atMs: number): Promise<FxRateHistory> {
  const currency = knownCurrency(code);
  const rates = toFxRates(await liveRows(db, code), atMs).reverse();
  return { currency: info(currency), at: new Date(atMs).toISOString(), rates };
}

/** The rate in effect at an instant (404 naming the currency and instant when there is none). */
export async function fxRateAt(db: Kysely<Database>, code: string, instantMs: number): Promise<FxRate> {
  knownCurrency(code);
  const rows = (await liveRows(db, code)).filter((r) => Date.parse(toIso(r.effective_from)) <= instantMs);
  const rate = toFxRates(rows, instantMs).at(-1);
  if (!rate) throw notFound(`a KES rate for ${code} effective at ${new Date(instantMs).toISOString()}`);
  return rate;
}
