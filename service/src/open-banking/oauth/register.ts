import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { ServiceContext } from '../../context.ts';
import { CustomerSessions, type CustomerAuthenticator } from './customer-auth.ts';
import { registerCustomerPages } from './customer-pages.ts';
import { registerInteractionRoutes } from './interactions.ts';
import type { FormBody } from './forms.ts';
import { createPartnerAuthenticator } from './partner-auth.ts';
import { createOidcProvider, resourceOf } from './provider.ts';
import { pruneExpired } from './adapter.ts';
import { loadOrCreateOidcSigningKey } from './keys.ts';

export interface OpenBankingAuthOptions {
  /** How customers sign in on the consent pages; null: the pages say sign-in is not set up. */
  customerAuthenticator: CustomerAuthenticator | null;
  /**
   * The issuer (the service's public URL, e.g. https://bank.example/ behind TLS). Read at the first
   * OAuth request, after the service listens, so a test's --port 0 is resolved.
   */
  issuer: () => string;
}

const PRUNE_EVERY_MS = 10 * 60_000;
const FORM_LIMIT_BYTES = 64 * 1024;

/**
 * Issue 14's authorization server, mounted on the service's fastify: oidc-provider answers its own
 * paths (discovery, /oauth/*) from the raw request, the service renders the customer's pages, and
 * partner API requests are authenticated by the tokens it issues. Hubs and standalone only.
 */
export async function registerOpenBankingAuth(ctx: ServiceContext, options: OpenBankingAuthOptions): Promise<void> {
  // The signing key is made (a command, with its audit row) at start, never inside a partner's
  // first request: a refused request must leave nothing written but its access record.
  await loadOrCreateOidcSigningKey(ctx.db, ctx.bus, ctx.secrets);
  let providerPromise: Promise<Provider> | null = null;
  const provider = () => {
    providerPromise ??= createOidcProvider({ db: ctx.db, box: ctx.secrets, clock: ctx.clock, bus: ctx.bus, logger: ctx.logger }, options.issuer()).catch(
      (error: unknown) => {
        providerPromise = null;
        throw error;
      },
    );
    return providerPromise;
  };
  const sessions = new CustomerSessions(ctx.secrets.deriveKey('customer-pages'));

  let lastPrune = 0;
  const serveProvider = async (request: FastifyRequest, reply: FastifyReply) => {
    const instance = await provider();
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneExpired(ctx.db);
    }
    // oidc-provider answers on the raw response (Koa); fastify steps aside for this request.
    reply.hijack();
    await instance.callback()(request.raw, reply.raw);
  };

  // oidc-provider reads the request body itself: no parser of ours may consume it. The Host and
  // Origin checks (server.ts onRequest) and the rate limit still run first (ARCHITECTURE.md rule 6).
  await ctx.app.register(async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    instance.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oauth/*', config: { access: 'public' }, handler: serveProvider });
    instance.route({ method: ['GET', 'OPTIONS'], url: '/.well-known/openid-configuration', config: { access: 'public' }, handler: serveProvider });
  });

  // The customer's pages read forms whose repeated fields (the accounts chosen) stay lists.
  await ctx.app.register(async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES }, (_request, body, done) => {
      const form: FormBody = {};
      for (const [key, value] of new URLSearchParams(String(body))) {
        const existing = form[key];
        form[key] = existing === undefined ? value : [existing, value].flat();
      }
      done(null, form);
    });
    // With the service's usual no-referrer policy a browser sends "Origin: null" with a form,
    // which the Origin check refuses; same-origin still sends nothing to other sites (the app).
    instance.addHook('onSend', async (_request, reply, payload) => {
      reply.header('Referrer-Policy', 'same-origin');
      return payload;
    });
    const secure = () => options.issuer().startsWith('https://');
    registerInteractionRoutes(instance, { ctx, provider, issuer: options.issuer, customers: options.customerAuthenticator, sessions });
    registerCustomerPages(instance, { ctx, customers: options.customerAuthenticator, sessions, secureCookies: secure });
  });

  ctx.operations.setPartnerAuthenticator(createPartnerAuthenticator({ db: ctx.db, clock: ctx.clock, provider, resource: () => resourceOf(options.issuer()) }));
}
