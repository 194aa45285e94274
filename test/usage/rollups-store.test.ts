/**
 * The rollup table on both databases: a batch of request logs and its rollups are written
 * together, repeated batches add up, and the aggregate reads group and filter correctly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageRollupsRepo } from '../../src/store/db/repositories/usage-rollups.js';
import type { NewRequestLogRow } from '../../src/store/db/schema.js';
import { Store } from '../../src/store/db/store.js';
import { UsageWriter } from '../../src/usage/usage-writer.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../helpers/databases.js';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2025, 2, 10); // a Monday, 00:00 UTC
let n = 0;

function row(over: Partial<NewRequestLogRow>): NewRequestLogRow {
  return {
    id: `r${n++}`,
    ts: T0 + 30 * 60_000,
    api_key_id: 'k1',
    user_id: 'u1',
    route: '/v1/chat/completions',
    model: 'gpt',
    provider_id: 'openai',
    upstream_model: 'gpt',
    status: 200,
    latency_ms: 400,
    ttfb_ms: 100,
    input_tokens: 10,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 5,
    reasoning_tokens: 0,
    cost_usd: 0.25,
    stream: 0,
    attempts: 1,
    partial: 0,
    error: null,
    session_id: null,
    client_ip: null,
    request_body: null,
    response_body: null,
    ...over,
  };
}

for (const kind of DATABASE_KINDS) {
  describe(`usage rollups (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    let repo: UsageRollupsRepo;
    beforeAll(async () => {
      db = await testDatabase(kind);
      store = Store.open(db.url);
      await store.migrate();
      repo = new UsageRollupsRepo(store.db, store.kind);
      const w = new UsageWriter(store.db, store.kind);
      // two batches touching the same rollup rows: they add up
      await w.insertMany([row({}), row({ model: 'claude', provider_id: 'anthropic', cost_usd: 1 }), row({ ts: T0 + DAY + H, api_key_id: 'k2', user_id: 'u2' })]);
      await w.insertMany([row({ status: 500, latency_ms: 3000, cost_usd: 0 }), row({ ts: T0 + 2 * H })]);
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('keeps every log row and sums the rollups of repeated batches', async () => {
      expect(await store.requestLogs.query({ limit: 100 })).toHaveLength(5);
      const [total] = await repo.aggregate({}, []);
      expect(total).toMatchObject({ requests: 5, errors: 1, input_tokens: 50, output_tokens: 25, latency_count: 5 });
      // 0.25 + 1 + 0.25 + 0 + 0.25
      expect(total!.cost_usd).toBeCloseTo(1.75, 9);
    });

    it('groups by day, key and model, and filters by user and time', async () => {
      const byDay = await repo.aggregate({}, ['day']);
      expect(byDay.map((r) => [r.day, r.requests])).toEqual([
        [T0, 4],
        [T0 + DAY, 1],
      ]);
      const byModel = await repo.aggregate({ userId: 'u1' }, ['key', 'model']);
      expect(byModel.map((r) => [r.key, r.model, r.requests])).toEqual([
        ['k1', 'claude', 1],
        ['k1', 'gpt', 3],
      ]);
      const late = await repo.aggregate({ from: T0 + H, to: T0 + 3 * H }, []);
      expect(late[0]!.requests).toBe(1);
      // k1: 0.25 + 1 + 0 + 0.25
      expect(await repo.costSince('k1', T0)).toBeCloseTo(1.5, 9);
      expect(await repo.costSince('k2', T0 + DAY + 2 * H)).toBe(0);
    });

    it('reads a time series per provider with the latency histogram', async () => {
      const points = await repo.timeseries({ from: T0, to: T0 + DAY }, H, 'provider');
      const openai = points.filter((p) => p.g === 'openai');
      expect(openai.map((p) => [p.t, p.requests])).toEqual([
        [T0, 2],
        [T0 + 2 * H, 1],
      ]);
      const first = openai[0]!;
      expect(first.latency_sum_ms).toBe(3400);
      expect(first.lat_h2).toBe(1); // 400 ms
      expect(first.lat_h5).toBe(1); // 3000 ms
      expect(first.errors).toBe(1);
    });
  });
}
