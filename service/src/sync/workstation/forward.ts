import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationSpec } from '../../../../shared/src/contract/operation.ts';
import { HUB_UNAVAILABLE } from '../../../../shared/src/sync.ts';
import { ServiceError } from '../../errors.ts';
import type { Principal } from '../../auth/principal.ts';
import type { HubCredentials, HubTransport } from './types.ts';
import { bankTimeText } from '../../../../shared/src/bank-time.ts';

/** Headers of the hub's answer passed on to the renderer (files, exports, retries). */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'retry-after', 'x-content-type-options', 'content-security-policy', 'etag'];
/** A forwarded call waits this long for the hub; then the user is told it needs the hub. */
const FORWARD_TIMEOUT_MS = 30_000;

export function hubUnavailable(what: string, since: Date | null): ServiceError {
  const when = since ? ` (offline since ${bankTimeText(since)})` : '';
  return new ServiceError(
    503,
    HUB_UNAVAILABLE,
    `${what} needs the bank's hub, which this workstation cannot reach${when}; it works again when the connection is back`,
  );
}

export interface ForwarderDeps {
  hubUrl: string;
  credentials: HubCredentials;
  transport: HubTransport;
  isOnline(): boolean;
  offlineSince(): Date | null;
  /** The hub did not answer: the engine goes offline and starts probing. */
  reportUnreachable(): void;
}

/**
 * The handler of every operation a workstation does not answer from its cache (shared/src/sync.ts
 * LOCAL_QUERIES and SYNCABLE_COMMANDS): the same request, already authenticated, authorised and
 * validated here, is sent to the hub with the user's own hub session, so the hub checks it again
 * as that user (ARCHITECTURE.md rule 6). Offline, the answer is 503 HUB_UNAVAILABLE, which every
 * screen shows as "needs the hub" instead of an error.
 */
export function forwardToHub(deps: ForwarderDeps, op: OperationSpec, keep?: (bytes: Buffer) => Promise<void>) {
  return async ({ principal, request, reply }: { principal: Principal | null; request: FastifyRequest; reply: FastifyReply }) => {
    const summary = op.summary.replace(/\.$/, '');
    if (!deps.isOnline()) throw hubUnavailable(`“${summary}”`, deps.offlineSince());
    const token = principal ? await deps.credentials.tokenFor(principal.actor.id) : null;
    if (principal && !token) {
      throw new ServiceError(
        503,
        HUB_UNAVAILABLE,
        `“${summary}” needs the bank's hub, and you signed in on this workstation while it was offline: sign out and in again to reach the hub`,
      );
    }
    const headers: Record<string, string> = { accept: String(request.headers.accept ?? 'application/json') };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD') {
      const type = String(request.headers['content-type'] ?? 'application/json');
      // XML bodies were already read into the operation's input: the hub gets that input as JSON.
      headers['content-type'] = typeof request.body === 'string' ? type : 'application/json';
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    }
    let answer: Response;
    try {
      answer = await deps.transport(new URL(request.url, deps.hubUrl).toString(), {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch {
      deps.reportUnreachable();
      throw hubUnavailable(`“${summary}”`, deps.offlineSince());
    }
    if (answer.status === 502 || answer.status === 504) {
      deps.reportUnreachable();
      throw hubUnavailable(`“${summary}”`, deps.offlineSince());
    }
    if (answer.status === 401 && principal) await deps.credentials.invalidate(principal.actor.id);
    for (const name of PASSED_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    reply.code(answer.status);
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (keep && answer.ok) await keep(bytes);
    return reply.send(bytes.length > 0 ? bytes : undefined);
  };
}
