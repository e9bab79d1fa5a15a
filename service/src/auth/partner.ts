import type { FastifyRequest } from 'fastify';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import type { ObScope } from '../../../shared/src/open-banking.ts';
import type { Principal } from './principal.ts';

/**
 * An Open Banking app's call (issue 14): what its OAuth access token says. The token is checked
 * before the body is read (OperationRouter, onRequest); the consent checks that need the parsed
 * input (account, scope, frequency) run in the handler's query or command.
 */
export interface PartnerCaller {
  appId: string;
  clientId: string;
  tenantId: string;
  /** The token as presented (its jti), for the access record. */
  tokenId: string;
  /** client_credentials (the app itself) or authorization_code (on a customer's consent). */
  grantType: 'client_credentials' | 'authorization_code';
  /** The consent the token was issued under (authorization code tokens only). */
  consentId: string | null;
  /** The customer who authorised it (the token's subject), authorization code tokens only. */
  customerRef: string | null;
  scopes: ReadonlySet<ObScope | 'openid'>;
  /** The customer is present (x-fapi-customer-ip-address sent): exempt from the daily frequency limit. */
  customerPresent: boolean;
}

/** Checks the bearer token of a 'partner' operation; throws a ServiceError (401/403) and records the refusal. */
export type PartnerAuthenticator = (op: OperationSpec, request: FastifyRequest) => Promise<{ principal: Principal; partner: PartnerCaller }>;
