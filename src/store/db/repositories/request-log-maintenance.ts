/** Request-log clean-up: deletes in bounded batches, so neither database holds a long lock. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export class RequestLogMaintenance {
  constructor(private readonly db: Kysely<Database>) {}

  /** Delete up to `batch` rows older than `ts`; returns how many went. */
  async deleteBatchOlderThan(ts: number, batch: number): Promise<number> {
    const r = await this.db
      .deleteFrom('request_logs')
      .where('id', 'in', (eb) => eb.selectFrom('request_logs').select('id').where('ts', '<', ts).limit(batch))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
