import type { Kysely } from 'kysely';

/**
 * Pre-aggregated usage, one row per hour x key x model x provider, written with each batch of
 * request logs (src/usage/usage-writer.ts). The console's charts and GET /usage read these rows,
 * never the raw logs; budgets are re-counted from them after a restart (they outlive the
 * request-log retention). Missing dimensions are stored as '' so the primary key stays unique
 * on SQLite, where NULLs in a key never collide.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let t = db.schema
    .createTable('usage_rollups')
    .addColumn('bucket_ts', 'bigint', (c) => c.notNull())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('partial', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('estimated', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cache_read_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cache_write_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reasoning_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_sum_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ttfb_sum_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ttfb_count', 'bigint', (c) => c.notNull().defaultTo(0));
  // latency histogram: 10 buckets, bounds in src/usage/latency-histogram.ts (fixed by this schema)
  for (let i = 0; i < 10; i++) {
    t = t.addColumn(`lat_h${i}`, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await t.addPrimaryKeyConstraint('usage_rollups_pk', ['bucket_ts', 'api_key_id', 'model', 'provider_id']).execute();
  await db.schema.createIndex('usage_rollups_user_ts_idx').on('usage_rollups').columns(['user_id', 'bucket_ts']).execute();
  await db.schema.createIndex('usage_rollups_key_ts_idx').on('usage_rollups').columns(['api_key_id', 'bucket_ts']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('usage_rollups').ifExists().execute();
}
