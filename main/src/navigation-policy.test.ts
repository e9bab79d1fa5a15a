import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideWindowOpen, isAllowedNavigation, isPermissionAllowed, isServiceUrl, originOf } from './navigation-policy.ts';

const SERVICE = 'http://127.0.0.1:4780';

describe('originOf', () => {
  it('returns the origin of http(s) URLs and null otherwise', () => {
    assert.equal(originOf('http://127.0.0.1:4780/cases/12?x=1#y'), SERVICE);
    assert.equal(originOf('not a url'), null);
    assert.equal(originOf('data:text/html,hi'), null);
    assert.equal(originOf('about:blank'), null);
  });
});

describe('isAllowedNavigation', () => {
  it('allows only the service origin', () => {
    assert.equal(isAllowedNavigation('http://127.0.0.1:4780/', SERVICE), true);
    assert.equal(isAllowedNavigation('http://127.0.0.1:4780/login?next=%2Fcases', SERVICE), true);
    assert.equal(isAllowedNavigation('http://127.0.0.1:4781/', SERVICE), false);
    assert.equal(isAllowedNavigation('https://127.0.0.1:4780/', SERVICE), false);
    assert.equal(isAllowedNavigation('http://localhost:4780/', SERVICE), false);
    assert.equal(isAllowedNavigation('https://evil.example/', SERVICE), false);
    assert.equal(isAllowedNavigation('file:///etc/passwd', SERVICE), false);
    assert.equal(isAllowedNavigation('javascript:alert(1)', SERVICE), false);
  });

  it('is not fooled by credentials or look-alike hosts', () => {
    assert.equal(isAllowedNavigation('http://127.0.0.1:4780@evil.example/', SERVICE), false);
    assert.equal(isAllowedNavigation('http://127.0.0.1.evil.example:4780/', SERVICE), false);
  });

  it('allows nothing before the service origin is known', () => {
    assert.equal(isAllowedNavigation('http://127.0.0.1:4780/', null), false);
    assert.equal(isServiceUrl(undefined, SERVICE), false);
  });
});

describe('decideWindowOpen', () => {
  it('sends plain https links to the OS browser', () => {
    assert.deepEqual(decideWindowOpen('https://www.centralbank.go.ke/circulars'), {
      action: 'open-external',
      url: 'https://www.centralbank.go.ke/circulars',
    });
  });

  it('denies every other scheme, credentials and junk', () => {
    for (const url of [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'https://user:pass@example.com/',
      'not a url',
      `https://example.com/${'a'.repeat(3000)}`,
      'http://127.0.0.1:4780/cases',
    ]) {
      assert.deepEqual(decideWindowOpen(url), { action: 'deny' }, url);
    }
  });
});

describe('isPermissionAllowed', () => {
  it('grants notifications and sanitized clipboard writes to the service only', () => {
    assert.equal(isPermissionAllowed('notifications', 'http://127.0.0.1:4780/cases', SERVICE), true);
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'http://127.0.0.1:4780/', SERVICE), true);
    assert.equal(isPermissionAllowed('notifications', 'https://evil.example/', SERVICE), false);
    assert.equal(isPermissionAllowed('notifications', undefined, SERVICE), false);
    assert.equal(isPermissionAllowed('notifications', 'http://127.0.0.1:4780/', null), false);
  });

  it('denies everything else, even to the service', () => {
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'usb', 'unknown']) {
      assert.equal(isPermissionAllowed(permission, 'http://127.0.0.1:4780/', SERVICE), false, permission);
    }
  });
});
