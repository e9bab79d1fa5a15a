import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAboutDetail } from './about-info.ts';
import { describeSecretProtection } from './secret-protection.ts';

const safe = { kind: 'safe-storage', key: 'k' } as const;

describe('describeSecretProtection', () => {
  it('names the OS store per platform', () => {
    assert.deepEqual(describeSecretProtection('darwin', safe, undefined), { label: 'macOS Keychain', weak: false });
    assert.equal(describeSecretProtection('win32', safe, undefined).weak, false);
    assert.equal(describeSecretProtection('linux', safe, 'gnome_libsecret').weak, false);
    assert.match(describeSecretProtection('linux', safe, 'kwallet6').label, /KDE Wallet \(kwallet6\)/);
  });

  it('flags basic_text and the service key file as weak', () => {
    const basic = describeSecretProtection('linux', safe, 'basic_text');
    assert.equal(basic.weak, true);
    assert.match(basic.label, /fixed key/);
    assert.equal(describeSecretProtection('win32', { kind: 'service-file', reason: 'r' }, undefined).weak, true);
  });

  it('credits an administrator-provided key', () => {
    assert.match(describeSecretProtection('linux', { kind: 'environment' }, 'basic_text').label, /WEKEZA_MASTER_KEY/);
  });
});

describe('formatAboutDetail', () => {
  it('lists version, service, data folder and secret storage, with a warning when weak', () => {
    const text = formatAboutDetail({
      appVersion: '0.1.0',
      serviceMode: 'standalone',
      serviceUrl: 'http://127.0.0.1:4780/',
      dataFolder: '/home/ana/.config/Wekeza Risk Workstation/data',
      secretStorage: 'basic_text: no OS keyring',
      secretStorageWeak: true,
      versions: { electron: '45.4.1', chrome: '140', node: '22' },
      platform: 'linux',
      arch: 'x64',
    });
    assert.match(text, /^Version: 0\.1\.0$/m);
    assert.match(text, /^Service: standalone at http:\/\/127\.0\.0\.1:4780\/$/m);
    assert.match(text, /^Data folder: \/home\/ana\/\.config\/Wekeza Risk Workstation\/data$/m);
    assert.match(text, /^Secret storage: basic_text: no OS keyring$/m);
    assert.match(text, /^Warning: stored secrets are not protected/m);
    assert.match(text, /Electron 45\.4\.1/);
  });

  it('says when the service is not running', () => {
    const text = formatAboutDetail({
      appVersion: '0.1.0',
      serviceMode: null,
      serviceUrl: null,
      dataFolder: 'C:\\data',
      secretStorage: 'Windows DPAPI',
      secretStorageWeak: false,
      versions: { electron: '45', chrome: '140', node: '22' },
      platform: 'win32',
      arch: 'x64',
    });
    assert.match(text, /^Service: not running$/m);
    assert.doesNotMatch(text, /Warning/);
  });
});
