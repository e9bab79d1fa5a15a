// Field messages for the register's forms: the contract's own zod schema checks what is typed
// (so the form and the service agree), and the service's 400 names fields as `body.<field>`.
import type { z } from 'zod';
import { ApiError, toApiError } from '../api/client.ts';

export type FieldErrors = Record<string, string>;

export function schemaErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    if (!out[path]) out[path] = issue.message;
  }
  return out;
}

export function serverErrors(error: ApiError | null): FieldErrors {
  const out: FieldErrors = {};
  for (const f of error?.fields ?? []) {
    const path = f.path.replace(/^(body|query|params)\./, '');
    if (!out[path]) out[path] = f.message;
  }
  return out;
}

/** The message under a field: a local one once the field was touched (or a save was tried), else the service's. */
export function fieldMessage(field: string, local: FieldErrors, server: FieldErrors, touched: Record<string, boolean>): string | null {
  return (touched[field] ? local[field] : undefined) ?? server[field] ?? null;
}

/** Errors that belong to no field shown: said once under the form. */
export function otherErrors(error: ApiError | null, shown: readonly string[]): string | null {
  if (!error) return null;
  const rest = (error.fields ?? []).filter((f) => !shown.includes(f.path.replace(/^(body|query|params)\./, '')));
  if (rest.length) return rest.map((f) => `${f.path}: ${f.message}`).join('; ');
  return error.fields?.length ? null : error.message;
}

/** What an edit or delete with a stale expectedVersion (409) tells the user. */
export const STALE_VERSION_MESSAGE = 'Changed by someone else — reload to see the current version, then try again.';

/**
 * The service's error, with a stale-version 409 (service/src/risks/store.ts checkVersion: "… has
 * changed (version n, you saw m) …") said in the user's terms; other 409s keep their reason.
 */
export function editError(caught: unknown): ApiError {
  const error = toApiError(caught);
  const stale = error.status === 409 && /has changed \(version/.test(error.message);
  return stale ? new ApiError(409, 'CONFLICT', STALE_VERSION_MESSAGE) : error;
}
