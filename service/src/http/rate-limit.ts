import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ServiceError } from '../errors.ts';

/**
 * Requests per minute each caller may make, per hub (ARCHITECTURE.md rule 6: one caller cannot
 * starve the others). Machine clients (the bank's payment engine posting assessments, Prometheus)
 * get a high limit; people a generous one for a desktop app; callers without a valid token are
 * counted by address. Configured with WEKEZA_RATE_LIMIT_{CLIENT,USER,ANONYMOUS}_PER_MINUTE.
 */
export interface RateLimits {
  clientPerMinute: number;
  userPerMinute: number;
  anonymousPerMinute: number;
}
export const DEFAULT_RATE_LIMITS: RateLimits = { clientPerMinute: 600_000, userPerMinute: 6_000, anonymousPerMinute: 1_200 };

export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<RateLimits> {
  const out: Partial<RateLimits> = {};
  for (const [key, name] of [
    ['clientPerMinute', 'WEKEZA_RATE_LIMIT_CLIENT_PER_MINUTE'],
    ['userPerMinute', 'WEKEZA_RATE_LIMIT_USER_PER_MINUTE'],
    ['anonymousPerMinute', 'WEKEZA_RATE_LIMIT_ANONYMOUS_PER_MINUTE'],
  ] as const) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number of requests per minute, not "${value}"`);
    out[key] = n;
  }
  return out;
}

/** Probes are never refused: a 429 to a load balancer would take a healthy hub out of rotation. */
const UNLIMITED_ROUTES = new Set(['/health', '/ready']);

function callerOf(request: FastifyRequest): { key: string; kind: 'client' | 'user' | 'anonymous' } {
  const actor = request.principal?.actor;
  if (actor?.kind === 'client') return { key: `client:${actor.id}`, kind: 'client' };
  if (actor) return { key: `user:${actor.id}`, kind: 'user' };
  return { key: `ip:${request.ip}`, kind: 'anonymous' };
}

/**
 * Counts every route's requests by caller: the signed-in principal (a user or machine client,
 * whatever address it comes from) or, without a valid token, the client address. It runs as a
 * preHandler, after the operation's authentication (operations.ts, onRequest) has named the
 * caller; a request refused there (401/403) never reaches a handler anyway. Too many answers 429
 * RATE_LIMITED with Retry-After (seconds).
 */
export async function registerRateLimit(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    // Callers seen in the last window; an evicted one starts afresh, which only ever favours it.
    cache: 50_000,
    keyGenerator: (request) => callerOf(request).key,
    max: (request) => {
      const { kind } = callerOf(request);
      return kind === 'client' ? limits.clientPerMinute : kind === 'user' ? limits.userPerMinute : limits.anonymousPerMinute;
    },
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) =>
      new ServiceError(429, 'RATE_LIMITED', `too many requests: at most ${context.max} a minute for this caller; try again in ${context.after}`),
  });
}
