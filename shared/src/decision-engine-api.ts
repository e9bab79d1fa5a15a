import { z } from 'zod';
import { PaymentInput } from './payments.ts';
import { AssessmentListQuery, AssessmentResponse } from './assessments.ts';
import { CaseSummary } from './cases.ts';
import { TenantId } from './tenants.ts';
import { ConfigurationInput, ExpectedRowVersion, PlainText, PublishChangeNote } from './decision-engine.ts';

/**
 * Request and answer shapes of the scoring, assessment and decision-engine operations
 * (shared/src/contract/assessments.ts and decision-engine.ts; ARCHITECTURE.md rule 2), beside the
 * domain schemas they are built from.
 */

export const CreateConfigurationRequest = ConfigurationInput.safeExtend({ asDraft: z.boolean().default(false) });
export type CreateConfigurationRequest = z.input<typeof CreateConfigurationRequest>;
/** PUT publishes the body as a new version; the id comes from the path. */
/** PUT publishes a new version at once, so it needs the same change note as publishing a draft. */
export const UpdateConfigurationRequest = ConfigurationInput.safeExtend({ ...ExpectedRowVersion.shape, changeNote: PublishChangeNote });
export type UpdateConfigurationRequest = z.input<typeof UpdateConfigurationRequest>;
export const DeleteConfigurationQuery = z.object({ expectedRowVersion: z.coerce.number().int().positive() });
export const ConfigurationVersionParams = z.object({ id: z.uuid(), versionNumber: z.coerce.number().int().positive() });
/** Backtest ids are the runner's own (not UUIDs). */
export const BacktestParams = z.object({ id: PlainText(64).min(1) });
/** Path parameter of one assessment: its row UUID or its public id (FRA-…). */
export const AssessmentIdParams = z.object({ id: PlainText(100).min(1) });
export const AssessmentReferenceParams = z.object({ reference: PlainText(100).min(1) });
/** The tenant of a transaction reference (references are unique per tenant). */
export const AssessmentReferenceQuery = z.object({ tenantId: TenantId.optional() });
/** The fallback tenant of a pacs.008 message whose envelope names none. */
export const ScoringQuery = z.object({ tenantId: TenantId.optional() });
/** The assessment list's filters, with text that can be looked up (no control characters). */
export const AssessmentFilterQuery = AssessmentListQuery.safeExtend({
  tenantId: TenantId.optional(),
  customerId: PlainText(64).optional(),
  paymentType: PlainText(50).optional(),
  search: PlainText(100).optional(),
});

const Pacs008Root = z.looseObject({ FIToFICstmrCdtTrf: z.looseObject({}) });
/**
 * An ISO 20022 pacs.008 (FIToFICstmrCdtTrf) message in JSON form, bare or under Document. Only its
 * root is judged here; the service maps it element by element and names the ISO element of any
 * error (service/src/assessments/iso20022.ts).
 */
export const Pacs008Message = z.union([Pacs008Root, z.looseObject({ Document: Pacs008Root })], {
  error: 'not a pacs.008: expected FIToFICstmrCdtTrf, at the top or under Document',
});
export type Pacs008Message = z.infer<typeof Pacs008Message>;

/** True when a body is meant as a pacs.008 (FIToFICstmrCdtTrf at the top or under Document). */
export function looksLikePacs008(body: unknown): boolean {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(body)) return false;
  return 'FIToFICstmrCdtTrf' in body || (isRecord(body.Document) && 'FIToFICstmrCdtTrf' in body.Document);
}

/** Narrows a parsed AssessmentSubmission to the form that was sent. */
export function isPacs008Message(body: PaymentInput | Pacs008Message): body is Pacs008Message {
  return looksLikePacs008(body);
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/**
 * The body of POST /api/v1/fraud-risk/assessments: the native PaymentInput or a pacs.008 message.
 * The form is picked by the document's root and only that form is parsed, so that a 400 names the
 * fields of what was sent (body.amount), not a union's "invalid input". OpenAPI shows both forms.
 */
export const AssessmentSubmission = z
  .unknown()
  .transform((value, ctx): PaymentInput | Pacs008Message => {
    const parsed = looksLikePacs008(value) ? Pacs008Message.safeParse(value) : PaymentInput.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: issue.input });
    return z.NEVER;
  })
  .meta({ description: 'A PaymentInput, or an ISO 20022 pacs.008 message in JSON form.', anyOf: [jsonSchemaOf(PaymentInput), jsonSchemaOf(Pacs008Message)] });

/** The answer to a pacs.008 message: one assessment per CdtTrfTxInf, in message order. */
export const Pacs008AssessmentResult = z.object({ messageId: z.string(), assessments: z.array(AssessmentResponse) });
export type Pacs008AssessmentResult = z.infer<typeof Pacs008AssessmentResult>;
/** A native post answers its assessment; a pacs.008 of one transaction too, of several the list. */
export const ScoringResult = z.union([AssessmentResponse, Pacs008AssessmentResult]);

/**
 * The answer to PUT …/assessments/{id}/decision. One command decides a payment: with an open case
 * the decision is the case's, and a two-person decision waits for a second approver
 * (`approvalRequired`, `approvalWhy`) instead of being applied.
 */
export const PaymentDecisionAnswer = z.object({
  assessment: AssessmentResponse,
  case: CaseSummary.nullable(),
  approvalRequired: z.boolean(),
  approvalWhy: z.string().nullable(),
});
export type PaymentDecisionAnswer = z.infer<typeof PaymentDecisionAnswer>;
