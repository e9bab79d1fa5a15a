import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { CaseAssignRequest, CaseDecisionRequest, CaseListQuery } from '../../../shared/src/cases.ts';
import { assignCase, claimNextCase, decideCase } from './commands.ts';
import { notFound } from '../errors.ts';
import { countCases, getCaseDetail, listCases } from './queries.ts';

const CaseParams = z.object({ id: z.uuid() });

export function registerCaseRoutes(ctx: ServiceContext): void {
  const { app, authenticator } = ctx;

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases',
    access: 'case:read',
    query: CaseListQuery,
    handler: ({ query, principal }) => listCases(ctx.db.kysely, query, principal.actor.id),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/counts',
    access: 'case:read',
    handler: ({ principal }) => countCases(ctx.db.kysely, principal.actor.id, new Date()),
  });

  // Skim & lock: the next most urgent unassigned case is assigned to the caller, or 404 when none is left.
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/claim-next',
    access: 'case:work',
    async handler({ principal, request }) {
      const claimed = await ctx.bus.execute(claimNextCase, request.body ?? {}, principal.actor, { requestId: request.id });
      if (!claimed) throw notFound('an unassigned case in this queue');
      return claimed;
    },
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/cases/:id',
    access: 'case:read',
    params: CaseParams,
    handler: ({ params }) => getCaseDetail(ctx.db.kysely, params.id),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/assign',
    access: 'case:work',
    params: CaseParams,
    body: CaseAssignRequest,
    handler: ({ params, body, principal, request }) =>
      ctx.bus.execute(assignCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/cases/:id/decision',
    access: 'case:decide',
    params: CaseParams,
    body: CaseDecisionRequest,
    handler: ({ params, body, principal, request }) =>
      ctx.bus.execute(decideCase, { ...body, caseId: params.id }, principal.actor, { requestId: request.id }),
  });
}
