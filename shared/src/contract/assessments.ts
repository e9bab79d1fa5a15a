import { pageOf } from '../api.ts';
import { Assessment, AssessmentReplayResult } from '../assessments.ts';
import { CancelAssessmentRequest, ManualDecisionRequest } from '../decision-engine.ts';
import {
  AssessmentFilterQuery,
  AssessmentIdParams,
  AssessmentReferenceParams,
  AssessmentReferenceQuery,
  AssessmentSubmission,
  Pacs008AssessmentResult,
  Pacs008Message,
  PaymentDecisionAnswer,
  ScoringQuery,
  ScoringResult,
} from '../decision-engine-api.ts';
import { defineOperation } from './operation.ts';

const BASE = '/api/v1/fraud-risk';
/** ISO 20022 pacs.008 also arrives as XML; such a request is answered with an XML pacs.002. */
const PACS008_XML_TYPES = ['application/xml', 'text/xml'] as const;
const AssessmentPage = pageOf(Assessment);
const ExportQuery = AssessmentFilterQuery.omit({ page: true, pageSize: true });

/** Seed 003's views over the assessment list: same filters, one more condition each. */
function view<const N extends string, const P extends string>(name: N, path: P, summary: string) {
  return defineOperation({
    name: `assessment.${name}`,
    kind: 'query',
    method: 'GET',
    path: `${BASE}/${path}`,
    access: 'assessment:read',
    tenant: 'list',
    summary,
    query: AssessmentFilterQuery,
    output: AssessmentPage,
  });
}

/**
 * Scoring payments and reading, exporting, retrying, cancelling, deciding and replaying their
 * assessments (seed 003; ARCHITECTURE.md rule 2). Every assessment belongs to the payment's
 * tenant: lists, views and exports show the caller's tenants only, another tenant's assessment
 * answers 404 (by id and by reference), and scoring a payment for a tenant the caller does not act
 * for answers 403 naming the field (ARCHITECTURE.md "Tenants").
 */
export const assessmentOperations = {
  score: defineOperation({
    name: 'assessment.score',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/assessments`,
    access: 'assessment:create',
    tenant: 'input',
    tenantField: 'body.tenantId',
    summary:
      'Score a payment: the native PaymentInput, or an ISO 20022 pacs.008 message as JSON or as XML (application/xml or text/xml: versions 001.02–001.13, any namespace prefix, the Document alone or in an envelope with a head.001 AppHdr), the tenant from its envelope, else ?tenantId=. An XML message is answered with an ISO 20022 pacs.002 FIToFIPmtStsRpt (ACCP / RJCT with reason FRAD / PDNG per transaction, the assessment id in StsRsnInf/AddtlInf). 201 new, 200 an idempotent repeat, 202 queued for a batch assessment; 409 IDEMPOTENCY_CONFLICT when a reference is reused for another payment.',
    query: ScoringQuery,
    body: AssessmentSubmission,
    consumes: PACS008_XML_TYPES,
    produces: ['application/xml'],
    output: ScoringResult,
    status: 201,
    alternativeStatuses: [200, 202],
  }),
  scorePacs008: defineOperation({
    name: 'assessment.scorePacs008',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/assessments/iso20022/pacs.008`,
    access: 'assessment:create',
    tenant: 'input',
    tenantField: 'query.tenantId',
    summary:
      'Score every CdtTrfTxInf of an ISO 20022 pacs.008 message, as JSON or as XML (application/xml or text/xml, answered with a pacs.002 FIToFIPmtStsRpt); ?tenantId= is the tenant when an envelope names none. 201, or 200 when every transaction was a repeat.',
    query: ScoringQuery,
    body: Pacs008Message,
    consumes: PACS008_XML_TYPES,
    produces: ['application/xml'],
    output: Pacs008AssessmentResult,
    status: 201,
    alternativeStatuses: [200],
  }),
  list: defineOperation({
    name: 'assessment.list',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/assessments`,
    access: 'assessment:read',
    tenant: 'list',
    summary: "Assessments of the caller's tenants, filtered, sorted and paged; tenantId narrows.",
    query: AssessmentFilterQuery,
    output: AssessmentPage,
  }),
  export: defineOperation({
    name: 'assessment.export',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/assessments/export.csv`,
    access: 'assessment:read',
    tenant: 'list',
    summary: "CSV of the caller's tenants' assessments with the list's filters (up to 100,000 rows).",
    query: ExportQuery,
    output: null,
    response: 'csv',
    status: 200,
  }),
  get: defineOperation({
    name: 'assessment.get',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/assessments/:id`,
    access: 'assessment:read',
    tenant: 'record',
    summary: 'One assessment with its payment, by row id or assessment id (FRA-…).',
    params: AssessmentIdParams,
    output: Assessment,
  }),
  byReference: defineOperation({
    name: 'assessment.byReference',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/assessments/transaction/:reference`,
    access: 'assessment:read',
    tenant: 'record',
    summary: "The assessment of a transaction reference among the caller's tenants (tenantId picks one).",
    params: AssessmentReferenceParams,
    query: AssessmentReferenceQuery,
    output: Assessment,
  }),
  retry: defineOperation({
    name: 'assessment.retry',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/assessments/:id/retry`,
    access: 'assessment:manage',
    tenant: 'record',
    summary: 'Re-run a FAILED, ERROR or TIMEOUT assessment with the configuration that applies now.',
    params: AssessmentIdParams,
    output: Assessment,
  }),
  cancel: defineOperation({
    name: 'assessment.cancel',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/assessments/:id/cancel`,
    access: 'assessment:manage',
    tenant: 'record',
    summary: 'Cancel an assessment the payment engine withdrew (reason required).',
    params: AssessmentIdParams,
    body: CancelAssessmentRequest,
    output: Assessment,
  }),
  decide: defineOperation({
    name: 'assessment.decide',
    kind: 'command',
    method: 'PUT',
    path: `${BASE}/assessments/:id/decision`,
    access: 'case:decide',
    tenant: 'record',
    summary:
      'Decide a payment by hand (reason required, audited). With an open case the decision goes through the case (its state, its four-eyes); without one the same four-eyes limits apply, and a two-person decision waits for a second approver.',
    params: AssessmentIdParams,
    body: ManualDecisionRequest,
    output: PaymentDecisionAnswer,
  }),
  replay: defineOperation({
    name: 'assessment.replay',
    kind: 'query',
    method: 'POST',
    path: `${BASE}/assessments/:id/replay`,
    access: 'assessment:read',
    tenant: 'record',
    summary: 'Re-run a stored assessment with its stored configuration version and facts, and compare with what was stored. Read-only.',
    params: AssessmentIdParams,
    output: AssessmentReplayResult,
  }),
  manualReviews: view('manualReviews', 'manual-reviews', 'Assessments waiting for an analyst (MANUAL_REVIEW, HOLD, ESCALATE without a manual decision).'),
  highRisk: view('highRisk', 'high-risk', 'HIGH and CRITICAL assessments.'),
  criticalRisk: view('criticalRisk', 'critical-risk', 'CRITICAL assessments.'),
  recent: view('recent', 'recent', 'Assessments of the last 24 hours (by the service clock).'),
} as const;
