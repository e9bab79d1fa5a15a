import type { ServiceContext } from '../context.ts';
import { kriOperations as ops } from '../../../shared/src/contract/kris.ts';
import { createKri, deleteKri, recordKriMeasurement, updateKri } from './commands.ts';
import { getKri, kriMeasurements, kriMetricCatalogue, listKris } from './queries.ts';

/** /api/v1/kris and /api/v1/kri-metrics, built from the contract (ARCHITECTURE.md rule 2). */
export function registerKriRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const meta = (request: { id: string }) => ({ requestId: request.id });
  operations.implement(ops.list, ({ query, scope }) => listKris(db.kysely, query, scope, clock.now()));
  operations.implement(ops.get, ({ params, scope }) => getKri(db.kysely, params.id, scope, clock.now()));
  operations.implement(ops.create, ({ body, principal, request }) => bus.execute(createKri, body, principal.actor, meta(request)));
  operations.implement(ops.update, ({ params, body, principal, request }) =>
    bus.execute(updateKri, { ...body, id: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.remove, async ({ params, query, principal, request }) => {
    await bus.execute(deleteKri, { ...query, id: params.id }, principal.actor, meta(request));
  });
  operations.implement(ops.recordMeasurement, ({ params, body, principal, request }) =>
    bus.execute(recordKriMeasurement, { ...body, kriId: params.id }, principal.actor, meta(request)),
  );
  operations.implement(ops.measurements, ({ params, query, scope }) => kriMeasurements(db.kysely, params.id, query, scope, clock.now()));
  operations.implement(ops.metrics, () => kriMetricCatalogue());
}
