import type { ServiceContext } from '../context.ts';
import { ServiceError, unauthenticated } from '../errors.ts';
import { authOperations } from '../../../shared/src/contract/auth.ts';
import type { ClientCredentialsResponse, LoginResponse } from '../../../shared/src/auth.ts';
import { findUserByUsername, findActiveUser, toUserPublic } from '../users/users.ts';
import { toBool } from '../db/database.ts';
import { verifyPassword, UNUSABLE_PASSWORD_HASH } from './passwords.ts';
import { closeSession, openSession, SESSION_TTL_SECONDS, CLIENT_TOKEN_TTL_SECONDS } from './sessions.ts';
import { disconnectSession } from '../realtime/socket.ts';
import { signInLockOperations } from '../../../shared/src/contract/sign-in-locks.ts';
import { clearSignInLock } from './sign-in-throttle.ts';
import { tenantAccessFor } from '../../../shared/src/tenants.ts';
import { tenantIdsOf } from './authenticator.ts';

/** Sign-in, sign-out and tokens (ARCHITECTURE.md rule 2: declared in shared/src/contract/auth.ts). */
export function registerAuthRoutes(ctx: ServiceContext): void {
  const { authenticator, operations } = ctx;
  const throttle = ctx.signInThrottle;

  operations.implement(authOperations.login, async ({ body, request, reply }) => {
    // Counted per (username, address), username and address, in the database (auth/sign-in-throttle.ts).
    const { retryAfterSeconds } = await throttle.check(body.username, request.ip);
    if (retryAfterSeconds > 0) {
      reply.header('Retry-After', String(retryAfterSeconds));
      throw new ServiceError(429, 'RATE_LIMITED', `too many failed sign-ins; try again in ${retryAfterSeconds} s`);
    }
    const user = await findUserByUsername(ctx.db.kysely, body.username);
    // Hash even for unknown users so response time does not reveal which usernames exist.
    const passwordOk = await verifyPassword(body.password, user?.password_hash ?? UNUSABLE_PASSWORD_HASH);
    if (!user || !passwordOk || !toBool(user.active)) {
      await throttle.failed(body.username, request.ip, request.id);
      request.log.warn({ username: body.username, ip: request.ip }, 'failed sign-in');
      throw unauthenticated('wrong username or password');
    }
    await throttle.succeeded(body.username, request.ip, request.id);
    const publicUser = toUserPublic(user);
    const actor = {
      kind: 'user' as const,
      id: user.id,
      name: user.display_name,
      role: publicUser.role,
      tenants: tenantAccessFor(publicUser.role, tenantIdsOf(user.tenant_ids)),
    };
    const userAgent = request.headers['user-agent']?.slice(0, 512) ?? null;
    const { sessionId } = await ctx.bus.execute(openSession, { userId: user.id, userAgent }, actor, { requestId: request.id });
    const { token, expiresAt } = await ctx.tokens.sign(
      { typ: 'user', sub: user.id, sid: sessionId, role: publicUser.role, name: user.display_name },
      SESSION_TTL_SECONDS,
    );
    const response: LoginResponse = { token, expiresAt: expiresAt.toISOString(), user: publicUser };
    return response;
  });

  operations.implement(signInLockOperations.list, async () => ({ items: await throttle.locks() }));
  operations.implement(signInLockOperations.clear, ({ body, principal, request }) =>
    ctx.bus.execute(clearSignInLock, body, principal.actor, { requestId: request.id }),
  );

  operations.implement(authOperations.logout, async ({ principal, request }) => {
    if (!principal.sessionId) return;
    await ctx.bus.execute(closeSession, { sessionId: principal.sessionId }, principal.actor, { requestId: request.id });
    authenticator.forgetSession(principal.sessionId);
    disconnectSession(ctx.realtime(), principal.sessionId, 'signed out');
  });

  operations.implement(authOperations.me, async ({ principal }) => {
    if (principal.actor.kind !== 'user') {
      return {
        id: principal.actor.id,
        username: principal.actor.name,
        displayName: principal.actor.name,
        role: principal.role,
        permissions: [...principal.permissions],
        tenantIds: principal.tenants === 'ALL' ? [] : [...principal.tenants],
        passwordChangeRequired: false,
      };
    }
    const user = await findActiveUser(ctx.db.kysely, principal.actor.id);
    if (!user) throw unauthenticated();
    return toUserPublic(user);
  });

  // OAuth2 client-credentials grant for the payment engine (seed 002 §3.3).
  operations.implement(authOperations.clientToken, async ({ body }) => {
    const principal = await authenticator.verifyClientSecret(body.client_id, body.client_secret);
    if (!principal) throw new ServiceError(401, 'UNAUTHENTICATED', 'invalid_client: unknown client or wrong secret');
    const scope = [...principal.permissions].join(' ');
    const { token } = await ctx.tokens.sign(
      { typ: 'client', sub: principal.actor.id, role: principal.role, name: principal.actor.name, scope },
      CLIENT_TOKEN_TTL_SECONDS,
    );
    const response: ClientCredentialsResponse = { access_token: token, token_type: 'Bearer', expires_in: CLIENT_TOKEN_TTL_SECONDS, scope };
    return response;
  });
}
