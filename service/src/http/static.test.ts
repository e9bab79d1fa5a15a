import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestService, type TestService } from '../testing/service.ts';

const RENDERER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/renderer');

describe('the UI served by the service', () => {
  let svc: TestService;
  before(async () => {
    assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), `${RENDERER} is missing: run "npm run build" first`);
    svc = await startTestService('sqlite', { rendererDir: RENDERER });
  });
  after(async () => svc.stop());

  it('serves the page at / and at client-side routes, with a strict CSP', async () => {
    for (const [url, accept] of [
      ['/', '*/*'],
      ['/cases/6f1c8a56-2f51-4f3c-9a43-0c2f0d8f3b11', 'text/html'],
      ['/overview', 'text/html,application/xhtml+xml'],
    ] as const) {
      const res = await fetch(`${svc.url}${url}`, { headers: { accept } });
      assert.equal(res.status, 200, url);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /object-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${new URL(svc.url).port}`));
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.match(await res.text(), /<div id="root">/);
    }
  });

  it('serves hashed assets with a long cache and never hides API 404s behind the page', async () => {
    const html = await (await fetch(svc.url)).text();
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads a bundled script');
    const asset = await fetch(`${svc.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const api = await fetch(`${svc.url}/api/v1/nothing-here`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /application\/json/);
    for (const trick of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%5c..%5cpackage.json']) {
      const res = await fetch(`${svc.url}${trick}`);
      assert.ok([403, 404].includes(res.status), `${trick} → ${res.status}`);
      assert.ok(!(await res.text()).includes('wekeza-risk-workstation'), 'package.json is not served');
    }
  });
});
