/**
 * The request-log sink's writer: each batch of rows and the hourly rollups they add are written
 * in one transaction, so the charts and budget recounts never disagree with the logs (a batch
 * that fails is retried whole by the sink, and nothing of it was kept).
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { RequestLogsRepo } from '../store/db/repositories/request-logs.js';
import { UsageRollupsRepo } from '../store/db/repositories/usage-rollups.js';
import type { Database, NewRequestLogRow } from '../store/db/schema.js';
import type { RequestLogWriter } from './request-log-sink.js';
import { rollupDeltas } from './rollups.js';

export class UsageWriter implements RequestLogWriter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: 'sqlite' | 'postgres',
    /** SQLite: the connection behind `db`, for the prepared row insert */
    private readonly raw?: SQLite.Database,
  ) {}

  async insertMany(rows: NewRequestLogRow[]): Promise<void> {
    if (rows.length === 0) return;
    const deltas = rollupDeltas(rows);
    await this.db.transaction().execute(async (trx) => {
      await new RequestLogsRepo(trx, this.kind, this.raw).insertMany(rows);
      await new UsageRollupsRepo(trx, this.kind).add(deltas);
    });
  }
}
