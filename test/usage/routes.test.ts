/**
 * The console's usage surface: GET /usage (grouped), /usage/timeseries, /request-logs (filters,
 * keyset pagination, one request with its attempts and logged bodies), /v1/usage for a key
 * itself; administrators see everything, a user only the rows of their own keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn, type Session } from '../admin/helpers.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postRaw } from './helpers.js';

const ADMIN = 'usage-routes-admin-token-0123';
let em: Emulator;
let gw: TestGateway;
let alice: Session;
let bob: Session;
let aliceKey: { id: string; token: string };
let bobKey: { id: string; token: string };

type Json = Record<string, unknown>;
const as = (token: string) => ({ token });

async function user(name: string): Promise<Session> {
  const password = `pw-${name}-0123456789`;
  const r = await call(gw.url, 'POST', '/users', { token: ADMIN, body: { username: name, password, role: 'user' } });
  if (r.status !== 201) throw new Error(`user ${name}: ${r.status} ${r.text}`);
  return signIn({ call: (m, p, o) => call(gw.url, m, p, o) }, name, password);
}

async function key(owner: Session): Promise<{ id: string; token: string }> {
  const r = await call<{ id: string; token: string }>(gw.url, 'POST', `/users/${owner.userId}/api-keys`, { token: owner.access, body: { name: 'main' } });
  if (r.status !== 201) throw new Error(`key: ${r.status} ${r.text}`);
  return r.json;
}

const chat = (token: string, model: string, stream = false) =>
  postRaw(`${gw.url}/v1/chat/completions`, { authorization: `Bearer ${token}` }, { model, stream, messages: [{ role: 'user', content: 'hello sk-live-abcdefgh12345678' }] });

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'], models: { openai: ['*'] } });
  gw = await startGateway({
    env: { ADMIN_API_KEY: ADMIN, LOG_BODIES: 'true' },
    config: `
providers:
  - id: p1
    kind: openai-compatible
    base_url: "${em.url}/v1"
    api_keys: [up-key]
    models: [m1]
    prices: {m1: {input: 1, output: 2}}
  - id: p2
    kind: openai-compatible
    base_url: "${em.url}/v1"
    api_keys: [up-key]
    models: [m2]
`,
  });
  alice = await user('alice');
  bob = await user('bob');
  aliceKey = await key(alice);
  bobKey = await key(bob);
  em.script({ model: 'm1', usage: { inputTokens: 100, outputTokens: 10 } });
  em.script({ model: 'm2', usage: { inputTokens: 7, outputTokens: 3 } });
  for (let i = 0; i < 3; i++) expect((await chat(aliceKey.token, 'm1', i === 2)).status).toBe(200);
  expect((await chat(bobKey.token, 'm2')).status).toBe(200);
  expect((await chat(bobKey.token, 'no-such-model')).status).toBeGreaterThanOrEqual(400);
  await gw.flushLogs();
});
afterAll(async () => {
  await gw?.close();
  await em?.close();
});

describe('GET /usage', () => {
  it('groups by key and model for an administrator, with names, tokens and cost', async () => {
    const r = await call<{ data: Json[]; totals: Json; group_by: string[] }>(gw.url, 'GET', '/usage?group_by=key,model', as(ADMIN));
    expect(r.status).toBe(200);
    const a = r.json.data.find((d) => d.key_id === aliceKey.id && d.model === 'm1');
    // 3 calls x (100 x $1 + 10 x $2) per million = 3 x 120 micro-dollars
    expect(a).toMatchObject({ key_name: 'main', requests: 3, errors: 0, input_tokens: 300, output_tokens: 30, total_tokens: 330, cost_usd: 0.00036 });
    const b = r.json.data.find((d) => d.key_id === bobKey.id && d.model === 'm2');
    expect(b).toMatchObject({ requests: 1, input_tokens: 7, output_tokens: 3, cost_usd: 0 });
    expect(r.json.totals).toMatchObject({ requests: 5, errors: 1, input_tokens: 307, output_tokens: 33 });
  });

  it('a user sees only their own keys', async () => {
    const r = await call<{ data: Json[]; totals: Json }>(gw.url, 'GET', '/usage?group_by=user,provider', as(bob.access));
    expect(r.status).toBe(200);
    expect(r.json.data.every((d) => d.user_id === bob.userId)).toBe(true);
    expect(r.json.data.find((d) => d.provider_id === 'p2')).toMatchObject({ username: 'bob', requests: 1 });
    expect(r.json.totals).toMatchObject({ requests: 2, errors: 1 });
    const other = await call(gw.url, 'GET', `/usage?user_id=${alice.userId}`, as(bob.access));
    expect(other.status).toBe(400);
  });

  it('groups by day and filters by provider and time', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await call<{ data: Json[] }>(gw.url, 'GET', '/usage?group_by=day&provider_id=p1', as(ADMIN));
    expect(r.json.data).toEqual([expect.objectContaining({ day: today, requests: 3 })]);
    const future = await call<{ data: Json[] }>(gw.url, 'GET', `/usage?from=${Date.now() + 7_200_000}&to=${Date.now() + 9_000_000}`, as(ADMIN));
    expect(future.json.data).toEqual([]);
    expect((await call(gw.url, 'GET', '/usage?from=yesterday', as(ADMIN))).status).toBe(400);
    expect((await call(gw.url, 'GET', '/usage?group_by=colour', as(ADMIN))).status).toBe(400);
  });

  it('refuses a caller without a console token', async () => {
    expect((await call(gw.url, 'GET', '/usage')).status).toBe(401);
    expect((await call(gw.url, 'GET', '/usage', as(aliceKey.token))).status).toBe(401);
  });
});

describe('GET /usage/timeseries', () => {
  it('has a point per hour with latency figures, one series per provider', async () => {
    const r = await call<{ series: Array<{ group: string | null; points: Json[] }>; step: string }>(gw.url, 'GET', '/usage/timeseries?range=day&group=provider', as(ADMIN));
    expect(r.status).toBe(200);
    expect(r.json.step).toBe('hour');
    const p1 = r.json.series.find((s) => s.group === 'p1')!;
    expect(p1.points.length).toBeGreaterThanOrEqual(24);
    const last = p1.points.filter((p) => (p.requests as number) > 0);
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ requests: 3, input_tokens: 300 });
    expect(last[0]!.latency_avg_ms).toEqual(expect.any(Number));
    expect(last[0]!.latency_p95_ms).toEqual(expect.any(Number));
    expect(last[0]!.ttfb_avg_ms).toEqual(expect.any(Number));
  });

  it('shows a user only their own traffic', async () => {
    const r = await call<{ series: Array<{ group: string | null; points: Json[] }> }>(gw.url, 'GET', '/usage/timeseries?range=week', as(alice.access));
    const total = r.json.series.flatMap((s) => s.points).reduce((n, p) => n + (p.requests as number), 0);
    expect(total).toBe(3);
  });
});

describe('GET /request-logs', () => {
  it('pages newest first with a cursor, and filters', async () => {
    const first = await call<{ data: Json[]; next_cursor: string | null }>(gw.url, 'GET', '/request-logs?limit=2', as(ADMIN));
    expect(first.json.data).toHaveLength(2);
    expect(first.json.next_cursor).not.toBeNull();
    const second = await call<{ data: Json[]; next_cursor: string | null }>(gw.url, 'GET', `/request-logs?limit=2&cursor=${first.json.next_cursor}`, as(ADMIN));
    const third = await call<{ data: Json[]; next_cursor: string | null }>(gw.url, 'GET', `/request-logs?limit=2&cursor=${second.json.next_cursor}`, as(ADMIN));
    const ids = [...first.json.data, ...second.json.data, ...third.json.data].map((d) => d.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.json.next_cursor).toBeNull();
    const times = [...first.json.data, ...second.json.data].map((d) => Date.parse(d.ts as string));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const errors = await call<{ data: Json[] }>(gw.url, 'GET', '/request-logs?outcome=error', as(ADMIN));
    expect(errors.json.data).toHaveLength(1);
    expect(errors.json.data[0]).toMatchObject({ api_key_id: bobKey.id, model: 'no-such-model' });
    const streams = await call<{ data: Json[] }>(gw.url, 'GET', `/request-logs?key_id=${aliceKey.id}&model=m1`, as(ADMIN));
    expect(streams.json.data).toHaveLength(3);
    expect(streams.json.data.filter((d) => d.stream === true)).toHaveLength(1);
    expect((await call(gw.url, 'GET', '/request-logs?cursor=garbage', as(ADMIN))).status).toBe(400);
  });

  it('a user lists only their own rows and cannot open another user\'s', async () => {
    const mine = await call<{ data: Json[] }>(gw.url, 'GET', '/request-logs', as(alice.access));
    expect(mine.json.data).toHaveLength(3);
    expect(mine.json.data.every((d) => d.user_id === alice.userId)).toBe(true);
    const bobs = await call<{ data: Json[] }>(gw.url, 'GET', '/request-logs', as(bob.access));
    const theirs = bobs.json.data[0]!.id as string;
    expect((await call(gw.url, 'GET', `/request-logs/${theirs}`, as(alice.access))).status).toBe(404);
    expect((await call(gw.url, 'GET', `/request-logs/${theirs}`, as(bob.access))).status).toBe(200);
  });

  it('shows one request with its attempts, cost and scrubbed, truncated bodies (LOG_BODIES=true)', async () => {
    const list = await call<{ data: Json[] }>(gw.url, 'GET', `/request-logs?key_id=${aliceKey.id}&limit=1`, as(ADMIN));
    const id = list.json.data[0]!.id as string;
    const r = await call<Json>(gw.url, 'GET', `/request-logs/${id}`, as(ADMIN));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id, provider_id: 'p1', usage: { input_tokens: 100, output_tokens: 10 }, cost_usd: 0.00012 });
    const attempts = r.json.attempt_records as Json[];
    expect(attempts).toEqual([expect.objectContaining({ provider_id: 'p1', model: 'm1', status: 200, cost_usd: 0.00012 })]);
    const reqBody = r.json.request_body as string;
    expect(JSON.parse(reqBody)).toMatchObject({ model: 'm1' });
    expect(reqBody).not.toContain('sk-live-abcdefgh12345678');
    expect(r.json.response_body).toEqual(expect.any(String));
    expect(r.json.response_body as string).not.toContain('up-key');
  });
});

describe('GET /v1/usage', () => {
  it('gives a client key its own usage and limits', async () => {
    const r = await call<Json>(gw.url, 'GET', '/v1/usage', as(aliceKey.token));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ key: { id: aliceKey.id, name: 'main' }, budget: null, today: { requests: 3, input_tokens: 300 } });
    expect((await call(gw.url, 'GET', '/v1/usage', as('sk-apx-not-a-key'))).status).toBe(401);
  });
});
