import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../context.ts';
import { fromJson, toIsoOrNull } from '../../db/database.ts';
import { ServiceError } from '../../errors.ts';
import { revokeConsent } from '../../consents/commands.ts';
import { customerActor, effectiveStatus } from '../../consents/mapping.ts';
import { ObScope } from '../../../../shared/src/open-banking.ts';
import { CUSTOMER_COOKIE, CUSTOMER_SESSION_MS, readCookie, type CustomerAuthenticator, type CustomerSession, type CustomerSessions } from './customer-auth.ts';
import { customerConsentsPage, errorPage, signInPage, type CustomerConsentRow } from './pages.ts';
import { formField } from './forms.ts';
import { signInCustomer } from './sign-in.ts';

const LOGIN_COOKIE = 'wkz_customer_login';
const STATUS_LABELS: Record<string, string> = {
  AwaitingAuthorisation: 'Waiting for you',
  Authorised: 'Active',
  Rejected: 'Declined',
  Revoked: 'Withdrawn',
  Expired: 'Expired',
};

export interface CustomerPageDeps {
  ctx: ServiceContext;
  customers: CustomerAuthenticator | null;
  sessions: CustomerSessions;
  /** Cookies get the Secure flag when the service is reached over https. */
  secureCookies: () => boolean;
}

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);

/**
 * The customer's own view (issue 14): the consents they gave, with a withdraw button each
 * (consent.revoke by CUSTOMER). Signed in through the same CustomerAuthenticator as the consent
 * screen; the session is a signed, HttpOnly, SameSite=Strict cookie limited to /customer.
 */
export function registerCustomerPages(app: FastifyInstance, deps: CustomerPageDeps): void {
  const { ctx } = deps;
  const db = ctx.db.kysely;
  const nowMs = () => ctx.clock.now().getTime();
  const cookie = (name: string, value: string, maxAgeSeconds: number) =>
    `${name}=${value}; Path=/customer; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${deps.secureCookies() ? '; Secure' : ''}`;
  const session = (request: FastifyRequest): CustomerSession | null => deps.sessions.read(readCookie(request.headers.cookie, CUSTOMER_COOKIE), nowMs());

  function renderSignIn(reply: FastifyReply, status: number, error: string | null) {
    // Sign-in CSRF: a random value in a cookie and the form, bound together by the MAC.
    const nonce = randomBytes(16).toString('base64url');
    reply.header('Set-Cookie', cookie(LOGIN_COOKIE, nonce, 900));
    return html(
      reply,
      status,
      signInPage({
        action: '/customer/sign-in',
        csrf: deps.sessions.csrf(`login:${nonce}`),
        heading: 'Your consents',
        intro: 'Sign in to see which apps you gave access to your accounts, and withdraw it.',
        labels: deps.customers!.labels,
        error,
      }),
    );
  }

  async function renderConsents(reply: FastifyReply, who: CustomerSession, notice: string | null, error: string | null, status = 200) {
    const now = ctx.clock.now();
    const rows = await db
      .selectFrom('consents')
      .innerJoin('ob_apps', 'ob_apps.id', 'consents.app_id')
      .selectAll('consents')
      .select('ob_apps.name as app_name')
      .where('consents.customer_ref', '=', who.customerRef)
      .where('consents.deleted_at', 'is', null)
      .orderBy('consents.created_at', 'desc')
      .limit(200)
      .execute();
    const accountIds = [...new Set(rows.flatMap((r) => fromJson<string[]>(r.account_ids)))];
    const accounts = accountIds.length
      ? await db.selectFrom('bank_accounts').select(['id', 'name', 'account_number']).where('id', 'in', accountIds).execute()
      : [];
    const accountName = new Map(accounts.map((a) => [a.id, `${a.name} (••••${a.account_number.slice(-4)})`]));
    const consents: CustomerConsentRow[] = rows
      .filter((r) => r.status !== 'AwaitingAuthorisation')
      .map((r) => {
        const status = effectiveStatus(r, now);
        return {
          id: r.id,
          appName: r.app_name,
          permissions: fromJson<string[]>(r.permissions).filter((p): p is ObScope => ObScope.safeParse(p).success),
          status: STATUS_LABELS[status] ?? status,
          accounts: fromJson<string[]>(r.account_ids).map((id) => accountName.get(id) ?? id),
          authorisedAt: toIsoOrNull(r.authorised_at),
          expiresAt: toIsoOrNull(r.expires_at),
          revocable: status === 'Authorised',
        };
      });
    return html(
      reply,
      status,
      customerConsentsPage({ customerName: who.displayName, csrf: deps.sessions.csrf(`customer:${who.sid}`), consents, notice, error }),
    );
  }

  const notConfigured = (reply: FastifyReply) => html(reply, 503, errorPage('Customer sign-in is not set up on this service.', 'Not available'));

  app.route({
    method: 'GET',
    url: '/customer/consents',
    config: { access: 'public' },
    handler: async (request, reply) => {
      if (!deps.customers) return notConfigured(reply);
      const who = session(request);
      if (!who) return renderSignIn(reply, 200, null);
      const done = (request.query as Record<string, string> | undefined)?.done === '1';
      return renderConsents(reply, who, done ? 'Consent withdrawn. The app can no longer use it.' : null, null);
    },
  });

  app.route({
    method: 'POST',
    url: '/customer/sign-in',
    config: { access: 'public' },
    handler: async (request, reply) => {
      if (!deps.customers) return notConfigured(reply);
      const nonce = readCookie(request.headers.cookie, LOGIN_COOKIE);
      if (!nonce || !deps.sessions.checkCsrf(`login:${nonce}`, formField(request.body, 'csrf')))
        return renderSignIn(reply, 403, 'Please sign in from this page.');
      const attempt = await signInCustomer(ctx, deps.customers, request, null);
      if ('refused' in attempt) {
        if (attempt.refused.retryAfterSeconds) reply.header('Retry-After', String(attempt.refused.retryAfterSeconds));
        return renderSignIn(reply, attempt.refused.status, attempt.refused.message);
      }
      const identity = attempt.identity;
      const issued = deps.sessions.issue(identity, nowMs());
      reply.header('Set-Cookie', [cookie(CUSTOMER_COOKIE, issued.cookie, CUSTOMER_SESSION_MS / 1000), cookie(LOGIN_COOKIE, '', 0)]);
      return reply.redirect('/customer/consents', 303);
    },
  });

  app.route({
    method: 'POST',
    url: '/customer/consents/:id/revoke',
    config: { access: 'public' },
    handler: async (request, reply) => {
      if (!deps.customers) return notConfigured(reply);
      const who = session(request);
      if (!who) return renderSignIn(reply, 401, 'Your session ended: sign in again.');
      if (!deps.sessions.checkCsrf(`customer:${who.sid}`, formField(request.body, 'csrf')))
        return html(reply, 403, errorPage('The form was not sent from this page.', 'Not allowed'));
      const { id } = request.params as { id: string };
      const consent = /^[0-9a-f-]{36}$/i.test(id)
        ? await db.selectFrom('consents').select(['id', 'tenant_id', 'customer_ref']).where('id', '=', id).executeTakeFirst()
        : undefined;
      if (!consent || consent.customer_ref !== who.customerRef) return renderConsents(reply, who, null, 'That consent was not found.', 404);
      try {
        await ctx.bus.execute(
          revokeConsent,
          { consentId: consent.id, by: 'CUSTOMER', reason: 'withdrawn by the customer on the bank’s consent page' },
          customerActor(who.customerRef, consent.tenant_id),
        );
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status >= 500) throw error;
        return renderConsents(reply, who, null, `That consent could not be withdrawn: ${error.message}.`, error.status);
      }
      return reply.redirect('/customer/consents?done=1', 303);
    },
  });

  app.route({
    method: 'POST',
    url: '/customer/sign-out',
    config: { access: 'public' },
    handler: async (request, reply) => {
      const who = session(request);
      if (who && !deps.sessions.checkCsrf(`customer:${who.sid}`, formField(request.body, 'csrf')))
        return html(reply, 403, errorPage('The form was not sent from this page.', 'Not allowed'));
      reply.header('Set-Cookie', cookie(CUSTOMER_COOKIE, '', 0));
      return reply.redirect('/customer/consents', 303);
    },
  });
}
