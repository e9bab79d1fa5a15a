import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidMasterKey, MasterKeyError, resolveMasterKey, type MasterKeyDeps, type MasterKeyRecord } from './master-key.ts';

// A reversible stand-in for safeStorage: "encrypts" by reversing the bytes behind a tag.
const TAG = 'enc:';
function fakeDeps(overrides: Partial<MasterKeyDeps> & { stored?: unknown } = {}) {
  const state: { stored: unknown; saves: MasterKeyRecord[]; warnings: string[] } = { stored: overrides.stored, saves: [], warnings: [] };
  const deps: MasterKeyDeps = {
    environmentKey: undefined,
    loadRecord: () => state.stored,
    saveRecord: (record) => {
      state.saves.push(record);
      state.stored = record;
    },
    serviceKeyFileExists: () => false,
    isEncryptionAvailable: async () => true,
    encrypt: async (plain) => Buffer.from(TAG + [...plain].reverse().join(''), 'utf8'),
    decrypt: async (cipher) => {
      const text = Buffer.from(cipher).toString('utf8');
      if (!text.startsWith(TAG)) throw new Error('bad ciphertext');
      return { result: [...text.slice(TAG.length)].reverse().join(''), shouldReEncrypt: false };
    },
    randomBytes: (size) => new Uint8Array(size).fill(42),
    now: () => new Date('2025-01-02T03:04:05Z'),
    warn: (message) => state.warnings.push(message),
    ...overrides,
  };
  return { deps, state };
}

const KEY = Buffer.alloc(32, 42).toString('base64');

describe('resolveMasterKey', () => {
  it('creates, wraps and stores a new 32-byte key on first start', async () => {
    const { deps, state } = fakeDeps();
    const result = await resolveMasterKey(deps);
    assert.deepEqual(result, { kind: 'safe-storage', key: KEY });
    assert.equal(state.saves.length, 1);
    const saved = state.saves[0];
    assert.ok(saved && saved.scheme === 'safe-storage');
    assert.ok(!saved.ciphertext.includes(KEY), 'the stored record does not contain the key in clear');
    assert.equal(saved.createdAt, '2025-01-02T03:04:05.000Z');
  });

  it('unlocks the same key on the next start without writing', async () => {
    const first = fakeDeps();
    await resolveMasterKey(first.deps);
    const second = fakeDeps({ stored: first.state.stored });
    assert.deepEqual(await resolveMasterKey(second.deps), { kind: 'safe-storage', key: KEY });
    assert.equal(second.state.saves.length, 0);
  });

  it('re-wraps the key when the OS asks for it', async () => {
    const first = fakeDeps();
    await resolveMasterKey(first.deps);
    const { deps, state } = fakeDeps({ stored: first.state.stored });
    const decrypt = deps.decrypt;
    deps.decrypt = async (cipher) => ({ ...(await decrypt(cipher)), shouldReEncrypt: true });
    assert.deepEqual(await resolveMasterKey(deps), { kind: 'safe-storage', key: KEY });
    assert.equal(state.saves.length, 1);
  });

  it('leaves a key given in the environment alone', async () => {
    const { deps, state } = fakeDeps({ environmentKey: KEY });
    assert.deepEqual(await resolveMasterKey(deps), { kind: 'environment' });
    assert.equal(state.saves.length, 0);
  });

  it('keeps using the service key file of an existing data folder', async () => {
    const { deps, state } = fakeDeps({ serviceKeyFileExists: () => true });
    const result = await resolveMasterKey(deps);
    assert.equal(result.kind, 'service-file');
    assert.equal(state.saves[0]?.scheme, 'service-file');
    // ...and sticks with it later, even though secret storage works.
    const later = fakeDeps({ stored: state.stored });
    assert.equal((await resolveMasterKey(later.deps)).kind, 'service-file');
  });

  it('falls back to the service key file when secret storage is unavailable on first start', async () => {
    const { deps, state } = fakeDeps({ isEncryptionAvailable: async () => false });
    assert.equal((await resolveMasterKey(deps)).kind, 'service-file');
    assert.equal(state.warnings.length, 1);
  });

  it('refuses to start when a stored key cannot be unlocked (never makes a new one)', async () => {
    const first = fakeDeps();
    await resolveMasterKey(first.deps);
    const unavailable = fakeDeps({ stored: first.state.stored, isEncryptionAvailable: async () => false });
    await assert.rejects(resolveMasterKey(unavailable.deps), MasterKeyError);
    const broken = fakeDeps({
      stored: first.state.stored,
      decrypt: async () => {
        throw new Error('keyring reset');
      },
    });
    await assert.rejects(resolveMasterKey(broken.deps), MasterKeyError);
    const wrong = fakeDeps({ stored: first.state.stored, decrypt: async () => ({ result: 'short', shouldReEncrypt: false }) });
    await assert.rejects(resolveMasterKey(wrong.deps), MasterKeyError);
    for (const attempt of [unavailable, broken, wrong]) assert.equal(attempt.state.saves.length, 0);
  });

  it('refuses a damaged record instead of overwriting it', async () => {
    const { deps, state } = fakeDeps({ stored: { scheme: 'safe-storage', ciphertext: 42 } });
    await assert.rejects(resolveMasterKey(deps), MasterKeyError);
    assert.equal(state.saves.length, 0);
  });

  it('fails if the secret store does not round-trip', async () => {
    const { deps, state } = fakeDeps({ decrypt: async () => ({ result: 'something else', shouldReEncrypt: false }) });
    await assert.rejects(resolveMasterKey(deps), MasterKeyError);
    assert.equal(state.saves.length, 0);
  });
});

describe('isValidMasterKey', () => {
  it('accepts exactly 32 bytes of base64', () => {
    assert.equal(isValidMasterKey(KEY), true);
    assert.equal(isValidMasterKey(Buffer.alloc(16).toString('base64')), false);
    assert.equal(isValidMasterKey('not base64 !!'), false);
  });
});
