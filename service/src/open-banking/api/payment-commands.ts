import { z } from 'zod';
import type { Insertable, Kysely } from 'kysely';
import { defineCommand, type CommandContext } from '../../commands/bus.ts';
import type { Database } from '../../db/schema.ts';
import type { ObPaymentRow, ObPaymentsTable } from '../../db/schema-open-banking.ts';
import { dbBool, fromJson } from '../../db/database.ts';
import { lockForUpdate } from '../../db/dialect.ts';
import { conflict, notFound, ServiceError, validationFailed } from '../../errors.ts';
import { effectiveStatus } from '../../consents/mapping.ts';
import { enqueueWebhookWithin } from '../../webhooks/enqueue.ts';
import { amountProblem } from '../../../../shared/src/payments.ts';
import { CASE_OPENING_DECISIONS, type Decision } from '../../../../shared/src/assessments.ts';
import { FINAL_PAYMENT_STATUSES, ObPaymentStatus, PaymentInitiationRequest } from '../../../../shared/src/open-banking-api.ts';
import { balancesOf } from './accounts.ts';
import { OB_PAYMENT_ENTITY, pipelineReference, roundToCurrency, toPartnerPayment } from './mapping.ts';

const appActorId = (appId: string) => `app:${appId}`;

/** An app acts only on its own payments; the service itself (settling after a case decision) on any. */
function assertActorIsApp(ctx: CommandContext, appId: string): void {
  if (ctx.actor.kind !== 'system' && ctx.actor.id !== appActorId(appId)) throw notFound('payment');
}

export const InitiatePaymentInput = PaymentInitiationRequest.safeExtend({
  appId: z.uuid(),
  consentId: z.uuid(),
  idempotencyKey: z.string().min(1).max(200),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/),
  customerPresent: z.boolean(),
});

/**
 * Takes a payment initiation (issue 14): the key is claimed (unique per app), the consent and the
 * debtor account are checked again under row locks (a revocation between the request's consent
 * check and here wins), and funds are reserved: the row stays Received, holding the amount against
 * the available balance, until the fraud pipeline's answer settles it (settleObPayment). Locking
 * the account serialises payments from it, so two concurrent ones cannot both spend the same funds.
 * Not enough funds: the payment is stored Rejected (a repeat of the key answers the same).
 */
export const initiateObPayment = defineCommand({
  name: 'obPayment.initiate',
  input: InitiatePaymentInput,
  permission: 'openbanking:partner',
  async apply(ctx, input): Promise<ObPaymentRow> {
    assertActorIsApp(ctx, input.appId);
    const consent = await lockForUpdate(ctx.dialect, ctx.trx.selectFrom('consents').selectAll().where('id', '=', input.consentId)).executeTakeFirst();
    if (!consent || consent.app_id !== input.appId) throw new ServiceError(403, 'APP_MISMATCH', 'the consent belongs to another app');
    const status = effectiveStatus(consent, ctx.now);
    if (status === 'Expired') throw new ServiceError(403, 'CONSENT_EXPIRED', 'the consent has expired');
    if (status !== 'Authorised') throw new ServiceError(403, 'CONSENT_NOT_AUTHORISED', `the consent is ${status}`);
    if (!fromJson<string[]>(consent.permissions).includes('payments.write'))
      throw new ServiceError(403, 'SCOPE_NOT_GRANTED', 'the consent does not grant payments.write');
    if (!fromJson<string[]>(consent.account_ids).includes(input.debtorAccountId)) {
      throw new ServiceError(403, 'ACCOUNT_NOT_IN_CONSENT', 'the customer did not select this account for the consent');
    }
    const account = await lockForUpdate(
      ctx.dialect,
      ctx.trx
        .selectFrom('bank_accounts')
        .selectAll()
        .where('id', '=', input.debtorAccountId)
        .where('tenant_id', '=', consent.tenant_id)
        .where('deleted_at', 'is', null),
    ).executeTakeFirst();
    if (!account || account.customer_ref !== consent.customer_ref) throw notFound('account');
    if (account.type === 'LOAN') throw conflict('payments cannot be made from a loan account');
    if (account.status !== 'ACTIVE') throw conflict(`the debtor account is ${account.status.toLowerCase()}: it cannot make payments`);
    if (input.currency !== account.currency) {
      throw validationFailed([{ path: 'body.currency', message: `the debtor account is held in ${account.currency}` }]);
    }
    const problem = amountProblem(input.amount, input.currency);
    if (problem) throw validationFailed([{ path: 'body.amount', message: problem }]);
    const { available } = await balancesOf(ctx.trx, account);
    const funded = available >= input.amount;
    const now = ctx.now.toISOString();
    const inserted = {
      id: ctx.newId(),
      tenant_id: consent.tenant_id,
      app_id: input.appId,
      consent_id: consent.id,
      idempotency_key: input.idempotencyKey,
      request_hash: input.requestHash,
      payment_id: null,
      debtor_account_id: account.id,
      creditor_account: input.creditorAccount,
      creditor_name: input.creditorName,
      amount: input.amount,
      currency: input.currency,
      reference: input.reference,
      status: funded ? 'Received' : 'Rejected',
      status_reason: funded ? null : `Insufficient funds: ${roundToCurrency(available, account.currency)} ${account.currency} available`,
      customer_present: dbBool(ctx.dialect, input.customerPresent),
      created_at: now,
      updated_at: now,
      version: 1,
    } satisfies Insertable<ObPaymentsTable>;
    const row = inserted as ObPaymentRow;
    // A concurrent first request with the same key fails here on the unique index (app, key).
    await ctx.trx.insertInto('ob_payments').values(inserted).execute();
    recordPayment(ctx, null, row);
    if (!funded) await announceFinal(ctx, row);
    return row;
  },
});

/** Where a payment stands by its fraud assessment: approved is settled, a review holds it, a reject ends it. */
export function statusForAssessment(assessment: { decision: string | null } | undefined): { status: ObPaymentStatus; reason: string | null } {
  // The partner is told that the bank holds or refused it, never why: fraud rules are not for the payer's app to probe.
  if (!assessment) return { status: 'Received', reason: null };
  const decision = assessment.decision as Decision | null;
  if (decision === 'APPROVE') return { status: 'AcceptedSettlementCompleted', reason: null };
  if (decision === 'REJECT') return { status: 'Rejected', reason: 'Rejected by the bank’s payment checks' };
  if (decision && CASE_OPENING_DECISIONS.includes(decision)) return { status: 'Pending', reason: 'Held for review by the bank' };
  return { status: 'Pending', reason: 'Being checked by the bank' };
}

/** The payment's fraud assessment (by the reference the pipeline stored it under), if it was assessed. */
export async function assessmentOf(db: Kysely<Database>, row: Pick<ObPaymentRow, 'id' | 'tenant_id'>) {
  return db
    .selectFrom('fraud_risk_assessments')
    .select(['id', 'payment_id', 'decision', 'status', 'case_id'])
    .where('tenant_id', '=', row.tenant_id)
    .where('transaction_reference', '=', pipelineReference(row.id))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Brings a payment's status in line with its fraud assessment: the pipeline's answer right after
 * initiation, and later the decision of the case that held it (the case writes its decision back
 * to the assessment: cases/decisions.ts). Final states enqueue payment.completed (and, when it was
 * booked, transaction.posted) in this transaction (transactional outbox). A payment already final,
 * or whose assessment says nothing new, is left as it is.
 */
export const settleObPayment = defineCommand({
  name: 'obPayment.settle',
  input: z.object({ id: z.uuid() }),
  permission: 'openbanking:partner',
  async apply(ctx, { id }): Promise<ObPaymentRow> {
    const row = await lockForUpdate(ctx.dialect, ctx.trx.selectFrom('ob_payments').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!row) throw notFound('payment');
    assertActorIsApp(ctx, row.app_id);
    if (FINAL_PAYMENT_STATUSES.includes(ObPaymentStatus.parse(row.status))) return row;
    const assessment = await assessmentOf(ctx.trx, row);
    const target = statusForAssessment(assessment);
    if (target.status === row.status && target.reason === row.status_reason && (row.payment_id ?? null) === (assessment?.payment_id ?? null)) return row;
    const changes = {
      status: target.status,
      status_reason: target.reason,
      payment_id: assessment?.payment_id ?? null,
      updated_at: ctx.now.toISOString(),
      version: row.version + 1,
    };
    const result = await ctx.trx.updateTable('ob_payments').set(changes).where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw conflict('the payment changed meanwhile: try again');
    const after = { ...row, ...changes };
    recordPayment(ctx, row, after);
    if (FINAL_PAYMENT_STATUSES.includes(target.status)) await announceFinal(ctx, after);
    return after;
  },
});

function recordPayment(ctx: CommandContext, before: ObPaymentRow | null, after: ObPaymentRow): void {
  const view = toPartnerPayment(after);
  ctx.audit({
    entityType: OB_PAYMENT_ENTITY,
    entityId: after.id,
    tenantId: after.tenant_id,
    before: before ? { status: before.status, statusReason: before.status_reason, paymentId: before.payment_id } : null,
    after: { ...view, appId: after.app_id, paymentId: after.payment_id },
  });
  ctx.change({ entityType: OB_PAYMENT_ENTITY, entityId: after.id, operation: 'upsert', version: after.version, data: { ...view, appId: after.app_id } });
}

/** payment.completed for every final state; transaction.posted when the money moved. */
async function announceFinal(ctx: CommandContext, row: ObPaymentRow): Promise<void> {
  const view = toPartnerPayment(row);
  const event = { tenantId: row.tenant_id, ownerKind: 'OB_APP' as const, ownerId: row.app_id, entityType: OB_PAYMENT_ENTITY, entityId: row.id };
  await enqueueWebhookWithin(ctx, {
    ...event,
    eventType: 'payment.completed',
    data: {
      paymentId: row.id,
      consentId: row.consent_id,
      status: view.status,
      statusReason: view.statusReason,
      amount: view.amount,
      currency: view.currency,
      debtorAccountId: view.debtorAccountId,
      creditorAccount: view.creditorAccount,
      reference: view.reference,
      completedAt: ctx.now.toISOString(),
    },
  });
  if (row.status !== 'AcceptedSettlementCompleted' || !row.payment_id) return;
  await enqueueWebhookWithin(ctx, {
    ...event,
    eventType: 'transaction.posted',
    data: {
      accountId: row.debtor_account_id,
      transactionId: row.payment_id,
      paymentId: row.id,
      creditDebit: 'DEBIT',
      amount: view.amount,
      currency: view.currency,
      bookingDateTime: view.createdAt,
      reference: view.reference,
    },
  });
}

/** Whether an actor that is an app may see this payment (its own, under the token's consent). */
export function assertOwnPayment(row: ObPaymentRow | undefined, appId: string, consentId: string | null): ObPaymentRow {
  if (!row || row.app_id !== appId || row.consent_id !== consentId) throw notFound('payment');
  return row;
}
