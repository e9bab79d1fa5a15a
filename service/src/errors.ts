import type { z } from 'zod';
import type { ApiErrorCode } from '../../shared/src/api.ts';

export interface FieldError {
  path: string;
  message: string;
}

/** An error the service answers with on purpose; anything else is a 500 with no detail leaked. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** Response headers the answer needs (Retry-After of a 429, WWW-Authenticate of a 401). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new ServiceError(409, 'CONFLICT', message);
export const forbidden = (message = 'you do not have permission for this') => new ServiceError(403, 'FORBIDDEN', message);
export const unauthenticated = (message = 'sign in first: a valid session token is required') => new ServiceError(401, 'UNAUTHENTICATED', message);

export function validationFailed(fields: FieldError[], message?: string): ServiceError {
  return new ServiceError(400, 'VALIDATION_FAILED', message ?? `invalid input: ${fields.map((f) => f.path).join(', ')}`, fields);
}

/** Turns zod issues into field errors whose paths say where the input came from, e.g. "body.amount". */
export function fieldsFromZod(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || prefix,
    message: issue.message,
  }));
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(fieldsFromZod(result.error, prefix));
  return result.data;
}
