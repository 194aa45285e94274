/**
 * Session stickiness (X-Session-Id): a conversation stays with the upstream that first answered
 * it, moves (without a client-visible error) when that upstream dies, and the binding can be
 * read and removed through the admin API.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ADMIN_KEY, admin, ask } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-sticky-001';
let a: Emulator;
let b: Emulator;
let gw: TestGateway;
let client: OpenAI;

interface SessionJson {
  id: string;
  bindings: Array<{ model: string; provider: string; upstream_model: string; uses: number; rebinds: number; previous: { provider: string } | null }>;
}

beforeAll(async () => {
  a = await startEmulator({ keys: ['key-a'], models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
  gw = await startGateway({
    env: { ADMIN_API_KEY: ADMIN_KEY },
    config: `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1, m2]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1, m2]}
logical_models:
  - id: chat
    upstreams:
      - {provider: pa, model: m1}
      - {provider: pb, model: m1}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await a?.close();
  await b?.close();
});

describe('session stickiness', () => {
  it('keeps each conversation on the upstream that first answered it', async () => {
    const firsts = new Map<string, string>();
    for (let s = 0; s < 12; s++) {
      const session = `conv-${s}`;
      const first = await ask(client, 'chat', 'turn 0', false, { 'x-session-id': session });
      firsts.set(session, first.provider!);
      for (let t = 1; t < 6; t++) {
        const r = await ask(client, 'chat', `turn ${t}`, t % 2 === 0, { 'x-session-id': session });
        expect(r.provider).toBe(first.provider);
      }
    }
    // the first turns themselves are spread (the binding is per conversation, not global)
    expect(new Set(firsts.values()).size).toBe(2);

    const got = await admin<SessionJson>(gw.url, 'GET', '/routing/sessions/conv-0');
    expect(got.status).toBe(200);
    expect(got.json.bindings).toHaveLength(1);
    expect(got.json.bindings[0]).toMatchObject({ model: 'chat', provider: firsts.get('conv-0'), upstream_model: 'm1', uses: 6, rebinds: 0 });
  });

  it('moves a conversation when its upstream dies, and the client sees no error', async () => {
    const session = 'conv-moving';
    const first = await ask(client, 'chat', 'hello', false, { 'x-session-id': session });
    const dying = first.provider === 'pa' ? a : b;
    const other = first.provider === 'pa' ? 'pb' : 'pa';
    const fault = dying.fault({ status: 503, message: 'gone' });
    try {
      const moved = await ask(client, 'chat', 'still there?', true, { 'x-session-id': session });
      expect(moved).toEqual({ text: 'Echo: still there?', provider: other, attempts: 2 });
      // from now on the conversation stays where it moved to, without trying the dead one first
      const before = dying.received.length;
      for (let t = 0; t < 4; t++) expect((await ask(client, 'chat', `next ${t}`, false, { 'x-session-id': session })).provider).toBe(other);
      expect(dying.received.length).toBe(before);
    } finally {
      fault.cancel();
    }
    const got = await admin<SessionJson>(gw.url, 'GET', `/routing/sessions/${session}`);
    expect(got.json.bindings[0]).toMatchObject({ provider: other, rebinds: 1, previous: { provider: first.provider } });
    const prom = await (await fetch(`${gw.url}/metrics`)).text();
    expect(prom).toMatch(/apiproxy_session_rebinds_total [1-9]/);
  });

  it('binds per requested model, and POST /routing/decide shows the binding it would honour', async () => {
    const session = 'conv-two-models';
    const main = await ask(client, 'chat', 'main', false, { 'x-session-id': session });
    await ask(client, 'm2', 'side', false, { 'x-session-id': session });
    const got = await admin<SessionJson>(gw.url, 'GET', `/routing/sessions/${session}`);
    expect(got.json.bindings.map((x) => x.model).sort()).toEqual(['chat', 'm2']);
    const d = await admin<{ selected: { provider: string }; sticky: { honoured: boolean; provider: string } }>(gw.url, 'POST', '/routing/decide', {
      model: 'chat',
      session_id: session,
    });
    expect(d.json.sticky).toMatchObject({ honoured: true, provider: main.provider });
    expect(d.json.selected.provider).toBe(main.provider);
  });

  it('DELETE removes a binding; unknown sessions are 404', async () => {
    await ask(client, 'chat', 'x', false, { 'x-session-id': 'conv-delete' });
    expect((await admin(gw.url, 'DELETE', '/routing/sessions/conv-delete')).status).toBe(204);
    expect((await admin(gw.url, 'GET', '/routing/sessions/conv-delete')).status).toBe(404);
    expect((await admin(gw.url, 'DELETE', '/routing/sessions/conv-delete')).status).toBe(404);
  });
});
