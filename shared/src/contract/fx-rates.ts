import {
  FxRate,
  FxRateAtQuery,
  FxRateCorrectInput,
  FxRateCurrencyParams,
  FxRateDeleteQuery,
  FxRateHistory,
  FxRateSetInput,
  FxRateTable,
  FxRateTableQuery,
} from '../fx-rates.ts';
import { defineOperation, UuidParams } from './operation.ts';

const BASE = '/api/v1/fx-rates';

/**
 * FX rates to KES (issue 11 §1, ARCHITECTURE.md rule 2). Rates are bank-wide (tenant rule
 * global): everyone who reads configurations reads them; risk managers, who manage the decision
 * engine's configuration, set them.
 */
export const fxRateOperations = {
  table: defineOperation({
    name: 'fx-rate.table',
    kind: 'query',
    method: 'GET',
    path: BASE,
    access: 'configuration:read',
    tenant: 'global',
    summary: 'Every ISO 4217 currency with its minor units, the KES rate in effect at `at` (default now) and the next scheduled one.',
    query: FxRateTableQuery,
    output: FxRateTable,
  }),
  history: defineOperation({
    name: 'fx-rate.history',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/:currency/history`,
    access: 'configuration:read',
    tenant: 'global',
    summary: "A currency's KES rates, latest effective date first.",
    params: FxRateCurrencyParams,
    output: FxRateHistory,
  }),
  at: defineOperation({
    name: 'fx-rate.at',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/:currency/at`,
    access: 'configuration:read',
    tenant: 'global',
    summary: 'The KES rate of a currency in effect at an instant (404 when it has none then).',
    params: FxRateCurrencyParams,
    query: FxRateAtQuery,
    output: FxRate,
  }),
  set: defineOperation({
    name: 'fx-rate.set',
    kind: 'command',
    method: 'POST',
    path: BASE,
    access: 'configuration:manage',
    tenant: 'global',
    summary: 'Set a KES rate from now, or schedule it with a future effectiveFrom.',
    body: FxRateSetInput,
    output: FxRate,
    status: 201,
  }),
  correct: defineOperation({
    name: 'fx-rate.correct',
    kind: 'command',
    method: 'PUT',
    path: `${BASE}/:id`,
    access: 'configuration:manage',
    tenant: 'global',
    summary: 'Correct a scheduled rate before it takes effect (expectedVersion; a stale one answers 409).',
    params: UuidParams,
    body: FxRateCorrectInput,
    output: FxRate,
  }),
  remove: defineOperation({
    name: 'fx-rate.delete',
    kind: 'command',
    method: 'DELETE',
    path: `${BASE}/:id`,
    access: 'configuration:manage',
    tenant: 'global',
    summary: 'Delete a scheduled rate before it takes effect (a tombstone is kept).',
    params: UuidParams,
    query: FxRateDeleteQuery,
    output: null,
  }),
} as const;
