import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendContentSecurityPolicy, buildContentSecurityPolicy } from './csp.ts';

describe('buildContentSecurityPolicy', () => {
  it('produces the desktop policy with the service websocket origin', () => {
    assert.equal(
      buildContentSecurityPolicy('http://127.0.0.1:4780/'),
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws://127.0.0.1:4780; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
  });

  it('uses wss for an https service', () => {
    assert.match(buildContentSecurityPolicy('https://hub.bank.local:8443'), /connect-src 'self' wss:\/\/hub\.bank\.local:8443;/);
  });
});

describe('appendContentSecurityPolicy', () => {
  it('adds a header when the response has none, keeping the others', () => {
    const headers = appendContentSecurityPolicy({ 'content-type': ['text/html'] }, 'P');
    assert.deepEqual(headers, { 'content-type': ['text/html'], 'Content-Security-Policy': ['P'] });
  });

  it("keeps the service's own policy and appends ours under the same header name", () => {
    const original = { 'content-security-policy': ["default-src 'none'"], 'x-frame-options': ['DENY'] };
    const headers = appendContentSecurityPolicy(original, 'P');
    assert.deepEqual(headers['content-security-policy'], ["default-src 'none'", 'P']);
    assert.equal(Object.keys(headers).filter((name) => name.toLowerCase() === 'content-security-policy').length, 1);
    assert.deepEqual(original['content-security-policy'], ["default-src 'none'"], 'input not mutated');
  });

  it('handles a response without headers', () => {
    assert.deepEqual(appendContentSecurityPolicy(undefined, 'P'), { 'Content-Security-Policy': ['P'] });
  });
});
