import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { OperationParsedInput, OperationResult, OperationSpec } from '../../../shared/src/contract/operation.ts';
import { successStatus } from '../../../shared/src/contract/operation.ts';
import type { Principal } from '../auth/principal.ts';
import type { PartnerAuthenticator, PartnerCaller } from '../auth/partner.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { requestContext } from '../commands/request-context.ts';
import { type FieldError, forbidden, parseOrThrow, ServiceError, unauthenticated, validationFailed } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract operation a route serves (ARCHITECTURE.md rule 2); public static files have none. */
    operation?: string;
    access?: OperationSpec['access'];
  }
  interface FastifyRequest {
    principal?: Principal | null;
    /** An Open Banking app's call (access 'partner'): who it is and what its token carries. */
    partner?: PartnerCaller | null;
  }
}

/** What a handler gets: the caller, its tenant scope, and the parsed input. */
export type OperationCall<S extends OperationSpec> = OperationParsedInput<S> & {
  principal: S['access'] extends 'public' ? Principal | null : Principal;
  /** Set for access 'partner' (issue 14); null otherwise. */
  partner: PartnerCaller | null;
  scope: TenantScope;
  request: FastifyRequest;
  reply: FastifyReply;
};

/** JSON operations return their result; file and export operations send on `reply` and return it. */
export type OperationHandler<S extends OperationSpec> = (
  call: OperationCall<S>,
) => Promise<OperationResult<S> | FastifyReply> | OperationResult<S> | FastifyReply;

/**
 * How an operation that consumes XML turns the text into its input (the router hands it the raw
 * text; the feature parses it safely and returns what the body schema then judges).
 */
export interface OperationExtras {
  xml?: (text: string, request: FastifyRequest) => unknown;
}

const XML_TYPES = new Set(['application/xml', 'text/xml']);
const mediaTypeOf = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

export interface OperationRouterOptions {
  /** Check every JSON answer against its output schema (tests and development): a mismatch is a 500. */
  checkResponses?: boolean;
  /**
   * Chooses the handler that serves an operation (a workstation answers some from its cache and
   * forwards the rest to the hub: sync/workstation/shell.ts). Authentication, permission, parsing
   * and the tenant check stay here, in front of whichever handler is chosen.
   */
  wrap?: <S extends OperationSpec>(op: S, handler: OperationHandler<S>) => OperationHandler<S>;
}

/**
 * Builds the service's routes from the contract (ARCHITECTURE.md rules 2 and 6). For every
 * request, in one place and in this order: authentication and the permission check before the
 * body is read (onRequest), then one parse of params, query and body, then the tenant check the
 * operation declares, then the handler, which holds no logic of its own: it calls one command or
 * one query.
 */
export class OperationRouter {
  private readonly implemented = new Map<string, OperationSpec>();
  private partnerAuthenticator: PartnerAuthenticator | null = null;

  constructor(
    private readonly app: FastifyInstance,
    private readonly authenticator: Authenticator,
    private readonly options: OperationRouterOptions = {},
  ) {}

  /** How 'partner' operations authenticate (the Open Banking feature sets it; until then they answer 401). */
  setPartnerAuthenticator(authenticator: PartnerAuthenticator): void {
    this.partnerAuthenticator = authenticator;
  }

  implement<S extends OperationSpec>(op: S, featureHandler: OperationHandler<S>, extras: OperationExtras = {}): void {
    if (this.implemented.has(op.name)) throw new Error(`operation ${op.name} is implemented twice`);
    const handler = this.options.wrap ? this.options.wrap(op, featureHandler) : featureHandler;
    const consumesXml = (op.consumes ?? []).some((type) => XML_TYPES.has(type));
    if (consumesXml !== (extras.xml !== undefined)) throw new Error(`operation ${op.name}: an XML body needs both consumes and an xml reader`);
    this.implemented.set(op.name, op);
    const authenticator = this.authenticator;
    const partnerAuthenticator = () => this.partnerAuthenticator;
    const check = this.options.checkResponses ?? false;
    this.app.route({
      method: op.method,
      url: op.path,
      config: { operation: op.name, access: op.access },
      ...(op.bodyLimit ? { bodyLimit: op.bodyLimit } : {}),
      // Before fastify reads the body: an unauthenticated or unauthorised upload is refused
      // without buffering a byte of it.
      onRequest: async (request, reply) => {
        try {
          if (op.access === 'partner') {
            const partner = partnerAuthenticator();
            if (!partner) throw unauthenticated();
            const caller = await partner(op, request);
            request.principal = caller.principal;
            request.partner = caller.partner;
          } else {
            request.principal = await authenticate(authenticator, op, request);
          }
        } catch (error) {
          // Node would otherwise read and discard the unread body to keep the connection alive.
          if (Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding']) reply.header('Connection', 'close');
          throw error;
        }
      },
      handler: async (request, reply) => {
        const principal = request.principal ?? null;
        const scope = principal ? new TenantScope(principal.tenants) : new TenantScope([]);
        const tenantField = op.tenant === 'input' ? op.tenantField : undefined;
        // XML arrives as text (server.ts); only an operation that declares it reads it, safely.
        if (XML_TYPES.has(mediaTypeOf(request))) {
          if (!extras.xml || typeof request.body !== 'string') {
            throw new ServiceError(415, 'UNSUPPORTED_MEDIA_TYPE', 'this endpoint takes application/json', [
              { path: 'headers.content-type', message: 'unsupported media type' },
            ]);
          }
          request.body = extras.xml(request.body, request);
        }
        // Another tenant named in the input is refused before the rest of the input is judged.
        if (tenantField) checkNamedTenant(scope, { params: request.params, query: request.query, body: request.body }, tenantField);
        const { params, query, body } = parseInput(op, request);
        if (tenantField) checkNamedTenant(scope, { params, query, body }, tenantField);
        // Set before the handler, so that it can still choose one of the alternative statuses.
        reply.code(successStatus(op));
        const call = { principal, partner: request.partner ?? null, scope, params, query, body, request, reply } as unknown as OperationCall<S>;
        const result = await requestContext.run({ requestId: request.id }, () => handler(call));
        if (reply.sent) return reply;
        if (reply.statusCode === 204) return reply.send();
        if (check && op.output && (op.response ?? 'json') === 'json') assertMatchesContract(op, op.output, result);
        return reply.send(result);
      },
    });
  }

  /** Names of the operations served so far. */
  names(): string[] {
    return [...this.implemented.keys()];
  }

  /** Refuses to start when an operation of the contract has no route, or a route is not in the contract. */
  assertComplete(contract: readonly OperationSpec[]): void {
    const declared = new Set(contract.map((op) => op.name));
    const missing = contract.filter((op) => !this.implemented.has(op.name)).map((op) => op.name);
    const extra = [...this.implemented.keys()].filter((name) => !declared.has(name));
    if (missing.length || extra.length) {
      throw new Error(`the contract and the routes disagree: not implemented [${missing.join(', ')}], not declared [${extra.join(', ')}]`);
    }
  }
}

async function authenticate(authenticator: Authenticator, op: OperationSpec, request: FastifyRequest): Promise<Principal | null> {
  const principal = await authenticator.fromHeaders(request.headers);
  if (op.access === 'public') return principal;
  if (!principal) throw unauthenticated();
  if (principal.passwordChangeRequired && !op.allowedBeforePasswordChange) {
    throw new ServiceError(403, 'PASSWORD_CHANGE_REQUIRED', 'change your one-time password first (POST /api/v1/auth/password)');
  }
  if (op.access === 'partner') throw unauthenticated(); // routed to the partner authenticator before this
  if (op.access !== 'signed-in' && !principal.permissions.has(op.access)) {
    throw forbidden(`this needs the ${op.access} permission, which the ${principal.role} role does not have`);
  }
  return principal;
}

/** Paths of every text (or field name) in an input that holds a NUL. */
function nulFields(input: Record<string, unknown>): FieldError[] {
  const found: FieldError[] = [];
  const visit = (value: unknown, path: string, depth: number) => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push({ path, message: 'must not contain a NUL character' });
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) found.push({ path, message: 'a field name must not contain a NUL character' });
        visit(item, `${path}.${key}`, depth + 1);
      }
    }
  };
  for (const [part, value] of Object.entries(input)) visit(value, part, 0);
  return found;
}

/**
 * One parse of params, query and body. No text anywhere in an input may hold a NUL (PostgreSQL
 * cannot store one and no field needs it): such fields are named together with the schema's own
 * findings, so one 400 names every offending field.
 */
function parseInput(op: OperationSpec, request: FastifyRequest): { params: unknown; query: unknown; body: unknown } {
  const raw = { params: request.params ?? {}, query: request.query ?? {}, body: request.body ?? {} };
  const nul = nulFields({ params: raw.params, query: raw.query, body: raw.body });
  const fields: FieldError[] = [];
  const parsed: Record<'params' | 'query' | 'body', unknown> = { params: undefined, query: undefined, body: undefined };
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = op[part];
    if (!schema) continue;
    try {
      parsed[part] = parseOrThrow(schema, raw[part], part);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.fields) throw error;
      fields.push(...error.fields);
    }
  }
  for (const field of nul) if (!fields.some((f) => f.path === field.path)) fields.push(field);
  if (fields.length > 0) throw validationFailed(fields);
  return parsed;
}

function checkNamedTenant(scope: TenantScope, input: Record<string, unknown>, field: string): void {
  const named = readPath(input, field);
  if (typeof named === 'string' && named.trim() !== '') scope.assertInput(named.trim(), field);
}

function readPath(input: Record<string, unknown>, path: string): unknown {
  let value: unknown = input;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function assertMatchesContract(op: OperationSpec, schema: z.ZodType, result: unknown): void {
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${op.name} answered outside its contract: ${where}`);
  }
}
