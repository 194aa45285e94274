import type { Kysely } from 'kysely';

/**
 * Request-log details: `estimated` (1 when some token counts are the gateway's own estimate
 * because the upstream never reported them, e.g. a stream cut before its usage event) and
 * `attempt_records` (JSON array of the per-attempt records: provider, model, key id, status,
 * error, timings; the existing `attempts` column keeps the count). Plus indexes for the
 * console's filters by user and provider.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_logs').addColumn('estimated', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('request_logs').addColumn('attempt_records', 'text').execute();
  await db.schema.createIndex('request_logs_user_ts_idx').on('request_logs').columns(['user_id', 'ts']).execute();
  await db.schema.createIndex('request_logs_provider_ts_idx').on('request_logs').columns(['provider_id', 'ts']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('request_logs_provider_ts_idx').ifExists().execute();
  await db.schema.dropIndex('request_logs_user_ts_idx').ifExists().execute();
  await db.schema.alterTable('request_logs').dropColumn('attempt_records').execute();
  await db.schema.alterTable('request_logs').dropColumn('estimated').execute();
}
