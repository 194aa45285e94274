/**
 * Secrets at rest. Every key the gateway uses is derived from SECRET_KEY through HKDF-SHA256
 * with its own label, so no two uses share key material:
 * - provider-key encryption: AES-256-GCM, ciphertext format `v<version>.<iv>.<tag>.<data>`
 *   (base64url parts), the record's id bound in as additional data so a ciphertext cannot be
 *   moved to another record;
 * - JWT signing (admin sessions);
 * - the key that encrypts the client-key HMAC key (see SecretBox.hmacKey in secrets-repo).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const SALT = Buffer.from('apiproxy/v1', 'utf8');

export function deriveKey(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, Buffer.from(label, 'utf8'), 32));
}

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

/** AES-256-GCM with a key version, for provider keys and other small secrets. */
export class SecretBox {
  readonly version: number;
  private readonly key: Buffer;

  constructor(secret: string, version = 1) {
    this.version = version;
    this.key = deriveKey(secret, 'provider-key-encryption');
  }

  encrypt(plaintext: string, aad = ''): string {
    if (plaintext.length === 0) throw new Error('refusing to encrypt an empty secret');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `v${this.version}.${iv.toString('base64url')}.${tag.toString('base64url')}.${data.toString('base64url')}`;
  }

  decrypt(ciphertext: string, aad = ''): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 4 || !parts[0]?.startsWith('v')) throw new DecryptError('malformed ciphertext');
    const [, ivText, tagText, dataText] = parts as [string, string, string, string];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptError('cannot decrypt: wrong SECRET_KEY or damaged data');
    }
  }
}

/** Version stored in front of a ciphertext (`v3.…` -> 3). */
export function ciphertextVersion(ciphertext: string): number {
  const m = /^v(\d+)\./.exec(ciphertext);
  return m ? Number(m[1]) : 0;
}

/** HMAC-SHA256, hex. Used for client-key hashes and provider-key fingerprints. */
export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** A random URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
