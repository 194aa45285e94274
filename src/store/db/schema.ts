/**
 * Table types for Kysely. Portable across SQLite and PostgreSQL:
 * - times are epoch milliseconds (bigint in PostgreSQL, parsed to number),
 * - flags are integers 0/1 (SQLite has no boolean and better-sqlite3 refuses JS booleans),
 * - structured values are JSON text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Flag = 0 | 1;

export interface ProvidersTable {
  id: string;
  name: string;
  kind: string;
  base_url: string;
  api_version: string | null;
  weight: number;
  priority: number;
  enabled: number;
  /** JSON number[] or null (= the default set) */
  retryable_status_codes: string | null;
  /** JSON object of extra upstream headers */
  headers: string;
  /** JSON string[]: static model list (null = discover) */
  static_models: string | null;
  /** JSON Dialect[]: overrides the kind's native dialects (null = the kind's default) */
  dialects: string | null;
  /** JSON {connectMs?, ttfbMs?, idleMs?, totalMs?} */
  timeouts: string | null;
  probe_enabled: number;
  probe_interval_seconds: number | null;
  probe_model: string | null;
  /** 'config' (YAML / env) or 'api' */
  source: string;
  created_at: number;
  updated_at: number;
}

export interface ProviderKeysTable {
  id: string;
  provider_id: string;
  label: string;
  /** AES-256-GCM ciphertext (see security/crypto.ts) */
  ciphertext: string;
  key_version: number;
  /** HMAC of the plaintext: finds the same key again without decrypting (idempotent import) */
  fingerprint: string;
  /** "sk-…WXYZ" */
  hint: string;
  weight: number;
  max_qps: number | null;
  /** 'active' | 'disabled' | 'dead' */
  status: string;
  status_reason: string | null;
  source: string;
  created_at: number;
  updated_at: number;
}

export interface ProviderModelsTable {
  provider_id: string;
  model_id: string;
  alias: string | null;
  /** USD per million tokens */
  price_input: number | null;
  price_cached_input: number | null;
  price_cache_write: number | null;
  price_output: number | null;
  /** 'static' | 'discovered' | 'manual' */
  source: string;
  created_at: number;
  updated_at: number;
}

export interface LogicalModelsTable {
  id: string;
  description: string | null;
  enabled: number;
  /** 'error' | 'continue' */
  on_stream_failure: string;
  source: string;
  created_at: number;
  updated_at: number;
}

export interface LogicalModelUpstreamsTable {
  id: string;
  logical_model_id: string;
  provider_id: string;
  model: string;
  weight: number;
  priority: number;
}

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  password_hash: string | null;
  /** 'admin' | 'user' */
  role: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string | null;
  name: string;
  key_hash: string;
  prefix: string;
  expires_at: number | null;
  revoked_at: number | null;
  enabled: number;
  /** JSON string[] or null (= all) */
  allowed_providers: string | null;
  allowed_models: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  budget_usd: number | null;
  /** 'total' | 'day' | 'month' */
  budget_period: string | null;
  source: string;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface RequestLogsTable {
  /** the request id */
  id: string;
  ts: number;
  api_key_id: string | null;
  user_id: string | null;
  route: string;
  model: string | null;
  provider_id: string | null;
  upstream_model: string | null;
  status: number;
  latency_ms: number;
  ttfb_ms: number | null;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  stream: number;
  attempts: number;
  /** 1 when the answer was cut short (stream ended early); usage is what was produced */
  partial: number;
  error: string | null;
  session_id: string | null;
  client_ip: string | null;
  request_body: string | null;
  response_body: string | null;
  /** 1 when some token counts are the gateway's estimate (the upstream never reported them); migration 0006 */
  estimated: Generated<number>;
  /** JSON AttemptRecord[] (src/routing/call.ts) with the answering attempt's tokens and cost; migration 0006 */
  attempt_records: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Hourly usage per key x model x provider (migration 0007; '' = none). Written by src/usage/usage-writer.ts. */
export interface UsageRollupsTable {
  /** start of the hour, epoch ms */
  bucket_ts: number;
  api_key_id: string;
  model: string;
  provider_id: string;
  user_id: string;
  requests: number;
  /** answers with status >= 400, not counting clients that left (499) */
  errors: number;
  partial: number;
  estimated: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  latency_sum_ms: number;
  latency_count: number;
  ttfb_sum_ms: number;
  ttfb_count: number;
  /** latency histogram counts, bounds in src/usage/latency-histogram.ts */
  lat_h0: number;
  lat_h1: number;
  lat_h2: number;
  lat_h3: number;
  lat_h4: number;
  lat_h5: number;
  lat_h6: number;
  lat_h7: number;
  lat_h8: number;
  lat_h9: number;
}

export interface SystemSecretsTable {
  name: string;
  ciphertext: string;
  key_version: number;
  updated_at: number;
}

/** A console sign-in: one refresh-token family. Revoking it ends every token of the family. */
export interface AuthSessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  /** when the newest refresh token of the family expires */
  expires_at: number;
  revoked_at: number | null;
  /** 'logout' | 'refresh_token_reuse' | 'password_changed' | 'user_disabled' | … */
  revoked_reason: string | null;
  user_agent: string | null;
  ip: string | null;
}

/** One issued refresh token (its jti); only a hash of the token is kept. */
export interface RefreshTokensTable {
  /** the token's jti */
  id: string;
  session_id: string;
  /** SHA-256 of the token, hex */
  token_hash: string;
  created_at: number;
  expires_at: number;
  /** set when the token was exchanged; a second use revokes the session */
  used_at: number | null;
}

export interface Database {
  providers: ProvidersTable;
  provider_keys: ProviderKeysTable;
  provider_models: ProviderModelsTable;
  logical_models: LogicalModelsTable;
  logical_model_upstreams: LogicalModelUpstreamsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  request_logs: RequestLogsTable;
  system_secrets: SystemSecretsTable;
  usage_rollups: UsageRollupsTable;
  auth_sessions: AuthSessionsTable;
  refresh_tokens: RefreshTokensTable;
}

export type ProviderRow = Selectable<ProvidersTable>;
export type NewProviderRow = Insertable<ProvidersTable>;
export type ProviderUpdate = Updateable<ProvidersTable>;
export type ProviderKeyRow = Selectable<ProviderKeysTable>;
export type ProviderModelRow = Selectable<ProviderModelsTable>;
export type LogicalModelRow = Selectable<LogicalModelsTable>;
export type LogicalModelUpstreamRow = Selectable<LogicalModelUpstreamsTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type RequestLogRow = Selectable<RequestLogsTable>;
export type AuthSessionRow = Selectable<AuthSessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type NewRequestLogRow = Insertable<RequestLogsTable>;
export type UsageRollupRow = Selectable<UsageRollupsTable>;
// Generated is re-exported for repositories that add autoincrement columns later
export type { Generated };
