import type { FastifyReply } from 'fastify';
import type { ServiceContext } from '../context.ts';
import type { Principal } from '../auth/principal.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';
import { caseOperations } from '../../../shared/src/contract/cases.ts';
import type { CaseFilter } from '../../../shared/src/cases.ts';
import { assignCase, claimNextCase, releaseCase, requestInfo, resumeCase, startCase, tagCase } from './commands.ts';
import { decideApproval, decideCase, readFourEyes, updateFourEyes } from './decisions.ts';
import { bulkAssign, bulkCloseFalsePositive } from './bulk.ts';
import { addCaseComment, attachToCase } from './evidence.ts';
import { createQueue, deleteQueue, listQueues, updateQueue } from './queues.ts';
import { deleteCaseFilter, listSavedFilters, saveCaseFilter } from './saved-filters.ts';
import { CASE_EXPORT_LIMIT, casesCsv, casesXlsx } from './export.ts';
import { countCases, exportCaseRows, getAttachmentContent, getCaseDetail, listAssignees, listCases, viewerFor, type CaseViewerScope } from './queries.ts';

/**
 * Cases, queues, saved views and four-eyes, built from the contract (ARCHITECTURE.md rule 2:
 * shared/src/contract/cases.ts). Each handler runs one command or one query; tenant scope comes
 * from the router (`scope`) for queries and travels with the actor into commands.
 */
export function registerCaseRoutes(ctx: ServiceContext): void {
  const { db, operations: ops } = ctx;
  const run = ctx.bus.execute.bind(ctx.bus);
  const viewer = (principal: Principal, scope: TenantScope): CaseViewerScope => ({ viewerId: principal.actor.id, scope, now: ctx.clock.now() });

  ops.implement(caseOperations.list, ({ query, principal, scope }) => listCases(db.kysely, db.dialect, query, viewer(principal, scope)));
  ops.implement(caseOperations.counts, ({ principal, scope }) => countCases(db.kysely, db.dialect, viewer(principal, scope)));
  ops.implement(caseOperations.assignees, ({ scope }) => listAssignees(db.kysely, db.dialect, scope));

  const exportCases = (format: 'csv' | 'xlsx', filter: CaseFilter, principal: Principal, scope: TenantScope, reply: FastifyReply) => {
    const who = viewer(principal, scope);
    const stamp = who.now.toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const rows = exportCaseRows(db.kysely, db.dialect, filter, who, CASE_EXPORT_LIMIT);
    reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="cases-${stamp}.${format}"`);
    return reply.send(format === 'csv' ? casesCsv(rows) : casesXlsx(rows, `Cases exported ${stamp} by ${principal.actor.name}`, who.now));
  };
  ops.implement(caseOperations.exportCsv, ({ query, principal, scope, reply }) => exportCases('csv', query, principal, scope, reply));
  ops.implement(caseOperations.exportXlsx, ({ query, principal, scope, reply }) => exportCases('xlsx', query, principal, scope, reply));

  // Skim & lock: the next most urgent unassigned case of the caller's tenants, or 404 when none is left.
  ops.implement(caseOperations.claimNext, async ({ principal, body, request }) => {
    const claimed = await run(claimNextCase, body, principal.actor, { requestId: request.id });
    if (!claimed) throw notFound('an unassigned case in this queue');
    return claimed;
  });
  ops.implement(caseOperations.bulkAssign, ({ body, principal, request }) => run(bulkAssign, body, principal.actor, { requestId: request.id }));
  ops.implement(caseOperations.bulkCloseFalsePositive, ({ body, principal, request }) =>
    run(bulkCloseFalsePositive, body, principal.actor, { requestId: request.id }),
  );

  ops.implement(caseOperations.savedFilters, ({ principal }) => listSavedFilters(db.kysely, principal.actor.id, db.dialect));
  ops.implement(caseOperations.saveFilter, ({ body, principal, request }) => run(saveCaseFilter, body, principal.actor, { requestId: request.id }));
  ops.implement(caseOperations.deleteFilter, async ({ params, principal, request }) => {
    await run(deleteCaseFilter, { filterId: params.id }, principal.actor, { requestId: request.id });
  });

  ops.implement(caseOperations.fourEyes, () => readFourEyes(db.kysely));
  ops.implement(caseOperations.updateFourEyes, ({ body, principal, request }) => run(updateFourEyes, body, principal.actor, { requestId: request.id }));

  ops.implement(caseOperations.get, ({ params, principal, scope }) =>
    getCaseDetail(db.kysely, params.id, viewerFor(principal.actor.id, principal.role), scope, ctx.clock.now()),
  );

  // The steps: each runs the command of the same name on the case in the path.
  ops.implement(caseOperations.assign, ({ params, body, principal, request }) =>
    run(assignCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.release, ({ params, body, principal, request }) =>
    run(releaseCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.start, ({ params, body, principal, request }) =>
    run(startCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.requestInfo, ({ params, body, principal, request }) =>
    run(requestInfo, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.resume, ({ params, body, principal, request }) =>
    run(resumeCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.decide, ({ params, body, principal, request }) =>
    run(decideCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.approval, ({ params, body, principal, request }) =>
    run(decideApproval, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.tag, ({ params, body, principal, request }) =>
    run(tagCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.comment, ({ params, body, principal, request }) =>
    run(addCaseComment, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.attach, ({ params, body, principal, request }) =>
    run(attachToCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  );

  ops.implement(caseOperations.attachment, async ({ params, scope, reply }) => {
    const file = await getAttachmentContent(db.kysely, params.id, params.attachmentId, scope);
    // Always a download, never rendered in our origin; the name is quoted safely (RFC 6266).
    const ascii = file.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .type(file.content_type)
      .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('ETag', `"${file.sha256}"`)
      .send(Buffer.from(file.content));
  });

  // Queues, routing and SLA (bank-wide).
  ops.implement(caseOperations.queues, () => listQueues(db.kysely));
  ops.implement(caseOperations.createQueue, ({ body, principal, request }) => run(createQueue, body, principal.actor, { requestId: request.id }));
  ops.implement(caseOperations.updateQueue, ({ params, body, principal, request }) =>
    run(updateQueue, { ...body, queueId: params.id }, principal.actor, { requestId: request.id }),
  );
  ops.implement(caseOperations.deleteQueue, async ({ params, query, principal, request }) => {
    await run(deleteQueue, { queueId: params.id, expectedVersion: query.expectedVersion }, principal.actor, { requestId: request.id });
  });
}
