// The renderer's client for the service, derived from the contract (ARCHITECTURE.md rule 2):
// screens call `callApi(CONTRACT.cases.decide, { params, body })` and get the typed result; no
// hand-written URLs. Answers are checked against the operation's output schema (conform).
import type { AxiosRequestConfig } from 'axios';
import { buildPath, type OperationRequest, type OperationResult, type OperationSpec } from '../../../shared/src/contract/operation.ts';
import { conform, downloadFile, http, type Params } from './client.ts';

export interface CallOptions {
  signal?: AbortSignal;
  /** A 401 on this call means "wrong credentials", not "session expired" (sign-in, password change). */
  credentialsCheck?: boolean;
  timeout?: number;
}

function cleanQuery(query: unknown): Record<string, string | number | boolean> | undefined {
  if (!query || typeof query !== 'object') return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) out[key] = value.join(',');
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

type RequestParts = { params?: unknown; query?: unknown; body?: unknown };

/** Calls one operation of the contract and returns its typed result. */
export async function callApi<S extends OperationSpec>(op: S, request: OperationRequest<S>, options: CallOptions = {}): Promise<OperationResult<S>> {
  const parts = request as RequestParts;
  const config: AxiosRequestConfig = {
    method: op.method,
    url: buildPath(op.path, parts.params as Record<string, unknown> | undefined),
    params: cleanQuery(parts.query),
    signal: options.signal,
    ...(options.timeout ? { timeout: options.timeout } : {}),
    ...(options.credentialsCheck ? { credentialsCheck: true } : {}),
  };
  if (op.method !== 'GET') {
    config.data = parts.body ?? {};
    config.headers = { 'Content-Type': 'application/json' };
  }
  const response = await http.request<unknown>(config);
  if (!op.output) return undefined as OperationResult<S>;
  return conform(op.output, response.data, op.name) as OperationResult<S>;
}

/** Downloads a file or export operation (CSV, XLSX, attachments) with the session token. */
export function downloadApi<S extends OperationSpec>(op: S, request: OperationRequest<S>, fallbackName: string, timeout?: number): Promise<string> {
  const parts = request as RequestParts;
  return downloadFile(
    buildPath(op.path, parts.params as Record<string, unknown> | undefined),
    (cleanQuery(parts.query) ?? {}) as Params,
    fallbackName,
    timeout,
  );
}
