import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importConfig, quickModeConfig } from '../../src/config/import.js';
import { parseConfigText } from '../../src/config/yaml-config.js';
import { loadCatalog } from '../../src/routing/catalog-loader.js';
import { Keyring, SecretMismatchError } from '../../src/security/keyring.js';
import { Store } from '../../src/store/db/store.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../helpers/databases.js';

const SECRET = 'import-test-secret-0123456789';
const yaml = (keys: string[]) => `
providers:
  - id: oa
    kind: openai
    api_keys: [${keys.map((k) => `"${k}"`).join(', ')}]
    models: [gpt-4o-mini]
    aliases: {fast: gpt-4o-mini}
    prices: {gpt-4o-mini: {input: 0.15, output: 0.6}}
logical_models:
  - id: fast-model
    upstreams: [{provider: oa, model: gpt-4o-mini}]
api_keys:
  - {name: ci, key: client-key-0123456789abc}
`;

describe.each(DATABASE_KINDS)('config import on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let keyring: Keyring;

  beforeEach(async () => {
    db = await testDatabase(kind);
    store = Store.open(db.url);
    await store.migrate();
    keyring = await Keyring.open(store, SECRET);
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('is an idempotent upsert', async () => {
    const cfg = parseConfigText(yaml(['sk-one-111111111111']), 'f');
    const first = await importConfig(store, keyring, cfg);
    expect(first.providers.created).toBe(1);
    expect(first.providerKeys.created).toBe(1);
    expect(first.apiKeys.created).toBe(1);
    const again = await importConfig(store, keyring, cfg);
    expect(again.providers).toEqual({ created: 0, updated: 1 });
    expect(again.providerKeys).toEqual({ created: 0, updated: 1, removed: 0 });
    expect(again.apiKeys).toEqual({ created: 0, updated: 1 });
    expect(await store.providers.listKeys('oa')).toHaveLength(1);
    expect(await store.apiKeys.list()).toHaveLength(1);
    const snap = await loadCatalog(store, keyring);
    const p = snap.providers.get('oa')!;
    expect(p.keys.map((k) => k.secret)).toEqual(['sk-one-111111111111']);
    expect(p.aliases.get('fast')).toBe('gpt-4o-mini');
    expect(p.models.get('gpt-4o-mini')?.priceOutput).toBe(0.6);
    expect(snap.logicalModels.get('fast-model')?.upstreams).toEqual([{ providerId: 'oa', model: 'gpt-4o-mini', weight: 1, priority: 0 }]);
  });

  it('replaces a rotated key and keeps keys added through the API', async () => {
    await importConfig(store, keyring, parseConfigText(yaml(['sk-old-111111111111']), 'f'));
    await store.providers.insertKey({
      id: 'api-key-1',
      provider_id: 'oa',
      label: 'from api',
      ciphertext: keyring.encryptProviderKey('api-key-1', 'sk-api-2222222222'),
      key_version: 1,
      fingerprint: keyring.fingerprintProviderKey('oa', 'sk-api-2222222222'),
      hint: 'sk-…2222',
      weight: 1,
      max_qps: null,
      status: 'active',
      status_reason: null,
      source: 'api',
    });
    const s = await importConfig(store, keyring, parseConfigText(yaml(['sk-new-333333333333']), 'f'));
    expect(s.providerKeys).toEqual({ created: 1, updated: 0, removed: 1 });
    const snap = await loadCatalog(store, keyring);
    expect(snap.providers.get('oa')!.keys.map((k) => k.secret).sort()).toEqual(['sk-api-2222222222', 'sk-new-333333333333']);
  });

  it('stores provider keys encrypted and client keys hashed, never in plaintext', async () => {
    await importConfig(store, keyring, parseConfigText(yaml(['sk-plaintext-check-999']), 'f'));
    const keys = await store.providers.listKeys('oa');
    expect(JSON.stringify(keys)).not.toContain('sk-plaintext-check-999');
    const clients = await store.apiKeys.list();
    expect(JSON.stringify(clients)).not.toContain('client-key-0123456789abc');
    expect(clients[0]!.key_hash).toBe(keyring.hashClientKey('client-key-0123456789abc'));
    if (kind === 'sqlite') {
      const file = readFileSync(db.url.slice('sqlite:'.length));
      expect(file.includes(Buffer.from('sk-plaintext-check-999'))).toBe(false);
      expect(file.includes(Buffer.from('client-key-0123456789abc'))).toBe(false);
    }
  });

  it('refuses to start with a different SECRET_KEY than the database was set up with', async () => {
    await expect(Keyring.open(store, 'another-secret-0123456789')).rejects.toBeInstanceOf(SecretMismatchError);
  });

  it('turns quick-mode settings into one provider', async () => {
    await importConfig(store, keyring, quickModeConfig({ kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k-quick', model: 'm' }));
    const snap = await loadCatalog(store, keyring);
    expect(snap.providers.get('upstream')).toMatchObject({ kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', staticModels: ['m'] });
  });
});
