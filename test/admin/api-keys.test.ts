/**
 * Client API keys through the management API: created for a user (token shown once), listed by
 * prefix, used on /v1/chat/completions, edited, revoked (refused at once), and owned: one user
 * cannot see, edit or revoke another's keys. Runs on every configured backend.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { call, newUser, signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Json, type Session } from './helpers.js';

const PROVIDER_KEY = 'sk-upstream-keys-test-0123456789';
const CONFIG_CLIENT_KEY = 'config-client-key-0123456789';

interface KeyJson {
  id: string;
  user_id: string | null;
  name: string;
  prefix: string;
  status: string;
  enabled: boolean;
  expires_at: string | null;
  revoked_at: string | null;
  allowed_providers: string[] | null;
  allowed_models: string[] | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  budget_usd: number | null;
  budget_period: string | null;
  source: string;
  token?: string;
}

interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] };

describe.each(BACKENDS)('client API keys on %s', (backendName) => {
  let backend: Backend;
  let emu: Emulator;
  let g: AdminGateway;
  let admin: Session;
  let alice: Session;
  let bob: Session;

  const infer = (token: string, body: unknown = chat) => call<Json>(g.url, 'POST', '/v1/chat/completions', { token, body });

  beforeAll(async () => {
    backend = await openBackend(backendName);
    emu = await startEmulator({ keys: [PROVIDER_KEY] });
    g = await startAdminGateway({
      backend,
      config: `
providers:
  - id: emu
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [gpt-4o-mini, gpt-4o]
api_keys:
  - {name: from-config, key: ${CONFIG_CLIENT_KEY}}
`,
    });
    admin = await signIn(g, 'admin', g.adminPassword!);
    alice = await newUser(g, admin, 'alice');
    bob = await newUser(g, admin, 'bob');
  });
  afterAll(async () => {
    await g?.close();
    await emu?.close();
    await backend?.dispose();
  });
  beforeEach(() => emu.reset());

  it('creates a key whose token is shown once and works on /v1/chat/completions', async () => {
    const created = await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'laptop', expiry: 'MONTH' } });
    expect(created.status).toBe(201);
    const key = created.json;
    expect(key.token).toMatch(/^sk-apx-[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.token!.slice(0, 12));
    expect(key.user_id).toBe(alice.userId);
    expect(key.status).toBe('active');
    expect(key.source).toBe('api');
    const days = (Date.parse(key.expires_at!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const r = await infer(key.token!);
    expect(r.status).toBe(200);
    expect((r.json as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Echo: hello there');
    expect(emu.received.at(-1)!.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);

    // never shown again: not in the list, not in the single read
    const list = await g.call<Page<KeyJson>>('GET', `/users/${alice.userId}/api-keys`, { token: alice.access });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(key.token!);
    expect(list.json.data.map((k) => k.prefix)).toContain(key.prefix);
    expect(list.json.data[0]).not.toHaveProperty('token');
    expect(list.json.data[0]).not.toHaveProperty('key_hash');
    const one = await g.call<KeyJson>('GET', `/users/${alice.userId}/api-keys/${key.id}`, { token: alice.access });
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(key.token!);
  });

  it('refuses a key from the moment it expires, even one used a moment before', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'expires-in-a-moment', expires_at: expiresAt } });
    expect(created.status).toBe(201);
    const token = created.json.token!;
    expect((await infer(token)).status).toBe(200);
    expect((await infer(token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 50));
    const late = await infer(token);
    expect(late.status).toBe(401);
    expect(late.text).toContain('This API key has expired.');
  });

  it('accepts expiry in any case and refuses an unknown one, naming the field', async () => {
    for (const [expiry, days] of [['week', 7], ['Year', 365], ['NEVER', null]] as const) {
      const r = await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: `exp-${expiry}`, expiry } });
      expect(r.status).toBe(201);
      if (days === null) expect(r.json.expires_at).toBeNull();
      else expect(Math.round((Date.parse(r.json.expires_at!) - Date.now()) / 86_400_000)).toBe(days);
    }
    const bad = await g.call<ErrorJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'bad', expiry: 'fortnight' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('expiry');
    expect(bad.json.error.message).toMatch(/week, month, year, never/);
  });

  it('validates the body and names the field at fault', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x', rpm_limit: 0 }, 'rpm_limit'],
      [{ name: 'x', rpm_limit: 1.5 }, 'rpm_limit'],
      [{ name: 'x', budget_usd: -1 }, 'budget_usd'],
      [{ name: 'x', budget_period: 'week' }, 'budget_period'],
      [{ name: 'x', allowed_providers: ['no-such-provider'] }, 'allowed_providers'],
      [{ name: 'x', allowed_models: 'gpt-4o' }, 'allowed_models'],
      [{ name: 'x', colour: 'blue' }, 'colour'],
      [{ name: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
    ];
    for (const [body, field] of cases) {
      const r = await g.call<ErrorJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.param, JSON.stringify(body)).toBe(field);
      expect(r.json.error.type).toBe('invalid_request_error');
      expect(r.json.error.message).toContain(field);
    }
    const notJson = await g.call<ErrorJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('stores limits, restrictions and a budget (with "total" as the default period)', async () => {
    const r = await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, {
      token: alice.access,
      body: { name: 'limited', allowed_providers: ['emu'], allowed_models: ['gpt-4o'], rpm_limit: 60, tpm_limit: 10_000, budget_usd: 5 },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      allowed_providers: ['emu'],
      allowed_models: ['gpt-4o'],
      rpm_limit: 60,
      tpm_limit: 10_000,
      budget_usd: 5,
      budget_period: 'total',
    });
    // the restriction is enforced at once
    const refused = await infer(r.json.token!);
    expect(refused.status).toBe(403);
    const ok = await infer(r.json.token!, { ...chat, model: 'gpt-4o' });
    expect(ok.status).toBe(200);
    // clearing the budget clears its period
    const cleared = await g.call<KeyJson>('PATCH', `/users/${alice.userId}/api-keys/${r.json.id}`, { token: alice.access, body: { budget_usd: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.budget_usd).toBeNull();
    expect(cleared.json.budget_period).toBeNull();
  });

  it('refuses a second live key with the same name (409), and allows it again after revoking', async () => {
    const first = await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'ci' } });
    expect(first.status).toBe(201);
    const dup = await g.call<ErrorJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'ci' } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('conflict');
    // another user may use the same name
    expect((await g.call('POST', `/users/${bob.userId}/api-keys`, { token: bob.access, body: { name: 'ci' } })).status).toBe(201);
    await g.call('DELETE', `/users/${alice.userId}/api-keys/${first.json.id}`, { token: alice.access });
    expect((await g.call('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'ci' } })).status).toBe(201);
  });

  it('revoking a key stops it at once; a revoked key cannot be edited', async () => {
    const k = (await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'short-lived' } })).json;
    expect((await infer(k.token!)).status).toBe(200);
    const revoked = await g.call<KeyJson>('DELETE', `/users/${alice.userId}/api-keys/${k.id}`, { token: alice.access });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe('revoked');
    expect(revoked.json.revoked_at).not.toBeNull();
    const refused = await infer(k.token!);
    expect(refused.status).toBe(401);
    expect((refused.json as unknown as ErrorJson).error.message).toMatch(/revoked/);
    const edit = await g.call<ErrorJson>('PATCH', `/users/${alice.userId}/api-keys/${k.id}`, { token: alice.access, body: { name: 'again' } });
    expect(edit.status).toBe(409);
    // revoking twice is harmless
    expect((await g.call('DELETE', `/users/${alice.userId}/api-keys/${k.id}`, { token: alice.access })).status).toBe(200);
  });

  it('disabling a key pauses it; enabling it again restores it', async () => {
    const k = (await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'pausable' } })).json;
    expect((await infer(k.token!)).status).toBe(200);
    const off = await g.call<KeyJson>('PATCH', `/users/${alice.userId}/api-keys/${k.id}`, { token: alice.access, body: { enabled: false } });
    expect(off.json.status).toBe('disabled');
    expect((await infer(k.token!)).status).toBe(403);
    await g.call('PATCH', `/users/${alice.userId}/api-keys/${k.id}`, { token: alice.access, body: { enabled: true } });
    expect((await infer(k.token!)).status).toBe(200);
  });

  it("keeps users out of each other's keys: 404 for every read, edit and revoke", async () => {
    const aliceKey = (await g.call<KeyJson>('POST', `/users/${alice.userId}/api-keys`, { token: alice.access, body: { name: 'private' } })).json;
    // through bob's own path (the key id exists, but is not bob's)
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'stolen' }], ['DELETE', undefined]] as const) {
      const r = await g.call<ErrorJson>(method, `/users/${bob.userId}/api-keys/${aliceKey.id}`, { token: bob.access, body });
      expect(r.status, method).toBe(404);
      expect(r.text).not.toContain(aliceKey.prefix);
    }
    // through alice's path
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'stolen' }], ['DELETE', undefined]] as const) {
      const r = await g.call<ErrorJson>(method, `/users/${alice.userId}/api-keys/${aliceKey.id}`, { token: bob.access, body });
      expect(r.status, method).toBe(404);
    }
    const list = await g.call<ErrorJson>('GET', `/users/${alice.userId}/api-keys`, { token: bob.access });
    expect(list.status).toBe(404);
    const create = await g.call<ErrorJson>('POST', `/users/${alice.userId}/api-keys`, { token: bob.access, body: { name: 'planted' } });
    expect(create.status).toBe(404);
    // nothing changed
    const still = await g.call<KeyJson>('GET', `/users/${alice.userId}/api-keys/${aliceKey.id}`, { token: alice.access });
    expect(still.json).toMatchObject({ name: 'private', status: 'active' });
    expect((await infer(aliceKey.token!)).status).toBe(200);
    // bob's list never shows alice's keys
    const bobs = await g.call<Page<KeyJson>>('GET', `/users/${bob.userId}/api-keys`, { token: bob.access });
    expect(bobs.json.data.every((k) => k.user_id === bob.userId)).toBe(true);
  });

  it('lets an administrator manage any user\'s keys, and see keys without an owner at /api-keys', async () => {
    const made = await g.call<KeyJson>('POST', `/users/${bob.userId}/api-keys`, { token: admin.access, body: { name: 'from-admin' } });
    expect(made.status).toBe(201);
    expect(made.json.user_id).toBe(bob.userId);
    const all = await g.call<Page<KeyJson>>('GET', '/api-keys?limit=500', { token: admin.access });
    expect(all.status).toBe(200);
    const fromConfig = all.json.data.find((k) => k.name === 'from-config');
    expect(fromConfig).toMatchObject({ user_id: null, source: 'config' });
    expect(all.text).not.toContain(CONFIG_CLIENT_KEY);
    const unowned = await g.call<Page<KeyJson>>('GET', '/api-keys?unowned=true', { token: admin.access });
    expect(unowned.json.data.every((k) => k.user_id === null)).toBe(true);
    expect(unowned.json.total).toBe(unowned.json.data.length);
    // an administrator revokes the config key: refused at once
    expect((await infer(CONFIG_CLIENT_KEY)).status).toBe(200);
    const rv = await g.call<KeyJson>('DELETE', `/api-keys/${fromConfig!.id}`, { token: admin.access });
    expect(rv.json.status).toBe('revoked');
    expect((await infer(CONFIG_CLIENT_KEY)).status).toBe(401);
    // and creates a key without an owner
    const service = await g.call<KeyJson>('POST', '/api-keys', { token: admin.access, body: { name: 'service', expiry: 'week' } });
    expect(service.status).toBe(201);
    expect(service.json.user_id).toBeNull();
    expect((await infer(service.json.token!)).status).toBe(200);
  });

  it('pages the lists', async () => {
    const p1 = await g.call<Page<KeyJson>>('GET', `/users/${alice.userId}/api-keys?limit=2&offset=0`, { token: alice.access });
    const p2 = await g.call<Page<KeyJson>>('GET', `/users/${alice.userId}/api-keys?limit=2&offset=2`, { token: alice.access });
    expect(p1.json.limit).toBe(2);
    expect(p1.json.data).toHaveLength(2);
    expect(p2.json.offset).toBe(2);
    expect(p1.json.total).toBeGreaterThan(3);
    expect(p2.json.total).toBe(p1.json.total);
    const ids = new Set([...p1.json.data, ...p2.json.data].map((k) => k.id));
    expect(ids.size).toBe(p1.json.data.length + p2.json.data.length);
    const live = await g.call<Page<KeyJson>>('GET', `/users/${alice.userId}/api-keys?include_revoked=false&limit=500`, { token: alice.access });
    expect(live.json.data.every((k) => k.status !== 'revoked')).toBe(true);
    const bad = await g.call<ErrorJson>('GET', `/users/${alice.userId}/api-keys?limit=0`, { token: alice.access });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('limit');
  });

  it("stops a deleted user's keys at once", async () => {
    const carl = await newUser(g, admin, 'carl');
    const k = (await g.call<KeyJson>('POST', `/users/${carl.userId}/api-keys`, { token: carl.access, body: { name: 'k' } })).json;
    expect((await infer(k.token!)).status).toBe(200);
    expect((await g.call('DELETE', `/users/${carl.userId}`, { token: admin.access })).status).toBe(204);
    expect((await infer(k.token!)).status).toBe(401);
  });

  it("stops a disabled user's keys at once, and restores them when enabled", async () => {
    const dora = await newUser(g, admin, 'dora');
    const k = (await g.call<KeyJson>('POST', `/users/${dora.userId}/api-keys`, { token: dora.access, body: { name: 'k' } })).json;
    expect((await infer(k.token!)).status).toBe(200);
    await g.call('PATCH', `/users/${dora.userId}`, { token: admin.access, body: { enabled: false } });
    expect((await infer(k.token!)).status).toBe(403);
    await g.call('PATCH', `/users/${dora.userId}`, { token: admin.access, body: { enabled: true } });
    expect((await infer(k.token!)).status).toBe(200);
  });
});
