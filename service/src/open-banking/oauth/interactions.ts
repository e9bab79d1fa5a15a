import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import type { ServiceContext } from '../../context.ts';
import { fromJson, toIso, toIsoOrNull } from '../../db/database.ts';
import type { ConsentRow } from '../../db/schema-open-banking.ts';
import { ServiceError } from '../../errors.ts';
import { SYSTEM_ACTOR } from '../../commands/bus.ts';
import { authoriseConsent, rejectConsent } from '../../consents/commands.ts';
import { AUTHORISATION_WINDOW_MS, customerActor, effectiveStatus } from '../../consents/mapping.ts';
import { APP_KIND_LABELS, AppKind, ObScope } from '../../../../shared/src/open-banking.ts';
import type { CustomerAuthenticator, CustomerSessions } from './customer-auth.ts';
import { consentScreen, continuePage, errorPage, signInPage } from './pages.ts';
import { interactionPath, resourceOf } from './provider.ts';
import { signInCustomer } from './sign-in.ts';
import { formField, formList } from './forms.ts';

export interface InteractionDeps {
  ctx: ServiceContext;
  provider: () => Promise<Provider>;
  issuer: () => string;
  customers: CustomerAuthenticator | null;
  sessions: CustomerSessions;
}

interface LoadedConsent {
  consent: ConsentRow;
  app: { id: string; name: string; kind: string; clientId: string; tenantId: string };
}

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);

/**
 * The authorization server's interaction pages (issue 14): the customer signs in (the pluggable
 * CustomerAuthenticator), then sees the consent screen — which app, what it may see or do, which
 * of their accounts, until when — and allows (consent.authorise, bound to a new OAuth grant) or
 * declines (consent.reject). Every form is CSRF-protected with a token bound to the interaction.
 */
export function registerInteractionRoutes(app: FastifyInstance, deps: InteractionDeps): void {
  const { ctx } = deps;
  const db = ctx.db.kysely;

  async function loadConsent(details: Interaction): Promise<LoadedConsent | string> {
    const consentId = details.params.consent_id;
    if (typeof consentId !== 'string' || !/^[0-9a-f-]{36}$/i.test(consentId)) return 'the authorization request names no consent (consent_id)';
    const consent = await db.selectFrom('consents').selectAll().where('id', '=', consentId).where('deleted_at', 'is', null).executeTakeFirst();
    const appRow = consent ? await db.selectFrom('ob_apps').selectAll().where('id', '=', consent.app_id).executeTakeFirst() : undefined;
    // Another app's consent is no consent for this one (nothing about it is revealed).
    if (!consent || !appRow || appRow.client_id !== details.params.client_id) return 'the consent named in the request was not found';
    const now = ctx.clock.now();
    const status = effectiveStatus(consent, now);
    if (status !== 'AwaitingAuthorisation') return `the consent is ${status}: the app must ask again`;
    if (now.getTime() - Date.parse(toIso(consent.created_at)) > AUTHORISATION_WINDOW_MS) {
      // The register shows why it never became active (the app is told at its redirect URI).
      await ctx.bus
        .execute(rejectConsent, { consentId: consent.id, customerRef: null, reason: 'AUTHORISATION_TIMEOUT' }, SYSTEM_ACTOR)
        .catch((error: unknown) => {
          if (!(error instanceof ServiceError)) throw error; // decided meanwhile: nothing to record
        });
      return 'the consent request is more than an hour old: the app must ask again';
    }
    return { consent, app: { id: appRow.id, name: appRow.name, kind: appRow.kind, clientId: appRow.client_id, tenantId: appRow.tenant_id } };
  }

  /** Ends the interaction with an OAuth error the app receives at its redirect URI. */
  async function finishWithError(request: FastifyRequest, reply: FastifyReply, error: string, description: string, heading: string) {
    const provider = await deps.provider();
    const returnTo = await provider.interactionResult(request.raw, reply.raw, { error, error_description: description }, { mergeWithLastSubmission: false });
    return html(reply, 200, continuePage(returnTo, heading));
  }

  async function details(request: FastifyRequest, reply: FastifyReply): Promise<Interaction | null> {
    const provider = await deps.provider();
    const { uid } = request.params as { uid: string };
    try {
      const found = await provider.interactionDetails(request.raw, reply.raw);
      return found.uid === uid ? found : null;
    } catch {
      return null;
    }
  }

  /** The app's request cannot go on (the reason goes to the app at its redirect URI). */
  const cannotGoAhead = (request: FastifyRequest, reply: FastifyReply, description: string) =>
    finishWithError(request, reply, 'access_denied', description, 'This request cannot go ahead');

  /** A posted form carries the CSRF token bound to this interaction. */
  const sentFromThisPage = (request: FastifyRequest, interaction: Interaction) =>
    deps.sessions.checkCsrf(`interaction:${interaction.uid}`, formField(request.body, 'csrf'));
  const notSentFromThisPage = (reply: FastifyReply) => html(reply, 403, errorPage('The form was not sent from this page.', 'Not allowed'));

  const noCustomerSignIn = (reply: FastifyReply) => html(reply, 503, errorPage('Customer sign-in is not set up on this service.', 'Not available'));

  const expired = (reply: FastifyReply) =>
    html(reply, 400, errorPage('This sign-in page has expired or was opened in another browser. Go back to the app and start again.', 'Page expired'));

  async function renderConsent(
    reply: FastifyReply,
    interaction: Interaction,
    loaded: LoadedConsent,
    status: number,
    error: string | null,
    selected?: string[],
  ) {
    const customerRef = interaction.session?.accountId ?? '';
    const accounts = await db
      .selectFrom('bank_accounts')
      .select(['id', 'name', 'account_number', 'type', 'currency'])
      .where('tenant_id', '=', loaded.consent.tenant_id)
      .where('customer_ref', '=', customerRef)
      .where('status', '=', 'ACTIVE')
      .where('deleted_at', 'is', null)
      .orderBy('account_number')
      .execute();
    const kind = AppKind.safeParse(loaded.app.kind);
    return html(
      reply,
      status,
      consentScreen({
        action: `${interactionPath(interaction.uid)}/confirm`,
        csrf: deps.sessions.csrf(`interaction:${interaction.uid}`),
        appName: loaded.app.name,
        appKind: kind.success ? APP_KIND_LABELS[kind.data] : loaded.app.kind,
        customerName: `Customer ${customerRef}`,
        permissions: fromJson<string[]>(loaded.consent.permissions).filter((p): p is ObScope => ObScope.safeParse(p).success),
        accounts: accounts.map((a) => ({ id: a.id, name: a.name, accountNumber: a.account_number, type: a.type, currency: a.currency })),
        expiresAt: toIsoOrNull(loaded.consent.expires_at),
        transactionFrom: toIsoOrNull(loaded.consent.transaction_from),
        transactionTo: toIsoOrNull(loaded.consent.transaction_to),
        frequencyPerDay: loaded.consent.frequency_per_day,
        recurring: loaded.consent.recurring === true || loaded.consent.recurring === 1,
        error,
        ...(selected ? { selected } : {}),
      }),
    );
  }

  const renderSignIn = (reply: FastifyReply, interaction: Interaction, loaded: LoadedConsent, status: number, error: string | null, identifier?: string) =>
    html(
      reply,
      status,
      signInPage({
        action: `${interactionPath(interaction.uid)}/login`,
        csrf: deps.sessions.csrf(`interaction:${interaction.uid}`),
        heading: 'Sign in to Wekeza Bank',
        intro: `${loaded.app.name} asks for access to your accounts. Sign in to see what it asks for and decide.`,
        labels: deps.customers!.labels,
        error,
        ...(identifier !== undefined ? { identifier } : {}),
      }),
    );

  app.route({
    method: 'GET',
    url: '/oauth/interaction/:uid',
    config: { access: 'public' },
    handler: async (request, reply) => {
      const interaction = await details(request, reply);
      if (!interaction) return expired(reply);
      const loaded = await loadConsent(interaction);
      if (typeof loaded === 'string') return cannotGoAhead(request, reply, loaded);
      if (!deps.customers) return noCustomerSignIn(reply);
      if (interaction.prompt.name === 'login') return renderSignIn(reply, interaction, loaded, 200, null);
      return renderConsent(reply, interaction, loaded, 200, null);
    },
  });

  app.route({
    method: 'POST',
    url: '/oauth/interaction/:uid/login',
    config: { access: 'public' },
    handler: async (request, reply) => {
      const interaction = await details(request, reply);
      if (!interaction) return expired(reply);
      if (!sentFromThisPage(request, interaction)) return notSentFromThisPage(reply);
      const loaded = await loadConsent(interaction);
      if (typeof loaded === 'string') return cannotGoAhead(request, reply, loaded);
      if (!deps.customers) return noCustomerSignIn(reply);
      const attempt = await signInCustomer(ctx, deps.customers, request, loaded.app.tenantId);
      if ('refused' in attempt) {
        if (attempt.refused.retryAfterSeconds) reply.header('Retry-After', String(attempt.refused.retryAfterSeconds));
        return renderSignIn(
          reply,
          interaction,
          loaded,
          attempt.refused.status,
          attempt.refused.message,
          (formField(request.body, 'identifier') ?? '').slice(0, 100),
        );
      }
      const identity = attempt.identity;
      const provider = await deps.provider();
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: identity.customerRef } },
        { mergeWithLastSubmission: false },
      );
      // Same-origin: the authorization endpoint resumes and comes back here for the consent step.
      return reply.redirect(returnTo, 303);
    },
  });

  app.route({
    method: 'POST',
    url: '/oauth/interaction/:uid/confirm',
    config: { access: 'public' },
    handler: async (request, reply) => {
      const interaction = await details(request, reply);
      if (!interaction) return expired(reply);
      if (!sentFromThisPage(request, interaction)) return notSentFromThisPage(reply);
      const customerRef = interaction.session?.accountId;
      if (interaction.prompt.name !== 'consent' || !customerRef) return expired(reply);
      const loaded = await loadConsent(interaction);
      if (typeof loaded === 'string') return cannotGoAhead(request, reply, loaded);
      const actor = customerActor(customerRef, loaded.consent.tenant_id);

      if (formField(request.body, 'decision') !== 'approve') {
        await ctx.bus.execute(rejectConsent, { consentId: loaded.consent.id, customerRef, reason: 'CUSTOMER_REJECTED' }, actor);
        return finishWithError(request, reply, 'access_denied', 'the customer did not allow access', `You did not allow ${loaded.app.name} access`);
      }
      const accountIds = formList(request.body, 'accountIds');
      if (accountIds.length === 0) return renderConsent(reply, interaction, loaded, 400, 'Choose at least one account, or choose “Do not allow”.', []);

      const provider = await deps.provider();
      // The grant the consent is bound to: the scopes the customer allows for the partner API,
      // plus the OpenID scopes the app asked for (the ID token tells it who signed in).
      const grant = new provider.Grant({ accountId: customerRef, clientId: loaded.app.clientId });
      const requested = new Set(String(interaction.params.scope ?? '').split(' '));
      const permissions = fromJson<string[]>(loaded.consent.permissions);
      // The Open Banking scopes are also listed as the server's scopes (discovery shows them), so
      // oidc-provider expects them granted at both levels.
      const oidcScopes = ['openid', 'offline_access', ...permissions].filter((s) => requested.has(s));
      if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
      grant.addResourceScope(resourceOf(deps.issuer()), permissions.join(' '));
      const grantId = await grant.save();
      try {
        const view = await ctx.bus.execute(authoriseConsent, { consentId: loaded.consent.id, customerRef, accountIds, grantId }, actor);
        // A request left waiting too long is rejected by the command itself (AUTHORISATION_TIMEOUT).
        if (view.status !== 'Authorised') throw new ServiceError(409, 'CONFLICT', `the consent is ${view.status}: the app must ask again`);
      } catch (error) {
        await grant.destroy();
        if (!(error instanceof ServiceError)) throw error;
        if (error.status === 400) return renderConsent(reply, interaction, loaded, 400, 'Choose only your own accounts.', accountIds);
        return cannotGoAhead(request, reply, error.message);
      }
      const returnTo = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return html(reply, 200, continuePage(returnTo, `You allowed ${loaded.app.name} access`));
    },
  });
}
