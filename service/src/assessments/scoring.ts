import type { Actor } from '../commands/bus.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import type { AssessmentResponse } from '../../../shared/src/assessments.ts';
import type { Pacs008AssessmentResult, Pacs008Message } from '../../../shared/src/decision-engine-api.ts';
import type { AssessmentPipeline } from './pipeline.ts';
import { randomUUID } from 'node:crypto';
import { mapPacs008 } from './iso20022.ts';
import { pacs002Xml } from './iso20022-pacs002.ts';
import type { Pacs008XmlSource } from './iso20022-xml.ts';

/** What a scoring request answers: the HTTP status (201 new, 200 repeat, 202 queued) and the body. */
export interface ScoringAnswer<T> {
  status: 200 | 201 | 202;
  answer: T;
}

/** One native payment, already parsed and tenant-checked by the router (ARCHITECTURE.md rule 2). */
export async function scorePayment(
  pipeline: AssessmentPipeline,
  payment: PaymentInput,
  actor: Actor,
  requestId: string,
): Promise<ScoringAnswer<AssessmentResponse>> {
  const { created, assessment } = await pipeline.assess(payment, actor, requestId);
  return { status: !created ? 200 : assessment.status === 'PENDING' ? 202 : 201, answer: assessment };
}

/**
 * A pacs.008 message: one payment per CdtTrfTxInf. The router parsed only its root, so the mapper
 * judges the elements (errors name them). The tenant of each payment comes from its envelope, else
 * from ?tenantId=, so it is checked here, before anything is scored: a tenant the caller does not
 * act for answers 403 naming where it came from (ARCHITECTURE.md "Tenants").
 */
export async function scorePacs008(
  pipeline: AssessmentPipeline,
  document: Pacs008Message,
  fallbackTenant: string | undefined,
  actor: Actor,
  scope: TenantScope,
  requestId: string,
  /** "body" for JSON; "" for XML, whose error paths start at its Document element. */
  pathPrefix = 'body',
): Promise<ScoringAnswer<Pacs008AssessmentResult> & { original: ReturnType<typeof mapPacs008>['original'] }> {
  if (fallbackTenant !== undefined) scope.assertInput(fallbackTenant, 'query.tenantId');
  const { payments, messageId, fieldPaths, original } = mapPacs008(document, { tenantId: fallbackTenant }, pathPrefix);
  for (const [i, payment] of payments.entries()) scope.assertInput(payment.tenantId, fieldPaths[i]!('tenantId'));
  const results = await pipeline.assessAll(payments, actor, requestId, (i) => fieldPaths[i]!);
  return { status: results.every((r) => !r.created) ? 200 : 201, answer: { messageId, assessments: results.map((r) => r.assessment) }, original };
}

/**
 * An XML pacs.008, answered in ISO: the same scoring as the JSON form, then a pacs.002 status
 * report (iso20022-pacs002.ts) quoting the message and each transaction's ids.
 */
export async function scorePacs008Xml(
  pipeline: AssessmentPipeline,
  document: Pacs008Message,
  source: Pacs008XmlSource,
  fallbackTenant: string | undefined,
  actor: Actor,
  scope: TenantScope,
  requestId: string,
  now: Date,
): Promise<ScoringAnswer<string>> {
  const { status, answer, original } = await scorePacs008(pipeline, document, fallbackTenant, actor, scope, requestId, '');
  const xml = pacs002Xml({
    // MsgId: Max35Text, unique per report.
    messageId: `WKZ${randomUUID().replaceAll('-', '')}`,
    createdAt: now,
    original: { messageId: answer.messageId, createdAt: original.createdAt, version: source.version, transactions: original.transactions },
    assessments: answer.assessments,
  });
  return { status, answer: xml };
}
