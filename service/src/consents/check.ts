import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import { dbBool, fromJson, toIso, toIsoOrNull } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { ConsentRow } from '../db/schema-open-banking.ts';
import type { Clock } from '../clock.ts';
import { uuidv7 } from '../commands/ids.ts';
import { ServiceError } from '../errors.ts';
import type { PartnerCaller } from '../auth/partner.ts';
import type { ConsentCheckReason, ObScope } from '../../../shared/src/open-banking.ts';
import { bankDay, effectiveStatus, nextBankDayStart } from './mapping.ts';

export interface ConsentCheckDeps {
  db: Db;
  clock: Clock;
}

/** One partner request to be checked against the consent its token was issued under. */
export interface ConsentAccessRequest {
  partner: PartnerCaller;
  method: string;
  /** The route pattern, e.g. /open-banking/v1/accounts/:id/transactions */
  endpoint: string;
  path: string;
  requestId: string | null;
  /** The scope the endpoint needs. */
  scope: ObScope;
  /** The account the request addresses, if any (must be one the customer selected). */
  accountId?: string | null;
}

/** What a request may see: the consent as read now, its accounts and its transaction window. */
export interface CheckedConsent {
  consent: ConsentRow;
  accountIds: string[];
  transactionFrom: string | null;
  transactionTo: string | null;
}

export interface RefusedRequest {
  appId: string | null;
  tenantId: string | null;
  method: string;
  endpoint: string;
  path: string;
  reason: ConsentCheckReason;
  statusCode: number;
  requestId: string | null;
  customerPresent: boolean;
}

const REFUSAL_STATUS: Record<Exclude<ConsentCheckReason, 'OK'>, number> = {
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  APP_SUSPENDED: 401,
  APP_MISMATCH: 403,
  CONSENT_NOT_AUTHORISED: 403,
  CONSENT_EXPIRED: 403,
  SCOPE_NOT_GRANTED: 403,
  ACCOUNT_NOT_IN_CONSENT: 403,
  OUTSIDE_TRANSACTION_WINDOW: 403,
  FREQUENCY_LIMIT: 429,
};

interface Verdict {
  reason: Exclude<ConsentCheckReason, 'OK'>;
  message: string;
  headers?: Record<string, string>;
}

type Outcome = { allowed: CheckedConsent } | { refused: Verdict };

/**
 * The per-request consent check (issue 14), in the order the issue gives: (1 — token valid and app
 * active — is the partner authenticator's, before the body is read) 2. the token's app is the
 * consent's app; 3. the consent is Authorised; 4. it has not expired at this request; 5. its scope
 * covers the endpoint and the account; 6. unattended calls stay within frequencyPerDay.
 *
 * The consent row is read on every request (no cache), so a revocation reaches tokens already
 * issued at their next request. The access record and the frequency counter are written in one
 * transaction: the counter is raised by one conditional upsert that returns a row only below the
 * limit, so 50 concurrent requests against a limit of N allow exactly N (the implementers' bug
 * "racing usage counters"). A refusal is answered in the standard error shape with the reason as
 * its code (403, or 429 with Retry-After to the next bank day) — never a 500.
 */
export async function checkConsentAccess(deps: ConsentCheckDeps, req: ConsentAccessRequest): Promise<CheckedConsent> {
  const now = deps.clock.now();
  const outcome = await deps.db.kysely.transaction().execute(async (trx): Promise<Outcome> => {
    const consent = req.partner.consentId
      ? await trx.selectFrom('consents').selectAll().where('id', '=', req.partner.consentId).where('deleted_at', 'is', null).executeTakeFirst()
      : undefined;
    const verdict = consent ? await judge(trx, consent, req, now) : noConsent(req);
    await trx
      .insertInto('consent_access_log')
      .values({
        id: uuidv7(now.getTime()),
        consent_id: req.partner.consentId,
        app_id: req.partner.appId,
        tenant_id: consent?.tenant_id ?? req.partner.tenantId,
        customer_ref: consent?.customer_ref ?? req.partner.customerRef,
        method: req.method,
        endpoint: req.endpoint,
        path: req.path.slice(0, 1000),
        decision: verdict ? 'DENY' : 'ALLOW',
        reason: verdict?.reason ?? 'OK',
        status_code: verdict ? REFUSAL_STATUS[verdict.reason] : 200,
        customer_present: dbBool(deps.db.dialect, req.partner.customerPresent),
        request_id: req.requestId,
        at: now.toISOString(),
      })
      .execute();
    if (verdict || !consent) return { refused: verdict ?? noConsent(req) };
    return {
      allowed: {
        consent,
        accountIds: fromJson<string[]>(consent.account_ids),
        transactionFrom: toIsoOrNull(consent.transaction_from),
        transactionTo: toIsoOrNull(consent.transaction_to),
      },
    };
  });
  if ('refused' in outcome) {
    const { reason, message, headers } = outcome.refused;
    throw new ServiceError(REFUSAL_STATUS[reason], reason, message, undefined, headers);
  }
  return outcome.allowed;
}

function noConsent(req: ConsentAccessRequest): Verdict {
  return req.partner.consentId
    ? { reason: 'CONSENT_NOT_AUTHORISED', message: 'the consent this token was issued under does not exist' }
    : { reason: 'CONSENT_NOT_AUTHORISED', message: 'this endpoint needs a token issued under a customer’s consent (authorization code)' };
}

/** Checks 2–6 on the consent as it stands now; null = allowed (and, if unattended, counted). */
async function judge(trx: Transaction<Database>, consent: ConsentRow, req: ConsentAccessRequest, now: Date): Promise<Verdict | null> {
  if (consent.app_id !== req.partner.appId) return { reason: 'APP_MISMATCH', message: 'the consent belongs to another app' };
  const status = effectiveStatus(consent, now);
  if (status === 'Expired') return { reason: 'CONSENT_EXPIRED', message: `the consent expired at ${toIso(consent.expires_at as string | Date)}` };
  if (status !== 'Authorised') return { reason: 'CONSENT_NOT_AUTHORISED', message: `the consent is ${status}` };
  if (req.partner.customerRef !== null && consent.customer_ref !== req.partner.customerRef) {
    return { reason: 'CONSENT_NOT_AUTHORISED', message: 'the token’s customer did not authorise this consent' };
  }
  const permissions = fromJson<string[]>(consent.permissions);
  if (!permissions.includes(req.scope) || !req.partner.scopes.has(req.scope)) {
    return { reason: 'SCOPE_NOT_GRANTED', message: `the consent does not grant ${req.scope}` };
  }
  if (req.accountId !== undefined && req.accountId !== null && !fromJson<string[]>(consent.account_ids).includes(req.accountId)) {
    return { reason: 'ACCOUNT_NOT_IN_CONSENT', message: 'the customer did not select this account for the consent' };
  }
  if (req.partner.customerPresent) return null;
  // One statement decides and counts: it returns a row only while the count is below the limit
  // (PostgreSQL re-checks the WHERE on the locked row; SQLite runs writers one at a time).
  const counted = await trx
    .insertInto('consent_usage')
    .values({ consent_id: consent.id, day: bankDay(now), count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['consent_id', 'day'])
        .doUpdateSet({ count: sql<number>`consent_usage.count + 1` })
        .where('consent_usage.count', '<', consent.frequency_per_day),
    )
    .returning('count')
    .executeTakeFirst();
  if (counted) return null;
  const retryAfter = Math.max(1, Math.ceil((nextBankDayStart(now).getTime() - now.getTime()) / 1000));
  return {
    reason: 'FREQUENCY_LIMIT',
    message: `unattended access under this consent is limited to ${consent.frequency_per_day} calls per day; send x-fapi-customer-ip-address when the customer is present`,
    headers: { 'Retry-After': String(retryAfter) },
  };
}

/**
 * Records a partner request refused before any consent check (bad or revoked token, suspended
 * app): one DENY row in the access log, so an app's refused calls show in its usage.
 */
export async function recordRefusedRequest(deps: ConsentCheckDeps, entry: RefusedRequest): Promise<void> {
  const now = deps.clock.now();
  await deps.db.kysely
    .insertInto('consent_access_log')
    .values({
      id: uuidv7(now.getTime()),
      consent_id: null,
      app_id: entry.appId,
      tenant_id: entry.tenantId,
      customer_ref: null,
      method: entry.method,
      endpoint: entry.endpoint,
      path: entry.path.slice(0, 1000),
      decision: 'DENY',
      reason: entry.reason,
      status_code: entry.statusCode,
      customer_present: dbBool(deps.db.dialect, entry.customerPresent),
      request_id: entry.requestId,
      at: now.toISOString(),
    })
    .execute();
}
