// Which key the service uses to encrypt secrets at rest, and how it is kept (no electron import:
// the OS secret store and the settings file are injected, so this logic is unit-tested).
//
// Once a scheme is chosen it is never switched silently: a different key would make every
// secret the service already encrypted unreadable. Unreadable or unexpected key records are
// therefore errors for the user to see, never a reason to generate a fresh key.
import { z } from 'zod';

export const MASTER_KEY_BYTES = 32;

export const MasterKeyRecord = z.discriminatedUnion('scheme', [
  // The key (base64) encrypted with Electron safeStorage (Keychain / DPAPI / libsecret / kwallet).
  z.object({ scheme: z.literal('safe-storage'), ciphertext: z.base64().min(1), createdAt: z.string() }),
  // The service keeps its own <data-dir>/master.key; main passes no key.
  z.object({ scheme: z.literal('service-file'), reason: z.string(), createdAt: z.string() }),
]);
export type MasterKeyRecord = z.infer<typeof MasterKeyRecord>;

export type MasterKeyResolution =
  /** Pass `key` to the service as WEKEZA_MASTER_KEY. */
  | { kind: 'safe-storage'; key: string }
  /** WEKEZA_MASTER_KEY was already set in main's environment (managed deployment); leave it. */
  | { kind: 'environment' }
  /** Do not set WEKEZA_MASTER_KEY; the service uses its key file. */
  | { kind: 'service-file'; reason: string };

export interface MasterKeyDeps {
  /** WEKEZA_MASTER_KEY from main's own environment, if any. */
  environmentKey: string | undefined;
  /** The stored record as read from disk (unvalidated), or undefined if there is none. */
  loadRecord(): unknown;
  saveRecord(record: MasterKeyRecord): void;
  /** Whether the service's data folder already holds its own master.key file. */
  serviceKeyFileExists(): boolean;
  isEncryptionAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Uint8Array>;
  decrypt(cipherText: Uint8Array): Promise<{ result: string; shouldReEncrypt: boolean }>;
  randomBytes(size: number): Uint8Array;
  now(): Date;
  /** Non-fatal problems worth a log line (never given key material). */
  warn(message: string): void;
}

/** A problem the user must see; the message is written for them. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export function isValidMasterKey(base64: string): boolean {
  const parsed = z.base64().safeParse(base64);
  return parsed.success && Buffer.from(base64, 'base64').length === MASTER_KEY_BYTES;
}

export async function resolveMasterKey(deps: MasterKeyDeps): Promise<MasterKeyResolution> {
  if (deps.environmentKey !== undefined && deps.environmentKey !== '') return { kind: 'environment' };

  const stored = deps.loadRecord();
  if (stored !== undefined) {
    const record = MasterKeyRecord.safeParse(stored);
    if (!record.success) {
      throw new MasterKeyError(
        'The stored encryption key record is damaged, so the encrypted data of this workstation cannot be unlocked. ' +
          'Contact your administrator; do not delete the data folder.',
      );
    }
    if (record.data.scheme === 'service-file') return { kind: 'service-file', reason: record.data.reason };
    return unlockStoredKey(record.data.ciphertext, deps);
  }

  const createdAt = deps.now().toISOString();
  if (deps.serviceKeyFileExists()) {
    // Data created without the desktop shell (e.g. `npm start` in a browser): keep its key.
    const reason = 'the data folder already had its own key file';
    deps.saveRecord({ scheme: 'service-file', reason, createdAt });
    return { kind: 'service-file', reason };
  }
  if (!(await deps.isEncryptionAvailable())) {
    const reason = 'the operating system secret store was not available on first start';
    deps.warn(`Secret storage is not available; the service will keep its key in a file in the data folder (${reason}).`);
    deps.saveRecord({ scheme: 'service-file', reason, createdAt });
    return { kind: 'service-file', reason };
  }

  const key = Buffer.from(deps.randomBytes(MASTER_KEY_BYTES)).toString('base64');
  const ciphertext = await deps.encrypt(key);
  // Prove the round trip before the key protects anything: a key that cannot be decrypted
  // later would lock the data away for good.
  const check = await deps.decrypt(ciphertext);
  if (check.result !== key) throw new MasterKeyError('The operating system secret store returned a different value than it was given.');
  deps.saveRecord({ scheme: 'safe-storage', ciphertext: Buffer.from(ciphertext).toString('base64'), createdAt });
  return { kind: 'safe-storage', key };
}

async function unlockStoredKey(ciphertextBase64: string, deps: MasterKeyDeps): Promise<MasterKeyResolution> {
  if (!(await deps.isEncryptionAvailable())) {
    throw new MasterKeyError(
      'The operating system secret store (keychain/keyring) is not available, so the encryption key of this workstation cannot be unlocked. ' +
        'Sign in to your desktop session normally (unlocking the keyring) and start the application again.',
    );
  }
  let decrypted: { result: string; shouldReEncrypt: boolean };
  try {
    decrypted = await deps.decrypt(Buffer.from(ciphertextBase64, 'base64'));
  } catch {
    throw new MasterKeyError(
      'The encryption key of this workstation could not be decrypted by the operating system secret store ' +
        '(was the keyring reset, or the data copied from another user or machine?). Contact your administrator.',
    );
  }
  if (!isValidMasterKey(decrypted.result)) {
    throw new MasterKeyError('The decrypted encryption key of this workstation is not valid. Contact your administrator.');
  }
  if (decrypted.shouldReEncrypt) {
    // The OS rotated its key or now offers a stronger one; re-wrapping is an improvement, not a
    // requirement, so a failure here must not stop the app.
    try {
      const ciphertext = await deps.encrypt(decrypted.result);
      deps.saveRecord({ scheme: 'safe-storage', ciphertext: Buffer.from(ciphertext).toString('base64'), createdAt: deps.now().toISOString() });
    } catch (error) {
      deps.warn(`Could not re-encrypt the master key after an OS key rotation: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { kind: 'safe-storage', key: decrypted.result };
}
