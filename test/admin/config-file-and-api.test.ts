/**
 * The YAML config and the API edit the same records. What an operator sees after editing a record
 * that came from the YAML file, then restarting with the same file: the file wins for the provider
 * fields it governs; what the API added beside it (keys, model prices, logical models) stays; a
 * revocation made through the API stays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { call, signIn, startAdminGateway, type AdminGateway, type Session } from './helpers.js';

const KEY = 'sk-yaml-provider-0123456789';
const KEY_2 = 'sk-api-added-key-0123456789';
const YAML_CLIENT = 'yaml-client-key-0123456789';

describe.each(BACKENDS)('config file and API on %s', (backendName) => {
  let backend: Backend;
  let emu: Emulator;
  let g: AdminGateway;
  let admin: Session;
  let yaml: string;
  /** printed by the first start only */
  let password: string;
  let dataDir: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    emu = await startEmulator({ keys: [KEY, KEY_2] });
    yaml = `
providers:
  - id: emu
    name: From the file
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${KEY}"]
    models: [gpt-4o-mini]
    weight: 1
api_keys:
  - {name: from-file, key: ${YAML_CLIENT}}
`;
    // our own data directory: it must outlive the first gateway (restart)
    dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-admin-restart-'));
    g = await startAdminGateway({ backend, config: yaml, dataDir });
    password = g.adminPassword!;
    admin = await signIn(g, 'admin', password);
  });
  afterAll(async () => {
    await g?.close();
    await emu?.close();
    await backend?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows where each record came from', async () => {
    const p = await g.call<{ source: string; name: string }>('GET', '/providers/emu', { token: admin.access });
    expect(p.json).toMatchObject({ source: 'config', name: 'From the file' });
  });

  it('after a restart, the file wins for its provider fields; API additions and revocations stay', async () => {
    await g.call('PATCH', '/providers/emu', { token: admin.access, body: { name: 'Renamed in the API', weight: 5, models: ['gpt-4o-mini', 'gpt-4o'] } });
    expect((await g.call('POST', '/providers/emu/keys', { token: admin.access, body: { key: KEY_2, label: 'from-api' } })).status).toBe(201);
    expect((await g.call('PUT', '/providers/emu/models/gpt-4o', { token: admin.access, body: { price_input: 2.5 } })).status).toBe(200);
    expect((await g.call('POST', '/logical-models', { token: admin.access, body: { id: 'api-made', upstreams: [{ provider_id: 'emu', model: 'gpt-4o-mini' }] } })).status).toBe(201);
    const keys = await g.call<{ data: Array<{ id: string; name: string }> }>('GET', '/api-keys?unowned=true', { token: admin.access });
    const fromFile = keys.json.data.find((k) => k.name === 'from-file')!;
    expect((await g.call('DELETE', `/api-keys/${fromFile.id}`, { token: admin.access })).status).toBe(200);
    const edited = await g.call<{ name: string; weight: number; models: string[] }>('GET', '/providers/emu', { token: admin.access });
    expect(edited.json).toMatchObject({ name: 'Renamed in the API', weight: 5, models: ['gpt-4o-mini', 'gpt-4o'] });

    await g.close();
    g = await startAdminGateway({ backend, config: yaml, dataDir });
    admin = await signIn(g, 'admin', password);

    const after = await g.call<{ name: string; weight: number; models: string[]; key_count: number; source: string }>('GET', '/providers/emu', { token: admin.access });
    expect(after.json).toMatchObject({ name: 'From the file', weight: 1, models: ['gpt-4o-mini'], source: 'config' });
    expect(after.json.key_count).toBe(2);
    const models = await g.call<{ data: Array<{ model_id: string; price_input: number | null }> }>('GET', '/providers/emu/models', { token: admin.access });
    expect(models.json.data.find((m) => m.model_id === 'gpt-4o')?.price_input).toBe(2.5);
    expect((await g.call('GET', '/logical-models/api-made', { token: admin.access })).status).toBe(200);
    const refused = await call(g.url, 'POST', '/v1/chat/completions', { token: YAML_CLIENT, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } });
    expect(refused.status).toBe(401);
  });
});
