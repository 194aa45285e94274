import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db/store.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../helpers/databases.js';

describe.each(DATABASE_KINDS)('store on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    db = await testDatabase(kind);
    store = Store.open(db.url);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('applies every migration once and reports nothing pending', async () => {
    expect(await store.pending()).toEqual([]);
    const again = await store.migrate();
    expect(again.applied).toEqual([]);
    await store.ping();
  });

  it('stores providers with keys and models, and deleting a provider removes them', async () => {
    await store.providers.insert({
      id: 'oa',
      name: 'OpenAI',
      kind: 'openai',
      base_url: 'https://api.openai.com',
      api_version: null,
      weight: 2.5,
      priority: 1,
      enabled: 1,
      retryable_status_codes: '[429,503]',
      headers: '{"x-a":"b"}',
      static_models: null,
      dialects: null,
      timeouts: null,
      probe_enabled: 0,
      probe_interval_seconds: null,
      probe_model: null,
      source: 'api',
    });
    await store.providers.insertKey({
      id: 'k1',
      provider_id: 'oa',
      label: 'main',
      ciphertext: 'v1.a.b.c',
      key_version: 1,
      fingerprint: 'f1',
      hint: 'sk-…abcd',
      weight: 1,
      max_qps: 50,
      status: 'active',
      status_reason: null,
      source: 'api',
    });
    await store.providers.upsertModel({
      provider_id: 'oa',
      model_id: 'gpt-4o',
      alias: 'fast',
      price_input: 2.5,
      price_cached_input: 1.25,
      price_cache_write: null,
      price_output: 10,
      source: 'manual',
    });
    await store.providers.upsertModel({
      provider_id: 'oa',
      model_id: 'gpt-4o',
      alias: 'fast',
      price_input: 3,
      price_cached_input: 1.25,
      price_cache_write: null,
      price_output: 12,
      source: 'manual',
    });

    const p = await store.providers.get('oa');
    expect(p).toMatchObject({ kind: 'openai', weight: 2.5, priority: 1, enabled: 1 });
    expect(typeof p?.created_at).toBe('number');
    const models = await store.providers.listModels('oa');
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ price_input: 3, price_output: 12 });
    expect(await store.providers.findKeyByFingerprint('oa', 'f1')).toMatchObject({ id: 'k1', max_qps: 50 });

    expect(await store.providers.delete('oa')).toBe(true);
    expect(await store.providers.listKeys('oa')).toEqual([]);
    expect(await store.providers.listModels('oa')).toEqual([]);
  });

  it('replaces a logical model and its upstreams atomically', async () => {
    for (const id of ['a', 'b']) {
      await store.providers.insert({
        id,
        name: id,
        kind: 'openai-compatible',
        base_url: 'http://127.0.0.1:1',
        api_version: null,
        weight: 1,
        priority: 0,
        enabled: 1,
        retryable_status_codes: null,
        headers: '{}',
        static_models: null,
        dialects: null,
        timeouts: null,
        probe_enabled: 0,
        probe_interval_seconds: null,
        probe_model: null,
        source: 'api',
      });
    }
    const lm = { id: 'fast', description: null, enabled: 1, on_stream_failure: 'error', source: 'config' };
    expect(
      await store.logicalModels.upsertWithUpstreams(lm, [
        { provider_id: 'a', model: 'm1', weight: 1, priority: 0 },
        { provider_id: 'b', model: 'm2', weight: 3, priority: 1 },
      ]),
    ).toBe('created');
    expect(await store.logicalModels.upsertWithUpstreams(lm, [{ provider_id: 'b', model: 'm2', weight: 5, priority: 0 }])).toBe('updated');
    const ups = await store.logicalModels.listUpstreams('fast');
    expect(ups).toHaveLength(1);
    expect(ups[0]).toMatchObject({ provider_id: 'b', model: 'm2', weight: 5 });
  });

  it('writes request logs in batches and pages through them newest first', async () => {
    const base = 1_700_000_000_000;
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: `r${String(i).padStart(5, '0')}`,
      ts: base + i,
      api_key_id: i % 2 === 0 ? 'k-even' : 'k-odd',
      user_id: null,
      route: '/v1/chat/completions',
      model: 'gpt-4o',
      provider_id: 'oa',
      upstream_model: 'gpt-4o',
      status: i % 10 === 0 ? 502 : 200,
      latency_ms: 10,
      ttfb_ms: 5,
      input_tokens: 3,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 4,
      reasoning_tokens: 0,
      cost_usd: null,
      stream: 0,
      attempts: 1,
      partial: 0,
      error: null,
      session_id: null,
      client_ip: '127.0.0.1',
      request_body: null,
      response_body: null,
    }));
    await store.requestLogs.insertMany(rows);
    // a replayed batch (retry after a failed flush) does not duplicate rows
    await store.requestLogs.insertMany(rows.slice(0, 10));

    const first = await store.requestLogs.query({ limit: 5 });
    expect(first.map((r) => r.id)).toEqual(['r01199', 'r01198', 'r01197', 'r01196', 'r01195']);
    const next = await store.requestLogs.query({ limit: 2, before: { ts: first[4]!.ts, id: first[4]!.id } });
    expect(next.map((r) => r.id)).toEqual(['r01194', 'r01193']);
    const errors = await store.requestLogs.query({ outcome: 'error', limit: 1000 });
    expect(errors).toHaveLength(120);
    const odd = await store.requestLogs.query({ apiKeyId: 'k-odd', from: base + 1000, limit: 1000 });
    expect(odd).toHaveLength(100);
    expect(await store.requestLogs.deleteOlderThan(base + 600)).toBe(600);
  });

  it('keeps the first system secret when two instances race to create it', async () => {
    const [a, b] = await Promise.all([
      store.secrets.insertIfAbsent('s', 'first', 1),
      store.secrets.insertIfAbsent('s', 'second', 1),
    ]);
    expect(a.ciphertext).toBe(b.ciphertext);
  });
});
