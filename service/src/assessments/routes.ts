import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { parseOrThrow } from '../errors.ts';
import { PaymentInput } from '../../../shared/src/payments.ts';
import { AssessmentListQuery } from '../../../shared/src/assessments.ts';
import { CancelAssessmentRequest, ManualDecisionRequest } from '../../../shared/src/decision-engine.ts';
import { cancelAssessment, decideAssessment } from './commands.ts';
import { getAssessment, listAssessments, type AssessmentView } from './queries.ts';
import { assessmentsCsv } from './export.ts';
import { isPacs008, mapPacs008 } from './iso20022.ts';

const BASE = '/api/v1/fraud-risk';
const IdParams = z.object({ id: z.string().min(1).max(100) });

export function registerAssessmentRoutes(ctx: ServiceContext): void {
  const { app, authenticator, db, bus } = ctx;
  const pipeline = ctx.decisionEngine.pipeline;

  async function assessPacs008(body: unknown, tenantId: string | undefined, principal: Parameters<typeof pipeline.assess>[1], requestId: string) {
    const { payments, messageId } = mapPacs008(body, { tenantId });
    const results = await Promise.all(payments.map((p) => pipeline.assess(p, principal, requestId)));
    for (const r of results) if (r.created) ctx.metrics.assessments.inc({ risk_level: r.assessment.riskLevel ?? 'NONE', decision: r.assessment.decision ?? 'NONE' });
    return { messageId, results };
  }

  // Seed 003 POST: the native payment JSON, or an ISO 20022 pacs.008 document (detected by its root).
  addRoute(app, authenticator, {
    method: 'POST',
    url: `${BASE}/assessments`,
    access: 'assessment:create',
    status: 201,
    query: z.object({ tenantId: z.string().trim().min(1).max(50).optional() }),
    async handler({ principal, request, reply, query }) {
      if (isPacs008(request.body)) {
        const { messageId, results } = await assessPacs008(request.body, query.tenantId, principal.actor, request.id);
        if (results.every((r) => !r.created)) reply.code(200);
        // One transaction in the message answers like a native post; several answer as a list.
        return results.length === 1 ? results[0]!.assessment : { messageId, assessments: results.map((r) => r.assessment) };
      }
      const payment = parseOrThrow(PaymentInput, request.body, 'body');
      const result = await pipeline.assess(payment, principal.actor, request.id);
      if (!result.created) reply.code(200);
      else {
        ctx.metrics.assessments.inc({ risk_level: result.assessment.riskLevel ?? 'NONE', decision: result.assessment.decision ?? 'NONE' });
        if (result.assessment.status === 'PENDING') reply.code(202);
      }
      return result.assessment;
    },
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: `${BASE}/assessments/iso20022/pacs.008`,
    access: 'assessment:create',
    status: 201,
    query: z.object({ tenantId: z.string().trim().min(1).max(50).optional() }),
    async handler({ principal, request, reply, query }) {
      const { messageId, results } = await assessPacs008(request.body, query.tenantId, principal.actor, request.id);
      if (results.every((r) => !r.created)) reply.code(200);
      return { messageId, assessments: results.map((r) => r.assessment) };
    },
  });

  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/assessments`, access: 'assessment:read', query: AssessmentListQuery, handler: ({ query }) => listAssessments(db.kysely, query) });

  addRoute(app, authenticator, {
    method: 'GET',
    url: `${BASE}/assessments/export.csv`,
    access: 'assessment:read',
    query: AssessmentListQuery.omit({ page: true, pageSize: true }),
    async handler({ query, reply }) {
      reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="assessments-${new Date().toISOString().slice(0, 10)}.csv"`);
      return assessmentsCsv(db.kysely, query);
    },
  });

  addRoute(app, authenticator, { method: 'GET', url: `${BASE}/assessments/:id`, access: 'assessment:read', params: IdParams, handler: ({ params }) => getAssessment(db.kysely, { id: params.id }) });
  addRoute(app, authenticator, {
    method: 'GET',
    url: `${BASE}/assessments/transaction/:reference`,
    access: 'assessment:read',
    params: z.object({ reference: z.string().min(1).max(100) }),
    query: z.object({ tenantId: z.string().max(50).optional() }),
    handler: ({ params, query }) => getAssessment(db.kysely, { reference: params.reference, tenantId: query.tenantId }),
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: `${BASE}/assessments/:id/retry`,
    access: 'assessment:manage',
    params: IdParams,
    async handler({ principal, params }) {
      const current = await getAssessment(db.kysely, { id: params.id });
      await pipeline.retry(current.id, principal.actor);
      return getAssessment(db.kysely, { id: current.id });
    },
  });
  addRoute(app, authenticator, {
    method: 'POST',
    url: `${BASE}/assessments/:id/cancel`,
    access: 'assessment:manage',
    params: IdParams,
    body: CancelAssessmentRequest,
    async handler({ principal, params, body, request }) {
      const current = await getAssessment(db.kysely, { id: params.id });
      await bus.execute(cancelAssessment, { ...body, id: current.id }, principal.actor, { requestId: request.id });
      return getAssessment(db.kysely, { id: current.id });
    },
  });
  addRoute(app, authenticator, {
    method: 'PUT',
    url: `${BASE}/assessments/:id/decision`,
    access: 'case:decide',
    params: IdParams,
    body: ManualDecisionRequest,
    async handler({ principal, params, body, request }) {
      const current = await getAssessment(db.kysely, { id: params.id });
      await bus.execute(decideAssessment, { ...body, id: current.id }, principal.actor, { requestId: request.id });
      return getAssessment(db.kysely, { id: current.id });
    },
  });

  // Seed 003 views as endpoints.
  const views: Array<[string, AssessmentView]> = [
    ['manual-reviews', 'pending-review'],
    ['high-risk', 'high-risk'],
    ['critical-risk', 'critical-risk'],
    ['recent', 'recent'],
  ];
  for (const [path, view] of views) {
    addRoute(app, authenticator, { method: 'GET', url: `${BASE}/${path}`, access: 'assessment:read', query: AssessmentListQuery, handler: ({ query }) => listAssessments(db.kysely, query, view) });
  }
}
