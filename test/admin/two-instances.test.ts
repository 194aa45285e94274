/**
 * Two gateway instances sharing one PostgreSQL database and one Redis (each with its own Redis
 * connection), as behind a load balancer: keys, revocations, sign-outs and providers changed on
 * one are in force on the other. Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { postgresUrl, redisUrl } from '../helpers/databases.js';
import { openBackend, type Backend } from './backends.js';
import { startGateway } from '../helpers/gateway.js';
import { asAdminGateway, call, captureStderr, printedPassword, signIn, startOptions, type AdminGateway, type ErrorJson, type Json, type Session } from './helpers.js';

const KEY = 'sk-two-instances-0123456789';

/** Poll until `check` passes or `ms` elapse (no timing assertion: only an upper bound). */
async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!postgresUrl || !redisUrl)('two instances on PostgreSQL + Redis', () => {
  let backend: Backend;
  let emu: Emulator;
  let a: AdminGateway;
  let b: AdminGateway;
  let adminOnA: Session;
  let password: string;

  const infer = (g: AdminGateway, token: string, model = 'gpt-4o-mini') =>
    call<Json & ErrorJson>(g.url, 'POST', '/v1/chat/completions', { token, body: { model, messages: [{ role: 'user', content: 'hi' }] } });

  beforeAll(async () => {
    backend = await openBackend('postgres');
    emu = await startEmulator({ keys: [KEY] });
    // both start at once on an empty database: exactly one creates and prints the administrator
    const [optsA, optsB] = [await startOptions({ backend }), await startOptions({ backend })];
    const { value, stderr } = await captureStderr(() => Promise.all([startGateway(optsA), startGateway(optsB)]));
    expect(stderr.match(/created the first administrator/g)).toHaveLength(1);
    password = printedPassword(stderr)!;
    a = asAdminGateway(value[0], '');
    b = asAdminGateway(value[1], '');
    adminOnA = await signIn(a, 'admin', password);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emu?.close();
    await backend?.dispose();
  });
  beforeEach(() => emu.reset());

  it('a session from one instance works on the other, and a sign-out on one is refused on the other', async () => {
    expect((await b.call('GET', '/auth/me', { token: adminOnA.access })).status).toBe(200);
    const s = await signIn(b, 'admin', password);
    expect((await a.call('GET', '/auth/me', { token: s.access })).status).toBe(200);
    expect((await a.call('POST', '/auth/logout', { token: s.access })).status).toBe(200);
    expect((await b.call('GET', '/auth/me', { token: s.access })).status).toBe(401);
    // a refresh token exchanged on one instance cannot be replayed on the other
    const t = await signIn(a, 'admin', password);
    expect((await a.call('POST', '/auth/refresh', { body: { refresh_token: t.refresh } })).status).toBe(200);
    const replay = await b.call<ErrorJson>('POST', '/auth/refresh', { body: { refresh_token: t.refresh } });
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('refresh_token_reused');
  });

  it('a provider added on one instance is routable on the other within a second or two', async () => {
    const created = await a.call('POST', '/providers', {
      token: adminOnA.access,
      body: { id: 'emu', kind: 'openai-compatible', base_url: `${emu.url}/v1`, models: ['gpt-4o-mini', 'gpt-4o'], keys: [{ key: KEY }] },
    });
    expect(created.status).toBe(201);
    const key = await a.call<{ token: string }>('POST', '/api-keys', { token: adminOnA.access, body: { name: 'probe' } });
    expect(await within(2000, async () => (await infer(b, key.json.token)).status === 200)).toBe(true);
    // and a change to it too: disabled on B, refused on A
    await b.call('PATCH', '/providers/emu', { token: adminOnA.access, body: { enabled: false } });
    expect(await within(2000, async () => (await infer(a, key.json.token)).status !== 200)).toBe(true);
    await b.call('PATCH', '/providers/emu', { token: adminOnA.access, body: { enabled: true } });
    expect(await within(2000, async () => (await infer(a, key.json.token)).status === 200)).toBe(true);
  });

  it('a key created on one instance works on the other at once; a revoke on one is refused on the other at once', async () => {
    await within(2000, async () => (await b.call('GET', '/providers/emu', { token: adminOnA.access })).status === 200);
    const key = await a.call<{ id: string; token: string }>('POST', `/users/${adminOnA.userId}/api-keys`, {
      token: adminOnA.access,
      body: { name: 'shared' },
    });
    expect(key.status).toBe(201);
    // B has the provider by now (previous test); the key is new to B
    expect((await infer(b, key.json.token)).status).toBe(200);
    expect((await infer(a, key.json.token)).status).toBe(200);
    // both instances have it cached now; revoke on A
    const revoked = await a.call('DELETE', `/users/${adminOnA.userId}/api-keys/${key.json.id}`, { token: adminOnA.access });
    expect(revoked.status).toBe(200);
    const onB = await infer(b, key.json.token);
    expect(onB.status).toBe(401);
    expect(onB.json.error.message).toMatch(/revoked/);
    expect((await infer(a, key.json.token)).status).toBe(401);
  });

  it('a key disabled on one instance is refused on the other at once, and enabled again', async () => {
    const key = await b.call<{ id: string; token: string }>('POST', '/api-keys', { token: adminOnA.access, body: { name: 'toggle' } });
    expect((await infer(a, key.json.token)).status).toBe(200);
    await b.call('PATCH', `/api-keys/${key.json.id}`, { token: adminOnA.access, body: { enabled: false } });
    expect((await infer(a, key.json.token)).status).toBe(403);
    await b.call('PATCH', `/api-keys/${key.json.id}`, { token: adminOnA.access, body: { enabled: true } });
    expect((await infer(a, key.json.token)).status).toBe(200);
  });

  it('failed sign-ins count across both instances', async () => {
    await a.call('POST', '/users', { token: adminOnA.access, body: { username: 'target', password: 'target-password-1' } });
    for (let i = 0; i < 5; i++) {
      const g = i % 2 === 0 ? a : b;
      expect((await g.call('POST', '/auth/login', { body: { username: 'target', password: `nope-${i}` } })).status).toBe(401);
    }
    expect((await a.call('POST', '/auth/login', { body: { username: 'target', password: 'target-password-1' } })).status).toBe(429);
    expect((await b.call('POST', '/auth/login', { body: { username: 'target', password: 'target-password-1' } })).status).toBe(429);
  });
});
