import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_OPERATIONS } from '../../../shared/src/contract/index.ts';
import { registeredRoutesOf } from '../http/server.ts';
import { startTestService, type TestService } from '../testing/service.ts';

/** OpenAPI is generated from the contract registry (ARCHITECTURE.md rule 2); no route escapes it. */
describe('OpenAPI document', { timeout: 60_000 }, () => {
  let svc: TestService;
  let document: { openapi: string; paths: Record<string, Record<string, { operationId: string; 'x-permission': string; responses: Record<string, unknown> }>> };
  before(async () => {
    svc = await startTestService('sqlite');
    const res = await svc.request('GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200, 'served without a token');
    document = res.body as typeof document;
  });
  after(async () => svc?.stop());

  it('is OpenAPI 3.1 and lists every route the service serves under /api, /health and /metrics', () => {
    assert.equal(document.openapi, '3.1.0');
    const missing: string[] = [];
    for (const route of registeredRoutesOf(svc.service.context.app)) {
      const isApi = (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs')) || ['/health', '/ready', '/metrics'].includes(route.url);
      if (!isApi) continue;
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      if (!operation) missing.push(`${route.method} ${route.url}`);
      else if (operation.operationId !== route.operation)
        missing.push(`${route.method} ${route.url}: operationId ${operation.operationId} ≠ ${String(route.operation)}`);
    }
    assert.deepEqual(missing, []);
    assert.ok(registeredRoutesOf(svc.service.context.app).length >= ALL_OPERATIONS.length);
  });

  it('names each operation’s permission and documents its success and error answers', () => {
    for (const op of ALL_OPERATIONS) {
      const entry = document.paths[op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[op.method.toLowerCase()];
      assert.ok(entry, `${op.name} is in the document`);
      assert.equal(entry['x-permission'], op.access, op.name);
      assert.ok(
        Object.keys(entry.responses).some((s) => s.startsWith('2')),
        `${op.name} has a success response`,
      );
      if (op.access !== 'public') assert.ok(entry.responses['401'] && entry.responses['403'], `${op.name} documents 401 and 403`);
    }
  });

  it('documents partner operations with the OAuth 2 scheme and their scope, never a session token or API key', () => {
    const partnerOps = ALL_OPERATIONS.filter((op) => op.access === 'partner');
    assert.ok(partnerOps.length > 0);
    for (const op of partnerOps) {
      const entry = document.paths[op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[op.method.toLowerCase()] as unknown as { security: unknown };
      assert.deepEqual(entry.security, [{ oauth2: op.partnerScope ? [op.partnerScope] : [] }], op.name);
    }
    const schemes = (document as unknown as { components: { securitySchemes: Record<string, { type: string }> } }).components.securitySchemes;
    assert.equal(schemes.oauth2?.type, 'oauth2');
  });

  it('serves the API reference at /api/docs without inline scripts', async () => {
    const page = await svc.request('GET', '/api/docs', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(String(page.body), /swagger-ui-bundle\.js/);
    assert.doesNotMatch(String(page.body), /<script>[^<]/, 'no inline script (the CSP allows none)');
    const bundle = await svc.request('GET', '/api/docs/swagger-ui-bundle.js');
    assert.equal(bundle.status, 200);
  });
});
