import { z } from 'zod';
import { ClientCredentialsRequest, ClientCredentialsResponse, LoginRequest, LoginResponse, UserPublic } from '../auth.ts';
import { HealthResponse, ReadyResponse } from '../api.ts';
import { defineOperation } from './operation.ts';

export const authOperations = {
  login: defineOperation({
    name: 'auth.login',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/auth/login',
    access: 'public',
    tenant: 'global',
    summary: 'Sign in with a username and password; answers a session token (8 hours).',
    body: LoginRequest,
    output: LoginResponse,
  }),
  logout: defineOperation({
    name: 'auth.logout',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/auth/logout',
    access: 'signed-in',
    tenant: 'global',
    summary: 'End this session at once, on HTTP and socket.io.',
    output: null,
    allowedBeforePasswordChange: true,
  }),
  me: defineOperation({
    name: 'auth.me',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/auth/me',
    access: 'signed-in',
    tenant: 'global',
    summary: 'The signed-in user (or machine client): role, permissions and tenants.',
    output: UserPublic,
    allowedBeforePasswordChange: true,
  }),
  clientToken: defineOperation({
    name: 'auth.clientToken',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/auth/token',
    access: 'public',
    tenant: 'global',
    summary: 'OAuth2 client-credentials grant (RFC 6749 §4.4) for machine clients; a 15-minute Bearer token.',
    body: ClientCredentialsRequest,
    consumes: ['application/x-www-form-urlencoded'],
    output: ClientCredentialsResponse,
  }),
} as const;

export const systemOperations = {
  health: defineOperation({
    name: 'system.health',
    kind: 'query',
    method: 'GET',
    path: '/health',
    access: 'public',
    tenant: 'global',
    summary: 'Liveness for load balancers and the desktop shell: the process is up (checks nothing else, costs nothing); no token needed.',
    output: HealthResponse,
  }),
  ready: defineOperation({
    name: 'system.ready',
    kind: 'query',
    method: 'GET',
    path: '/ready',
    access: 'public',
    tenant: 'global',
    summary:
      'Readiness for load balancers: the database answers and is migrated, the assessment writer is not stalled, background jobs are alive. 503 names the failing check; no token needed.',
    output: ReadyResponse,
    alternativeStatuses: [503],
  }),
  metrics: defineOperation({
    name: 'system.metrics',
    kind: 'query',
    method: 'GET',
    path: '/metrics',
    access: 'metrics:read',
    tenant: 'global',
    summary: 'Prometheus metrics (text exposition format).',
    output: null,
    response: 'text',
    status: 200,
  }),
  openapi: defineOperation({
    name: 'system.openapi',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/openapi.json',
    access: 'public',
    tenant: 'global',
    summary: 'This API as OpenAPI 3.1, generated from the contract registry.',
    output: z.record(z.string(), z.unknown()),
  }),
} as const;
