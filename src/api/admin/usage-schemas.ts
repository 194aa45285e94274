/** Shapes of the usage routes (GET /usage, /usage/timeseries, /v1/usage). */
import Type, { type Static } from 'typebox';
import type { RollupSums } from '../../store/db/repositories/usage-rollups.js';
import { Nullable } from './schemas/common.js';

const TimeParam = (what: string) =>
  Type.Optional(Type.String({ description: `${what}: ISO 8601 (2025-01-31 or 2025-01-31T12:00:00Z) or epoch milliseconds` }));

export const UsageQuery = Type.Object({
  from: TimeParam('start (inclusive; rounded down to the hour); default 30 days ago'),
  to: TimeParam('end (exclusive); default now'),
  group_by: Type.Optional(
    Type.String({
      pattern: '^(key|user|model|provider|day)(,(key|user|model|provider|day))*$',
      description: 'comma-separated: key, user, model, provider, day (default: day)',
    }),
  ),
  key_id: Type.Optional(Type.String({ minLength: 1 })),
  user_id: Type.Optional(Type.String({ minLength: 1, description: 'administrators only (a user sees their own keys)' })),
  model: Type.Optional(Type.String({ minLength: 1, description: 'the model name the client asked for' })),
  provider_id: Type.Optional(Type.String({ minLength: 1 })),
});
export type UsageQueryT = Static<typeof UsageQuery>;

const sums = {
  requests: Type.Integer(),
  errors: Type.Integer({ description: 'answers with status >= 400 (not counting clients that left)' }),
  partial: Type.Integer({ description: 'answers cut short (stream ended early)' }),
  estimated: Type.Integer({ description: 'calls whose token counts are partly the gateway\'s estimate' }),
  input_tokens: Type.Integer({ description: 'uncached input' }),
  cache_read_tokens: Type.Integer(),
  cache_write_tokens: Type.Integer(),
  output_tokens: Type.Integer({ description: 'visible output' }),
  reasoning_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
  cost_usd: Type.Number({ description: 'from the provider models\' prices; calls without prices count 0' }),
};
export const UsageSums = Type.Object(sums);
export type UsageSumsJson = Static<typeof UsageSums>;

export const UsageRow = Type.Object({
  key_id: Type.Optional(Nullable(Type.String({ description: 'null: the ADMIN_API_KEY or requests refused before authentication' }))),
  key_name: Type.Optional(Nullable(Type.String())),
  key_prefix: Type.Optional(Nullable(Type.String())),
  user_id: Type.Optional(Nullable(Type.String())),
  username: Type.Optional(Nullable(Type.String())),
  model: Type.Optional(Nullable(Type.String())),
  provider_id: Type.Optional(Nullable(Type.String())),
  day: Type.Optional(Type.String({ description: 'YYYY-MM-DD (UTC)' })),
  ...sums,
});
export type UsageRowJson = Static<typeof UsageRow>;

export const UsageReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  group_by: Type.Array(Type.String()),
  data: Type.Array(UsageRow),
  totals: UsageSums,
});

export const TimeseriesQuery = Type.Object({
  range: Type.Optional(Type.Enum(['hour', 'day', 'week'], { description: 'the window up to now: the last hour, 24 hours or 7 days (default day)' })),
  step: Type.Optional(Type.Enum(['hour', 'day'], { description: 'point spacing (default: hour; day for range=week)' })),
  group: Type.Optional(Type.Enum(['provider', 'model'], { description: 'one series per provider or model (default: one series)' })),
  key_id: Type.Optional(Type.String({ minLength: 1 })),
  user_id: Type.Optional(Type.String({ minLength: 1, description: 'administrators only' })),
});
export type TimeseriesQueryT = Static<typeof TimeseriesQuery>;

export const TimeseriesPoint = Type.Object({
  t: Type.String({ description: 'start of the step (ISO 8601, UTC)' }),
  ...sums,
  latency_avg_ms: Nullable(Type.Number()),
  latency_p50_ms: Nullable(Type.Number({ description: 'estimated from a histogram (bucket bounds 100 ms … 60 s)' })),
  latency_p95_ms: Nullable(Type.Number()),
  ttfb_avg_ms: Nullable(Type.Number()),
});

export const Timeseries = Type.Object({
  range: Type.String(),
  step: Type.String(),
  from: Type.String(),
  to: Type.String(),
  group: Nullable(Type.String()),
  series: Type.Array(Type.Object({ group: Nullable(Type.String()), points: Type.Array(TimeseriesPoint) })),
});

export const KeyUsage = Type.Object({
  key: Type.Object({ id: Type.String(), name: Type.String() }),
  limits: Type.Object({
    rpm: Nullable(Type.Integer()),
    tpm: Nullable(Type.Integer()),
    budget_usd: Nullable(Type.Number()),
    budget_period: Nullable(Type.String()),
  }),
  budget: Nullable(
    Type.Object({
      period: Type.String(),
      spent_usd: Type.Number(),
      remaining_usd: Type.Number(),
    }),
  ),
  today: UsageSums,
  this_month: UsageSums,
});

export function sumsJson(r: RollupSums): UsageSumsJson {
  return {
    requests: r.requests,
    errors: r.errors,
    partial: r.partial,
    estimated: r.estimated,
    input_tokens: r.input_tokens,
    cache_read_tokens: r.cache_read_tokens,
    cache_write_tokens: r.cache_write_tokens,
    output_tokens: r.output_tokens,
    reasoning_tokens: r.reasoning_tokens,
    total_tokens: r.input_tokens + r.cache_read_tokens + r.cache_write_tokens + r.output_tokens + r.reasoning_tokens,
    cost_usd: Math.round(r.cost_usd * 1e9) / 1e9,
  };
}
