import { z } from 'zod';

/**
 * Why a partner request's token or consent check refused it (issue 14), in the order the checks run;
 * each is also the error code answered. Declared here, not in open-banking.ts, because that file
 * imports this one; open-banking.ts's ConsentCheckReason is 'OK' plus these.
 */
export const ConsentRefusal = z.enum([
  'TOKEN_INVALID',
  'TOKEN_REVOKED',
  'APP_SUSPENDED',
  'APP_MISMATCH',
  'CONSENT_NOT_AUTHORISED',
  'CONSENT_EXPIRED',
  'SCOPE_NOT_GRANTED',
  'ACCOUNT_NOT_IN_CONSENT',
  'OUTSIDE_TRANSACTION_WINDOW',
  /** Unattended calls under a consent reached its frequencyPerDay for this bank day (429, Retry-After). */
  'FREQUENCY_LIMIT',
]);
export type ConsentRefusal = z.infer<typeof ConsentRefusal>;

/** Every error the service returns has this shape; `fields` names each offending input path. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.enum([
      'BAD_REQUEST',
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      /** A repeated idempotency key whose content differs from the first request; `fields` names what differs. */
      'IDEMPOTENCY_CONFLICT',
      /** Signed in with a one-time password: change it first (POST /api/v1/auth/password). */
      'PASSWORD_CHANGE_REQUIRED',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'MISDIRECTED_REQUEST',
      'RATE_LIMITED',
      /** The database is restarting or not answering: retry after the Retry-After header's seconds (503). */
      'DATABASE_UNAVAILABLE',
      /** A workstation was asked for something only the bank's hub can do, and the hub cannot be reached (503). */
      'HUB_UNAVAILABLE',
      /** Open Banking (issue 14): a partner request refused by its token or consent check. */
      ...ConsentRefusal.options,
      'INTERNAL',
    ]),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
export type ApiErrorCode = ApiErrorBody['error']['code'];

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().nonnegative(),
    pageSize: z.number().int().positive(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const PageQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const SortDirection = z.enum(['asc', 'desc']);

/** Health is the one endpoint answered without a token (load balancers and the desktop shell probe it). */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  mode: z.enum(['standalone', 'hub', 'workstation']),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  uptimeSeconds: z.number(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/**
 * Readiness (GET /ready, public for load balancers): each check by name and whether it passed
 * (database, schema, assessment-writer, background:<loop>); 503 when one failed. No details.
 */
export const ReadyResponse = z.object({
  status: z.enum(['ready', 'not-ready']),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean() })),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;

export const API_PREFIX = '/api/v1';
