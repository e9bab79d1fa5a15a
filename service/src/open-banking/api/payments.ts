import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { ObPaymentRow } from '../../db/schema-open-banking.ts';
import type { Actor, CommandBus } from '../../commands/bus.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import type { Clock } from '../../clock.ts';
import type { AssessmentPipeline } from '../../assessments/pipeline.ts';
import type { PartnerCaller } from '../../auth/partner.ts';
import type { Principal } from '../../auth/principal.ts';
import { checkConsentAccess } from '../../consents/check.ts';
import { ServiceError } from '../../errors.ts';
import type { PaymentInput } from '../../../../shared/src/payments.ts';
import { FINAL_PAYMENT_STATUSES, ObPaymentStatus, type PartnerPayment, type PaymentInitiationRequest } from '../../../../shared/src/open-banking-api.ts';
import { assessmentOf, assertOwnPayment, initiateObPayment, settleObPayment, statusForAssessment } from './payment-commands.ts';
import { customerPresentOf, pipelineReference, toPartnerPayment } from './mapping.ts';

export interface PartnerRequestMeta {
  method: string;
  /** The route pattern (the access log's endpoint). */
  endpoint: string;
  path: string;
  requestId: string | null;
}

export interface ObPaymentDeps {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  pipeline: AssessmentPipeline;
  logger: Logger;
}

/**
 * Payment initiation (issue 14; seed 002 §5.2: Payment Request → Risk Engine → Fraud System →
 * Decision → Core Banking). The key is claimed and funds reserved by a command, then the payment
 * goes through the same fraud assessment pipeline as the bank's engine's payments, then a command
 * settles it by the answer. A crash between the steps leaves the payment Received; a repeat of
 * the key (or a status read) resumes it, and the pipeline is idempotent per reference, so the
 * payment is assessed once.
 */
export class ObPayments {
  constructor(private readonly deps: ObPaymentDeps) {}

  async initiate(
    partner: PartnerCaller,
    principal: Principal,
    body: z.output<typeof PaymentInitiationRequest>,
    idempotencyKey: string,
    meta: PartnerRequestMeta,
  ): Promise<{ created: boolean; payment: PartnerPayment }> {
    const checked = await checkConsentAccess(this.deps, { partner, ...meta, scope: 'payments.write', accountId: body.debtorAccountId });
    const requestHash = hashOf(checked.consent.id, body);
    const existing = await this.byKey(partner.appId, idempotencyKey);
    if (existing) return { created: false, payment: await this.repeat(existing, requestHash, principal.actor) };
    // Refused before anything is stored: a currency the bank has no rate for (400 naming the field).
    this.deps.pipeline.kesRateFor({ currency: body.currency, timestamp: this.deps.clock.now().toISOString() });
    let row: ObPaymentRow;
    try {
      row = await this.deps.bus.execute(
        initiateObPayment,
        { ...body, appId: partner.appId, consentId: checked.consent.id, idempotencyKey, requestHash, customerPresent: partner.customerPresent },
        principal.actor,
        { requestId: meta.requestId ?? undefined },
      );
    } catch (error) {
      // A concurrent first request with this key won: answer as its repeat.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.byKey(partner.appId, idempotencyKey);
      if (!winner) throw error;
      return { created: false, payment: await this.repeat(winner, requestHash, principal.actor) };
    }
    return { created: true, payment: toPartnerPayment(await this.advance(row, principal.actor)) };
  }

  /** A payment of the app under the token's consent, its status as of now. */
  async get(partner: PartnerCaller, principal: Principal, id: string, meta: PartnerRequestMeta): Promise<PartnerPayment> {
    await checkConsentAccess(this.deps, { partner, ...meta, scope: 'payments.write' });
    const row = await this.deps.db.kysely.selectFrom('ob_payments').selectAll().where('id', '=', id).executeTakeFirst();
    return toPartnerPayment(await this.advance(assertOwnPayment(row, partner.appId, partner.consentId), principal.actor));
  }

  /**
   * Settles the payment behind an assessment whose decision a case (or an analyst) just made
   * final. Runs after the assessment's command committed (the bus's announce), as the service.
   */
  async settleForAssessment(assessmentRowId: string): Promise<void> {
    const row = await this.deps.db.kysely
      .selectFrom('ob_payments')
      .innerJoin('fraud_risk_assessments', 'fraud_risk_assessments.payment_id', 'ob_payments.payment_id')
      .select('ob_payments.id')
      .where('fraud_risk_assessments.id', '=', assessmentRowId)
      .where('ob_payments.status', 'in', ['Received', 'Pending'])
      .executeTakeFirst();
    if (row) await this.deps.bus.execute(settleObPayment, { id: row.id }, SYSTEM_ACTOR);
  }

  private async byKey(appId: string, key: string): Promise<ObPaymentRow | undefined> {
    return this.deps.db.kysely.selectFrom('ob_payments').selectAll().where('app_id', '=', appId).where('idempotency_key', '=', key).executeTakeFirst();
  }

  /** The same key again: the same payment (as it stands now) for the same content, 409 for other content. */
  private async repeat(row: ObPaymentRow, requestHash: string, actor: Actor): Promise<PartnerPayment> {
    if (row.request_hash !== requestHash) {
      throw new ServiceError(409, 'IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used for a different payment', [
        { path: 'headers.idempotency-key', message: 'already used for a different payment (or under another consent)' },
      ]);
    }
    return toPartnerPayment(await this.advance(row, actor));
  }

  /** Assesses a Received payment (again, idempotently) and settles any payment its assessment moved on. */
  private async advance(row: ObPaymentRow, actor: Actor): Promise<ObPaymentRow> {
    const status = ObPaymentStatus.parse(row.status);
    if (FINAL_PAYMENT_STATUSES.includes(status)) return row;
    if (status === 'Received') await this.assess(row, actor);
    const assessment = await assessmentOf(this.deps.db.kysely, row);
    const target = statusForAssessment(assessment);
    // Nothing new to record: no command (and no write) for a status read of a payment still held.
    if (target.status === row.status && target.reason === row.status_reason && (assessment?.payment_id ?? null) === row.payment_id) return row;
    return this.deps.bus.execute(settleObPayment, { id: row.id }, actor);
  }

  private async assess(row: ObPaymentRow, actor: Actor): Promise<void> {
    const db = this.deps.db.kysely;
    const [consent, account] = await Promise.all([
      db.selectFrom('consents').select(['customer_ref']).where('id', '=', row.consent_id).executeTakeFirstOrThrow(),
      db.selectFrom('bank_accounts').select(['account_number']).where('id', '=', row.debtor_account_id).executeTakeFirstOrThrow(),
    ]);
    const internal = await db
      .selectFrom('bank_accounts')
      .select('id')
      .where('account_number', '=', row.creditor_account)
      .where('tenant_id', '=', row.tenant_id)
      .executeTakeFirst();
    // Built from the stored row only, so a resumed assessment is the same payment (same fingerprint).
    const payment: PaymentInput = {
      transactionReference: pipelineReference(row.id),
      tenantId: row.tenant_id,
      ...(internal
        ? { paymentType: 'INTERNAL_TRANSFER', localInstrumentationCode: 'BOOK', clearingSystemCode: 'INTERNAL' }
        : { paymentType: 'INSTANT_TRANSFER', localInstrumentationCode: 'PESALINK', clearingSystemCode: 'IPSL' }),
      paymentSource: 'BANK_CLIENT',
      amount: Number(row.amount),
      currency: row.currency,
      timestamp: new Date(row.created_at).toISOString(),
      channel: customerPresentOf(row) ? 'MOBILE' : 'WEB',
      country: 'KE',
      customerId: consent.customer_ref ?? '',
      debtorAccount: account.account_number,
      creditorAccount: row.creditor_account,
      description: row.reference,
    };
    // The service submits it to its own fraud system on the app's behalf: the app's role has no
    // assessment permission of its own, so the pipeline records it as the service acting for the app.
    const submitter: Actor = { kind: 'system', id: actor.id, name: `Open Banking: ${actor.name}`, role: 'SYSTEM', tenants: [row.tenant_id] };
    await this.deps.pipeline.assess(payment, submitter);
  }
}

function hashOf(consentId: string, body: z.output<typeof PaymentInitiationRequest>): string {
  const canonical = JSON.stringify([consentId, body.debtorAccountId, body.creditorAccount, body.creditorName, body.amount, body.currency, body.reference]);
  return createHash('sha256').update(canonical).digest('hex');
}
