import type { ServiceContext } from '../context.ts';
import { riskReportOperations as ops } from '../../../shared/src/contract/risk-reports.ts';
import type { RegisterKind } from '../../../shared/src/risk-reports.ts';
import { renderBoardReport } from './board-pdf.ts';
import { exportRegister } from './export.ts';
import { commitImport, previewImport } from './import.ts';
import { riskOverview } from './overview.ts';

/**
 * Import, export, the board report and the overview, built from the contract
 * (shared/src/contract/risk-reports.ts, ARCHITECTURE.md rule 2). Each handler runs one command or
 * one query; files are sent on `reply`.
 */
export function registerRiskReportRoutes(ctx: ServiceContext): void {
  const { db, operations, bus, clock } = ctx;

  operations.implement(ops.importPreview, ({ body, principal, request }) => bus.execute(previewImport, body, principal.actor, { requestId: request.id }));
  operations.implement(ops.importCommit, ({ params, body, principal, request }) =>
    commitImport({ db: db.kysely, bus }, params.previewId, body.tenantId, principal.actor, clock.now(), request.id),
  );

  const exportHandler =
    (kind: RegisterKind): Parameters<typeof operations.implement<typeof ops.exportRisks>>[1] =>
    async ({ query, principal, scope, reply }) => {
      const file = await exportRegister(db.kysely, kind, query.format, scope, clock.now(), principal.actor.name);
      return reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    };
  operations.implement(ops.exportRisks, exportHandler('risks'));
  operations.implement(ops.exportControls, exportHandler('controls'));
  operations.implement(ops.exportKris, exportHandler('kris'));

  operations.implement(ops.overview, ({ query, scope }) => riskOverview(db.kysely, scope, query, clock.now()));
  operations.implement(ops.boardReport, async ({ query, principal, scope, reply }) => {
    const overview = await riskOverview(db.kysely, scope, query, clock.now());
    const pdf = await renderBoardReport(overview, {
      generatedBy: principal.actor.name,
      tenants: scope.isAll ? 'all tenants' : (scope.sqlList() ?? []).join(', '),
    });
    const stamp = overview.asOf.slice(0, 10);
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="board-risk-report-${stamp}.pdf"`).send(pdf);
  });
}
