/**
 * Logical models and their upstreams through the management API; every change routes at once.
 * Runs on every configured backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { call, signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Json, type Session } from './helpers.js';

const KEY = 'sk-logical-models-0123456789';

interface Upstream {
  provider_id: string;
  model: string;
  weight: number;
  priority: number;
}
interface LogicalJson {
  id: string;
  description: string | null;
  enabled: boolean;
  on_stream_failure: string;
  upstreams: Upstream[];
  source: string;
}

describe.each(BACKENDS)('logical models on %s', (backendName) => {
  let backend: Backend;
  let emu: Emulator;
  let g: AdminGateway;
  let admin: Session;
  let clientKey: string;

  const infer = (model: string) =>
    call<Json & ErrorJson>(g.url, 'POST', '/v1/chat/completions', { token: clientKey, body: { model, messages: [{ role: 'user', content: 'hi' }] } });
  const lastModel = (): string => (emu.received.at(-1)!.body as { model: string }).model;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    emu = await startEmulator({ keys: [KEY], models: { openai: ['gpt-4o-mini', 'gpt-4o', 'vendor/special-model'] } });
    g = await startAdminGateway({
      backend,
      config: `
providers:
  - id: emu
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${KEY}"]
    models: [gpt-4o-mini, gpt-4o, vendor/special-model]
`,
    });
    admin = await signIn(g, 'admin', g.adminPassword!);
    clientKey = (await g.call<{ token: string }>('POST', '/api-keys', { token: admin.access, body: { name: 'traffic' } })).json.token;
  });
  afterAll(async () => {
    await g?.close();
    await emu?.close();
    await backend?.dispose();
  });
  beforeEach(() => emu.reset());

  it('creates a logical model that routes at once', async () => {
    expect((await infer('fast')).status).toBe(404);
    const r = await g.call<LogicalJson>('POST', '/logical-models', {
      token: admin.access,
      body: { id: 'fast', description: 'the quick one', upstreams: [{ provider_id: 'emu', model: 'gpt-4o-mini' }] },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      id: 'fast',
      description: 'the quick one',
      enabled: true,
      on_stream_failure: 'error',
      source: 'api',
      upstreams: [{ provider_id: 'emu', model: 'gpt-4o-mini', weight: 1, priority: 0 }],
    });
    expect((await infer('fast')).status).toBe(200);
    expect(lastModel()).toBe('gpt-4o-mini');
    const list = await g.call<{ data: LogicalJson[]; total: number }>('GET', '/logical-models', { token: admin.access });
    expect(list.json.data.map((m) => m.id)).toContain('fast');
  });

  it('validates logical models, naming the field', async () => {
    const cases: Array<[Json, string, number]> = [
      [{ id: 'x', upstreams: [{ provider_id: 'nope', model: 'm' }] }, 'upstreams[0].provider_id', 400],
      [{ id: 'x', upstreams: [{ provider_id: 'emu' }] }, 'upstreams[0].model', 400],
      [{ id: 'x', upstreams: [{ provider_id: 'emu', model: 'a' }, { provider_id: 'emu', model: 'a' }] }, 'upstreams[1]', 400],
      [{ id: 'x', on_stream_failure: 'retry' }, 'on_stream_failure', 400],
      [{ id: ' spaced' }, 'id', 400],
      [{ id: 'fast' }, 'id', 409],
    ];
    for (const [body, field, status] of cases) {
      const r = await g.call<ErrorJson>('POST', '/logical-models', { token: admin.access, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.param, JSON.stringify(body)).toBe(field);
    }
  });

  it('adds, replaces and removes upstreams (model ids with a slash too)', async () => {
    const added = await g.call<{ data: Upstream[]; total: number }>('POST', '/logical-models/fast/upstreams', {
      token: admin.access,
      body: { provider_id: 'emu', model: 'vendor/special-model', priority: 1 },
    });
    expect(added.status).toBe(201);
    expect(added.json.total).toBe(2);
    const dup = await g.call<ErrorJson>('POST', '/logical-models/fast/upstreams', { token: admin.access, body: { provider_id: 'emu', model: 'gpt-4o-mini' } });
    expect(dup.status).toBe(409);

    // remove the first: traffic moves to the remaining one at once
    const removed = await g.call<{ data: Upstream[] }>('DELETE', '/logical-models/fast/upstreams/emu/gpt-4o-mini', { token: admin.access });
    expect(removed.status).toBe(200);
    expect(removed.json.data).toEqual([{ provider_id: 'emu', model: 'vendor/special-model', weight: 1, priority: 1 }]);
    expect((await infer('fast')).status).toBe(200);
    expect(lastModel()).toBe('vendor/special-model');
    expect((await g.call('DELETE', '/logical-models/fast/upstreams/emu/gpt-4o-mini', { token: admin.access })).status).toBe(404);
    const slashRemoved = await g.call<{ data: Upstream[] }>('DELETE', '/logical-models/fast/upstreams/emu/vendor/special-model', { token: admin.access });
    expect(slashRemoved.json.data).toEqual([]);
    expect((await infer('fast')).status).toBe(503);

    const replaced = await g.call<{ data: Upstream[] }>('PUT', '/logical-models/fast/upstreams', {
      token: admin.access,
      body: { upstreams: [{ provider_id: 'emu', model: 'gpt-4o', weight: 3 }] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json.data).toEqual([{ provider_id: 'emu', model: 'gpt-4o', weight: 3, priority: 0 }]);
    expect((await g.call<{ data: Upstream[] }>('GET', '/logical-models/fast/upstreams', { token: admin.access })).json.data).toHaveLength(1);
    expect((await infer('fast')).status).toBe(200);
    expect(lastModel()).toBe('gpt-4o');
  });

  it('disables, edits and deletes; an id with a slash is addressed URL-encoded', async () => {
    const off = await g.call<LogicalJson>('PATCH', '/logical-models/fast', { token: admin.access, body: { enabled: false, description: null } });
    expect(off.json).toMatchObject({ enabled: false, description: null, upstreams: [{ model: 'gpt-4o' }] });
    expect((await infer('fast')).status).toBe(404);

    const team = await g.call<LogicalJson>('POST', '/logical-models', {
      token: admin.access,
      body: { id: 'team/chat', upstreams: [{ provider_id: 'emu', model: 'gpt-4o-mini' }] },
    });
    expect(team.status).toBe(201);
    expect((await g.call<LogicalJson>('GET', '/logical-models/team%2Fchat', { token: admin.access })).json.id).toBe('team/chat');
    expect((await infer('team/chat')).status).toBe(200);
    expect((await g.call('DELETE', '/logical-models/team%2Fchat', { token: admin.access })).status).toBe(204);
    expect((await g.call('GET', '/logical-models/team%2Fchat', { token: admin.access })).status).toBe(404);
    expect((await g.call('DELETE', '/logical-models/fast', { token: admin.access })).status).toBe(204);
    expect((await g.call('GET', '/logical-models/fast/upstreams', { token: admin.access })).status).toBe(404);
  });
});
