// The one HTTP client. Every request carries the session token as `Authorization: Bearer`;
// any 401 (other than a failed sign-in) ends the session and sends the user back to sign-in.
import axios, { AxiosError } from 'axios';
import type { z } from 'zod';
import { ApiErrorBody, type ApiErrorCode } from '../../../shared/src/api.ts';
import { endSession, getSession } from './session.ts';
import { currentHubNeededMessage, reportHubUnavailable } from '../sync/hubState.ts';

export const http = axios.create({
  // Same origin as the page (the service serves the UI); the desktop shell may point elsewhere.
  baseURL: '',
  timeout: 20_000,
  headers: { Accept: 'application/json' },
});

export function setServiceBaseUrl(url: string): void {
  http.defaults.baseURL = url.replace(/\/+$/, '');
}
export function serviceBaseUrl(): string {
  return http.defaults.baseURL || window.location.origin;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** A 401 on this request means "wrong credentials", not "session expired". */
    credentialsCheck?: boolean;
  }
}

http.interceptors.request.use((config) => {
  const token = getSession()?.token;
  if (token && !config.headers.has('Authorization')) config.headers.set('Authorization', `Bearer ${token}`);
  return config;
});

http.interceptors.response.use(undefined, (error: unknown) => {
  if (error instanceof AxiosError && error.response?.status === 401) {
    if (!error.config?.credentialsCheck && getSession()) endSession('expired');
  }
  return Promise.reject(toApiError(error));
});

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | 'NETWORK' | 'CANCELLED' | 'UNKNOWN';
  readonly fields: { path: string; message: string }[];
  constructor(status: number, code: ApiError['code'], message: string, fields: ApiError['fields'] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (axios.isCancel(error)) return new ApiError(0, 'CANCELLED', 'Request cancelled');
  if (error instanceof AxiosError) {
    const status = error.response?.status ?? 0;
    const body = ApiErrorBody.safeParse(error.response?.data);
    if (body.success && body.data.error.code === 'HUB_UNAVAILABLE') {
      // A workstation offline asked for something only the hub does: every screen that shows
      // error.message says so calmly, with since when (issue 12); ErrorState shows it as info.
      reportHubUnavailable();
      return new ApiError(status, 'HUB_UNAVAILABLE', currentHubNeededMessage());
    }
    if (body.success) {
      return new ApiError(status, body.data.error.code, body.data.error.message, body.data.error.fields ?? []);
    }
    if (!error.response) {
      return new ApiError(0, 'NETWORK', 'The Wekeza service cannot be reached. Check your connection and try again.');
    }
    return new ApiError(status, 'UNKNOWN', `The service answered ${status} ${error.response.statusText || ''}`.trim());
  }
  return new ApiError(0, 'UNKNOWN', error instanceof Error ? error.message : String(error));
}

/** The answer said "needs the bank's hub" (a workstation while offline). */
export function isHubUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'HUB_UNAVAILABLE';
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CANCELLED';
}

/**
 * Checks a response against its shared schema. A mismatch is logged (it means the UI and the
 * service disagree about the contract) but the data is still shown: a stricter failure would
 * turn a harmless extra/missing field into a blank screen for an analyst.
 */
export function conform<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  console.warn(`Response for ${what} does not match the shared contract`, parsed.error.issues);
  return data as z.infer<S>;
}

export type Params = Record<string, string | number | boolean | undefined | null>;

function cleanParams(params: Params | undefined): Record<string, string | number | boolean> | undefined {
  if (!params) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Downloads a file through the HTTP client (so the session token is sent) and hands it to the
 * browser. The name comes from the service's Content-Disposition when it gives one.
 */
export async function downloadFile(url: string, params: Params, fallbackName: string, timeout = 120_000): Promise<string> {
  const response = await http.get<Blob>(url, { params: cleanParams(params), responseType: 'blob', headers: { Accept: '*/*' }, timeout });
  const disposition = String(response.headers['content-disposition'] ?? '');
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const filename = named ? decodeURIComponent(named) : fallbackName;
  const href = URL.createObjectURL(response.data);
  try {
    const link = document.createElement('a');
    link.href = href;
    link.download = filename;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // Give the browser a moment to start the download before the object URL goes.
    window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  }
  return filename;
}
