/**
 * Builds the in-memory picture of providers and logical models from the store (secrets
 * decrypted here, once per reload, never per request).
 */
import type { Dialect } from '../canonical/types.js';
import { kindSpec } from '../providers/registry.js';
import type { ModelInfo, Provider, ProviderKey, ProviderKind, Timeouts } from '../providers/types.js';
import { trimSlash } from '../providers/url.js';
import type { Keyring } from '../security/keyring.js';
import { parseJson } from '../store/db/json.js';
import type { ProviderRow } from '../store/db/schema.js';
import type { Store } from '../store/db/store.js';

export interface LogicalUpstream {
  providerId: string;
  model: string;
  weight: number;
  priority: number;
}

export interface LogicalModel {
  id: string;
  description: string | null;
  enabled: boolean;
  onStreamFailure: 'error' | 'continue';
  upstreams: LogicalUpstream[];
}

export interface CatalogSnapshot {
  providers: Map<string, Provider>;
  logicalModels: Map<string, LogicalModel>;
  /** providers whose keys could not be decrypted (wrong SECRET_KEY for those rows) */
  undecryptableKeys: string[];
}

/**
 * Timeouts sized for LLM latencies: a connection is quick or broken (10 s); a non-stream answer
 * may take minutes to generate, so its headers may take up to `totalMs`; a stream must show its
 * first event within `ttfbMs` and never fall silent longer than `idleMs`.
 */
export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  ttfbMs: 60_000,
  idleMs: 120_000,
  totalMs: 600_000,
};

const KINDS: readonly ProviderKind[] = ['openai', 'openai-compatible', 'azure-openai', 'anthropic', 'gemini'];

function providerFromRow(row: ProviderRow, keys: ProviderKey[], models: Map<string, ModelInfo>, defaults: Timeouts): Provider | undefined {
  if (!KINDS.includes(row.kind as ProviderKind)) return undefined;
  const kind = row.kind as ProviderKind;
  const t = parseJson<Partial<Timeouts>>(row.timeouts, {});
  const codes = parseJson<number[] | null>(row.retryable_status_codes, null);
  const aliases = new Map<string, string>();
  for (const [modelId, info] of models) if (info.alias) aliases.set(info.alias, modelId);
  return {
    id: row.id,
    name: row.name,
    kind,
    baseUrl: trimSlash(row.base_url),
    apiVersion: row.api_version,
    weight: row.weight,
    priority: row.priority,
    enabled: row.enabled === 1,
    retryableStatusCodes: codes && codes.length > 0 ? new Set(codes) : null,
    headers: parseJson<Record<string, string>>(row.headers, {}),
    staticModels: parseJson<string[] | null>(row.static_models, null),
    dialects: parseJson<Dialect[] | null>(row.dialects, null) ?? kindSpec(kind).defaultDialects,
    timeouts: {
      connectMs: t.connectMs ?? defaults.connectMs,
      ttfbMs: t.ttfbMs ?? defaults.ttfbMs,
      idleMs: t.idleMs ?? defaults.idleMs,
      totalMs: t.totalMs ?? defaults.totalMs,
    },
    probe: {
      enabled: row.probe_enabled === 1,
      intervalSeconds: row.probe_interval_seconds,
      model: row.probe_model,
    },
    keys,
    models,
    aliases,
    source: row.source === 'config' ? 'config' : 'api',
  };
}

/** `defaults`: the global timeouts (UPSTREAM_*_TIMEOUT_MS) for providers that set none of their own. */
export async function loadCatalog(store: Store, keyring: Keyring, defaults: Timeouts = DEFAULT_TIMEOUTS): Promise<CatalogSnapshot> {
  const [providerRows, keyRows, modelRows, lmRows, upstreamRows] = await Promise.all([
    store.providers.list(),
    store.providers.listKeys(),
    store.providers.listModels(),
    store.logicalModels.list(),
    store.logicalModels.listUpstreams(),
  ]);

  const undecryptable: string[] = [];
  const keysByProvider = new Map<string, ProviderKey[]>();
  for (const k of keyRows) {
    let secret: string;
    try {
      secret = keyring.decryptProviderKey(k.id, k.ciphertext);
    } catch {
      undecryptable.push(`${k.provider_id}/${k.label}`);
      continue;
    }
    const list = keysByProvider.get(k.provider_id) ?? [];
    list.push({
      id: k.id,
      label: k.label,
      secret,
      weight: k.weight,
      maxQps: k.max_qps,
      status: k.status === 'disabled' || k.status === 'dead' ? k.status : 'active',
    });
    keysByProvider.set(k.provider_id, list);
  }

  const modelsByProvider = new Map<string, Map<string, ModelInfo>>();
  for (const m of modelRows) {
    const map = modelsByProvider.get(m.provider_id) ?? new Map<string, ModelInfo>();
    map.set(m.model_id, {
      alias: m.alias,
      priceInput: m.price_input,
      priceCachedInput: m.price_cached_input,
      priceCacheWrite: m.price_cache_write,
      priceOutput: m.price_output,
    });
    modelsByProvider.set(m.provider_id, map);
  }

  const providers = new Map<string, Provider>();
  for (const row of providerRows) {
    const p = providerFromRow(row, keysByProvider.get(row.id) ?? [], modelsByProvider.get(row.id) ?? new Map(), defaults);
    if (p) providers.set(p.id, p);
  }

  const logicalModels = new Map<string, LogicalModel>();
  for (const row of lmRows) {
    logicalModels.set(row.id, {
      id: row.id,
      description: row.description,
      enabled: row.enabled === 1,
      onStreamFailure: row.on_stream_failure === 'continue' ? 'continue' : 'error',
      upstreams: [],
    });
  }
  for (const u of upstreamRows) {
    logicalModels.get(u.logical_model_id)?.upstreams.push({
      providerId: u.provider_id,
      model: u.model,
      weight: u.weight,
      priority: u.priority,
    });
  }
  return { providers, logicalModels, undecryptableKeys: undecryptable };
}
