/**
 * Hourly usage rollups (table usage_rollups, migration 0007): additive upserts from each batch of
 * request logs, and the aggregate reads behind GET /usage, GET /usage/timeseries and the budget
 * counters' recount after a restart.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, UsageRollupsTable } from '../schema.js';

/** One rollup row's additions. Dimensions use '' for "none". */
export type RollupDelta = UsageRollupsTable;

export const ROLLUP_SUM_COLUMNS = [
  'requests',
  'errors',
  'partial',
  'estimated',
  'input_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_sum_ms',
  'latency_count',
  'ttfb_sum_ms',
  'ttfb_count',
  'lat_h0',
  'lat_h1',
  'lat_h2',
  'lat_h3',
  'lat_h4',
  'lat_h5',
  'lat_h6',
  'lat_h7',
  'lat_h8',
  'lat_h9',
] as const satisfies ReadonlyArray<keyof UsageRollupsTable>;

export type RollupSumColumn = (typeof ROLLUP_SUM_COLUMNS)[number];
export type RollupSums = Record<RollupSumColumn, number>;

export type UsageDimension = 'key' | 'user' | 'model' | 'provider' | 'day';

const DAY_MS = 86_400_000;

function dimension(d: UsageDimension): RawBuilder<string | number> {
  switch (d) {
    case 'key':
      return sql<string>`api_key_id`;
    case 'user':
      return sql<string>`user_id`;
    case 'model':
      return sql<string>`model`;
    case 'provider':
      return sql<string>`provider_id`;
    case 'day':
      return sql<number>`(bucket_ts / ${sql.lit(DAY_MS)}) * ${sql.lit(DAY_MS)}`;
  }
}

export interface RollupFilter {
  /** bucket_ts >= from (rounded down to the hour by the caller) */
  from?: number;
  /** bucket_ts < to */
  to?: number;
  userId?: string;
  apiKeyId?: string;
  model?: string;
  providerId?: string;
}

export type UsageGroupRow = Partial<Record<UsageDimension, string | number>> & RollupSums;

export interface TimeseriesRow extends RollupSums {
  t: number;
  /** the group value ('' = none) or null when not grouped */
  g: string | null;
}

export class UsageRollupsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  /** Add the deltas to their rows (created at zero first). Rows are written in key order so concurrent writers lock alike. */
  async add(deltas: RollupDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const sorted = [...deltas].sort((a, b) =>
      a.bucket_ts !== b.bucket_ts
        ? a.bucket_ts - b.bucket_ts
        : `${a.api_key_id}\u0000${a.model}\u0000${a.provider_id}` < `${b.api_key_id}\u0000${b.model}\u0000${b.provider_id}`
          ? -1
          : 1,
    );
    const chunk = this.kind === 'sqlite' ? 200 : 500;
    for (let i = 0; i < sorted.length; i += chunk) {
      await this.db
        .insertInto('usage_rollups')
        .values(sorted.slice(i, i + chunk))
        .onConflict((oc) =>
          oc.columns(['bucket_ts', 'api_key_id', 'model', 'provider_id']).doUpdateSet(() => {
            const set: Partial<Record<RollupSumColumn, RawBuilder<number>>> = {};
            for (const c of ROLLUP_SUM_COLUMNS) set[c] = sql<number>`${sql.ref(`usage_rollups.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
            return set;
          }),
        )
        .execute();
    }
  }

  /** Total cost of a key since `from` (budget recount). */
  async costSince(apiKeyId: string, from: number): Promise<number> {
    const r = await this.db
      .selectFrom('usage_rollups')
      .select(sql<number | null>`sum(cost_usd)`.as('cost'))
      .where('api_key_id', '=', apiKeyId)
      .where('bucket_ts', '>=', from)
      .executeTakeFirst();
    return Number(r?.cost ?? 0) || 0;
  }

  private filtered(f: RollupFilter) {
    let q = this.db.selectFrom('usage_rollups');
    if (f.from !== undefined) q = q.where('bucket_ts', '>=', f.from);
    if (f.to !== undefined) q = q.where('bucket_ts', '<', f.to);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.apiKeyId !== undefined) q = q.where('api_key_id', '=', f.apiKeyId);
    if (f.model !== undefined) q = q.where('model', '=', f.model);
    if (f.providerId !== undefined) q = q.where('provider_id', '=', f.providerId);
    return q;
  }

  private static sums(): Array<ReturnType<RawBuilder<number>['as']>> {
    return ROLLUP_SUM_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c));
  }

  /** Sums grouped by the given dimensions (none: one total row). */
  async aggregate(f: RollupFilter, groupBy: readonly UsageDimension[]): Promise<UsageGroupRow[]> {
    const dims = groupBy.map((d) => dimension(d).as(d));
    let q = this.filtered(f).select([...dims, ...UsageRollupsRepo.sums()]);
    for (const d of groupBy) q = q.groupBy(dimension(d));
    for (const d of groupBy) q = q.orderBy(dimension(d));
    const rows = (await q.execute()) as Array<Record<string, unknown>>;
    return rows.map((r) => normalise(r, groupBy));
  }

  /** Sums per time step (ms, a multiple of an hour), optionally per provider or model. */
  async timeseries(f: RollupFilter, stepMs: number, group: 'provider' | 'model' | null): Promise<TimeseriesRow[]> {
    const t = sql<number>`(bucket_ts / ${sql.lit(stepMs)}) * ${sql.lit(stepMs)}`;
    const g = group === null ? null : dimension(group);
    let q = this.filtered(f).select([t.as('t'), ...(g ? [g.as('g')] : []), ...UsageRollupsRepo.sums()]).groupBy(t);
    if (g) q = q.groupBy(g);
    q = q.orderBy(t);
    if (g) q = q.orderBy(g);
    const rows = (await q.execute()) as Array<Record<string, unknown>>;
    return rows.map((r) => {
      const sums = normalise(r, []);
      return { ...sums, t: Number(r.t), g: g ? String(r.g ?? '') : null };
    });
  }
}

function normalise(r: Record<string, unknown>, dims: readonly UsageDimension[]): UsageGroupRow {
  const out: Record<string, string | number> = {};
  for (const d of dims) out[d] = d === 'day' ? Number(r[d]) : String(r[d] ?? '');
  for (const c of ROLLUP_SUM_COLUMNS) out[c] = Number(r[c] ?? 0) || 0;
  return out as UsageGroupRow;
}
