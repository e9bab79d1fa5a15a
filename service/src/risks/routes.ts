import type { ServiceContext } from '../context.ts';
import { controlOperations, riskMatrixOperations, riskOperations } from '../../../shared/src/contract/risks.ts';
import {
  assessRisk,
  changeRiskStatus,
  createControl,
  createRisk,
  deleteControl,
  deleteRisk,
  linkControl,
  recordControlTest,
  unlinkControl,
  updateControl,
  updateRisk,
} from './commands.ts';
import { createTreatment, createTreatmentAction, updateTreatment, updateTreatmentAction } from './treatments.ts';
import { approveAcceptance, rejectAcceptance, requestAcceptance, withdrawAcceptance } from './acceptances.ts';
import { updateRiskMatrix } from './matrix.ts';
import { listRiskOwners } from './owners.ts';
import {
  getControl,
  getCurrentMatrix,
  getRiskDetail,
  getTestEvidence,
  listAssessments,
  listControls,
  listControlTests,
  listMatrixVersions,
  listRisks,
} from './queries.ts';

/**
 * The risk register's routes, built from the contract (shared/src/contract/risks.ts,
 * ARCHITECTURE.md rule 2): each handler runs one command or one query. Tenant scope comes from
 * the router (`scope`) for queries and travels with the actor into commands.
 */
export function registerRiskRoutes(ctx: ServiceContext): void {
  const { db, operations: ops, clock } = ctx;
  const run = ctx.bus.execute.bind(ctx.bus);
  const meta = (request: { id: string }) => ({ requestId: request.id });
  const now = () => clock.now();

  ops.implement(riskOperations.list, ({ query, scope }) => listRisks(db.kysely, query, scope, now()));
  ops.implement(riskOperations.owners, ({ query, scope }) => listRiskOwners(db.kysely, db.dialect, query, scope));
  ops.implement(riskOperations.create, ({ body, principal, request }) => run(createRisk, body, principal.actor, meta(request)));
  ops.implement(riskOperations.get, ({ params, scope }) => getRiskDetail(db.kysely, params.id, scope, now()));
  ops.implement(riskOperations.update, ({ params, body, principal, request }) =>
    run(updateRisk, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.remove, async ({ params, query, principal, request }) => {
    await run(deleteRisk, { riskId: params.id, expectedVersion: query.expectedVersion }, principal.actor, meta(request));
  });
  ops.implement(riskOperations.assess, ({ params, body, principal, request }) =>
    run(assessRisk, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.assessments, ({ params, scope }) => listAssessments(db.kysely, params.id, scope));
  ops.implement(riskOperations.changeStatus, ({ params, body, principal, request }) =>
    run(changeRiskStatus, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.linkControl, ({ params, body, principal, request }) =>
    run(linkControl, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.unlinkControl, async ({ params, principal, request }) => {
    await run(unlinkControl, { riskId: params.id, controlId: params.controlId }, principal.actor, meta(request));
  });
  ops.implement(riskOperations.createTreatment, ({ params, body, principal, request }) =>
    run(createTreatment, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.updateTreatment, ({ params, body, principal, request }) =>
    run(updateTreatment, { ...body, riskId: params.id, treatmentId: params.treatmentId }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.createTreatmentAction, ({ params, body, principal, request }) =>
    run(createTreatmentAction, { ...body, riskId: params.id, treatmentId: params.treatmentId }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.updateTreatmentAction, ({ params, body, principal, request }) =>
    run(updateTreatmentAction, { ...body, riskId: params.id, treatmentId: params.treatmentId, actionId: params.actionId }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.requestAcceptance, ({ params, body, principal, request }) =>
    run(requestAcceptance, { ...body, riskId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.approveAcceptance, ({ params, body, principal, request }) =>
    run(approveAcceptance, { ...body, acceptanceId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.rejectAcceptance, ({ params, body, principal, request }) =>
    run(rejectAcceptance, { ...body, acceptanceId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(riskOperations.withdrawAcceptance, ({ params, body, principal, request }) =>
    run(withdrawAcceptance, { ...body, acceptanceId: params.id }, principal.actor, meta(request)),
  );

  ops.implement(controlOperations.list, ({ query, scope }) => listControls(db.kysely, query, scope, now()));
  ops.implement(controlOperations.create, ({ body, principal, request }) => run(createControl, body, principal.actor, meta(request)));
  ops.implement(controlOperations.get, ({ params, scope }) => getControl(db.kysely, params.id, scope, now()));
  ops.implement(controlOperations.update, ({ params, body, principal, request }) =>
    run(updateControl, { ...body, controlId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(controlOperations.remove, async ({ params, query, principal, request }) => {
    await run(deleteControl, { controlId: params.id, expectedVersion: query.expectedVersion }, principal.actor, meta(request));
  });
  ops.implement(controlOperations.recordTest, ({ params, body, principal, request }) =>
    run(recordControlTest, { ...body, controlId: params.id }, principal.actor, meta(request)),
  );
  ops.implement(controlOperations.tests, ({ params, scope }) => listControlTests(db.kysely, params.id, scope));
  ops.implement(controlOperations.evidence, async ({ params, scope, reply }) => {
    const file = await getTestEvidence(db.kysely, params.id, params.testId, scope);
    // Always a download, never rendered in our origin; the name is quoted safely (RFC 6266), as case attachments.
    const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .type(file.contentType)
      .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('ETag', `"${file.sha256}"`)
      .send(file.content);
  });

  ops.implement(riskMatrixOperations.current, () => getCurrentMatrix(db.kysely));
  ops.implement(riskMatrixOperations.update, ({ body, principal, request }) => run(updateRiskMatrix, body, principal.actor, meta(request)));
  ops.implement(riskMatrixOperations.versions, () => listMatrixVersions(db.kysely));
}
