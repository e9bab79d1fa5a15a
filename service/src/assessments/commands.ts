import { randomView, uuidv7 } from '../commands/ids.ts';
import { z } from 'zod';
import { chunks, defineCommand, type CommandContext } from '../commands/bus.ts';
import { fromJsonOrNull, toJson } from '../db/database.ts';
import { conflict, notFound } from '../errors.ts';
import { PaymentInput } from '../../../shared/src/payments.ts';
import {
  CASE_OPENING_DECISIONS,
  type ScoringFactsSnapshot,
  type AssessmentDetails,
  type AssessmentResponse,
  type AssessmentStatus,
  type Decision,
  type RiskAssessmentType,
  type RiskFactor,
  type RiskLevel,
} from '../../../shared/src/assessments.ts';
import { CancelAssessmentRequest, ManualDecisionRequest } from '../../../shared/src/decision-engine.ts';
import { openCaseForAssessment } from '../cases/commands.ts';
import { decidePayment } from '../cases/payment-decision.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { paymentFromRow, toAssessmentResponse } from './mapping.ts';
import { encodeRiskFactors } from './risk-factor-codec.ts';
import type { AssessmentRow, Database } from '../db/schema.ts';
import type { ExpressionBuilder } from 'kysely';
import { lockForUpdateSkipLocked } from '../db/dialect.ts';
import { differingFields, paymentFingerprint } from './idempotency.ts';

/**
 * FRA-YYYYMMDD- then 16 hex digits: the millisecond of the day (so ids sort by time and new rows
 * land at the end of the unique index instead of on random pages) and 36 random bits (so hubs
 * writing in the same millisecond do not collide).
 */
export function newAssessmentId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const msOfDay = now.getTime() % 86_400_000;
  const random = randomView(5);
  const tail = (random.readUInt32BE(0) * 16 + (random[4]! >> 4)).toString(16).padStart(9, '0');
  return `FRA-${day}-${msOfDay.toString(16).padStart(7, '0')}${tail}`.toUpperCase();
}

/** What scoring produced for a payment (or, for a queued batch assessment, that it is PENDING). */
export interface AssessmentOutcome {
  status: AssessmentStatus;
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  decision: Decision | null;
  decisionReason: string;
  riskFactors: RiskFactor[];
  details: AssessmentDetails | null;
  configurationId: string | null;
  configurationVersion: string | null;
  riskAssessmentType: RiskAssessmentType;
  externalApiUsed: string | null;
  externalApiRequest: unknown;
  externalApiResponse: unknown;
  externalApiResponseTimeMs: number | null;
  processingTimeMs: number;
  errorMessage: string | null;
  amountKes: number;
  /**
   * The facts the rules read (ARCHITECTURE.md rule 3), taken when the payment arrived. Stored with
   * the assessment; an update without them (a retry) keeps the stored ones.
   */
  facts?: ScoringFactsSnapshot | null;
}

/** What recording one payment answered: created, a repeat of the same payment, or a conflicting repeat. */
export interface RecordResult {
  created: boolean;
  assessment: AssessmentResponse;
  /** Set when the reference was already used for a payment with other content: the fields that differ. */
  conflict?: string[];
}

// Built by the service from an already validated payment; checked for shape, not re-derived.
const Outcome = z.custom<AssessmentOutcome>((v) => typeof v === 'object' && v !== null && 'status' in v && 'riskFactors' in v);
// The payment was validated by the HTTP handler (or comes from our own replay); re-parsing every
// field of every payment in a group-commit batch would double the validation cost, so the command
// checks the shape and the keys it writes.
const ValidatedPayment = z.custom<PaymentInput>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PaymentInput).transactionReference === 'string' &&
    typeof (v as PaymentInput).tenantId === 'string' &&
    typeof (v as PaymentInput).amount === 'number',
);
const RecordItem = z.object({ assessmentId: z.string().min(1).max(100), payment: ValidatedPayment, outcome: Outcome });
export type RecordItem = z.infer<typeof RecordItem>;

function outcomeColumns(outcome: AssessmentOutcome, now: string) {
  const decided = outcome.status !== 'PENDING' && outcome.status !== 'IN_PROGRESS';
  return {
    risk_assessment_type: outcome.riskAssessmentType,
    configuration_id: outcome.configurationId,
    configuration_version: outcome.configurationVersion,
    external_api_used: outcome.externalApiUsed,
    risk_score: outcome.riskScore,
    risk_level: outcome.riskLevel,
    decision: outcome.decision,
    decision_reason: outcome.decisionReason.slice(0, 500),
    engine_decision: outcome.decision,
    engine_decision_reason: decided ? outcome.decisionReason.slice(0, 500) : null,
    external_api_request: outcome.externalApiRequest === null || outcome.externalApiRequest === undefined ? null : toJson(outcome.externalApiRequest),
    external_api_response: outcome.externalApiResponse === null || outcome.externalApiResponse === undefined ? null : toJson(outcome.externalApiResponse),
    risk_factors: encodeRiskFactors(outcome.riskFactors),
    assessment_details: outcome.details === null ? null : toJson(outcome.details),
    processing_time_ms: Math.round(outcome.processingTimeMs * 1000) / 1000,
    external_api_response_time_ms: outcome.externalApiResponseTimeMs === null ? null : Math.round(outcome.externalApiResponseTimeMs * 1000) / 1000,
    status: outcome.status,
    error_message: outcome.errorMessage?.slice(0, 1000) ?? null,
    assessed_at: decided ? now : null,
    ...(outcome.facts ? { scoring_facts: toJson(outcome.facts) } : {}),
  };
}

function createdEvent(row: AssessmentRow, payment: PaymentInput, response: AssessmentResponse) {
  const { riskFactors: _riskFactors, ...summary } = response;
  return {
    ...summary,
    id: row.id,
    customerId: payment.customerId,
    amount: payment.amount,
    currency: payment.currency,
    channel: payment.channel,
    createdAt: String(row.created_at),
    caseId: row.case_id,
    tenantId: row.tenant_id,
    paymentType: payment.paymentType,
    externalApiUsed: row.external_api_used,
  };
}

/** Opens a case for a decided assessment whose decision needs an analyst (seed 001: medium risk and above). */
async function openCaseIfNeeded(ctx: CommandContext, row: AssessmentRow, payment: PaymentInput): Promise<void> {
  const decision = row.decision as Decision | null;
  if (!decision || !CASE_OPENING_DECISIONS.includes(decision) || row.case_id) return;
  const customer = await ctx.trx.selectFrom('customers').select('full_name').where('customer_ref', '=', payment.customerId).executeTakeFirst();
  const opened = await openCaseForAssessment(ctx, {
    assessmentRowId: row.id,
    riskLevel: (row.risk_level ?? 'MEDIUM') as RiskLevel,
    riskScore: Number(row.risk_score ?? 0),
    decision,
    customerRef: payment.customerId,
    customerName: customer?.full_name ?? null,
    amount: payment.amount,
    currency: payment.currency,
    amountKes: Number(row.amount_kes),
    channel: payment.channel,
    transactionReference: payment.transactionReference,
    tenantId: payment.tenantId,
    paymentType: payment.paymentType,
    deviceId: payment.deviceId ?? null,
  });
  row.case_id = opened.id;
  await ctx.trx.updateTable('fraud_risk_assessments').set({ case_id: opened.id }).where('id', '=', row.id).execute();
}

function changeSummary(row: AssessmentRow): Record<string, unknown> {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    transactionReference: row.transaction_reference,
    tenantId: row.tenant_id,
    paymentId: row.payment_id,
    status: row.status,
    riskScore: row.risk_score,
    riskLevel: row.risk_level,
    decision: row.decision,
    configurationId: row.configuration_id,
    configurationVersion: row.configuration_version,
    caseId: row.case_id,
    version: row.version,
  };
}

function auditAfter(row: AssessmentRow): Record<string, unknown> {
  return {
    assessmentId: row.assessment_id,
    transactionReference: row.transaction_reference,
    status: row.status,
    riskLevel: row.risk_level,
    riskScore: row.risk_score,
    decision: row.decision,
    configurationId: row.configuration_id,
    configurationVersion: row.configuration_version,
    caseId: row.case_id,
  };
}

/**
 * Stores scored payments — payment row, assessment row and, for MANUAL_REVIEW / HOLD / ESCALATE,
 * a case — for a whole group-commit batch in one transaction. A reference already assessed for the
 * tenant (earlier, or earlier in this batch) returns that assessment unchanged (idempotent retries).
 */
export const recordAssessments = defineCommand({
  name: 'assessment.record',
  input: z.object({ items: z.array(RecordItem).min(1).max(1000) }),
  permission: 'assessment:create',
  async apply(ctx, { items }) {
    const now = ctx.now.toISOString();
    // By tenant, so that the (tenant_id, transaction_reference) unique index serves the look-up.
    const byTenant = new Map<string, Set<string>>();
    for (const { payment } of items) {
      let set = byTenant.get(payment.tenantId);
      if (!set) {
        set = new Set();
        byTenant.set(payment.tenantId, set);
      }
      set.add(payment.transactionReference);
    }
    const existingRows: AssessmentRow[] = [];
    for (const [tenantId, references] of byTenant) {
      for (const part of chunks([...references], 500)) {
        existingRows.push(
          ...(await ctx.trx
            .selectFrom('fraud_risk_assessments')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .where('transaction_reference', 'in', part)
            .execute()),
        );
      }
    }
    const known = new Map<string, { row: AssessmentRow; payment?: PaymentInput }>(
      existingRows.map((r) => [`${r.tenant_id}\u0000${r.transaction_reference}`, { row: r }]),
    );
    const results: RecordResult[] = [];
    const fresh: Array<{ row: AssessmentRow; payment: PaymentInput; paymentRow: Record<string, unknown> }> = [];

    for (const { assessmentId, payment, outcome } of items) {
      const key = `${payment.tenantId}\u0000${payment.transactionReference}`;
      const fingerprint = paymentFingerprint(payment);
      const seen = known.get(key);
      if (seen) {
        // Same content: an idempotent retry. Other content under the same key: refused, nothing written.
        const differs = seen.row.content_fingerprint === fingerprint ? [] : differingFields(payment, seen.payment ?? (await storedPayment(ctx, seen.row)));
        results.push({ created: false, assessment: toAssessmentResponse(seen.row), ...(differs.length > 0 ? { conflict: differs } : {}) });
        continue;
      }
      // Time-ordered keys: inserts append to the primary-key indexes instead of touching random pages.
      const paymentId = uuidv7();
      const paymentRow = {
        id: paymentId,
        tenant_id: payment.tenantId,
        transaction_reference: payment.transactionReference,
        payment_type: payment.paymentType,
        local_instrumentation_code: payment.localInstrumentationCode ?? null,
        clearing_system_code: payment.clearingSystemCode ?? null,
        payment_source: payment.paymentSource,
        amount: payment.amount,
        currency: payment.currency,
        amount_kes: outcome.amountKes,
        occurred_at: new Date(payment.timestamp).toISOString(),
        channel: payment.channel,
        country: payment.country,
        customer_ref: payment.customerId,
        // '' = no account (optional in ISO 20022; mapping.ts reads it back as absent).
        debtor_account: payment.debtorAccount ?? '',
        creditor_account: payment.creditorAccount ?? '',
        ip_address: payment.ipAddress ?? null,
        device_id: payment.deviceId ?? null,
        user_agent: payment.userAgent ?? null,
        description: payment.description ?? null,
        created_at: now,
        version: 1,
      };
      const row = {
        id: uuidv7(),
        assessment_id: assessmentId,
        transaction_reference: payment.transactionReference,
        tenant_id: payment.tenantId,
        payment_type: payment.paymentType,
        local_instrumentation_code: payment.localInstrumentationCode ?? null,
        clearing_system_code: payment.clearingSystemCode ?? null,
        payment_source: payment.paymentSource,
        ...outcomeColumns(outcome, now),
        retry_count: 0,
        expires_at: null,
        created_at: now,
        updated_at: now,
        payment_id: paymentId,
        customer_ref: payment.customerId,
        amount_kes: outcome.amountKes,
        channel: payment.channel,
        case_id: null as string | null,
        manual_decision: null,
        version: 1,
        deleted_at: null,
        scoring_facts: outcome.facts ? toJson(outcome.facts) : null,
        content_fingerprint: fingerprint,
      };
      known.set(key, { row: row as AssessmentRow, payment });
      fresh.push({ row: row as AssessmentRow, payment, paymentRow });
      // Built from the outcome in hand rather than by parsing back the JSON just written.
      results.push({
        created: true,
        assessment: {
          assessmentId,
          transactionReference: payment.transactionReference,
          riskScore: outcome.riskScore,
          riskLevel: outcome.riskLevel,
          decision: outcome.decision,
          decisionReason: row.decision_reason,
          riskFactors: outcome.riskFactors,
          status: outcome.status,
          configurationId: outcome.configurationId,
          configurationVersion: outcome.configurationVersion,
          processingTimeMs: row.processing_time_ms,
        },
      });
    }

    // Multi-row inserts: ~20 and ~45 columns, so 300 rows stay under SQLite's variable limit.
    for (const part of chunks(fresh, 300)) {
      await ctx.trx
        .insertInto('payments')
        .values(part.map((f) => f.paymentRow as never))
        .execute();
      await ctx.trx
        .insertInto('fraud_risk_assessments')
        .values(part.map((f) => f.row as never))
        .execute();
    }
    const responses = new Map(results.filter((r) => r.created).map((r) => [r.assessment.assessmentId, r.assessment]));
    for (const { row, payment, paymentRow } of fresh) {
      // Recorded before the case it may open, so the case timeline reads in cause-and-effect order.
      const audit = auditAfter(row);
      ctx.audit({ entityType: 'assessment', entityId: row.id, tenantId: row.tenant_id, before: null, after: audit });
      await openCaseIfNeeded(ctx, row, payment);
      audit.caseId = row.case_id;
      // The change log carries the decision, not the per-rule log (kilobytes per payment at
      // thousands a second); a syncing node fetches the full assessment when it needs it.
      ctx.change({ entityType: 'assessment', entityId: row.id, operation: 'upsert', version: 1, data: changeSummary(row) });
      ctx.change({ entityType: 'payment', entityId: row.payment_id, operation: 'upsert', version: 1, data: { ...paymentRow } });
      ctx.announce({
        event: 'assessment.created',
        audience: 'assessment:read',
        tenantId: row.tenant_id,
        payload: createdEvent(row, payment, responses.get(row.assessment_id)!),
      });
    }
    // Responses of fresh rows were built before cases opened; refresh their case-independent shape.
    return results;
  },
});

async function storedPayment(ctx: CommandContext, row: AssessmentRow): Promise<PaymentInput> {
  const payment = await ctx.trx.selectFrom('payments').selectAll().where('id', '=', row.payment_id).executeTakeFirstOrThrow();
  return paymentFromRow(payment);
}

async function loadAssessment(ctx: CommandContext, id: string): Promise<AssessmentRow> {
  const row = await ctx.trx.selectFrom('fraud_risk_assessments').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('assessment');
  return row;
}

function withHistory(row: AssessmentRow, entry: { at: string; by: string; action: string; note: string }): string | null {
  const details = fromJsonOrNull<AssessmentDetails>(row.assessment_details);
  if (!details) return null;
  return toJson({ ...details, history: [...(details.history ?? []), entry] });
}

function updatedEvent(row: AssessmentRow) {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    status: row.status as AssessmentStatus,
    decision: row.decision as Decision | null,
    version: row.version,
    updatedAt: String(row.updated_at),
  };
}

/**
 * PENDING → IN_PROGRESS for queued batch assessments a hub's processor claims (issue 11 §3): the
 * rows are locked with FOR UPDATE SKIP LOCKED on PostgreSQL, so two hubs never claim the same
 * payment (nor call the bank's engine for it twice); a claim is a lease (`claimed_by`,
 * `claimed_until`), and a claim whose hub died runs out and is taken over. SQLite has one writer.
 */
export const startAssessments = defineCommand({
  name: 'assessment.start',
  input: z.object({ ids: z.array(z.uuid()).min(1).max(1000), claimedBy: z.string().min(1).max(100), leaseMs: z.number().int().positive() }),
  permission: null,
  async apply(ctx, { ids, claimedBy, leaseMs }) {
    const now = ctx.now.toISOString();
    const claimedUntil = new Date(ctx.now.getTime() + leaseMs).toISOString();
    const rows = await lockForUpdateSkipLocked(
      ctx.dialect,
      ctx.trx
        .selectFrom('fraud_risk_assessments')
        .selectAll()
        .where('id', 'in', ids)
        .where((eb) => claimable(eb, now)),
    ).execute();
    for (const row of rows) {
      await ctx.trx
        .updateTable('fraud_risk_assessments')
        .set({ status: 'IN_PROGRESS', updated_at: now, version: row.version + 1, claimed_by: claimedBy, claimed_until: claimedUntil })
        .where('id', '=', row.id)
        .execute();
      const updated = { ...row, status: 'IN_PROGRESS', updated_at: now, version: row.version + 1 };
      ctx.audit({
        entityType: 'assessment',
        entityId: row.id,
        tenantId: row.tenant_id,
        before: { status: row.status, claimedBy: row.claimed_by },
        after: { status: 'IN_PROGRESS', claimedBy },
      });
      ctx.change({ entityType: 'assessment', entityId: row.id, operation: 'upsert', version: updated.version, data: { id: row.id, status: 'IN_PROGRESS' } });
      ctx.announce({ event: 'assessment.updated', audience: 'assessment:read', tenantId: updated.tenant_id, payload: updatedEvent(updated) });
    }
    return rows.map((r) => r.id);
  },
});

/** A queued batch assessment no live hub holds: PENDING, or IN_PROGRESS with its claim run out (or from before claims). */
export function claimable(eb: ExpressionBuilder<Database, 'fraud_risk_assessments'>, now: string) {
  return eb.and([
    eb('deleted_at', 'is', null),
    eb.or([
      eb('status', '=', 'PENDING'),
      eb.and([
        eb('status', '=', 'IN_PROGRESS'),
        eb('risk_assessment_type', '=', 'BATCH'),
        eb.or([eb('claimed_until', '<', now), eb('claimed_until', 'is', null)]),
      ]),
    ]),
  ]);
}

type AssessmentPatch = Partial<Omit<AssessmentRow, 'id' | 'version' | 'updated_at'>>;

/**
 * The one way a stored assessment changes (the case write-back included): the actor must act for
 * its tenant (404 otherwise, also when replayed; ARCHITECTURE.md "Tenants"), the row must still
 * be the version that was read (409 otherwise), then the patch plus a new version and time, its
 * audit row, an optional follow-up (opening a case), its change-log entry and the live event.
 */
export async function updateAssessment(
  ctx: CommandContext,
  row: AssessmentRow,
  patch: AssessmentPatch,
  audit: (updated: AssessmentRow) => { before: Record<string, unknown>; after: Record<string, unknown> },
  followUp?: (updated: AssessmentRow) => Promise<void>,
): Promise<AssessmentResponse> {
  new TenantScope(ctx.actor.tenants).assertVisible(row.tenant_id, 'assessment');
  const now = ctx.now.toISOString();
  const updated: AssessmentRow = { ...row, ...patch, updated_at: now, version: row.version + 1 };
  const { id: _id, ...columns } = { ...patch, id: row.id };
  const result = await ctx.trx
    .updateTable('fraud_risk_assessments')
    .set({ ...(columns as Record<string, unknown>), updated_at: now, version: updated.version } as never)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`assessment ${row.assessment_id} was changed by someone else meanwhile; reload it`);
  ctx.audit({ entityType: 'assessment', entityId: row.id, tenantId: row.tenant_id, ...audit(updated) });
  await followUp?.(updated);
  ctx.change({ entityType: 'assessment', entityId: row.id, operation: 'upsert', version: updated.version, data: changeSummary(updated) });
  ctx.announce({ event: 'assessment.updated', audience: 'assessment:read', tenantId: updated.tenant_id, payload: updatedEvent(updated) });
  return toAssessmentResponse(updated);
}

const RETRYABLE: readonly AssessmentStatus[] = ['FAILED', 'ERROR', 'TIMEOUT'];

/**
 * Writes a new outcome onto an existing assessment: a batch assessment finishing (from
 * IN_PROGRESS) or a retry of one that failed, timed out or erred. Opens a case when needed.
 */
export const completeAssessment = defineCommand({
  name: 'assessment.complete',
  input: z.object({ id: z.uuid(), payment: PaymentInput, outcome: Outcome, retry: z.boolean(), expectedVersion: z.number().int().positive() }),
  permission: 'assessment:manage',
  async apply(ctx, { id, payment, outcome, retry, expectedVersion }) {
    const row = await loadAssessment(ctx, id);
    if (row.version !== expectedVersion) throw conflict(`assessment ${row.assessment_id} changed while it was being re-assessed: try again`);
    const allowed: readonly string[] = retry ? RETRYABLE : ['IN_PROGRESS', 'PENDING'];
    if (!allowed.includes(row.status)) {
      throw conflict(
        retry
          ? `assessment ${row.assessment_id} is ${row.status}: only FAILED, ERROR or TIMEOUT assessments can be retried`
          : `assessment ${row.assessment_id} is ${row.status}, not in progress`,
      );
    }
    const now = ctx.now.toISOString();
    const columns = outcomeColumns(outcome, now);
    const details = outcome.details
      ? {
          ...outcome.details,
          history: [
            ...(fromJsonOrNull<AssessmentDetails>(row.assessment_details)?.history ?? []),
            { at: now, by: ctx.actor.name, action: retry ? 'RETRY' : 'BATCH_COMPLETED', note: `${row.status} → ${outcome.status}` },
          ],
        }
      : null;
    return updateAssessment(
      ctx,
      row,
      { ...columns, assessment_details: details ? toJson(details) : columns.assessment_details, retry_count: row.retry_count + (retry ? 1 : 0) },
      (updated) => ({ before: auditAfter(row), after: { ...auditAfter(updated), retryCount: updated.retry_count } }),
      (updated) => openCaseIfNeeded(ctx, updated, payment),
    );
  },
});

/** The payment engine withdrew the payment, or an admin stopped an assessment that cannot finish. */
export const cancelAssessment = defineCommand({
  name: 'assessment.cancel',
  input: CancelAssessmentRequest.safeExtend({ id: z.uuid() }),
  permission: 'assessment:manage',
  async apply(ctx, { id, reason }) {
    const row = await loadAssessment(ctx, id);
    if (row.status === 'CANCELLED') throw conflict(`assessment ${row.assessment_id} is already cancelled`);
    if (row.manual_decision) throw conflict(`assessment ${row.assessment_id} was decided by an analyst and can no longer be cancelled`);
    if (row.status === 'COMPLETED' && row.decision === 'APPROVE')
      throw conflict(`assessment ${row.assessment_id} approved the payment; a completed approval cannot be cancelled`);
    const details = withHistory(row, { at: ctx.now.toISOString(), by: ctx.actor.name, action: 'CANCEL', note: reason });
    return updateAssessment(
      ctx,
      row,
      { status: 'CANCELLED', error_message: `Cancelled by ${ctx.actor.name}: ${reason}`.slice(0, 1000), ...(details ? { assessment_details: details } : {}) },
      () => ({ before: { status: row.status, decision: row.decision }, after: { status: 'CANCELLED', reason } }),
    );
  },
});

/**
 * Seed 003 PUT /assessments/{id}/decision: an accountable person decides the payment, with a
 * reason. One command decides a payment (issue 10 item 5): decidePayment (cases/) applies the
 * same rules as the case screen — through the open case when there is one, and the same
 * four-eyes limits without one.
 */
export const decideAssessment = defineCommand({
  name: 'assessment.decide',
  input: ManualDecisionRequest.safeExtend({ id: z.uuid() }),
  permission: 'case:decide',
  async apply(ctx, input) {
    return decidePayment(ctx, await loadAssessment(ctx, input.id), input);
  },
});
