import { z } from 'zod';
import type { Permission } from '../roles.ts';
import type { ObScope } from '../open-banking.ts';

/**
 * The contract (ARCHITECTURE.md rule 2): every command and query is declared once, here in
 * shared/, with its name, HTTP method and path, permission, tenant rule and input and output
 * schemas. The service builds its routes from these declarations, OpenAPI is generated from them,
 * and the renderer's client calls them by the same objects.
 */

/**
 * What an operation requires: a permission, any signed-in caller, nothing (public), or an Open
 * Banking app's OAuth access token ('partner', issue 14: the consent is then checked per request).
 */
export type Access = Permission | 'signed-in' | 'public' | 'partner';

/**
 * How an operation is scoped to the caller's tenants (ARCHITECTURE.md "Tenants"):
 * - global: bank-wide data without a tenant; the permission alone decides.
 * - input: the tenant is named in the input (`tenantField`); another tenant answers 403.
 * - record: the operation addresses one record; another tenant's record answers 404.
 * - list: results are filtered to the caller's tenants.
 */
export type TenantRule = 'global' | 'input' | 'record' | 'list';

/** What a successful answer carries besides JSON: files and exports. */
export type ResponseKind = 'json' | 'csv' | 'xlsx' | 'file' | 'text' | 'none';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationSpec {
  /** Stable dotted name, e.g. "case.decide"; commands are looked up by it (replay, outbox). */
  readonly name: string;
  readonly kind: 'command' | 'query';
  readonly method: HttpMethod;
  /** Path with `:param` placeholders, e.g. "/api/v1/cases/:id/decision". */
  readonly path: string;
  readonly access: Access;
  readonly tenant: TenantRule;
  /** For tenant 'input': where the tenant id is, e.g. "body.tenantId" or "query.tenantId". */
  readonly tenantField?: string;
  /** For access 'partner': the OAuth scope the endpoint needs (issue 14). */
  readonly partnerScope?: ObScope;
  /** One line for OpenAPI and the docs. */
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Request content types besides application/json (e.g. XML for ISO 20022). */
  readonly consumes?: readonly string[];
  /** Answer content types besides JSON, chosen by the request's own type (ISO 20022 XML in, XML out). */
  readonly produces?: readonly string[];
  /** The successful answer's schema; null when the answer has no JSON body. */
  readonly output: z.ZodType | null;
  readonly response?: ResponseKind;
  /** Status of a successful answer (default 200, or 204 when output is null and response is 'none'). */
  readonly status?: number;
  /** Other statuses a successful call may answer with (e.g. 200 for an idempotent repeat, 202 pending). */
  readonly alternativeStatuses?: readonly number[];
  /** Largest request body accepted, when an endpoint needs more than the server-wide limit. */
  readonly bodyLimit?: number;
  /** May a user who still has to change a one-time password call it? (sign-out, me, change password) */
  readonly allowedBeforePasswordChange?: boolean;
}

/** Declares an operation, keeping its literal types so the client and handlers are typed from it. */
export function defineOperation<const S extends OperationSpec>(spec: S): S {
  return spec;
}

type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : undefined;
type SchemaInput<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a caller sends (before defaults and coercion). */
export type OperationRequest<S extends OperationSpec> = {
  [K in 'params' | 'query' | 'body' as S[K] extends z.ZodType ? K : never]: SchemaInput<S[K]>;
};
/** What a handler receives (after parsing). */
export type OperationParsedInput<S extends OperationSpec> = {
  params: SchemaOutput<S['params']>;
  query: SchemaOutput<S['query']>;
  body: SchemaOutput<S['body']>;
};
/** What a successful call answers. */
// biome-ignore lint/suspicious/noConfusingVoidType: a no-content operation's handler returns nothing at all.
export type OperationResult<S extends OperationSpec> = S['output'] extends z.ZodType ? z.output<S['output']> : void;

/** Fills `:param` placeholders; every value is URI-encoded. */
export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

export function successStatus(spec: OperationSpec): number {
  if (spec.status) return spec.status;
  return spec.output === null && (spec.response ?? 'none') === 'none' ? 204 : 200;
}

/** A zod object for `{ id }` path parameters that are UUIDs. */
export const UuidParams = z.object({ id: z.uuid() });
