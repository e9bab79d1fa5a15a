import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { ServiceError, unauthenticated } from '../errors.ts';
import { ClientCredentialsRequest, LoginRequest, type ClientCredentialsResponse, type LoginResponse } from '../../../shared/src/auth.ts';
import { findUserByUsername, findActiveUser, toUserPublic } from '../users/users.ts';
import { toBool } from '../db/database.ts';
import { verifyPassword, UNUSABLE_PASSWORD_HASH } from './passwords.ts';
import { closeSession, createApiClient, CreateApiClientInput, openSession, SESSION_TTL_SECONDS, CLIENT_TOKEN_TTL_SECONDS } from './sessions.ts';
import { disconnectSession } from '../realtime/socket.ts';
import { LoginThrottle } from './throttle.ts';

export function registerAuthRoutes(ctx: ServiceContext): void {
  const { app, authenticator } = ctx;
  const throttle = new LoginThrottle();

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/auth/login',
    access: 'public',
    body: LoginRequest,
    async handler({ body, request }) {
      const throttleKey = `${body.username}|${request.ip}`;
      const retryAfter = throttle.retryAfterSeconds(throttleKey);
      if (retryAfter > 0) throw new ServiceError(429, 'RATE_LIMITED', `too many failed sign-ins; try again in ${retryAfter} s`);
      const user = await findUserByUsername(ctx.db.kysely, body.username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      const passwordOk = await verifyPassword(body.password, user?.password_hash ?? UNUSABLE_PASSWORD_HASH);
      if (!user || !passwordOk || !toBool(user.active)) {
        throttle.recordFailure(throttleKey);
        request.log.warn({ username: body.username, ip: request.ip }, 'failed sign-in');
        throw unauthenticated('wrong username or password');
      }
      throttle.reset(throttleKey);
      const publicUser = toUserPublic(user);
      const actor = { kind: 'user' as const, id: user.id, name: user.display_name, role: publicUser.role };
      const userAgent = request.headers['user-agent']?.slice(0, 512) ?? null;
      const { sessionId } = await ctx.bus.execute(openSession, { userId: user.id, userAgent }, actor, { requestId: request.id });
      const { token, expiresAt } = await ctx.tokens.sign(
        { typ: 'user', sub: user.id, sid: sessionId, role: publicUser.role, name: user.display_name },
        SESSION_TTL_SECONDS,
      );
      const response: LoginResponse = { token, expiresAt: expiresAt.toISOString(), user: publicUser };
      return response;
    },
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    access: 'signed-in',
    status: 204,
    async handler({ principal, request }) {
      if (!principal.sessionId) return;
      await ctx.bus.execute(closeSession, { sessionId: principal.sessionId }, principal.actor, { requestId: request.id });
      authenticator.forgetSession(principal.sessionId);
      disconnectSession(ctx.realtime(), principal.sessionId, 'signed out');
    },
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/auth/me',
    access: 'signed-in',
    async handler({ principal }) {
      if (principal.actor.kind !== 'user') {
        return { id: principal.actor.id, username: principal.actor.name, displayName: principal.actor.name, role: principal.role, permissions: [...principal.permissions] };
      }
      const user = await findActiveUser(ctx.db.kysely, principal.actor.id);
      if (!user) throw unauthenticated();
      return toUserPublic(user);
    },
  });

  // OAuth2 client-credentials grant for the payment engine (seed 002 §3.3).
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/auth/token',
    access: 'public',
    body: ClientCredentialsRequest,
    async handler({ body }) {
      const principal = await authenticator.verifyClientSecret(body.client_id, body.client_secret);
      if (!principal) throw new ServiceError(401, 'UNAUTHENTICATED', 'invalid_client: unknown client or wrong secret');
      const scope = [...principal.permissions].join(' ');
      const { token } = await ctx.tokens.sign(
        { typ: 'client', sub: principal.actor.id, role: principal.role, name: principal.actor.name, scope },
        CLIENT_TOKEN_TTL_SECONDS,
      );
      const response: ClientCredentialsResponse = { access_token: token, token_type: 'Bearer', expires_in: CLIENT_TOKEN_TTL_SECONDS, scope };
      return response;
    },
  });

  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/api-clients',
    access: 'user:manage',
    body: CreateApiClientInput,
    status: 201,
    async handler({ body, principal, request }) {
      return ctx.bus.execute(createApiClient, body, principal.actor, { requestId: request.id });
    },
  });

  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/api-clients',
    access: 'user:manage',
    async handler() {
      const rows = await ctx.db.kysely
        .selectFrom('api_clients')
        .select(['id', 'name', 'client_id', 'key_prefix', 'role', 'active', 'created_at', 'created_by', 'revoked_at'])
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, clientId: r.client_id, keyPrefix: r.key_prefix, role: r.role, active: toBool(r.active) && r.revoked_at === null, createdBy: r.created_by }));
    },
  });

}
