import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../context.ts';
import type { PartnerCaller } from '../../auth/partner.ts';
import { parseOrThrow, unauthenticated } from '../../errors.ts';
import { openBankingOperations as ops, PaymentIdempotencyKey } from '../../../../shared/src/contract/open-banking.ts';
import type { OperationSpec } from '../../../../shared/src/contract/operation.ts';
import { createPartnerConsent, getPartnerConsent, revokePartnerConsent } from './consents.ts';
import { ObPayments, type PartnerRequestMeta } from './payments.ts';
import { PartnerReads } from './reads.ts';

/** The app behind a 'partner' operation (the router's partner authenticator set it before the body was read). */
function partnerOf(call: { partner: PartnerCaller | null }): PartnerCaller {
  if (!call.partner) throw unauthenticated('an Open Banking access token is required');
  return call.partner;
}

/** What the access record of this request says: method, route pattern, path and request id. */
function metaOf(op: OperationSpec, request: FastifyRequest): PartnerRequestMeta {
  return { method: op.method, endpoint: op.path, path: request.url, requestId: request.id };
}

/** The Idempotency-Key header a payment initiation must carry (400 naming the header otherwise). */
function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers['idempotency-key'];
  return parseOrThrow(PaymentIdempotencyKey, Array.isArray(raw) ? raw.join(',') : (raw ?? ''), 'headers.idempotency-key');
}

/** This server's issuer as the app reached it (the Host header was checked against the allow-list: lockdown.ts). */
function issuerOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * /open-banking/v1: the partner API, built from the contract (ARCHITECTURE.md rule 2). Handlers
 * call one command or one query; each data read is the consent check plus the read (reads.ts).
 * A payment held for review settles when its case decides: the assessment's write-back is
 * announced after commit, and the payment's settle command hangs off that (ARCHITECTURE.md rule 1).
 */
export function registerOpenBankingApiRoutes(ctx: ServiceContext): ObPayments {
  const { operations, db, bus, clock } = ctx;
  const reads = new PartnerReads({ db, clock });
  const payments = new ObPayments({ db, bus, clock, pipeline: ctx.decisionEngine.pipeline, logger: ctx.logger });

  operations.implement(ops.createConsent, (call) =>
    createPartnerConsent({ db, bus }, partnerOf(call), call.principal, call.body, issuerOf(call.request), call.request.id),
  );
  operations.implement(ops.getConsent, (call) => getPartnerConsent({ db, clock }, partnerOf(call), call.params.id));
  operations.implement(ops.revokeConsent, (call) => revokePartnerConsent({ bus }, call.principal, call.params.id, call.request.id));
  operations.implement(ops.listAccounts, (call) => reads.accounts(partnerOf(call), metaOf(ops.listAccounts, call.request)));
  operations.implement(ops.getAccount, (call) => reads.account(partnerOf(call), call.params.id, metaOf(ops.getAccount, call.request)));
  operations.implement(ops.getBalance, (call) => reads.balance(partnerOf(call), call.params.id, metaOf(ops.getBalance, call.request)));
  operations.implement(ops.listTransactions, (call) =>
    reads.transactions(partnerOf(call), call.params.id, call.query, metaOf(ops.listTransactions, call.request)),
  );
  operations.implement(ops.createPayment, async (call) => {
    const { created, payment } = await payments.initiate(
      partnerOf(call),
      call.principal,
      call.body,
      idempotencyKeyOf(call.request),
      metaOf(ops.createPayment, call.request),
    );
    // A repeat of the key answers the same payment with 200 instead of 201.
    if (!created) call.reply.code(200);
    return payment;
  });
  operations.implement(ops.getPayment, (call) => payments.get(partnerOf(call), call.principal, call.params.id, metaOf(ops.getPayment, call.request)));

  // Hubs and standalone settle held payments when their case decides; a workstation holds no payments.
  if (ctx.mode !== 'workstation') {
    bus.events.on('announce', (announcement) => {
      if (announcement.event !== 'assessment.updated') return;
      const decision = announcement.payload.decision;
      if (decision !== 'APPROVE' && decision !== 'REJECT') return;
      payments.settleForAssessment(announcement.payload.id).catch((error: unknown) => {
        // A status read settles it too (payments.get), so a failure here only delays the webhook.
        ctx.logger.warn({ err: error, assessment: announcement.payload.id }, 'could not settle an Open Banking payment after its case decision');
      });
    });
  }
  return payments;
}
