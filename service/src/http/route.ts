import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../../shared/src/roles.ts';
import type { Principal } from '../auth/principal.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { forbidden, parseOrThrow, unauthenticated } from '../errors.ts';

/** What an endpoint requires: a permission, any signed-in caller, or nothing (public). */
export type Access = Permission | 'signed-in' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<A extends Access, P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Largest request body accepted, when an endpoint needs more than the server-wide limit (uploads). */
  bodyLimit?: number;
  /** Status for a successful answer (default 200; 204 sends no body). */
  status?: number;
  handler(input: {
    principal: A extends 'public' ? Principal | null : Principal;
    params: Out<P>;
    query: Out<Q>;
    body: Out<B>;
    request: FastifyRequest;
    reply: FastifyReply;
  }): Promise<unknown>;
}

/**
 * Registers an endpoint. Authentication, the permission check and input validation happen here,
 * before the handler, for every endpoint; inputs are parsed with zod and errors name the field.
 */
export function addRoute<A extends Access, P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  app: FastifyInstance,
  authenticator: Authenticator,
  spec: RouteSpec<A, P, Q, B>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    // Not in the contract yet: named so that the OpenAPI test lists it as missing (ARCHITECTURE.md rule 2).
    config: { access: spec.access, operation: `legacy ${spec.method} ${spec.url}` },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (request, reply) => {
      const principal = await authenticator.fromHeaders(request.headers);
      if (spec.access !== 'public') {
        if (!principal) throw unauthenticated();
        if (spec.access !== 'signed-in' && !principal.permissions.has(spec.access)) {
          throw forbidden(`this needs the ${spec.access} permission, which the ${principal.role} role does not have`);
        }
      }
      const params = spec.params ? parseOrThrow(spec.params, request.params, 'params') : undefined;
      const query = spec.query ? parseOrThrow(spec.query, request.query, 'query') : undefined;
      const body = spec.body ? parseOrThrow(spec.body, request.body ?? {}, 'body') : undefined;
      // Set before the handler so that it can still choose another (200 for an idempotent replay).
      if (spec.status) reply.code(spec.status);
      const result = await spec.handler({
        principal: principal as A extends 'public' ? Principal | null : Principal,
        params: params as Out<P>,
        query: query as Out<Q>,
        body: body as Out<B>,
        request,
        reply,
      });
      if (reply.sent) return reply;
      return reply.statusCode === 204 ? reply.send() : reply.send(result);
    },
  });
}
