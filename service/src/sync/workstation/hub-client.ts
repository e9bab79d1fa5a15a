import type { z } from 'zod';
import { buildPath, type OperationSpec } from '../../../../shared/src/contract/operation.ts';
import { syncOperations } from '../../../../shared/src/contract/sync.ts';
import { systemOperations } from '../../../../shared/src/contract/auth.ts';
import type {
  SyncChangesPage,
  SyncChangesQuery,
  SyncHubInfo,
  SyncPushRequest,
  SyncPushResponse,
  SyncSnapshotPage,
  SyncSnapshotQuery,
} from '../../../../shared/src/sync.ts';
import type { HubTransport } from './types.ts';

/**
 * Why a call to the hub failed, as the engine needs to act on it:
 * - unreachable: no answer (network error, timeout) or a gateway's 502/503/504 — go offline, retry;
 * - unauthorized: 401, the user's hub session is gone — forget the token;
 * - refused: any other answer that is not a success (4xx/5xx) — the request itself is at fault.
 */
export type HubFailure = 'unreachable' | 'unauthorized' | 'refused';

export class HubError extends Error {
  constructor(
    readonly failure: HubFailure,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export const isUnreachable = (error: unknown) => error instanceof HubError && error.failure === 'unreachable';

/** Never wait for ever on a hub that does not answer (a dropped port swallows packets). */
export const DEFAULT_HUB_TIMEOUT_MS = 15_000;

const HEALTH_TIMEOUT_MS = 2_000;

const UNREACHABLE_STATUSES = new Set([502, 503, 504]);

/**
 * A typed client of the hub's sync operations (shared/src/contract/sync.ts), built from the
 * contract's paths and checked against its output schemas (ARCHITECTURE.md rule 2).
 */
export class HubClient {
  private readonly base: string;

  constructor(
    hubUrl: string,
    private readonly transport: HubTransport = (url, init) => fetch(url, init),
    private readonly timeoutMs = DEFAULT_HUB_TIMEOUT_MS,
  ) {
    this.base = hubUrl.replace(/\/+$/, '');
  }

  info(token: string, signal?: AbortSignal): Promise<SyncHubInfo> {
    return this.call(syncOperations.info, { token, signal });
  }

  snapshot(token: string, query: Partial<SyncSnapshotQuery>, signal?: AbortSignal): Promise<SyncSnapshotPage> {
    return this.call(syncOperations.snapshot, { token, query, signal });
  }

  changes(token: string, query: Partial<SyncChangesQuery>, signal?: AbortSignal): Promise<SyncChangesPage> {
    return this.call(syncOperations.changes, { token, query, signal });
  }

  push(token: string, body: SyncPushRequest, signal?: AbortSignal): Promise<SyncPushResponse> {
    return this.call(syncOperations.push, { token, body, signal });
  }

  /** The hub answers at all (liveness, no sign-in): used to notice it coming back while offline. */
  async health(signal?: AbortSignal): Promise<boolean> {
    try {
      // Short: a probe stuck on a partition that drops packets would delay noticing the heal.
      await this.call(systemOperations.health, { token: null, signal, timeoutMs: Math.min(this.timeoutMs, HEALTH_TIMEOUT_MS) });
      return true;
    } catch {
      return false;
    }
  }

  private async call<S extends OperationSpec & { output: z.ZodType }>(
    op: S,
    options: {
      token: string | null;
      query?: Record<string, unknown>;
      body?: unknown;
      params?: Record<string, unknown>;
      signal?: AbortSignal | undefined;
      timeoutMs?: number;
    },
  ): Promise<z.output<S['output']>> {
    let url = `${this.base}${buildPath(op.path, options.params)}`;
    if (options.query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query)) if (value !== undefined && value !== null) search.set(key, String(value));
      const text = search.toString();
      if (text) url += `?${text}`;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let response: Response;
    let text: string;
    try {
      // Raced against the signal too: a transport that ignores it (a lossy test network, a stuck
      // body) must not hold the engine for ever.
      response = await untilAborted(
        this.transport(url, {
          method: op.method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          signal,
        }),
        signal,
      );
      text = await untilAborted(response.text(), signal);
    } catch (error) {
      throw new HubError('unreachable', `${op.name}: the hub did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
    if (response.status === 401) throw new HubError('unauthorized', `${op.name}: the hub refused the session (401)`, 401, codeOf(text));
    if (UNREACHABLE_STATUSES.has(response.status)) {
      throw new HubError('unreachable', `${op.name}: the hub is unavailable (${response.status})`, response.status, codeOf(text));
    }
    if (!response.ok) {
      throw new HubError('refused', `${op.name}: the hub answered ${response.status}: ${messageOf(text)}`, response.status, codeOf(text));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HubError('refused', `${op.name}: the hub's answer is not JSON`, response.status);
    }
    const parsed = op.output.safeParse(json);
    if (!parsed.success) throw new HubError('refused', `${op.name}: the hub's answer does not match the contract: ${parsed.error.message}`, response.status);
    return parsed.data as z.output<S['output']>;
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** The service's error body (shared/src/api.ts ApiErrorBody), read leniently: a proxy may answer anything. */
function errorBody(text: string): { code?: unknown; message?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    const inner = value !== null && typeof value === 'object' ? (value as { error?: unknown }).error : null;
    return inner !== null && typeof inner === 'object' ? (inner as { code?: unknown; message?: unknown }) : null;
  } catch {
    return null;
  }
}

function codeOf(text: string): string | null {
  const code = errorBody(text)?.code;
  return typeof code === 'string' ? code : null;
}

function messageOf(text: string): string {
  const message = errorBody(text)?.message;
  return typeof message === 'string' ? message : text.slice(0, 200);
}
