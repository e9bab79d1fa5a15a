import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { isUniqueViolation } from '../db/database.ts';
import { AssessmentListQuery, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { recordAssessment } from './commands.ts';
import { getAssessment, listAssessments } from './queries.ts';

export function registerAssessmentRoutes(ctx: ServiceContext): void {
  const { app, authenticator } = ctx;

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/fraud-risk/assessments',
    access: 'assessment:create',
    status: 201,
    // The command validates the payment itself, so field errors read "body.amount" etc.
    async handler({ principal, request, reply }) {
      try {
        const result = await ctx.bus.execute(recordAssessment, request.body, principal.actor, { requestId: request.id });
        if (!result.created) reply.code(200);
        else ctx.metrics.assessments.inc({ risk_level: result.assessment.riskLevel, decision: result.assessment.decision });
        return result.assessment;
      } catch (error) {
        // Two concurrent posts of one reference: the loser answers with the winner's assessment.
        if (!isUniqueViolation(error)) throw error;
        const reference = (request.body as { transactionReference?: string }).transactionReference ?? '';
        const existing = await getAssessment(ctx.db.kysely, { reference });
        reply.code(200);
        // zod strips the stored-assessment extras, leaving exactly the public response shape.
        return AssessmentResponse.parse(existing);
      }
    },
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/fraud-risk/assessments',
    access: 'assessment:read',
    query: AssessmentListQuery,
    handler: ({ query }) => listAssessments(ctx.db.kysely, query),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/fraud-risk/assessments/:id',
    access: 'assessment:read',
    params: z.object({ id: z.string().min(1).max(100) }),
    handler: ({ params }) => getAssessment(ctx.db.kysely, { id: params.id }),
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/fraud-risk/assessments/transaction/:reference',
    access: 'assessment:read',
    params: z.object({ reference: z.string().min(1).max(100) }),
    handler: ({ params }) => getAssessment(ctx.db.kysely, { reference: params.reference }),
  });

  // Seed 003 view fraud_risk_assessments_pending_review: flagged payments no analyst has decided yet.
  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/fraud-risk/manual-reviews',
    access: 'assessment:read',
    query: AssessmentListQuery,
    handler: ({ query }) => listAssessments(ctx.db.kysely, query, true),
  });
}
