/**
 * Providers, their keys and models through the management API, with no config file at all: a
 * provider added with a key serves traffic at once; edits (disable, keys, aliases, headers) are
 * live at the next request; keys are only ever shown masked. Runs on every configured backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { call, signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Json, type Session } from './helpers.js';

const KEY_A = 'sk-provider-alpha-0123456789ABCD';
const KEY_B = 'sk-provider-bravo-0123456789WXYZ';
const HEADER_SECRET = 'header-secret-value-0123456789';

interface ProviderJson {
  id: string;
  name: string;
  kind: string;
  base_url: string;
  enabled: boolean;
  headers: Record<string, string>;
  timeouts: Record<string, number | null>;
  models: string[] | null;
  key_count: number;
  active_key_count: number;
  source: string;
}
interface KeyJson {
  id: string;
  label: string;
  hint: string;
  status: string;
  weight: number;
  max_qps: number | null;
}
interface ModelJson {
  model_id: string;
  alias: string | null;
  price_input: number | null;
  price_cached_input: number | null;
  price_cache_write: number | null;
  price_output: number | null;
  served: boolean | null;
  configured: boolean;
  source: string | null;
}

describe.each(BACKENDS)('providers on %s', (backendName) => {
  let backend: Backend;
  let emu: Emulator;
  let g: AdminGateway;
  let admin: Session;
  let clientKey: string;

  const infer = (model: string) =>
    call<Json & ErrorJson>(g.url, 'POST', '/v1/chat/completions', { token: clientKey, body: { model, messages: [{ role: 'user', content: 'hi' }] } });

  beforeAll(async () => {
    backend = await openBackend(backendName);
    emu = await startEmulator({ keys: [KEY_A, KEY_B] });
    g = await startAdminGateway({ backend });
    admin = await signIn(g, 'admin', g.adminPassword!);
    const k = await g.call<{ token: string }>('POST', `/users/${admin.userId}/api-keys`, { token: admin.access, body: { name: 'traffic' } });
    clientKey = k.json.token;
  });
  afterAll(async () => {
    await g?.close();
    await emu?.close();
    await backend?.dispose();
  });
  beforeEach(() => emu.reset());

  it('serves traffic through a provider created by the API at once, without a restart', async () => {
    expect((await infer('gpt-4o-mini')).status).toBe(404);
    const created = await g.call<ProviderJson>('POST', '/providers', {
      token: admin.access,
      body: { id: 'emu', kind: 'openai-compatible', base_url: `${emu.url}/v1`, keys: [{ key: KEY_A, label: 'primary' }] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'emu', name: 'emu', kind: 'openai-compatible', enabled: true, key_count: 1, active_key_count: 1, source: 'api' });
    expect(created.text).not.toContain(KEY_A);
    const r = await infer('gpt-4o-mini');
    expect(r.status).toBe(200);
    expect(emu.received.at(-1)!.headers.authorization).toBe(`Bearer ${KEY_A}`);
    // pinned to the provider
    expect((await infer('emu/gpt-4o')).status).toBe(200);
  });

  it('lists and reads providers with keys masked', async () => {
    const list = await g.call<{ data: ProviderJson[]; total: number }>('GET', '/providers', { token: admin.access });
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(list.json.data.length);
    expect(list.json.data.map((p) => p.id)).toContain('emu');
    const keys = await g.call<{ data: KeyJson[] }>('GET', '/providers/emu/keys', { token: admin.access });
    expect(keys.json.data).toHaveLength(1);
    expect(keys.json.data[0]).toMatchObject({ label: 'primary', hint: 'sk-…ABCD', status: 'active', weight: 1, max_qps: null });
    expect(keys.text).not.toContain(KEY_A);
    expect(keys.json.data[0]).not.toHaveProperty('ciphertext');
    expect(keys.json.data[0]).not.toHaveProperty('fingerprint');
  });

  it('validates providers and names the field at fault', async () => {
    const cases: Array<[Json, string, number]> = [
      [{ id: 'Bad Id', kind: 'openai' }, 'id', 400],
      [{ id: 'x1', kind: 'mystery' }, 'kind', 400],
      [{ id: 'x1', kind: 'openai-compatible' }, 'base_url', 400],
      [{ id: 'x1', kind: 'openai-compatible', base_url: 'ftp://example.com/v1' }, 'base_url', 400],
      [{ id: 'x1', kind: 'openai-compatible', base_url: 'not a url' }, 'base_url', 400],
      [{ id: 'x1', kind: 'openai-compatible', base_url: 'https://user:pw@example.com/v1' }, 'base_url', 400],
      [{ id: 'x1', kind: 'azure-openai', base_url: 'https://example.openai.azure.com' }, 'api_version', 400],
      [{ id: 'x1', kind: 'openai', weight: -1 }, 'weight', 400],
      [{ id: 'x1', kind: 'openai', retryable_status_codes: [200] }, 'retryable_status_codes[0]', 400],
      [{ id: 'x1', kind: 'openai', timeouts: { ttfb_ms: 0 } }, 'timeouts.ttfb_ms', 400],
      [{ id: 'x1', kind: 'openai', dialects: ['klingon'] }, 'dialects[0]', 400],
      [{ id: 'x1', kind: 'openai', keys: [{ key: KEY_A }, { key: KEY_A }] }, 'keys[1].key', 400],
      [{ id: 'x1', kind: 'openai', surprise: true }, 'surprise', 400],
      [{ id: 'emu', kind: 'openai' }, 'id', 409],
    ];
    for (const [body, field, status] of cases) {
      const r = await g.call<ErrorJson>('POST', '/providers', { token: admin.access, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.param, JSON.stringify(body)).toBe(field);
    }
    expect((await g.call('GET', '/providers/x1', { token: admin.access })).status).toBe(404);
  });

  it('makes an edit live at the next request (disable, enable)', async () => {
    const off = await g.call<ProviderJson>('PATCH', '/providers/emu', { token: admin.access, body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(off.json.enabled).toBe(false);
    expect((await infer('gpt-4o-mini')).status).not.toBe(200);
    await g.call('PATCH', '/providers/emu', { token: admin.access, body: { enabled: true } });
    expect((await infer('gpt-4o-mini')).status).toBe(200);
    const nothing = await g.call<ErrorJson>('PATCH', '/providers/emu', { token: admin.access, body: {} });
    expect(nothing.status).toBe(400);
  });

  it('manages provider keys: duplicates refused, a dead key revived, a key replaced, a key deleted', async () => {
    const dup = await g.call<ErrorJson>('POST', '/providers/emu/keys', { token: admin.access, body: { key: KEY_A } });
    expect(dup.status).toBe(409);
    const dupLabel = await g.call<ErrorJson>('POST', '/providers/emu/keys', { token: admin.access, body: { key: KEY_B, label: 'primary' } });
    expect(dupLabel.status).toBe(409);
    const list = await g.call<{ data: KeyJson[] }>('GET', '/providers/emu/keys', { token: admin.access });
    const primary = list.json.data[0]!;

    // a dead key is out of use; PATCH status active revives it
    const dead = await g.call<KeyJson>('PATCH', `/providers/emu/keys/${primary.id}`, { token: admin.access, body: { status: 'dead' } });
    expect(dead.json.status).toBe('dead');
    expect((await infer('emu/gpt-4o-mini')).status).toBe(503);
    const revived = await g.call<KeyJson>('PATCH', `/providers/emu/keys/${primary.id}`, { token: admin.access, body: { status: 'active' } });
    expect(revived.json.status).toBe('active');
    expect((await infer('emu/gpt-4o-mini')).status).toBe(200);

    // replace the key itself: the new one is used at once, shown only as a hint
    const replaced = await g.call<KeyJson>('PATCH', `/providers/emu/keys/${primary.id}`, { token: admin.access, body: { key: KEY_B } });
    expect(replaced.status).toBe(200);
    expect(replaced.json.hint).toBe('sk-…WXYZ');
    expect(replaced.text).not.toContain(KEY_B);
    emu.reset();
    expect((await infer('emu/gpt-4o-mini')).status).toBe(200);
    expect(emu.received.at(-1)!.headers.authorization).toBe(`Bearer ${KEY_B}`);

    // a second key, then delete the first
    const second = await g.call<KeyJson>('POST', '/providers/emu/keys', { token: admin.access, body: { key: KEY_A, weight: 2, max_qps: 5 } });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ label: 'key-2', weight: 2, max_qps: 5, hint: 'sk-…ABCD' });
    expect((await g.call('DELETE', `/providers/emu/keys/${primary.id}`, { token: admin.access })).status).toBe(204);
    expect((await g.call('GET', `/providers/emu/keys/${primary.id}`, { token: admin.access })).status).toBe(404);
    emu.reset();
    expect((await infer('emu/gpt-4o-mini')).status).toBe(200);
    expect(emu.received.at(-1)!.headers.authorization).toBe(`Bearer ${KEY_A}`);
  });

  it("lists the provider's discovered models merged with stored aliases and prices", async () => {
    const before = await g.call<{ data: ModelJson[]; total: number; discovery: { mode: string; ok: boolean } }>('GET', '/providers/emu/models', { token: admin.access });
    expect(before.status).toBe(200);
    expect(before.json.discovery).toMatchObject({ mode: 'discovered', ok: true });
    expect(before.json.data.find((m) => m.model_id === 'gpt-4o-mini')).toMatchObject({ served: true, configured: false, alias: null });

    const put = await g.call<ModelJson>('PUT', '/providers/emu/models/gpt-4o', {
      token: admin.access,
      body: { alias: 'house-model', price_input: 2.5, price_cached_input: 1.25, price_output: 10 },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ model_id: 'gpt-4o', alias: 'house-model', price_input: 2.5, price_cached_input: 1.25, price_cache_write: null, price_output: 10, served: true, configured: true, source: 'manual' });
    // the alias routes at once
    emu.reset();
    expect((await infer('house-model')).status).toBe(200);
    expect((emu.received.at(-1)!.body as { model: string }).model).toBe('gpt-4o');

    // PATCH keeps what it does not name; PUT clears it
    const patched = await g.call<ModelJson>('PATCH', '/providers/emu/models/gpt-4o', { token: admin.access, body: { price_output: 12 } });
    expect(patched.json).toMatchObject({ alias: 'house-model', price_input: 2.5, price_output: 12 });
    const replaced = await g.call<ModelJson>('PUT', '/providers/emu/models/gpt-4o', { token: admin.access, body: { price_input: 3 } });
    expect(replaced.json).toMatchObject({ alias: null, price_input: 3, price_output: null });

    // an alias may not be used twice within a provider
    await g.call('PATCH', '/providers/emu/models/gpt-4o', { token: admin.access, body: { alias: 'house-model' } });
    const clash = await g.call<ErrorJson>('PATCH', '/providers/emu/models/gpt-4o-mini', { token: admin.access, body: { alias: 'house-model' } });
    expect(clash.status).toBe(409);
    expect(clash.json.error.param).toBe('alias');
    const negative = await g.call<ErrorJson>('PATCH', '/providers/emu/models/gpt-4o-mini', { token: admin.access, body: { price_input: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.json.error.param).toBe('price_input');
  });

  it('handles model ids with a slash, encoded or not', async () => {
    const put = await g.call<ModelJson>('PUT', '/providers/emu/models/meta-llama/Llama-3.1-8B', { token: admin.access, body: { price_input: 0.1 } });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ model_id: 'meta-llama/Llama-3.1-8B', served: false, configured: true });
    const get = await g.call<ModelJson>('GET', '/providers/emu/models/meta-llama%2FLlama-3.1-8B', { token: admin.access });
    expect(get.status).toBe(200);
    expect(get.json.price_input).toBe(0.1);
    expect((await g.call('DELETE', '/providers/emu/models/meta-llama/Llama-3.1-8B', { token: admin.access })).status).toBe(204);
    expect((await g.call('DELETE', '/providers/emu/models/meta-llama/Llama-3.1-8B', { token: admin.access })).status).toBe(404);
    expect((await g.call('GET', '/providers/emu/models/meta-llama/Llama-3.1-8B', { token: admin.access })).status).toBe(404);
  });

  it('masks credential-like headers and keeps the stored value when the masked one comes back', async () => {
    const p = await g.call<ProviderJson>('PATCH', '/providers/emu', {
      token: admin.access,
      body: { headers: { 'X-Api-Key': HEADER_SECRET, 'X-Org': 'acme' } },
    });
    expect(p.status).toBe(200);
    expect(p.json.headers).toEqual({ 'X-Api-Key': 'hea…6789', 'X-Org': 'acme' });
    expect(p.text).not.toContain(HEADER_SECRET);
    // the console sends back what it was shown, with one change
    const again = await g.call<ProviderJson>('PATCH', '/providers/emu', {
      token: admin.access,
      body: { headers: { ...p.json.headers, 'X-Org': 'acme-2' } },
    });
    expect(again.json.headers).toEqual({ 'X-Api-Key': 'hea…6789', 'X-Org': 'acme-2' });
    emu.reset();
    expect((await infer('emu/gpt-4o-mini')).status).toBe(200);
    expect(emu.received.at(-1)!.headers['x-api-key']).toBe(HEADER_SECRET);
    expect(emu.received.at(-1)!.headers['x-org']).toBe('acme-2');
    const bad = await g.call<ErrorJson>('PATCH', '/providers/emu', { token: admin.access, body: { headers: { Host: 'evil' } } });
    expect(bad.status).toBe(400);
    await g.call('PATCH', '/providers/emu', { token: admin.access, body: { headers: {} } });
  });

  it('sets and resets timeouts field by field', async () => {
    const set = await g.call<ProviderJson>('PATCH', '/providers/emu', { token: admin.access, body: { timeouts: { ttfb_ms: 5000, total_ms: 90_000 } } });
    expect(set.json.timeouts).toEqual({ connect_ms: null, ttfb_ms: 5000, idle_ms: null, total_ms: 90_000 });
    const reset = await g.call<ProviderJson>('PATCH', '/providers/emu', { token: admin.access, body: { timeouts: { ttfb_ms: null } } });
    expect(reset.json.timeouts).toEqual({ connect_ms: null, ttfb_ms: null, idle_ms: null, total_ms: 90_000 });
    const all = await g.call<ProviderJson>('PATCH', '/providers/emu', { token: admin.access, body: { timeouts: null } });
    expect(all.json.timeouts).toEqual({ connect_ms: null, ttfb_ms: null, idle_ms: null, total_ms: null });
  });

  it('uses a static model list when one is given', async () => {
    const r = await g.call<ProviderJson>('POST', '/providers', {
      token: admin.access,
      body: { id: 'fixed', kind: 'openai-compatible', base_url: `${emu.url}/v1`, models: ['gpt-4.1'], keys: [{ key: KEY_B }], priority: 1 },
    });
    expect(r.status).toBe(201);
    expect(r.json.models).toEqual(['gpt-4.1']);
    const models = await g.call<{ data: ModelJson[]; discovery: { mode: string } }>('GET', '/providers/fixed/models', { token: admin.access });
    expect(models.json.discovery.mode).toBe('static');
    expect(models.json.data.map((m) => m.model_id)).toEqual(['gpt-4.1']);
    emu.reset();
    expect((await infer('fixed/gpt-4.1')).status).toBe(200);
    expect((await infer('fixed/gpt-4o')).status).toBe(404);
  });

  it('refuses to delete a provider a logical model uses, unless forced', async () => {
    const lm = await g.call('POST', '/logical-models', {
      token: admin.access,
      body: { id: 'uses-fixed', upstreams: [{ provider_id: 'fixed', model: 'gpt-4.1' }] },
    });
    expect(lm.status).toBe(201);
    const refused = await g.call<ErrorJson>('DELETE', '/providers/fixed', { token: admin.access });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('uses-fixed');
    expect((await g.call('DELETE', '/providers/fixed?force=true', { token: admin.access })).status).toBe(204);
    expect((await g.call('GET', '/providers/fixed', { token: admin.access })).status).toBe(404);
    const after = await g.call<{ upstreams: unknown[] }>('GET', '/logical-models/uses-fixed', { token: admin.access });
    expect(after.json.upstreams).toEqual([]);
    // the logical model has no upstream left
    expect((await infer('uses-fixed')).status).toBe(503);
  });
});
