// Wires master-key.ts to Electron's safeStorage and the keystore file. Uses the asynchronous
// safeStorage API: the synchronous encryptString/decryptString are deprecated in Electron 45
// and removed in 46 (data written by either can be read by decryptStringAsync).
import { app, safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MasterKeyError, resolveMasterKey, type MasterKeyResolution } from './master-key.ts';
import { BASIC_TEXT_WARNING, describeSecretProtection, type SecretProtection } from './secret-protection.ts';
import { openKeyStore, type KeyStore } from './settings.ts';

export interface MasterKeySetup {
  resolution: MasterKeyResolution;
  protection: SecretProtection;
}

/** Must run after app 'ready'. Throws MasterKeyError (user-facing message) on failure. */
export async function prepareMasterKey(dataDir: string): Promise<MasterKeySetup> {
  let keyStore: KeyStore;
  try {
    keyStore = openKeyStore();
  } catch (error) {
    // Never cleared automatically (see settings.ts); the user/admin must look at it.
    throw new MasterKeyError(
      `The key store file in ${app.getPath('userData')} cannot be read (${error instanceof Error ? error.message : String(error)}). ` +
        'Contact your administrator; do not delete it or the data folder.',
    );
  }
  const resolution = await resolveMasterKey({
    environmentKey: process.env.WEKEZA_MASTER_KEY,
    loadRecord: () => keyStore.load(),
    saveRecord: (record) => keyStore.save(record),
    serviceKeyFileExists: () => existsSync(join(dataDir, 'master.key')),
    isEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    decrypt: (cipherText) => safeStorage.decryptStringAsync(Buffer.from(cipherText)),
    randomBytes: (size) => randomBytes(size),
    now: () => new Date(),
    warn: (message) => console.warn(`[main] ${message}`),
  });

  // Asked after the encryptor initialised above; before that Linux reports 'unknown'.
  const linuxBackend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  const protection = describeSecretProtection(process.platform, resolution, linuxBackend);
  if (resolution.kind === 'safe-storage' && linuxBackend === 'basic_text') {
    console.warn(`[main] WARNING: ${BASIC_TEXT_WARNING}`);
  } else if (protection.weak) {
    console.warn(`[main] WARNING: master key protection: ${protection.label}`);
  }
  return { resolution, protection };
}
