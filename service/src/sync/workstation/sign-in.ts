import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginResponse, type LoginRequest } from '../../../../shared/src/auth.ts';
import { SyncHubInfo } from '../../../../shared/src/sync.ts';
import { authOperations } from '../../../../shared/src/contract/auth.ts';
import { syncOperations } from '../../../../shared/src/contract/sync.ts';
import { ServiceError, unauthenticated } from '../../errors.ts';
import type { ServiceContext } from '../../context.ts';
import { openSession, SESSION_TTL_SECONDS } from '../../auth/sessions.ts';
import { tenantAccessFor } from '../../../../shared/src/tenants.ts';
import { findActiveUser, toUserPublic } from '../../users/model.ts';
import type { OfflineCredentials } from './credentials.ts';
import type { HubTransport } from './types.ts';

const HUB_SIGN_IN_TIMEOUT_MS = 10_000;

export interface WorkstationSignInDeps {
  hubUrl: string;
  transport: HubTransport;
  credentials: OfflineCredentials;
  /** The hub answered (or did not): the engine's online state follows. */
  reportReachable(): void;
  reportUnreachable(): void;
  /** A different person signed in at the hub: the cache is rebuilt for their scope. */
  ownerChanged(userId: string): Promise<void>;
}

type HubAnswer =
  | { kind: 'ok'; login: LoginResponse; info: SyncHubInfo }
  | { kind: 'refused'; status: number; body: unknown; retryAfter: string | null }
  | { kind: 'unreachable' };

async function askHub(deps: WorkstationSignInDeps, body: LoginRequest, userAgent: string | undefined): Promise<HubAnswer> {
  const url = (path: string) => new URL(path, deps.hubUrl).toString();
  try {
    const answer = await deps.transport(url(authOperations.login.path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(userAgent ? { 'user-agent': userAgent } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HUB_SIGN_IN_TIMEOUT_MS),
      redirect: 'error',
    });
    if (answer.status >= 502 && answer.status <= 504) return { kind: 'unreachable' };
    if (!answer.ok)
      return { kind: 'refused', status: answer.status, body: await answer.json().catch(() => null), retryAfter: answer.headers.get('retry-after') };
    const login = LoginResponse.parse(await answer.json());
    const infoAnswer = await deps.transport(url(syncOperations.info.path), {
      headers: { authorization: `Bearer ${login.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(HUB_SIGN_IN_TIMEOUT_MS),
      redirect: 'error',
    });
    // A user who must change a one-time password gets 403 here: the default period applies.
    const info = infoAnswer.ok ? SyncHubInfo.parse(await infoAnswer.json()) : null;
    return { kind: 'ok', login, info: info ?? { hubId: '', protocolVersion: 1, serviceVersion: '', commandVersions: {}, offlineSignInDays: 7, hubSeq: 0 } };
  } catch {
    return { kind: 'unreachable' };
  }
}

/**
 * Signing in on a workstation (README "Workstations and sync"): at the hub when it answers — the
 * hub checks the password, its throttle and the user's state — and the workstation keeps an offline
 * verifier; when the hub cannot be reached, a user who signed in here within the hub's period signs
 * in with that verifier and the role and tenants last seen. Either way the session is local.
 */
export function workstationSignIn(ctx: ServiceContext, deps: WorkstationSignInDeps) {
  return async ({ body, request, reply }: { body: LoginRequest; request: FastifyRequest; reply: FastifyReply }): Promise<LoginResponse> => {
    const throttle = ctx.signInThrottle;
    const { retryAfterSeconds } = await throttle.check(body.username, request.ip);
    if (retryAfterSeconds > 0) {
      reply.header('Retry-After', String(retryAfterSeconds));
      throw new ServiceError(429, 'RATE_LIMITED', `too many failed sign-ins; try again in ${retryAfterSeconds} s`);
    }
    const hub = await askHub(deps, body, request.headers['user-agent']);
    let userId: string;
    if (hub.kind === 'ok') {
      const { login, info } = hub;
      await deps.credentials.remember({
        userId: login.user.id,
        username: login.user.username,
        displayName: login.user.displayName,
        role: login.user.role,
        tenantIds: login.user.tenantIds,
        passwordChangeRequired: login.user.passwordChangeRequired,
        password: body.password,
        hubToken: login.token,
        hubTokenExpiresAt: login.expiresAt,
        offlineSignInDays: info.offlineSignInDays,
      });
      if ((await deps.credentials.owner()) !== login.user.id) await deps.ownerChanged(login.user.id);
      // After the token is kept: this user's waiting actions go now, not at the next poll.
      deps.reportReachable();
      userId = login.user.id;
    } else if (hub.kind === 'refused') {
      deps.reportReachable();
      if (hub.retryAfter) reply.header('Retry-After', hub.retryAfter);
      if (hub.status === 401) {
        await throttle.failed(body.username, request.ip, request.id);
        throw unauthenticated('wrong username or password');
      }
      const message = (hub.body as { error?: { message?: string } } | null)?.error?.message ?? `the hub answered ${hub.status}`;
      throw new ServiceError(hub.status === 429 ? 429 : 502, hub.status === 429 ? 'RATE_LIMITED' : 'INTERNAL', message);
    } else {
      deps.reportUnreachable();
      const offline = await deps.credentials.verifyOffline(body.username, body.password);
      if (!offline.ok) {
        await throttle.failed(body.username, request.ip, request.id);
        throw unauthenticated(
          offline.reason === 'expired'
            ? 'the bank’s hub cannot be reached, and your last sign-in at the hub was too long ago to sign in offline; connect to the bank’s network'
            : 'the bank’s hub cannot be reached; offline you can sign in only with the password you last used on this workstation, if you signed in here before',
        );
      }
      userId = offline.identity.userId;
    }
    await throttle.succeeded(body.username, request.ip, request.id);
    const user = await findActiveUser(ctx.db.kysely, userId);
    if (!user) throw unauthenticated('wrong username or password');
    const publicUser = toUserPublic(user);
    const actor = {
      kind: 'user' as const,
      id: user.id,
      name: user.display_name,
      role: publicUser.role,
      tenants: tenantAccessFor(publicUser.role, publicUser.tenantIds),
    };
    const userAgent = request.headers['user-agent']?.slice(0, 512) ?? null;
    const { sessionId } = await ctx.bus.execute(openSession, { userId: user.id, userAgent }, actor, { requestId: request.id });
    const { token, expiresAt } = await ctx.tokens.sign(
      { typ: 'user', sub: user.id, sid: sessionId, role: publicUser.role, name: user.display_name },
      SESSION_TTL_SECONDS,
    );
    return { token, expiresAt: expiresAt.toISOString(), user: publicUser };
  };
}
