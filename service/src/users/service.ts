import type { ServiceContext } from '../context.ts';
import type { Actor } from '../commands/bus.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { ServiceError } from '../errors.ts';
import { LoginThrottle } from '../auth/throttle.ts';
import { disconnectSession, disconnectUser } from '../realtime/socket.ts';
import type {
  AdminUser,
  ApiClientView,
  ApiClientWithKey,
  ChangePasswordRequest,
  CreateUserRequest,
  RotateApiClientRequest,
  UpdateUserRequest,
  UserWithOneTimePassword,
} from '../../../shared/src/users.ts';
import type { CreateApiClientRequest } from '../../../shared/src/users.ts';
import { createUser, deactivateUser, reactivateUser, resetUserPassword, updateUser } from './users.ts';
import { changeOwnPassword } from './password-change.ts';
import { createApiClient, revokeApiClient, rotateApiClient, touchApiClient } from './api-clients.ts';

interface Call {
  actor: Actor;
  requestId: string;
}

/**
 * User and machine-client administration: each method runs one command, then the follow-ups that
 * cannot live in a database transaction (ARCHITECTURE.md rule 1, after commit): the
 * Authenticator's cache on this hub forgets the user or client, and the sockets of revoked
 * sessions are closed. Other hubs read the revoked rows within the Authenticator's cache time.
 */
export class UserAdministration {
  /** Wrong current passwords on "change password" are throttled like sign-ins (per user). */
  private readonly throttle = new LoginThrottle();

  constructor(private readonly ctx: ServiceContext) {}

  /** Records a machine client's use (last_used_at); wired to Authenticator.onClientUsed. */
  trackClientUse(): void {
    this.ctx.authenticator.onClientUsed = (clientId) => {
      this.ctx.bus.execute(touchApiClient, { id: clientId }, SYSTEM_ACTOR).catch((error: unknown) => {
        this.ctx.logger.debug({ err: error, clientId }, 'could not record a machine client’s last use');
      });
    };
  }

  async create(body: CreateUserRequest, call: Call): Promise<UserWithOneTimePassword> {
    const { user, oneTimePassword } = await this.ctx.bus.execute(createUser, body, call.actor, { requestId: call.requestId });
    if (oneTimePassword === null) throw new Error('user.create over HTTP always issues a one-time password');
    return { user, oneTimePassword };
  }

  async update(id: string, body: UpdateUserRequest, call: Call): Promise<AdminUser> {
    const { user, revokedSessionIds } = await this.ctx.bus.execute(updateUser, { ...body, id }, call.actor, { requestId: call.requestId });
    this.endSessions(id, revokedSessionIds, 'your role or tenants were changed by an administrator: sign in again');
    return user;
  }

  async deactivate(id: string, call: Call): Promise<AdminUser> {
    const { user, revokedSessionIds } = await this.ctx.bus.execute(deactivateUser, { id }, call.actor, { requestId: call.requestId });
    this.endSessions(id, revokedSessionIds, 'your account was deactivated by an administrator');
    if (!user.active) disconnectUser(this.ctx.realtime(), id, 'your account was deactivated by an administrator');
    return user;
  }

  async reactivate(id: string, call: Call): Promise<AdminUser> {
    const { user } = await this.ctx.bus.execute(reactivateUser, { id }, call.actor, { requestId: call.requestId });
    this.ctx.authenticator.forgetUser(id);
    return user;
  }

  async resetPassword(id: string, call: Call): Promise<UserWithOneTimePassword> {
    const { user, oneTimePassword, revokedSessionIds } = await this.ctx.bus.execute(resetUserPassword, { id }, call.actor, { requestId: call.requestId });
    this.endSessions(id, revokedSessionIds, 'your password was reset by an administrator');
    return { user, oneTimePassword };
  }

  async changeOwnPassword(body: ChangePasswordRequest, sessionId: string | null, call: Call): Promise<void> {
    const key = `password-change|${call.actor.id}`;
    const retryAfter = this.throttle.retryAfterSeconds(key);
    if (retryAfter > 0) throw new ServiceError(429, 'RATE_LIMITED', `too many wrong current passwords; try again in ${retryAfter} s`);
    try {
      const { userId, revokedSessionIds } = await this.ctx.bus.execute(changeOwnPassword, { ...body, keepSessionId: sessionId }, call.actor, {
        requestId: call.requestId,
      });
      this.throttle.reset(key);
      // Also drops this session's cached "must change password" at once.
      this.endSessions(userId, revokedSessionIds, 'your password was changed in another session');
    } catch (error) {
      if (error instanceof ServiceError && error.fields?.some((f) => f.path === 'body.currentPassword')) this.throttle.recordFailure(key);
      throw error;
    }
  }

  async createClient(body: CreateApiClientRequest, call: Call): Promise<ApiClientWithKey> {
    return this.ctx.bus.execute(createApiClient, body, call.actor, { requestId: call.requestId });
  }

  async revokeClient(id: string, call: Call): Promise<ApiClientView> {
    const client = await this.ctx.bus.execute(revokeApiClient, { id }, call.actor, { requestId: call.requestId });
    this.ctx.authenticator.forgetClients();
    return client;
  }

  async rotateClient(id: string, body: RotateApiClientRequest, call: Call): Promise<ApiClientWithKey> {
    const client = await this.ctx.bus.execute(rotateApiClient, { ...body, id }, call.actor, { requestId: call.requestId });
    this.ctx.authenticator.forgetClients();
    return client;
  }

  /** After commit: this hub forgets the user's cached sessions and closes the revoked sessions' sockets. */
  private endSessions(userId: string, sessionIds: readonly string[], reason: string): void {
    this.ctx.authenticator.forgetUser(userId);
    for (const sessionId of sessionIds) {
      this.ctx.authenticator.forgetSession(sessionId);
      disconnectSession(this.ctx.realtime(), sessionId, reason);
    }
  }
}
