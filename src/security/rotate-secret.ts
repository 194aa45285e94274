/**
 * `apiproxy rotate-secret`: re-encrypt everything SECRET_KEY protects with a new secret, in one
 * transaction:
 * - every provider key (AES-256-GCM, bound to `provider-key:<id>`), and
 * - every system secret (bound to its name): the verifier, and the random HMAC key that hashes
 *   client API keys — re-encrypted, not replaced, so every client key keeps working;
 * each with the key version raised by one. Afterwards the old secret no longer opens the
 * database (start-up stops with SecretMismatchError), and console sessions are signed out (their
 * signing key derives from SECRET_KEY).
 * Nothing is written unless every secret decrypts with the old SECRET_KEY.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/db/schema.js';
import { SecretBox } from './crypto.js';
import { Keyring } from './keyring.js';
import type { Store } from '../store/db/store.js';

export interface RotationSummary {
  fromVersion: number;
  toVersion: number;
  providerKeys: number;
  systemSecrets: number;
}

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

const VERIFIER = 'verifier';

/** Re-encrypt with `newSecret`. Throws SecretMismatchError when `oldSecret` does not open the database. */
export async function rotateSecret(store: Store, oldSecret: string, newSecret: string): Promise<RotationSummary> {
  if (newSecret.length < 16) throw new RotationError('the new secret must be at least 16 characters');
  if (newSecret === oldSecret) throw new RotationError('the new secret is the same as the current one');
  // proves the old secret (and creates the verifier and HMAC key on a fresh database)
  await Keyring.open(store, oldSecret);
  return store.db.transaction().execute(async (trx: Kysely<Database>) => {
    const verifier = await trx.selectFrom('system_secrets').select('key_version').where('name', '=', VERIFIER).executeTakeFirstOrThrow();
    const fromVersion = verifier.key_version;
    const toVersion = fromVersion + 1;
    const oldBox = new SecretBox(oldSecret, fromVersion);
    const newBox = new SecretBox(newSecret, toVersion);
    const now = Date.now();

    const secrets = await trx.selectFrom('system_secrets').selectAll().execute();
    const keys = await trx.selectFrom('provider_keys').select(['id', 'provider_id', 'ciphertext']).execute();
    const failed: string[] = [];
    const secretUpdates: Array<{ name: string; ciphertext: string }> = [];
    for (const s of secrets) {
      try {
        secretUpdates.push({ name: s.name, ciphertext: newBox.encrypt(oldBox.decrypt(s.ciphertext, s.name), s.name) });
      } catch {
        failed.push(`system secret ${s.name}`);
      }
    }
    const keyUpdates: Array<{ id: string; ciphertext: string }> = [];
    for (const k of keys) {
      const aad = `provider-key:${k.id}`;
      try {
        keyUpdates.push({ id: k.id, ciphertext: newBox.encrypt(oldBox.decrypt(k.ciphertext, aad), aad) });
      } catch {
        failed.push(`provider key ${k.id} (provider ${k.provider_id})`);
      }
    }
    if (failed.length > 0) {
      throw new RotationError(
        `nothing was changed: these do not decrypt with the current SECRET_KEY: ${failed.join(', ')}. ` +
          'Delete them (or re-enter the provider keys) and run rotate-secret again.',
      );
    }
    for (const u of secretUpdates) {
      await trx.updateTable('system_secrets').set({ ciphertext: u.ciphertext, key_version: toVersion, updated_at: now }).where('name', '=', u.name).execute();
    }
    for (const u of keyUpdates) {
      await trx.updateTable('provider_keys').set({ ciphertext: u.ciphertext, key_version: toVersion, updated_at: now }).where('id', '=', u.id).execute();
    }
    return { fromVersion, toVersion, providerKeys: keyUpdates.length, systemSecrets: secretUpdates.length };
  });
}
