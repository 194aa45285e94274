/** Providers, their keys and models: request and response shapes. */
import Type, { type Static } from 'typebox';
import { maskHeaders, timeoutsOf } from '../../../admin/providers.js';
import { PROVIDER_KINDS } from '../../../config/settings.js';
import { parseJson } from '../../../store/db/json.js';
import type { ProviderKeyRow, ProviderRow } from '../../../store/db/schema.js';
import { iso, Nullable, Slug, Timestamp } from './common.js';

export const Kind = Type.Enum([...PROVIDER_KINDS], { description: 'openai, openai-compatible, azure-openai, anthropic or gemini' });
export const Dialect = Type.Enum(['openai-chat', 'openai-responses', 'anthropic', 'gemini']);

const Ms = Nullable(Type.Integer({ minimum: 1 }));
export const Timeouts = Type.Object(
  {
    connect_ms: Type.Optional(Ms),
    ttfb_ms: Type.Optional(Ms),
    idle_ms: Type.Optional(Ms),
    total_ms: Type.Optional(Ms),
  },
  {
    additionalProperties: false,
    description:
      'milliseconds; null = the default (UPSTREAM_*_TIMEOUT_MS: connect 10 000, first byte of a stream 60 000, idle 120 000, total 600 000)',
  },
);

export const Probe = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    interval_seconds: Type.Optional(Nullable(Type.Integer({ minimum: 10 }))),
    model: Type.Optional(Nullable(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false, description: 'active health probes' },
);

export const Provider = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  base_url: Type.String(),
  api_version: Nullable(Type.String()),
  weight: Type.Number(),
  priority: Type.Integer({ description: 'lower is preferred; the router tries priority 0 before 1' }),
  enabled: Type.Boolean(),
  retryable_status_codes: Nullable(Type.Array(Type.Integer(), { description: 'extra upstream statuses that fail over to the next provider (429 and 5xx always do); null = none' })),
  headers: Type.Record(Type.String(), Type.String(), { description: 'extra upstream headers; credential-like values are masked' }),
  dialects: Nullable(Type.Array(Dialect, { description: "null: the kind's native dialects" })),
  timeouts: Type.Object({ connect_ms: Ms, ttfb_ms: Ms, idle_ms: Ms, total_ms: Ms }),
  probe: Type.Object({ enabled: Type.Boolean(), interval_seconds: Nullable(Type.Integer()), model: Nullable(Type.String()) }),
  models: Nullable(Type.Array(Type.String(), { description: "a fixed model list; null: ask the provider's model-list endpoint" })),
  key_count: Type.Integer(),
  active_key_count: Type.Integer(),
  source: Type.String({ description: "'api' or 'config' (the YAML file re-applies its fields at every start)" }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ProviderJson = Static<typeof Provider>;

export function presentProvider(row: ProviderRow, keys: readonly ProviderKeyRow[]): ProviderJson {
  const mine = keys.filter((k) => k.provider_id === row.id);
  const probeInterval = row.probe_interval_seconds;
  return {
    id: row.id,
    name: row.name,
    kind: (PROVIDER_KINDS as readonly string[]).includes(row.kind) ? (row.kind as ProviderJson['kind']) : 'openai-compatible',
    base_url: row.base_url,
    api_version: row.api_version,
    weight: row.weight,
    priority: row.priority,
    enabled: row.enabled === 1,
    retryable_status_codes: parseJson<number[] | null>(row.retryable_status_codes, null),
    headers: maskHeaders(parseJson<Record<string, string>>(row.headers, {})),
    dialects: parseJson<ProviderJson['dialects']>(row.dialects, null),
    timeouts: timeoutsOf(row),
    probe: { enabled: row.probe_enabled === 1, interval_seconds: probeInterval, model: row.probe_model },
    models: parseJson<string[] | null>(row.static_models, null),
    key_count: mine.length,
    active_key_count: mine.filter((k) => k.status === 'active').length,
    source: row.source,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

const providerFields = {
  name: Type.String({ minLength: 1, maxLength: 128, description: 'display name (default: the id)' }),
  base_url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'http(s) URL; optional for openai, anthropic and gemini (their public endpoints)',
  }),
  api_version: Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'required for azure-openai' })),
  weight: Type.Number({ minimum: 0, description: 'share of traffic among providers of equal priority (default 1)' }),
  priority: Type.Integer({ minimum: 0, description: '0 is tried first (default 0)' }),
  enabled: Type.Boolean(),
  retryable_status_codes: Nullable(Type.Array(Type.Integer({ minimum: 400, maximum: 599 }))),
  headers: Type.Record(Type.String(), Type.String({ maxLength: 8192 })),
  dialects: Nullable(Type.Array(Dialect, { minItems: 1 })),
  timeouts: Nullable(Timeouts),
  probe: Probe,
  models: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 256 }))),
};

const KeyLabel = Type.String({ minLength: 1, maxLength: 64, description: 'unique within the provider (default key-N)' });
const KeyWeight = Type.Number({ exclusiveMinimum: 0, description: 'share of this provider\'s traffic (default 1)' });
const MaxQps = Nullable(Type.Integer({ minimum: 1, description: 'requests per second cap for this key; null = none' }));
const KeyStatus = Type.Enum(['active', 'disabled', 'dead'], { description: 'dead: refused by the provider; set active to revive' });
const Secret = Type.String({ minLength: 1, maxLength: 4096, description: 'the provider API key; never returned' });

export const NewProviderKeyBody = Type.Object(
  {
    key: Secret,
    label: Type.Optional(KeyLabel),
    weight: Type.Optional(KeyWeight),
    max_qps: Type.Optional(MaxQps),
    status: Type.Optional(KeyStatus),
  },
  { additionalProperties: false },
);

export const CreateProviderBody = Type.Object(
  {
    id: Slug,
    kind: Kind,
    name: Type.Optional(providerFields.name),
    base_url: Type.Optional(providerFields.base_url),
    api_version: Type.Optional(providerFields.api_version),
    weight: Type.Optional(providerFields.weight),
    priority: Type.Optional(providerFields.priority),
    enabled: Type.Optional(providerFields.enabled),
    retryable_status_codes: Type.Optional(providerFields.retryable_status_codes),
    headers: Type.Optional(providerFields.headers),
    dialects: Type.Optional(providerFields.dialects),
    timeouts: Type.Optional(providerFields.timeouts),
    probe: Type.Optional(providerFields.probe),
    models: Type.Optional(providerFields.models),
    keys: Type.Optional(Type.Array(NewProviderKeyBody, { description: 'provider API keys to add with the provider' })),
  },
  { additionalProperties: false },
);

export const UpdateProviderBody = Type.Object(
  {
    kind: Type.Optional(Kind),
    name: Type.Optional(providerFields.name),
    base_url: Type.Optional(providerFields.base_url),
    api_version: Type.Optional(providerFields.api_version),
    weight: Type.Optional(providerFields.weight),
    priority: Type.Optional(providerFields.priority),
    enabled: Type.Optional(providerFields.enabled),
    retryable_status_codes: Type.Optional(providerFields.retryable_status_codes),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: 8192 }), {
        description: 'replaces every header; a masked value as shown by GET keeps the stored value',
      }),
    ),
    dialects: Type.Optional(providerFields.dialects),
    timeouts: Type.Optional(providerFields.timeouts),
    probe: Type.Optional(providerFields.probe),
    models: Type.Optional(providerFields.models),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProviderParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const DeleteProviderQuery = Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'also remove this provider from the logical models that use it' })),
});

export const ProviderKey = Type.Object({
  id: Type.String(),
  provider_id: Type.String(),
  label: Type.String(),
  hint: Type.String({ description: 'a masked form of the key, e.g. "sk-…WXYZ"' }),
  weight: Type.Number(),
  max_qps: Nullable(Type.Integer()),
  status: KeyStatus,
  status_reason: Nullable(Type.String()),
  source: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ProviderKeyJson = Static<typeof ProviderKey>;

export function presentProviderKey(row: ProviderKeyRow): ProviderKeyJson {
  const s = row.status;
  return {
    id: row.id,
    provider_id: row.provider_id,
    label: row.label,
    hint: row.hint,
    weight: row.weight,
    max_qps: row.max_qps,
    status: s === 'disabled' || s === 'dead' ? s : 'active',
    status_reason: row.status_reason,
    source: row.source,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export const UpdateProviderKeyBody = Type.Object(
  {
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'replace the key itself (rotation); never returned' })),
    label: Type.Optional(KeyLabel),
    weight: Type.Optional(KeyWeight),
    max_qps: Type.Optional(MaxQps),
    status: Type.Optional(KeyStatus),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProviderKeyParams = Type.Object({ id: Type.String({ minLength: 1 }), keyId: Type.String({ minLength: 1 }) });

const Price = Nullable(Type.Number({ minimum: 0, description: 'USD per million tokens' }));

export const ProviderModel = Type.Object({
  model_id: Type.String(),
  alias: Nullable(Type.String({ description: 'another name clients may use for this model' })),
  price_input: Price,
  price_cached_input: Price,
  price_cache_write: Price,
  price_output: Price,
  served: Nullable(Type.Boolean({ description: "in the provider's model list; null when the list is unavailable" })),
  configured: Type.Boolean({ description: 'alias or prices are stored for it' }),
  source: Nullable(Type.String({ description: "'static' (config file), 'manual' (API); null when nothing is stored" })),
});

export const ProviderModelList = Type.Object({
  data: Type.Array(ProviderModel),
  total: Type.Integer(),
  discovery: Type.Object({
    mode: Type.Enum(['static', 'discovered']),
    ok: Type.Boolean(),
    error: Nullable(Type.String()),
  }),
});

export const ProviderModelsQuery = Type.Object({
  refresh: Type.Optional(Type.Boolean({ description: 'ask the provider for its model list now instead of using the cache' })),
});

export const ModelSettingsBody = Type.Object(
  {
    alias: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
    price_input: Type.Optional(Price),
    price_cached_input: Type.Optional(Price),
    price_cache_write: Type.Optional(Price),
    price_output: Type.Optional(Price),
  },
  { additionalProperties: false },
);

export const ProviderModelParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  '*': Type.String({ minLength: 1, description: 'the model id (may contain "/")' }),
});
