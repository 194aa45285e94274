/**
 * The conversation context store: snippets for requests with X-Session-Id, as JSON, newest first,
 * capped, with a TTL; readable by the key's owner (console user or the key itself) and admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn, type Session } from '../admin/helpers.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postRaw, until } from './helpers.js';
import { randomUUID } from 'node:crypto';
import { redisUrl } from '../helpers/databases.js';
import { createSharedState } from '../../src/store/shared/index.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';

const ADMIN = 'context-admin-token-0123456789';
let em: Emulator;
let gw: TestGateway;
let alice: Session;
let bob: Session;
let aliceKey: string;
let bobKey: string;
/** Redis when TEST_REDIS_URL is set (the store's real home with several instances) */
let shared: SharedState | undefined;

interface Snippet {
  request_id: string;
  api_key_id: string | null;
  user_id: string | null;
  model: string;
  request: { messages?: Array<{ content: unknown }> } | null;
  response: { text: string; tool_calls?: unknown[]; error?: string } | null;
  partial: boolean;
}

async function user(name: string): Promise<Session> {
  const password = `pw-${name}-0123456789`;
  const r = await call(gw.url, 'POST', '/users', { token: ADMIN, body: { username: name, password } });
  if (r.status !== 201) throw new Error(`user ${name}: ${r.status} ${r.text}`);
  return signIn({ call: (m, p, o) => call(gw.url, m, p, o) }, name, password);
}

async function keyOf(s: Session): Promise<string> {
  const r = await call<{ token: string }>(gw.url, 'POST', `/users/${s.userId}/api-keys`, { token: s.access, body: { name: 'ctx' } });
  if (r.status !== 201) throw new Error(r.text);
  return r.json.token;
}

const chat = (token: string, content: string, opts: { session?: string; stream?: boolean; model?: string } = {}) =>
  postRaw(
    `${gw.url}/v1/chat/completions`,
    { authorization: `Bearer ${token}`, ...(opts.session ? { 'x-session-id': opts.session } : {}) },
    { model: opts.model ?? 'm1', stream: opts.stream ?? false, messages: [{ role: 'user', content }] },
  );

async function snippets(path: string, token: string, atLeast = 0): Promise<Snippet[]> {
  return until(async () => {
    const r = await call<{ data: Snippet[] }>(gw.url, 'GET', path, { token });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    return r.json.data.length >= atLeast ? r.json.data : null;
  }, `${atLeast} snippets at ${path}`);
}

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'], models: { openai: ['*'], anthropic: ['*'] } });
  if (redisUrl) shared = await createSharedState({ redisUrl, prefix: `apiproxy-test:${randomUUID()}:` });
  gw = await startGateway({
    ...(shared ? { shared } : {}),
    env: { ADMIN_API_KEY: ADMIN, CONTEXT_MAX_ENTRIES: '4', CONTEXT_TTL_HOURS: '2' },
    config: `
providers:
  - {id: p1, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [up-key], models: [m1]}
  - {id: ant, kind: anthropic, base_url: "${em.url}", api_keys: [up-key], models: [claude-sonnet-4-5]}
`,
  });
  alice = await user('alice');
  bob = await user('bob');
  aliceKey = await keyOf(alice);
  bobKey = await keyOf(bob);
});
afterAll(async () => {
  await gw?.close();
  await shared?.close();
  await em?.close();
});

describe('context store', () => {
  it('keeps request and response of non-stream, passthrough-stream and translated-stream calls, as JSON', async () => {
    expect((await chat(aliceKey, 'first question', { session: 's-1' })).status).toBe(200);
    expect((await chat(aliceKey, 'second question', { session: 's-1', stream: true })).status).toBe(200);
    expect((await chat(aliceKey, 'third question', { session: 's-1', stream: true, model: 'claude-sonnet-4-5' })).status).toBe(200);
    const got = await snippets('/context/s-1', ADMIN, 3);
    expect(got.map((s) => s.response?.text)).toEqual(['Echo: third question', 'Echo: second question', 'Echo: first question']);
    expect(got[2]!.request?.messages?.[0]?.content).toBe('first question');
    expect(got[0]).toMatchObject({ model: 'claude-sonnet-4-5', partial: false, user_id: alice.userId });
    // stored as JSON text, not a Python repr
    const raw = await gw.gw.shared.listRange('ctx:s-1', 0, -1);
    expect(() => raw.map((r) => JSON.parse(r) as unknown)).not.toThrow();
    const ttl = await gw.gw.shared.ttl('ctx:s-1');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * 3_600_000);
  });

  it('shows each owner only their own snippets; an admin all; a key its own', async () => {
    expect((await chat(bobKey, 'bob was here', { session: 's-2' })).status).toBe(200);
    expect((await chat(aliceKey, 'alice was here', { session: 's-2' })).status).toBe(200);
    const all = await snippets('/context/s-2', ADMIN, 2);
    expect(all).toHaveLength(2);
    const bobs = await snippets('/context/s-2', bob.access);
    expect(bobs.map((s) => s.response?.text)).toEqual(['Echo: bob was here']);
    const alices = await snippets('/context/s-2', alice.access);
    expect(alices.map((s) => s.response?.text)).toEqual(['Echo: alice was here']);
    const byKey = await snippets('/v1/context/s-2', bobKey);
    expect(byKey.map((s) => s.response?.text)).toEqual(['Echo: bob was here']);
    expect((await call(gw.url, 'GET', '/context/s-2')).status).toBe(401);
    expect((await call(gw.url, 'GET', '/v1/context/s-2', { token: 'sk-apx-wrong' })).status).toBe(401);
  });

  it('keeps nothing without X-Session-Id, and caps a session to the newest CONTEXT_MAX_ENTRIES', async () => {
    await chat(aliceKey, 'no session');
    for (let i = 1; i <= 6; i++) expect((await chat(aliceKey, `n${i}`, { session: 's-3' })).status).toBe(200);
    const got = await until(async () => {
      const s = await snippets('/context/s-3', ADMIN);
      return s[0]?.response?.text === 'Echo: n6' ? s : null;
    }, 'the newest snippet');
    expect(got.map((s) => s.response?.text)).toEqual(['Echo: n6', 'Echo: n5', 'Echo: n4', 'Echo: n3']);
    const unknown = await call<{ data: Snippet[] }>(gw.url, 'GET', '/context/never-used', { token: ADMIN });
    expect(unknown.json.data).toEqual([]);
  });

  it('records a failed call with its error', async () => {
    em.fault({ model: 'm1', status: 400, message: 'bad things', times: 1 });
    expect((await chat(aliceKey, 'will fail', { session: 's-4' })).status).toBe(400);
    const [s] = await snippets('/context/s-4', alice.access, 1);
    expect(s!.response?.error).toContain('bad things');
  });
});
