import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ServiceError } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/database.ts';
import type { ApiErrorBody } from '../../../shared/src/api.ts';
import { checkHostAndOrigin, type LockdownPolicy } from './lockdown.ts';
import { buildContentSecurityPolicy } from '../../../shared/src/csp.ts';
import type { Metrics } from '../metrics.ts';
import { DEFAULT_RATE_LIMITS, registerRateLimit, type RateLimits } from './rate-limit.ts';

export const BODY_LIMIT_BYTES = 1024 * 1024;

function errorBody(code: ApiErrorBody['error']['code'], message: string, fields?: ApiErrorBody['error']['fields']): ApiErrorBody {
  return { error: fields ? { code, message, fields } : { code, message } };
}

export interface HttpServerOptions {
  logger: FastifyBaseLogger;
  lockdown: () => LockdownPolicy;
  rendererDir: string | null;
  metrics: Metrics;
  timeouts?: Partial<HttpTimeouts>;
  /** Requests per minute per caller (defaults in http/rate-limit.ts). */
  rateLimits?: Partial<RateLimits>;
  /** Retry-After of a 503 while the database is away (default DATABASE_RETRY_AFTER_SECONDS). */
  databaseRetryAfterSeconds?: number;
}

/** A PostgreSQL restart takes a few seconds; clients come back after this many. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * How long a client may take (ARCHITECTURE.md rule 6: a slow or silent client cannot hold
 * connections open). The whole request, body included, must arrive within `requestMs` (a 10 MB
 * attachment over a slow branch link fits); its headers within `headersMs`; a connection with
 * nothing on it closes after `idleMs`; a kept-alive one after `keepAliveMs`.
 */
export interface HttpTimeouts {
  requestMs: number;
  headersMs: number;
  idleMs: number;
  keepAliveMs: number;
}
// idleMs stays above socket.io's ping interval plus timeout (25 s + 20 s), so a quiet live
// connection is never cut by it.
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 60_000, headersMs: 15_000, idleMs: 60_000, keepAliveMs: 10_000 };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Every route the server holds, for the test that compares them with the OpenAPI document. */
export interface RegisteredRoute {
  method: string;
  url: string;
  operation: string | null;
}
export const ROUTES = Symbol('registered routes');
export function registeredRoutesOf(app: FastifyInstance): readonly RegisteredRoute[] {
  return (app as FastifyInstance & { [ROUTES]?: RegisteredRoute[] })[ROUTES] ?? [];
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const registeredRoutes: RegisteredRoute[] = [];
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Request lines are not logged one by one (metrics count them); errors still are.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // The caller's X-Request-Id when it is a plain token (so it cannot forge log lines), else a new
    // one; it is in every log line of the request, in its audit rows, and in the answer.
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
  });

  // Every endpoint must declare what it requires (ARCHITECTURE.md rule 6), and every API route
  // must come from the contract (rule 2): refuse to start otherwise.
  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined) throw new Error(`route ${route.method} ${route.url} does not declare its access`);
    const isApi = (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs')) || ['/health', '/ready', '/metrics'].includes(route.url);
    if (isApi && route.config.operation === undefined)
      throw new Error(`route ${route.method} ${route.url} is not an operation of the contract (shared/src/contract/)`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url, operation: route.config.operation ?? null });
  });

  (app as FastifyInstance & { [ROUTES]?: RegisteredRoute[] })[ROUTES] = registeredRoutes;
  app.server.headersTimeout = Math.min(timeouts.headersMs, timeouts.requestMs);

  app.addHook('onRequest', async (request, reply) => {
    const verdict = checkHostAndOrigin(options.lockdown(), request.headers.host, request.headers.origin);
    if (!verdict.ok) {
      return reply.code(verdict.status).send(errorBody(verdict.status === 421 ? 'MISDIRECTED_REQUEST' : 'FORBIDDEN', verdict.message));
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('Content-Security-Policy', buildContentSecurityPolicy(`http://${request.headers.host ?? '127.0.0.1'}`));
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    options.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await registerRateLimit(app, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits });

  // OAuth2 token requests are form-encoded (RFC 6749 §4.4.2).
  // ISO 20022 XML is kept as text: the operation that consumes it parses it with its entity-free
  // reader (operations.ts OperationExtras.xml); every other operation answers 415.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((error: FastifyError | ServiceError | Error, request, reply) => {
    if (error instanceof ServiceError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.status).send(errorBody(error.code, error.message, error.fields));
    }
    const code = 'code' in error ? error.code : undefined;
    switch (code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('BAD_REQUEST', `the body is not valid JSON: ${error.message}`, [{ path: 'body', message: 'malformed JSON' }]));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply
          .code(413)
          .send(
            errorBody('PAYLOAD_TOO_LARGE', `the body is larger than this endpoint accepts (${request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES} bytes)`, [
              { path: 'body', message: 'too large' },
            ]),
          );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply
          .code(415)
          .send(errorBody('UNSUPPORTED_MEDIA_TYPE', 'send application/json', [{ path: 'headers.content-type', message: 'unsupported media type' }]));
    }
    if (error instanceof SyntaxError || ('statusCode' in error && error.statusCode === 400)) {
      return reply.code(400).send(errorBody('BAD_REQUEST', error.message, [{ path: 'body', message: error.message }]));
    }
    // Client errors raised by libraries (e.g. the static file sender refusing "../" paths).
    const status = 'statusCode' in error ? Number(error.statusCode) : 'status' in error ? Number(error.status) : 500;
    if (status === 403) return reply.code(403).send(errorBody('FORBIDDEN', 'not allowed'));
    if (status === 404) return reply.code(404).send(errorBody('NOT_FOUND', 'not found'));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody('BAD_REQUEST', error.message));
    // The database restarting, failing over or frozen: a quick 503 the caller retries, not a 500
    // (and not a request that waits for ever). Readiness (/ready) reports it to the load balancer.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('Retry-After', String(options.databaseRetryAfterSeconds ?? DATABASE_RETRY_AFTER_SECONDS))
        .send(errorBody('DATABASE_UNAVAILABLE', `the database is not reachable right now; try again shortly (request ${request.id})`));
    }
    // Every 5xx is logged with its stack (pino's err serializer) and the request id (reqId).
    request.log.error({ err: error, method: request.method, url: request.url.split('?')[0] }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL', `something went wrong on our side; it has been logged (request ${request.id})`));
  });

  const indexHtml = options.rendererDir ? path.join(options.rendererDir, 'index.html') : null;
  if (options.rendererDir && indexHtml && fs.existsSync(indexHtml)) {
    await app.register(fastifyStatic, { root: options.rendererDir, serve: false });
    // Hashed build assets can be cached for a year; index.html never is.
    app.route({
      method: 'GET',
      url: '/assets/*',
      config: { access: 'public' },
      handler: (request, reply) => {
        const file = (request.params as { '*': string })['*'];
        return reply.sendFile(path.join('assets', file), { maxAge: 31_536_000_000, immutable: true });
      },
    });
    // The app's front door: served whatever the Accept header says.
    app.route({
      method: 'GET',
      url: '/',
      config: { access: 'public' },
      handler: (_request, reply) => reply.sendFile('index.html', { cacheControl: false }),
    });
    for (const file of fs
      .readdirSync(options.rendererDir)
      .filter((f) => f !== 'index.html' && fs.statSync(path.join(options.rendererDir as string, f)).isFile())) {
      app.route({ method: 'GET', url: `/${file}`, config: { access: 'public' }, handler: (_request, reply) => reply.sendFile(file) });
    }
  }

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && indexHtml && fs.existsSync(indexHtml)) {
      // Client-side routes (/cases/123) load the single-page app.
      return reply.code(200).header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(fs.createReadStream(indexHtml));
    }
    return reply.code(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  return app;
}
