import { z } from 'zod';
import {
  CreateConsentRequest,
  CreatedConsent,
  PartnerAccount,
  PartnerAccountList,
  PartnerBalance,
  PartnerConsent,
  PartnerPayment,
  PartnerTransactionPage,
  PaymentInitiationRequest,
  TransactionQuery,
} from '../open-banking-api.ts';
import { defineOperation, UuidParams } from './operation.ts';

const BASE = '/open-banking/v1';

/**
 * The partner-facing Open Banking API (issue 14, seed 002 §4). Every operation takes an app's
 * OAuth access token (access 'partner'); the consent endpoints need only the app's own token
 * (client credentials), the account, transaction and payment endpoints a token issued under a
 * customer's consent, which is checked on every request (service/src/consents/check.ts). The
 * tenant is always the app's.
 */
export const openBankingOperations = {
  createConsent: defineOperation({
    name: 'openBanking.consent.create',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/consents`,
    access: 'partner',
    tenant: 'record',
    summary:
      'Ask a customer for consent (client-credentials token): answers the consent (AwaitingAuthorisation) and the authorization request to send the customer to.',
    body: CreateConsentRequest,
    output: CreatedConsent,
    status: 201,
  }),
  getConsent: defineOperation({
    name: 'openBanking.consent.get',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/consents/:id`,
    access: 'partner',
    tenant: 'record',
    summary: 'One of the app’s own consents, its status as of now (past its expiry it is Expired).',
    params: UuidParams,
    output: PartnerConsent,
  }),
  revokeConsent: defineOperation({
    name: 'openBanking.consent.revoke',
    kind: 'command',
    method: 'DELETE',
    path: `${BASE}/consents/:id`,
    access: 'partner',
    tenant: 'record',
    summary: 'The app ends one of its consents (Revoked, REVOKED_BY_APP): tokens issued under it stop working at once.',
    params: UuidParams,
    output: null,
  }),
  listAccounts: defineOperation({
    name: 'openBanking.account.list',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/accounts`,
    access: 'partner',
    partnerScope: 'accounts.read',
    tenant: 'list',
    summary: 'The accounts the customer selected for this consent (accounts.read).',
    output: PartnerAccountList,
  }),
  getAccount: defineOperation({
    name: 'openBanking.account.get',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/accounts/:id`,
    access: 'partner',
    partnerScope: 'accounts.read',
    tenant: 'record',
    summary: 'One account of the consent (accounts.read).',
    params: UuidParams,
    output: PartnerAccount,
  }),
  getBalance: defineOperation({
    name: 'openBanking.account.balance',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/accounts/:id/balance`,
    access: 'partner',
    partnerScope: 'balances.read',
    tenant: 'record',
    summary: 'Booked and available balance of an account of the consent as of now (balances.read).',
    params: UuidParams,
    output: PartnerBalance,
  }),
  listTransactions: defineOperation({
    name: 'openBanking.account.transactions',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/accounts/:id/transactions`,
    access: 'partner',
    partnerScope: 'transactions.read',
    tenant: 'record',
    summary:
      'Transactions of an account of the consent, newest first, within the consent’s transaction window: filter by booking date, amount and credit/debit; cursor paging (transactions.read).',
    params: UuidParams,
    query: TransactionQuery,
    output: PartnerTransactionPage,
  }),
  createPayment: defineOperation({
    name: 'openBanking.payment.create',
    kind: 'command',
    method: 'POST',
    path: `${BASE}/payments`,
    access: 'partner',
    partnerScope: 'payments.write',
    tenant: 'record',
    summary:
      'Initiate a payment from an account of the consent (payments.write; Idempotency-Key header required: a repeat answers 200 with the same payment, other content under the key is a 409). The fraud engine assesses it before it is accepted: completed, pending review (a case decides) or rejected; webhooks payment.completed (every final status) and transaction.posted (booked).',
    body: PaymentInitiationRequest,
    output: PartnerPayment,
    status: 201,
    alternativeStatuses: [200],
  }),
  getPayment: defineOperation({
    name: 'openBanking.payment.get',
    kind: 'query',
    method: 'GET',
    path: `${BASE}/payments/:id`,
    access: 'partner',
    partnerScope: 'payments.write',
    tenant: 'record',
    summary: 'A payment the app initiated under this token’s consent, its status as of now (a held payment follows its fraud case).',
    params: UuidParams,
    output: PartnerPayment,
  }),
} as const;

/** The Idempotency-Key header of a payment initiation (IETF draft "Idempotency-Key"). */
export const PaymentIdempotencyKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
