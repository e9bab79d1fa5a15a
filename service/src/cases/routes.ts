import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import type { CommandDefinition } from '../commands/bus.ts';
import { addRoute } from '../http/route.ts';
import {
  BulkAssignRequest,
  BulkCloseFalsePositiveRequest,
  CaseApprovalDecisionRequest,
  CaseAssignRequest,
  CaseAttachmentUpload,
  CaseCommentRequest,
  CaseDecisionRequest,
  CaseFilter,
  CaseListQuery,
  CaseRequestInfoRequest,
  CaseStepRequest,
  CaseTagsRequest,
  ClaimNextRequest,
  FourEyesSettingsInput,
  MAX_ATTACHMENT_BYTES,
  SavedFilterInput,
} from '../../../shared/src/cases.ts';
import { CaseQueueInput, CaseQueueUpdate } from '../../../shared/src/queues.ts';
import {
  assignCase,
  bulkAssign,
  bulkCloseFalsePositive,
  claimNextCase,
  decideApproval,
  decideCase,
  readFourEyes,
  releaseCase,
  requestInfo,
  resumeCase,
  startCase,
  tagCase,
  updateFourEyes,
} from './commands.ts';
import { addCaseComment, attachToCase } from './evidence.ts';
import { createQueue, deleteQueue, listQueues, updateQueue } from './queues.ts';
import { deleteCaseFilter, listSavedFilters, saveCaseFilter } from './saved-filters.ts';
import { CASE_EXPORT_LIMIT, casesCsv, casesXlsx } from './export.ts';
import { notFound } from '../errors.ts';
import { countCases, exportCaseRows, getAttachmentContent, getCaseDetail, listAssignees, listCases, viewerFor } from './queries.ts';

const CaseParams = z.object({ id: z.uuid() });

export function registerCaseRoutes(ctx: ServiceContext): void {
  const { app, authenticator, db } = ctx;
  const run = ctx.bus.execute.bind(ctx.bus);

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases',
    access: 'case:read',
    query: CaseListQuery,
    handler: ({ query, principal }) => listCases(db.kysely, db.dialect, query, principal.actor.id),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/counts',
    access: 'case:read',
    handler: ({ principal }) => countCases(db.kysely, db.dialect, principal.actor.id, new Date()),
  });

  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/cases/assignees', access: 'case:read', handler: () => listAssignees(db.kysely, db.dialect) });

  for (const format of ['csv', 'xlsx'] as const) {
    addRoute(app, authenticator, {
      method: 'GET',
      url: `/api/v1/cases/export.${format}`,
      access: 'case:read',
      query: CaseFilter,
      async handler({ query, principal, reply }) {
        const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
        const rows = exportCaseRows(db.kysely, db.dialect, query, principal.actor.id, CASE_EXPORT_LIMIT);
        reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('Content-Disposition', `attachment; filename="cases-${stamp}.${format}"`);
        return reply.send(format === 'csv' ? casesCsv(rows) : casesXlsx(rows, `Cases exported ${stamp} by ${principal.actor.name}`));
      },
    });
  }

  // Skim & lock: the next most urgent unassigned case is assigned to the caller, or 404 when none is left.
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/claim-next',
    access: 'case:work',
    body: ClaimNextRequest,
    async handler({ principal, body, request }) {
      const claimed = await run(claimNextCase, body, principal.actor, { requestId: request.id });
      if (!claimed) throw notFound('an unassigned case in this queue');
      return claimed;
    },
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/bulk/assign',
    access: 'case:work',
    body: BulkAssignRequest,
    handler: ({ body, principal, request }) => run(bulkAssign, body, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/bulk/close-false-positive',
    access: 'case:decide',
    body: BulkCloseFalsePositiveRequest,
    handler: ({ body, principal, request }) => run(bulkCloseFalsePositive, body, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/saved-filters',
    access: 'case:read',
    handler: ({ principal }) => listSavedFilters(db.kysely, principal.actor.id, db.dialect),
  });
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/saved-filters',
    access: 'case:read',
    body: SavedFilterInput,
    status: 201,
    handler: ({ body, principal, request }) => run(saveCaseFilter, body, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, {
    method: 'DELETE',
    url: '/api/v1/cases/saved-filters/:id',
    access: 'case:read',
    params: CaseParams,
    status: 204,
    handler: ({ params, principal, request }) => run(deleteCaseFilter, { filterId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/cases/settings/four-eyes', access: 'case:read', handler: () => readFourEyes(db.kysely) });
  addRoute(app, authenticator, {
    method: 'PUT',
    url: '/api/v1/cases/settings/four-eyes',
    access: 'case:configure',
    body: FourEyesSettingsInput,
    handler: ({ body, principal, request }) => run(updateFourEyes, body, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/:id',
    access: 'case:read',
    params: CaseParams,
    handler: ({ params, principal }) => getCaseDetail(db.kysely, params.id, viewerFor(principal.actor.id, principal.role)),
  });

  /** A case step: POST /api/v1/cases/:id/<path>, body validated, run as its command. */
  function step<B extends z.ZodObject, R>(path: string, command: CommandDefinition<z.ZodType, R>, body: B): void {
    addRoute(app, authenticator, {
      method: 'POST',
      url: `/api/v1/cases/:id/${path}`,
      access: 'case:work',
      params: CaseParams,
      body,
      handler: ({ params, body: input, principal, request }) => run(command, { ...(input as object), caseId: params.id }, principal.actor, { requestId: request.id }),
    });
  }
  step('assign', assignCase, CaseAssignRequest);
  step('release', releaseCase, CaseStepRequest);
  step('start', startCase, CaseStepRequest);
  step('request-info', requestInfo, CaseRequestInfoRequest);
  step('resume', resumeCase, CaseStepRequest);

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/decision',
    access: 'case:decide',
    params: CaseParams,
    body: CaseDecisionRequest,
    handler: ({ params, body, principal, request }) => run(decideCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/approval',
    access: 'case:approve',
    params: CaseParams,
    body: CaseApprovalDecisionRequest,
    handler: ({ params, body, principal, request }) => run(decideApproval, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'PUT',
    url: '/api/v1/cases/:id/tags',
    access: 'case:work',
    params: CaseParams,
    body: CaseTagsRequest,
    handler: ({ params, body, principal, request }) => run(tagCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/comments',
    access: 'case:work',
    params: CaseParams,
    body: CaseCommentRequest,
    status: 201,
    handler: ({ params, body, principal, request }) => run(addCaseComment, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/attachments',
    access: 'case:work',
    params: CaseParams,
    body: CaseAttachmentUpload,
    // Base64 costs a third more than the file itself.
    bodyLimit: Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024,
    status: 201,
    handler: ({ params, body, principal, request }) => run(attachToCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/:id/attachments/:attachmentId',
    access: 'case:read',
    params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
    async handler({ params, reply }) {
      const file = await getAttachmentContent(db.kysely, params.id, params.attachmentId);
      // Always a download, never rendered in our origin; the name is quoted safely (RFC 6266).
      const ascii = file.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .type(file.content_type)
        .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('ETag', `"${file.sha256}"`)
        .send(Buffer.from(file.content));
    },
  });

  // Queues, routing and SLA.
  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/case-queues', access: 'case:read', handler: () => listQueues(db.kysely) });
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/case-queues',
    access: 'case:configure',
    body: CaseQueueInput,
    status: 201,
    handler: ({ body, principal, request }) => run(createQueue, body, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, {
    method: 'PUT',
    url: '/api/v1/case-queues/:id',
    access: 'case:configure',
    params: CaseParams,
    body: CaseQueueUpdate,
    handler: ({ params, body, principal, request }) => run(updateQueue, { ...body, queueId: params.id }, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, {
    method: 'DELETE',
    url: '/api/v1/case-queues/:id',
    access: 'case:configure',
    params: CaseParams,
    query: z.object({ expectedVersion: z.coerce.number().int().positive() }),
    status: 204,
    handler: ({ params, query, principal, request }) => run(deleteQueue, { queueId: params.id, expectedVersion: query.expectedVersion }, principal.actor, { requestId: request.id }),
  });
}
