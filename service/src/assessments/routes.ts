import type { ServiceContext } from '../context.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { assessmentOperations as ops } from '../../../shared/src/contract/assessments.ts';
import { isPacs008Message, type Pacs008Message } from '../../../shared/src/decision-engine-api.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import type { Assessment } from '../../../shared/src/assessments.ts';
import { cancelAssessment, decideAssessment } from './commands.ts';
import { getAssessment, listAssessments, readScope, type AssessmentView } from './queries.ts';
import { assessmentsCsv, exportFileName } from './export.ts';
import { replayAssessment } from './replay.ts';
import { scorePacs008, scorePacs008Xml, scorePayment } from './scoring.ts';
import { readPacs008Xml, type Pacs008XmlSource } from './iso20022-xml.ts';

/**
 * Scoring and the assessments (ARCHITECTURE.md rule 2: declared in shared/src/contract/assessments.ts).
 * The router has authenticated, checked the permission, parsed the input and checked a tenant named
 * in the body; here each handler calls one command or one query, scoped to the caller's tenants:
 * lists and exports are filtered, another tenant's assessment is not found (404).
 */
export function registerAssessmentRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;
  const engine = ctx.decisionEngine;
  const pipeline = engine.pipeline;

  /** The assessment by row id or public id, when it belongs to one of the caller's tenants (else 404). */
  const visible = (id: string, scope: TenantScope): Promise<Assessment> => getAssessment(db.kysely, { id }, scope.sqlList());

  // ISO 20022 XML: read safely into the JSON rendering (iso20022-xml.ts); the request remembers
  // what the pacs.002 answer needs (the pacs.008 version and header).
  const xmlSources = new WeakMap<FastifyRequest, Pacs008XmlSource>();
  const readXml = (text: string, request: FastifyRequest) => {
    const { body, source } = readPacs008Xml(text);
    xmlSources.set(request, source);
    return body;
  };
  const answerXml = async (
    call: {
      principal: Principal;
      scope: TenantScope;
      query: { tenantId?: string | undefined };
      body: Pacs008Message;
      request: FastifyRequest;
      reply: FastifyReply;
    },
    source: Pacs008XmlSource,
  ) => {
    const { principal, scope, query, body, request, reply } = call;
    const { status, answer } = await scorePacs008Xml(pipeline, body, source, query.tenantId, principal.actor, scope, request.id, clock.now());
    return reply.code(status).type('application/xml; charset=utf-8').send(answer);
  };

  // Seed 003 POST: the native payment JSON, or an ISO 20022 pacs.008 document (told apart by its root).
  operations.implement(
    ops.score,
    async ({ principal, scope, query, body, request, reply }) => {
      const xml = xmlSources.get(request);
      if (xml && isPacs008Message(body)) return answerXml({ principal, scope, query, body, request, reply }, xml);
      if (isPacs008Message(body)) {
        const { status, answer } = await scorePacs008(pipeline, body, query.tenantId, principal.actor, scope, request.id);
        reply.code(status);
        // One transaction in the message answers like a native post; several answer as a list.
        return answer.assessments.length === 1 ? answer.assessments[0]! : answer;
      }
      const { status, answer } = await scorePayment(pipeline, body, principal.actor, request.id);
      reply.code(status);
      return answer;
    },
    { xml: readXml },
  );

  operations.implement(
    ops.scorePacs008,
    async ({ principal, scope, query, body, request, reply }) => {
      const xml = xmlSources.get(request);
      if (xml) return answerXml({ principal, scope, query, body, request, reply }, xml);
      const { status, answer } = await scorePacs008(pipeline, body, query.tenantId, principal.actor, scope, request.id);
      reply.code(status);
      return answer;
    },
    { xml: readXml },
  );

  operations.implement(ops.list, ({ scope, query }) => listAssessments(db.kysely, query, 'all', readScope(scope, query.tenantId, clock.now(), db.dialect)));

  operations.implement(ops.export, async ({ scope, query, reply }) => {
    const csv = await assessmentsCsv(db.kysely, query, readScope(scope, query.tenantId, clock.now(), db.dialect));
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${exportFileName(clock.now())}"`)
      .send(csv);
  });

  operations.implement(ops.get, ({ scope, params }) => visible(params.id, scope));

  // References are unique per tenant; among the caller's tenants (narrowed by ?tenantId=) the first.
  operations.implement(ops.byReference, ({ scope, params, query }) => getAssessment(db.kysely, { reference: params.reference }, scope.narrow(query.tenantId)));

  operations.implement(ops.retry, async ({ principal, scope, params }) => {
    const current = await visible(params.id, scope);
    await pipeline.retry(current.id, principal.actor);
    return visible(current.id, scope);
  });

  operations.implement(ops.cancel, async ({ principal, scope, params, body, request }) => {
    const current = await visible(params.id, scope);
    await bus.execute(cancelAssessment, { ...body, id: current.id }, principal.actor, { requestId: request.id });
    return visible(current.id, scope);
  });

  // One command decides a payment (issue 10): decideAssessment runs decidePayment (cases/), which
  // goes through the open case and its four-eyes rules, or applies the same limits without one.
  operations.implement(ops.decide, async ({ principal, scope, params, body, request }) => {
    const current = await visible(params.id, scope);
    return bus.execute(decideAssessment, { ...body, id: current.id }, principal.actor, { requestId: request.id });
  });

  operations.implement(ops.replay, async ({ scope, params }) => {
    const current = await visible(params.id, scope);
    return replayAssessment({ db: db.kysely, registry: engine.registry, facts: engine.facts, models: engine.models, rates: ctx.fxRates }, current.id);
  });

  // Seed 003 views as endpoints.
  const views: Array<[typeof ops.manualReviews | typeof ops.highRisk | typeof ops.criticalRisk | typeof ops.recent, AssessmentView]> = [
    [ops.manualReviews, 'pending-review'],
    [ops.highRisk, 'high-risk'],
    [ops.criticalRisk, 'critical-risk'],
    [ops.recent, 'recent'],
  ];
  for (const [op, view] of views) {
    operations.implement(op, ({ scope, query }) => listAssessments(db.kysely, query, view, readScope(scope, query.tenantId, clock.now(), db.dialect)));
  }
}
