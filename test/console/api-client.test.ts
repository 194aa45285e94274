/**
 * The console's API client (ui/src/api) against a real gateway: sign-in, the refresh of an
 * access token the server refuses (one exchange however many calls wait), a reload restoring
 * the session from the stored refresh token, sign-out, readable errors, ids with "/" in paths,
 * and the playground's streamed chat call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError, memoryStore, type TokenStore } from '../../ui/src/api/client.js';
import { listClientModels, streamChat } from '../../ui/src/api/chat-stream.js';
import { Api } from '../../ui/src/api/endpoints.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const ADMIN_TOKEN = 'admin-token-for-console-client-tests';

describe('console API client against a gateway', () => {
  let gw: TestGateway;
  let em: Emulator;
  let setup: Api;
  const password = 'console-test-password';

  beforeAll(async () => {
    em = await startEmulator({ keys: ['sk-emu-key-0123456789'] });
    gw = await startGateway({ env: { ADMIN_API_KEY: ADMIN_TOKEN } });
    setup = new Api(new ApiClient({ baseUrl: gw.url }));
    await setup.client.useAdminToken(ADMIN_TOKEN);
    const me = await setup.listUsers();
    // the first start created "admin" with a printed password; give it a known one for the tests
    await setup.updateUser(me.data.find((u) => u.username === 'admin')!.id, { password });
  });

  afterAll(async () => {
    await gw?.close();
    await em?.close();
  });

  /** a fetch that counts the calls to each path and can refuse the first use of the access token */
  function recordingFetch(opts: { spoilFirstAccess?: number } = {}) {
    const calls: string[] = [];
    let spoil = opts.spoilFirstAccess ?? 0;
    const f: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      calls.push(url.pathname);
      const headers = { ...(init?.headers as Record<string, string> | undefined) };
      if (spoil > 0 && headers.authorization && url.pathname !== '/auth/refresh') {
        spoil--;
        headers.authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c3BvaWxlZA';
      }
      return fetch(input, { ...init, headers });
    };
    return { f, calls };
  }

  it('signs in with a user name and reads who is signed in', async () => {
    const store = memoryStore();
    const c = new ApiClient({ baseUrl: gw.url, refreshStore: store });
    const user = await c.login('admin', password);
    expect(user.username).toBe('admin');
    expect(store.get()).toBeTruthy();
    const me = await c.me();
    expect(me).toMatchObject({ role: 'admin', via: 'session', user: { username: 'admin' } });
  });

  it('turns a refused sign-in into a readable error that names the cause', async () => {
    const c = new ApiClient({ baseUrl: gw.url });
    const err = await c.login('admin', 'wrong password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toMatch(/wrong user name, e-mail or password/i);
    expect((err as ApiError).requestId).toMatch(/^req_/);
  });

  it('refreshes a refused access token once, however many calls were waiting, and retries them', async () => {
    const { f, calls } = recordingFetch({ spoilFirstAccess: 3 });
    const store = memoryStore();
    const c = new ApiClient({ baseUrl: gw.url, fetch: f, refreshStore: store });
    await c.login('admin', password);
    const firstRefresh = store.get();
    const api = new Api(c);
    const [a, b, p] = await Promise.all([api.listUsers(), c.me(), api.listProviders()]);
    expect(a.data.some((u) => u.username === 'admin')).toBe(true);
    expect(b.role).toBe('admin');
    expect(p.total).toBeGreaterThanOrEqual(0);
    expect(calls.filter((x) => x === '/auth/refresh')).toHaveLength(1);
    // the refresh token rotated
    expect(store.get()).not.toBe(firstRefresh);
  });

  it('restores the session after a reload from the stored refresh token alone', async () => {
    const store: TokenStore = memoryStore();
    await new ApiClient({ baseUrl: gw.url, refreshStore: store }).login('admin', password);
    const reloaded = new ApiClient({ baseUrl: gw.url, refreshStore: store });
    // two effects asking at once (React's strict mode does this) must not spend the token twice
    const [x, y] = await Promise.all([reloaded.restore(), reloaded.restore()]);
    expect(x?.user?.username).toBe('admin');
    expect(y?.user?.username).toBe('admin');
    expect((await reloaded.me()).role).toBe('admin');
  });

  it('ends the session when the refresh is refused, and says so once', async () => {
    const reasons: string[] = [];
    const store = memoryStore();
    let access = '';
    const spy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith('/auth/login')) access = ((await res.clone().json()) as { access_token: string }).access_token;
      return res;
    };
    const c = new ApiClient({ baseUrl: gw.url, fetch: spy, refreshStore: store, onSignedOut: (r) => reasons.push(r) });
    await c.login('admin', password);
    // the session is signed out elsewhere (another tab, or an administrator disabling it)
    const out = await fetch(`${gw.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' }, body: 'null' });
    expect(out.status).toBe(200);
    const err = await c.me().catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(401);
    expect(reasons).toEqual(['expired']);
    expect(store.get()).toBeNull();
    expect(c.signedIn).toBe(false);
  });

  it('signs out: the refresh token stops working', async () => {
    const store = memoryStore();
    const c = new ApiClient({ baseUrl: gw.url, refreshStore: store });
    await c.login('admin', password);
    const rt = store.get()!;
    await c.logout();
    expect(store.get()).toBeNull();
    const res = await fetch(`${gw.url}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: rt }) });
    expect(res.status).toBe(401);
  });

  it('reports a field error with the field the server named', async () => {
    const err = await setup.createProvider({ id: 'Not A Slug', kind: 'openai' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).param).toBe('id');
  });

  it('reaches ids that contain "/" (logical models and provider models)', async () => {
    await setup.createProvider({ id: 'emu', kind: 'openai-compatible', base_url: `${em.url}/v1`, keys: [{ key: 'sk-emu-key-0123456789' }] });
    const lm = await setup.createLogicalModel({ id: 'team/chat', upstreams: [{ provider_id: 'emu', model: 'gpt-4o-mini' }] });
    expect(lm.id).toBe('team/chat');
    expect((await setup.getLogicalModel('team/chat')).upstreams).toEqual([{ provider_id: 'emu', model: 'gpt-4o-mini', weight: 1, priority: 0 }]);
    const m = await setup.setProviderModel('emu', 'org/model-x', { price_input: 1.5, price_output: 6 });
    expect(m).toMatchObject({ model_id: 'org/model-x', price_input: 1.5, price_output: 6 });
    await setup.deleteLogicalModel('team/chat');
    const gone = await setup.getLogicalModel('team/chat').catch((e: unknown) => e);
    expect((gone as ApiError).status).toBe(404);
  });

  it('streams a chat answer through the gateway with a client key, naming the provider and the usage', async () => {
    const key = await setup.createApiKey(null, { name: 'stream test', expiry: 'week' }, true);
    expect(await listClientModels(key.token, gw.url)).toContain('gpt-4o-mini');
    const deltas: string[] = [];
    const r = await streamChat({
      baseUrl: gw.url,
      apiKey: key.token,
      model: 'emu/gpt-4o-mini',
      messages: [{ role: 'user', content: 'three little words' }],
      onText: (d) => deltas.push(d),
    });
    expect(r.text).toBe('Echo: three little words');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(r.text);
    expect(r.provider).toBe('emu');
    expect(r.upstreamModel).toBe('gpt-4o-mini');
    expect(r.finishReason).toBe('stop');
    expect(r.usage?.completion_tokens).toBeGreaterThan(0);
    expect(r.requestId).toMatch(/^req_/);
  });

  it('turns a refused chat call into a readable error', async () => {
    const err = await streamChat({ baseUrl: gw.url, apiKey: 'sk-apx-not-a-key', model: 'x', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message.length).toBeGreaterThan(5);
  });
});

describe('console API client without a gateway', () => {
  it('says the gateway did not answer when nothing listens', async () => {
    const c = new ApiClient({ baseUrl: 'http://127.0.0.1:9' });
    const err = await c.login('admin', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).network).toBe(true);
    expect((err as ApiError).message).toMatch(/did not answer/);
  });
});
