import type { ServiceContext } from '../context.ts';
import { fxRateOperations as ops } from '../../../shared/src/contract/fx-rates.ts';
import { correctFxRate, deleteFxRate, setFxRate } from './commands.ts';
import { fxRateAt, fxRateHistory, fxRateTable } from './queries.ts';

/**
 * /api/v1/fx-rates, built from the contract (shared/src/contract/fx-rates.ts, ARCHITECTURE.md
 * rule 2). Writes answer once this hub's scoring timeline holds the change (`fxRates.execute`).
 */
export function registerFxRateRoutes(ctx: ServiceContext): void {
  const { operations, db, fxRates, clock } = ctx;
  const now = () => clock.now().getTime();
  const meta = (request: { id: string }) => ({ requestId: request.id });

  operations.implement(ops.table, ({ query }) => fxRateTable(db.kysely, query.at ? Date.parse(query.at) : now()));
  operations.implement(ops.history, ({ params }) => fxRateHistory(db.kysely, params.currency, now()));
  operations.implement(ops.at, ({ params, query }) => fxRateAt(db.kysely, params.currency, Date.parse(query.instant)));
  operations.implement(ops.set, ({ principal, body, request }) => fxRates.execute(setFxRate, body, principal.actor, meta(request)));
  operations.implement(ops.correct, ({ principal, params, body, request }) =>
    fxRates.execute(correctFxRate, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.remove, async ({ principal, params, query, request }) => {
    await fxRates.execute(deleteFxRate, { id: params.id, ...query }, principal.actor, meta(request));
  });
}
