/**
 * The JSON shapes of the management API the console reads (see /openapi.json). snake_case as on
 * the wire; times are ISO 8601 strings.
 */

export type Role = 'admin' | 'user';

export interface User {
  id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface CreatedUser extends User {
  /** only when the server generated it */
  password?: string;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_expires_in: number;
  user: User;
}

export interface Me {
  user: User | null;
  role: Role;
  via: 'session' | 'admin-token';
}

export interface List<T> {
  data: T[];
  total: number;
}

export interface Page<T> extends List<T> {
  limit: number;
  offset: number;
}

export type ApiKeyStatus = 'active' | 'disabled' | 'expired' | 'revoked';
export type BudgetPeriod = 'total' | 'day' | 'month';
export type Expiry = 'week' | 'month' | 'year' | 'never';

export interface ApiKey {
  id: string;
  user_id: string | null;
  name: string;
  prefix: string;
  status: ApiKeyStatus;
  enabled: boolean;
  expires_at: string | null;
  revoked_at: string | null;
  allowed_providers: string[] | null;
  allowed_models: string[] | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  budget_usd: number | null;
  budget_period: BudgetPeriod | null;
  source: string;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CreatedApiKey extends ApiKey {
  token: string;
}

export interface ApiKeyFields {
  name?: string;
  expiry?: Expiry;
  /** an exact expiry instead of `expiry` (ISO 8601) */
  expires_at?: string | null;
  enabled?: boolean;
  allowed_providers?: string[] | null;
  allowed_models?: string[] | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  budget_usd?: number | null;
  budget_period?: BudgetPeriod | null;
}

export type ProviderKind = 'openai' | 'openai-compatible' | 'azure-openai' | 'anthropic' | 'gemini';

export interface Timeouts {
  connect_ms: number | null;
  ttfb_ms: number | null;
  idle_ms: number | null;
  total_ms: number | null;
}

export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  base_url: string;
  api_version: string | null;
  weight: number;
  priority: number;
  enabled: boolean;
  retryable_status_codes: number[] | null;
  headers: Record<string, string>;
  dialects: string[] | null;
  timeouts: Timeouts;
  probe: { enabled: boolean; interval_seconds: number | null; model: string | null };
  models: string[] | null;
  key_count: number;
  active_key_count: number;
  source: string;
  created_at: string;
  updated_at: string;
}

export interface ProviderFields {
  kind?: ProviderKind;
  name?: string;
  base_url?: string;
  api_version?: string | null;
  weight?: number;
  priority?: number;
  enabled?: boolean;
  retryable_status_codes?: number[] | null;
  headers?: Record<string, string>;
  timeouts?: Partial<Timeouts> | null;
  probe?: { enabled?: boolean; interval_seconds?: number | null; model?: string | null };
  models?: string[] | null;
}

export interface NewProviderKey {
  key: string;
  label?: string;
  weight?: number;
  max_qps?: number | null;
  status?: ProviderKeyStatus;
}

export type ProviderKeyStatus = 'active' | 'disabled' | 'dead';

export interface ProviderKey {
  id: string;
  provider_id: string;
  label: string;
  hint: string;
  weight: number;
  max_qps: number | null;
  status: ProviderKeyStatus;
  status_reason: string | null;
  source: string;
  created_at: string;
  updated_at: string;
}

export interface ProviderModel {
  model_id: string;
  alias: string | null;
  price_input: number | null;
  price_cached_input: number | null;
  price_cache_write: number | null;
  price_output: number | null;
  served: boolean | null;
  configured: boolean;
  source: string | null;
}

export interface ProviderModelList extends List<ProviderModel> {
  discovery: { mode: 'static' | 'discovered'; ok: boolean; error: string | null };
}

export interface ModelSettings {
  alias?: string | null;
  price_input?: number | null;
  price_cached_input?: number | null;
  price_cache_write?: number | null;
  price_output?: number | null;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | string;

export interface BreakerView {
  state: BreakerState;
  since: string | null;
  until: string | null;
  cooldown_ms: number;
  trips: number;
}

export interface ProbeResult {
  ok: boolean;
  method: string;
  model: string | null;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
  checked_at: string | null;
}

export interface HealthCheck extends ProbeResult {
  provider: string;
  status: 'up' | 'down';
  keys: Array<{ id: string; label: string; ok: boolean; http_status: number | null; error: string | null; revived: boolean }>;
  breakers: Array<{ model: string; state: BreakerState }>;
}

export interface UpstreamFigures {
  model: string;
  samples: number;
  errors: number;
  error_ratio: number;
  latency_ms: number | null;
  ttfb_ms: number | null;
  health: number;
  breaker: BreakerView;
}

export interface ProviderMetrics {
  provider: string;
  enabled: boolean;
  window_s: number;
  upstreams: UpstreamFigures[];
  keys: Array<{
    id: string;
    label: string;
    weight: number;
    max_qps: number | null;
    state: string;
    backoff_until: string | null;
    consecutive_failures: number;
    reason: string | null;
  }>;
  last_probe: ProbeResult | null;
}

export interface Upstream {
  provider_id: string;
  model: string;
  weight: number;
  priority: number;
}

export type OnStreamFailure = 'error' | 'continue';

export interface LogicalModel {
  id: string;
  description: string | null;
  enabled: boolean;
  on_stream_failure: OnStreamFailure;
  upstreams: Upstream[];
  source: string;
  created_at: string;
  updated_at: string;
}

export interface LogicalModelFields {
  description?: string | null;
  enabled?: boolean;
  on_stream_failure?: OnStreamFailure;
  upstreams?: Array<{ provider_id: string; model: string; weight?: number; priority?: number }>;
}

export interface DecisionCandidate {
  provider: string;
  model: string;
  rank: number | null;
  group: string;
  reason: string | null;
  priority: number;
  weight: number;
  health: number | null;
  speed: number | null;
  score: number | null;
  share_of_tier: number | null;
  trial: boolean;
  sticky: boolean;
  figures: {
    samples: number;
    errors: number;
    error_ratio: number | null;
    latency_ms: number | null;
    ttfb_ms: number | null;
    latency_used_ms: number | null;
  };
  breaker: BreakerView;
  keys: { level: string; retry_after_ms: number | null; why: string | null };
}

export interface Decision {
  model: string;
  resolved_via: string;
  logical_model: string | null;
  on_stream_failure: OnStreamFailure;
  selected: { provider: string; model: string } | null;
  sticky: { provider: string; model: string; honoured: boolean; why: string } | null;
  formula: string;
  candidates: DecisionCandidate[];
}

export interface UsageSums {
  requests: number;
  errors: number;
  partial: number;
  estimated: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

export interface UsageRow extends UsageSums {
  key_id?: string | null;
  key_name?: string | null;
  key_prefix?: string | null;
  user_id?: string | null;
  username?: string | null;
  model?: string | null;
  provider_id?: string | null;
  day?: string;
}

export interface UsageReport {
  from: string;
  to: string;
  group_by: string[];
  data: UsageRow[];
  totals: UsageSums;
}

export type UsageDimension = 'key' | 'user' | 'model' | 'provider' | 'day';
export type Range = 'hour' | 'day' | 'week';

export interface TimeseriesPoint extends UsageSums {
  t: string;
  latency_avg_ms: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  ttfb_avg_ms: number | null;
}

export interface Timeseries {
  range: string;
  step: string;
  from: string;
  to: string;
  group: string | null;
  series: Array<{ group: string | null; points: TimeseriesPoint[] }>;
}

export interface RequestLog {
  id: string;
  ts: string;
  api_key_id: string | null;
  user_id: string | null;
  route: string;
  model: string | null;
  provider_id: string | null;
  upstream_model: string | null;
  status: number;
  latency_ms: number;
  ttfb_ms: number | null;
  stream: boolean;
  partial: boolean;
  estimated: boolean;
  attempts: number;
  usage: {
    input_tokens: number;
    cache_read_tokens: number;
    cache_write_tokens: number;
    output_tokens: number;
    reasoning_tokens: number;
  };
  cost_usd: number | null;
  error: string | null;
  session_id: string | null;
  client_ip: string | null;
}

export interface AttemptRecord {
  provider_id: string;
  model: string;
  key_id: string | null;
  status: number | null;
  error: string | null;
  ms: number;
  ttfb_ms?: number | null;
  usage?: { input: number; cache_read: number; cache_write: number; output: number; reasoning: number };
  cost_usd?: number | null;
}

export interface RequestLogDetail extends RequestLog {
  attempt_records: AttemptRecord[];
  request_body: string | null;
  response_body: string | null;
}

export interface RequestLogPage {
  data: RequestLog[];
  next_cursor: string | null;
}

export interface RequestLogFilter {
  from?: string;
  to?: string;
  key_id?: string;
  user_id?: string;
  model?: string;
  provider_id?: string;
  status?: number;
  outcome?: 'ok' | 'error';
  limit?: number;
  cursor?: string;
}

/** The OpenAI-style error body every management route answers with. */
export interface ErrorBody {
  error: { message: string; type?: string; param?: string | null; code?: string | null };
}
