import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database, NewRequestLogRow, RequestLogRow } from '../schema.js';

/** Every column a request-log row is written with (the prepared SQLite insert names them all). */
export const REQUEST_LOG_COLUMNS = [
  'id', 'ts', 'api_key_id', 'user_id', 'route', 'model', 'provider_id', 'upstream_model', 'status', 'latency_ms', 'ttfb_ms',
  'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'stream', 'attempts',
  'partial', 'error', 'session_id', 'client_ip', 'request_body', 'response_body', 'estimated', 'attempt_records',
] as const satisfies ReadonlyArray<keyof NewRequestLogRow>;

type Param = string | number | null;
const statements = new WeakMap<SQLite.Database, SQLite.Statement<Param[]>>();

/**
 * SQLite: one prepared single-row INSERT reused for every row (inside the caller's transaction).
 * Building a 500-row statement per batch cost more CPU than the writes themselves.
 */
function preparedInsert(raw: SQLite.Database): SQLite.Statement<Param[]> {
  let st = statements.get(raw);
  if (!st) {
    st = raw.prepare<Param[]>(
      `INSERT INTO request_logs (${REQUEST_LOG_COLUMNS.join(', ')}) VALUES (${REQUEST_LOG_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
    );
    statements.set(raw, st);
  }
  return st;
}

export interface RequestLogQuery {
  from?: number;
  to?: number;
  apiKeyId?: string;
  userId?: string;
  model?: string;
  providerId?: string;
  status?: number;
  /** 'ok' = status < 400, 'error' = status >= 400 */
  outcome?: 'ok' | 'error';
  limit?: number;
  /** rows older than this cursor (ts, id) — keyset pagination */
  before?: { ts: number; id: string };
}

export class RequestLogsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: 'sqlite' | 'postgres',
    /** the raw SQLite connection behind `db`, when there is one */
    private readonly raw?: SQLite.Database,
  ) {}

  /** One multi-row insert per batch (chunked to stay under parameter limits); SQLite: a prepared row insert. */
  async insertMany(rows: NewRequestLogRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.raw) {
      const st = preparedInsert(this.raw);
      const values: Param[] = new Array<Param>(REQUEST_LOG_COLUMNS.length);
      for (const row of rows) {
        for (let i = 0; i < REQUEST_LOG_COLUMNS.length; i++) {
          const v = row[REQUEST_LOG_COLUMNS[i]!];
          values[i] = v === undefined ? (REQUEST_LOG_COLUMNS[i] === 'estimated' ? 0 : null) : (v as Param);
        }
        st.run(...values);
      }
      return;
    }
    // SQLite allows 32766 parameters, PostgreSQL 65535; 26 columns per row
    const chunk = this.kind === 'sqlite' ? 500 : 1000;
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('request_logs')
        .values(rows.slice(i, i + chunk))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  get(id: string): Promise<RequestLogRow | undefined> {
    return this.db.selectFrom('request_logs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  query(q: RequestLogQuery): Promise<RequestLogRow[]> {
    let s = this.db.selectFrom('request_logs').selectAll();
    if (q.from !== undefined) s = s.where('ts', '>=', q.from);
    if (q.to !== undefined) s = s.where('ts', '<', q.to);
    if (q.apiKeyId !== undefined) s = s.where('api_key_id', '=', q.apiKeyId);
    if (q.userId !== undefined) s = s.where('user_id', '=', q.userId);
    if (q.model !== undefined) s = s.where('model', '=', q.model);
    if (q.providerId !== undefined) s = s.where('provider_id', '=', q.providerId);
    if (q.status !== undefined) s = s.where('status', '=', q.status);
    if (q.outcome === 'ok') s = s.where('status', '<', 400);
    if (q.outcome === 'error') s = s.where('status', '>=', 400);
    if (q.before !== undefined) {
      const b = q.before;
      s = s.where((eb) => eb.or([eb('ts', '<', b.ts), eb.and([eb('ts', '=', b.ts), eb('id', '<', b.id)])]));
    }
    return s
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(q.limit ?? 50, 1), 1000))
      .execute();
  }

  async deleteOlderThan(ts: number): Promise<number> {
    const r = await this.db.deleteFrom('request_logs').where('ts', '<', ts).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
