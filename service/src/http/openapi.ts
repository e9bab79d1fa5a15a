import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import { successStatus } from '../../../shared/src/contract/operation.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { OB_SCOPE_LABELS } from '../../../shared/src/open-banking.ts';

type JsonObject = Record<string, unknown>;

const RESPONSE_TYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  file: 'application/octet-stream',
  text: 'text/plain',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // Transforms and refinements have no JSON Schema form: they are described as their base type.
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
}

/** Query and path parameters: one entry per property of the object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Bad input; `fields` names each offending path (e.g. body.amount).',
  '401': 'No or invalid token.',
  '403': 'Missing permission, another tenant named in the input, or a foreign Origin.',
  '404': 'Unknown record, or a record of a tenant the caller does not act for.',
  '409': 'Version conflict, forbidden state change, or an idempotency conflict.',
  '429': 'Too many requests from this caller (rate limit) or failed sign-ins (throttle); retry after the Retry-After header.',
  '503': 'The database is not reachable right now (DATABASE_UNAVAILABLE); retry after the Retry-After header.',
};

/**
 * OpenAPI 3.1 generated from the contract registry (ARCHITECTURE.md rule 2): every operation with
 * its permission (`x-permission`), tenant rule (`x-tenant-rule`), input and response schemas.
 */
export function buildOpenApiDocument(operations: readonly OperationSpec[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const errorSchema = schemaOf(ApiErrorBody, 'output');
  for (const op of operations) {
    const openApiPath = op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = String(successStatus(op));
    const kind = op.response ?? (op.output ? 'json' : 'none');
    const success: JsonObject = { description: op.summary };
    if (kind === 'json' && op.output) success.content = { 'application/json': { schema: schemaOf(op.output, 'output') } };
    // An XML request is answered in XML (ISO 20022: a pacs.002 status report).
    if (success.content && op.produces) for (const type of op.produces) (success.content as JsonObject)[type] = { schema: { type: 'string' } };
    else if (kind !== 'none' && kind !== 'json')
      success.content = { [RESPONSE_TYPES[kind]!]: { schema: { type: 'string', format: kind === 'text' || kind === 'csv' ? undefined : 'binary' } } };
    const responses: Record<string, JsonObject> = { [status]: success };
    for (const alternative of op.alternativeStatuses ?? []) responses[String(alternative)] = { ...success, description: `${op.summary} (alternative outcome)` };
    for (const [code, description] of Object.entries(ERROR_RESPONSES)) {
      if (code === '401' && op.access === 'public') continue;
      if (code === '403' && op.access === 'public') continue;
      // An operation's own alternative answer (e.g. /ready's 503 naming the failing check) stays.
      if (responses[code]) continue;
      responses[code] = { description, content: { 'application/json': { schema: errorSchema } } };
    }
    const operation: JsonObject = {
      operationId: op.name,
      summary: op.summary,
      tags: [op.name.split('.')[0]],
      'x-permission': op.access,
      'x-tenant-rule': op.tenant,
      'x-kind': op.kind,
      description: `Permission: \`${op.access}\`. Tenant rule: \`${op.tenant}\`${op.tenantField ? ` (\`${op.tenantField}\`)` : ''}.`,
      parameters: [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')],
      responses,
      // Partner operations take an app's OAuth access token with the operation's scope (issue 14), never a session or API key.
      security:
        op.access === 'public' ? [] : op.access === 'partner' ? [{ oauth2: op.partnerScope ? [op.partnerScope] : [] }] : [{ bearer: [] }, { apiKey: [] }],
    };
    if (op.body) {
      const content: Record<string, JsonObject> = { 'application/json': { schema: schemaOf(op.body, 'input') } };
      for (const type of op.consumes ?? []) content[type] = { schema: type.includes('xml') ? { type: 'string' } : schemaOf(op.body, 'input') };
      operation.requestBody = { required: true, content };
    }
    const pathItem = paths[openApiPath] ?? {};
    pathItem[op.method.toLowerCase()] = operation;
    paths[openApiPath] = pathItem;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wekeza Risk Workstation API',
      version,
      description:
        'Generated from the contract registry in shared/src/contract/. Every operation names its permission (x-permission) and tenant rule (x-tenant-rule).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A session token from POST /api/v1/auth/login, or a client token from POST /api/v1/auth/token.',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A machine client key.' },
        oauth2: {
          type: 'oauth2',
          description:
            'Open Banking apps (issue 14): authorization code with PKCE (S256) for a customer’s consent, client credentials for the app’s own calls. Discovery: /.well-known/openid-configuration.',
          flows: {
            authorizationCode: { authorizationUrl: '/oauth/auth', tokenUrl: '/oauth/token', refreshUrl: '/oauth/token', scopes: OB_SCOPE_LABELS },
            clientCredentials: { tokenUrl: '/oauth/token', scopes: {} },
          },
        },
      },
    },
    paths,
  };
}

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wekeza Risk Workstation API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

// A file rather than an inline script: the page's CSP allows scripts from this origin only.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });`;

/** The API reference at /api/docs (Swagger UI, served from the swagger-ui-dist package). */
export function registerApiDocs(app: FastifyInstance): void {
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, { file: string; type: string }> = {
    'swagger-ui.css': { file: path.join(dist, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
    'swagger-ui-bundle.js': { file: path.join(dist, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  };
  app.route({
    method: 'GET',
    url: '/api/docs',
    config: { access: 'public' },
    handler: (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE),
  });
  app.route({
    method: 'GET',
    url: '/api/docs/init.js',
    config: { access: 'public' },
    handler: (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DOCS_INIT),
  });
  for (const [name, asset] of Object.entries(assets)) {
    app.route({
      method: 'GET',
      url: `/api/docs/${name}`,
      config: { access: 'public' },
      handler: (_request, reply) => reply.type(asset.type).header('Cache-Control', 'public, max-age=86400').send(fs.createReadStream(asset.file)),
    });
  }
}
