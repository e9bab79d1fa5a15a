import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts secrets at rest (ARCHITECTURE.md rule 6) with AES-256-GCM under a master key that is
 * never stored in the database: it comes from WEKEZA_MASTER_KEY (the desktop shell passes one
 * protected by the OS keychain via safeStorage) or from a 0600 key file in the data folder.
 */
export class SecretBox {
  private constructor(
    private readonly key: Buffer,
    readonly source: 'environment' | 'key-file',
  ) {}

  static fromEnvironmentOrFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
    const fromEnv = env.WEKEZA_MASTER_KEY;
    if (fromEnv) {
      const key = Buffer.from(fromEnv, 'base64');
      if (key.length !== 32) throw new Error('WEKEZA_MASTER_KEY must be the base64 encoding of 32 random bytes');
      return new SecretBox(key, 'environment');
    }
    const file = path.join(dataDir, 'master.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return new SecretBox(key, 'key-file');
  }

  static fromKey(key: Buffer): SecretBox {
    return new SecretBox(key, 'environment');
  }

  /** A key for one purpose (HKDF-SHA256 of the master key), e.g. a workstation cache's SQLCipher key. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `wekeza:${purpose}`, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
