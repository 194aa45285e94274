/**
 * Two gateway instances sharing Redis (and one database) agree on session stickiness, breaker
 * state and provider-key QPS. Runs when TEST_REDIS_URL is set. Each instance has its own Redis
 * connection; both use a key prefix of this test's own, so other suites on the same Redis do
 * not interfere.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedState } from '../../src/store/shared/index.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { postgresUrl, redisUrl, testDatabase, type TestDatabase } from '../helpers/databases.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ADMIN_KEY, admin, ask, until } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-multi-0001';

describe.skipIf(!redisUrl)('two instances sharing Redis', () => {
  let a: Emulator;
  let b: Emulator;
  let q: Emulator;
  let db: TestDatabase;
  const states: SharedState[] = [];
  const gws: TestGateway[] = [];
  const dirs: string[] = [];
  let c1: OpenAI;
  let c2: OpenAI;

  beforeAll(async () => {
    a = await startEmulator({ keys: ['key-a'], models: { openai: ['*'] } });
    b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
    q = await startEmulator({ keys: ['key-q', 'key-r'], models: { openai: ['*'] } });
    db = await testDatabase(postgresUrl ? 'postgres' : 'sqlite');
    const prefix = `apiproxy-test-${randomBytes(4).toString('hex')}:`;
    const config = `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1]}
  - {id: pq, kind: openai-compatible, base_url: "${q.url}/v1", api_keys: [{key: key-q, max_qps: 5}], models: [m1]}
  - {id: pr, kind: openai-compatible, base_url: "${q.url}/v1", api_keys: [key-r], models: [m1]}
logical_models:
  - id: pair
    upstreams:
      - {provider: pa, model: m1}
      - {provider: pb, model: m1}
  - id: limited
    upstreams:
      - {provider: pq, model: m1, priority: 0}
      - {provider: pr, model: m1, priority: 1}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`;
    for (let i = 0; i < 2; i++) {
      const state = await createSharedState({ redisUrl: redisUrl!, prefix });
      states.push(state);
      const dir = mkdtempSync(join(tmpdir(), 'apiproxy-multi-'));
      dirs.push(dir);
      gws.push(
        await startGateway({
          config,
          shared: state,
          dataDir: dir,
          env: {
            ADMIN_API_KEY: ADMIN_KEY,
            DATABASE_URL: db.url,
            ROUTING_BREAKER_MIN_SAMPLES: '4',
            ROUTING_BREAKER_COOLDOWN_MS: '60000',
            ROUTING_STATE_REFRESH_MS: '50',
            KEY_BACKOFF_AFTER_FAILURES: '1000',
          },
        }),
      );
    }
    c1 = new OpenAI({ baseURL: `${gws[0]!.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    c2 = new OpenAI({ baseURL: `${gws[1]!.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  });

  afterAll(async () => {
    for (const g of gws) await g.close();
    for (const s of states) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await db?.drop();
    await a?.close();
    await b?.close();
    await q?.close();
  });

  it('agree on stickiness: a conversation begun on one instance stays put on the other', async () => {
    const firsts = new Set<string>();
    for (let s = 0; s < 12; s++) {
      const headers = { 'x-session-id': `multi-${s}` };
      const first = await ask(c1, 'pair', 'hello', false, headers);
      firsts.add(first.provider!);
      for (let t = 0; t < 2; t++) expect((await ask(c2, 'pair', `again ${t}`, t === 1, headers)).provider).toBe(first.provider);
    }
    expect(firsts.size).toBe(2);
    const seen = await admin<{ bindings: Array<{ uses: number }> }>(gws[1]!.url, 'GET', '/routing/sessions/multi-0');
    expect(seen.json.bindings[0]!.uses).toBe(3);
  });

  it('agree on breaker state: a breaker opened by one instance is open on the other', async () => {
    const fault = a.fault({ status: 503 });
    try {
      let i = 0;
      await until('the breaker to open on instance 1', async () => {
        expect((await ask(c1, 'pair', `q${i++}`, false)).provider).toBe('pb');
        const m = await admin<{ upstreams: Array<{ model: string; breaker: { state: string } }> }>(gws[0]!.url, 'GET', '/providers/pa/metrics');
        return m.json.upstreams.find((u) => u.model === 'm1')?.breaker.state === 'open' ? true : undefined;
      }, 100, 0);
      const other = await until('instance 2 to see it', async () => {
        const m = await admin<{ upstreams: Array<{ model: string; breaker: { state: string } }> }>(gws[1]!.url, 'GET', '/providers/pa/metrics');
        return m.json.upstreams.find((u) => u.model === 'm1')?.breaker.state === 'open' ? true : undefined;
      });
      expect(other).toBe(true);
      const d = await admin<{ candidates: Array<{ provider: string; group: string }> }>(gws[1]!.url, 'POST', '/routing/decide', { model: 'pair' });
      expect(d.json.candidates.find((x) => x.provider === 'pa')?.group).toBe('last_resort');
      const before = a.received.length;
      for (let k = 0; k < 5; k++) expect((await ask(c2, 'pair', `on 2: ${k}`, false)).provider).toBe('pb');
      expect(a.received.length).toBe(before);
    } finally {
      fault.cancel();
    }
  });

  it("agree on a provider key's max_qps", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i % 2 === 0 ? c1 : c2, 'limited', `burst ${i}`, false)));
    const viaQ = answers.filter((r) => r.provider === 'pq').length;
    // one shared limit of 5 per second (a burst may straddle the sliding window a little);
    // two separate limits would let up to 10 through
    expect(viaQ).toBeGreaterThanOrEqual(1);
    expect(viaQ).toBeLessThanOrEqual(6);
    expect(answers.filter((r) => r.provider === 'pr').length).toBe(20 - viaQ);
    expect(q.received.filter((r) => r.key === 'key-q').length).toBe(viaQ);
  });
});
