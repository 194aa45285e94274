/**
 * Request-log retention: rows older than REQUEST_LOG_RETENTION_DAYS go, newer rows and the usage
 * rollups stay, and with several instances only one runs the clean-up per interval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Store } from '../../src/store/db/store.js';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import type { NewRequestLogRow } from '../../src/store/db/schema.js';
import { RetentionJob } from '../../src/usage/retention.js';
import { UsageWriter } from '../../src/usage/usage-writer.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../helpers/databases.js';

const DAY = 86_400_000;
const logger = pino({ level: 'silent' });

function row(id: string, ts: number): NewRequestLogRow {
  return {
    id,
    ts,
    api_key_id: 'k',
    user_id: null,
    route: '/v1/chat/completions',
    model: 'm',
    provider_id: 'p',
    upstream_model: 'm',
    status: 200,
    latency_ms: 10,
    ttfb_ms: 5,
    input_tokens: 1,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 1,
    reasoning_tokens: 0,
    cost_usd: 0.5,
    stream: 0,
    attempts: 1,
    partial: 0,
    error: null,
    session_id: null,
    client_ip: null,
    request_body: null,
    response_body: null,
  };
}

for (const kind of DATABASE_KINDS) {
  describe(`request-log retention (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await testDatabase(kind);
      store = Store.open(db.url);
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('deletes rows older than the retention, keeps the rest and the rollups, once per interval across instances', async () => {
      const now = Date.now();
      const rows = [row('old-1', now - 40 * DAY), row('old-2', now - 31 * DAY), row('edge', now - 29 * DAY), row('new', now - 1000)];
      // many old rows, to cross a delete batch
      for (let i = 0; i < 5100; i++) rows.push(row(`bulk-${i}`, now - 60 * DAY - i));
      await new UsageWriter(store.db, store.kind).insertMany(rows);

      const shared = new MemorySharedState();
      const a = new RetentionJob(store.db, shared, { retentionDays: 30, intervalMs: 3_600_000 }, logger);
      const b = new RetentionJob(store.db, shared, { retentionDays: 30, intervalMs: 3_600_000 }, logger);
      const first = await a.runOnce(now);
      const second = await b.runOnce(now);
      expect(first).toMatchObject({ skipped: false, deleted: 5102 });
      expect(second.skipped).toBe(true);
      const left = (await store.requestLogs.query({ limit: 100 })).map((r) => r.id).sort();
      expect(left).toEqual(['edge', 'new']);
      // budgets and charts keep their history
      expect(await store.requestLogs.get('old-1')).toBeUndefined();
      const { UsageRollupsRepo } = await import('../../src/store/db/repositories/usage-rollups.js');
      expect(await new UsageRollupsRepo(store.db, store.kind).costSince('k', 0)).toBeCloseTo(5104 * 0.5, 6);
      await shared.close();
    });

    it('keeps everything with REQUEST_LOG_RETENTION_DAYS=0', async () => {
      await new UsageWriter(store.db, store.kind).insertMany([row('ancient', 1000)]);
      const shared = new MemorySharedState();
      const job = new RetentionJob(store.db, shared, { retentionDays: 0, intervalMs: 60_000 }, logger);
      expect(await job.runOnce()).toMatchObject({ skipped: true, deleted: 0 });
      expect(await store.requestLogs.get('ancient')).toBeDefined();
      await shared.close();
    });
  });
}
