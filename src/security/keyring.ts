/**
 * The keys the gateway works with, all rooted in SECRET_KEY:
 * - `box` encrypts provider keys (AES-256-GCM, HKDF-derived key, versioned ciphertext);
 * - `hmacKey` hashes client API keys and fingerprints provider keys. It is random, stored in the
 *   database encrypted by `box`, so rotating SECRET_KEY (re-encrypting it) keeps every client key
 *   valid;
 * - `jwtKey` signs console sessions (derived; rotating SECRET_KEY signs everyone out).
 * A verifier row detects a SECRET_KEY that does not match the database and stops start-up.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/db/store.js';
import { DecryptError, SecretBox, deriveKey, hmacHex } from './crypto.js';

const VERIFIER = 'verifier';
const HMAC_KEY = 'client-key-hmac';
const VERIFIER_TEXT = 'apiproxy-secret-verifier';

export class SecretMismatchError extends Error {
  constructor() {
    super(
      'SECRET_KEY does not match the key this database was set up with: provider keys cannot be decrypted. ' +
        'Use the original SECRET_KEY (or DATA_DIR/secret.key), or rotate with `apiproxy rotate-secret`.',
    );
    this.name = 'SecretMismatchError';
  }
}

export class Keyring {
  private constructor(
    readonly box: SecretBox,
    readonly hmacKey: Buffer,
    readonly jwtKey: Buffer,
  ) {}

  static async open(store: Store, secret: string): Promise<Keyring> {
    let version = 1;
    const existing = await store.secrets.get(VERIFIER);
    if (existing) version = existing.key_version;
    const box = new SecretBox(secret, version);
    const verifier = existing ?? (await store.secrets.insertIfAbsent(VERIFIER, box.encrypt(VERIFIER_TEXT, VERIFIER), version));
    try {
      if (box.decrypt(verifier.ciphertext, VERIFIER) !== VERIFIER_TEXT) throw new SecretMismatchError();
    } catch (err) {
      if (err instanceof DecryptError) throw new SecretMismatchError();
      throw err;
    }
    const hmacRow =
      (await store.secrets.get(HMAC_KEY)) ??
      (await store.secrets.insertIfAbsent(HMAC_KEY, box.encrypt(randomBytes(32).toString('base64'), HMAC_KEY), version));
    const hmacKey = Buffer.from(box.decrypt(hmacRow.ciphertext, HMAC_KEY), 'base64');
    return new Keyring(box, hmacKey, deriveKey(secret, 'jwt-signing'));
  }

  /** The stored hash of a client API key. */
  hashClientKey(token: string): string {
    return hmacHex(this.hmacKey, `client:${token}`);
  }

  /** A stable fingerprint of a provider key (finds it again without decrypting). */
  fingerprintProviderKey(providerId: string, key: string): string {
    return hmacHex(this.hmacKey, `provider:${providerId}:${key}`);
  }

  encryptProviderKey(keyId: string, plaintext: string): string {
    return this.box.encrypt(plaintext, `provider-key:${keyId}`);
  }

  decryptProviderKey(keyId: string, ciphertext: string): string {
    return this.box.decrypt(ciphertext, `provider-key:${keyId}`);
  }
}
