/**
 * Importing the declarative config into the database: an idempotent upsert, run at every
 * start-up. Records created through the admin API are left alone; records that came from the
 * config are updated to match it. Within a provider named in the config, provider keys that came
 * from the config and are no longer listed are removed (so rotating a key in the file works).
 */
import { randomUUID } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';
import { secretHint } from '../security/mask.js';
import { flag, toJson } from '../store/db/json.js';
import type { Store } from '../store/db/store.js';
import type { ConfigFile, ConfigProvider } from './yaml-config.js';
import type { Settings } from './settings.js';
import { kindSpec } from '../providers/registry.js';

export interface ImportSummary {
  providers: { created: number; updated: number };
  providerKeys: { created: number; updated: number; removed: number };
  logicalModels: { created: number; updated: number };
  apiKeys: { created: number; updated: number };
}

function keyEntries(p: ConfigProvider): Array<{ key: string; label?: string; weight: number; max_qps?: number }> {
  return p.api_keys.map((k) => (typeof k === 'string' ? { key: k, weight: 1 } : k));
}

export async function importConfig(store: Store, keyring: Keyring, cfg: ConfigFile): Promise<ImportSummary> {
  const summary: ImportSummary = {
    providers: { created: 0, updated: 0 },
    providerKeys: { created: 0, updated: 0, removed: 0 },
    logicalModels: { created: 0, updated: 0 },
    apiKeys: { created: 0, updated: 0 },
  };

  for (const p of cfg.providers) {
    const baseUrl = p.base_url ?? kindSpec(p.kind).defaultBaseUrl;
    if (!baseUrl) throw new Error(`provider ${p.id}: base_url is required for kind ${p.kind}`);
    const outcome = await store.providers.upsert({
      id: p.id,
      name: p.name ?? p.id,
      kind: p.kind,
      base_url: baseUrl,
      api_version: p.api_version ?? null,
      weight: p.weight,
      priority: p.priority,
      enabled: flag(p.enabled),
      retryable_status_codes: toJson(p.retryable_status_codes),
      headers: JSON.stringify(p.headers),
      static_models: toJson(p.models),
      dialects: toJson(p.dialects),
      timeouts: p.timeouts
        ? JSON.stringify({
            connectMs: p.timeouts.connect_ms,
            ttfbMs: p.timeouts.ttfb_ms,
            idleMs: p.timeouts.idle_ms,
            totalMs: p.timeouts.total_ms,
          })
        : null,
      probe_enabled: flag(p.probe?.enabled),
      probe_interval_seconds: p.probe?.interval_seconds ?? null,
      probe_model: p.probe?.model ?? null,
      source: 'config',
    });
    summary.providers[outcome]++;

    const keep = new Set<string>();
    const entries = keyEntries(p);
    for (const [i, k] of entries.entries()) {
      const fingerprint = keyring.fingerprintProviderKey(p.id, k.key);
      keep.add(fingerprint);
      const label = k.label ?? `key-${i + 1}`;
      const existing = await store.providers.findKeyByFingerprint(p.id, fingerprint);
      if (existing) {
        await store.providers.updateKey(p.id, existing.id, {
          label,
          weight: k.weight,
          max_qps: k.max_qps ?? null,
        });
        summary.providerKeys.updated++;
      } else {
        const id = randomUUID();
        await store.providers.insertKey({
          id,
          provider_id: p.id,
          label,
          ciphertext: keyring.encryptProviderKey(id, k.key),
          key_version: keyring.box.version,
          fingerprint,
          hint: secretHint(k.key),
          weight: k.weight,
          max_qps: k.max_qps ?? null,
          status: 'active',
          status_reason: null,
          source: 'config',
        });
        summary.providerKeys.created++;
      }
    }
    for (const row of await store.providers.listKeys(p.id)) {
      if (row.source === 'config' && !keep.has(row.fingerprint)) {
        await store.providers.deleteKey(p.id, row.id);
        summary.providerKeys.removed++;
      }
    }

    const modelIds = new Set<string>([...(p.models ?? []), ...Object.keys(p.prices ?? {}), ...Object.values(p.aliases ?? {})]);
    const aliasOf = new Map<string, string>();
    for (const [alias, target] of Object.entries(p.aliases ?? {})) aliasOf.set(target, alias);
    for (const modelId of modelIds) {
      const pr = p.prices?.[modelId];
      await store.providers.upsertModel({
        provider_id: p.id,
        model_id: modelId,
        alias: aliasOf.get(modelId) ?? null,
        price_input: pr?.input ?? null,
        price_cached_input: pr?.cached_input ?? null,
        price_cache_write: pr?.cache_write ?? null,
        price_output: pr?.output ?? null,
        source: 'static',
      });
    }
  }

  for (const m of cfg.logical_models) {
    const outcome = await store.logicalModels.upsertWithUpstreams(
      {
        id: m.id,
        description: m.description ?? null,
        enabled: flag(m.enabled),
        on_stream_failure: m.on_stream_failure,
        source: 'config',
      },
      m.upstreams.map((u) => ({ provider_id: u.provider, model: u.model, weight: u.weight, priority: u.priority })),
    );
    summary.logicalModels[outcome]++;
  }

  for (const k of cfg.api_keys) {
    const hash = keyring.hashClientKey(k.key);
    const existing = await store.apiKeys.findByHash(hash);
    const fields = {
      name: k.name,
      enabled: flag(k.enabled),
      allowed_providers: toJson(k.allowed_providers),
      allowed_models: toJson(k.allowed_models),
      rpm_limit: k.rpm ?? null,
      tpm_limit: k.tpm ?? null,
    };
    if (existing) {
      await store.apiKeys.update(existing.id, fields);
      summary.apiKeys.updated++;
    } else {
      await store.apiKeys.insert({
        id: randomUUID(),
        user_id: null,
        key_hash: hash,
        prefix: k.key.slice(0, 8),
        expires_at: null,
        revoked_at: null,
        budget_usd: null,
        budget_period: null,
        source: 'config',
        ...fields,
      });
      summary.apiKeys.created++;
    }
  }
  return summary;
}

/** The quick one-upstream mode (UPSTREAM_* variables) as a config fragment. */
export const QUICK_PROVIDER_ID = 'upstream';

export function quickModeConfig(q: NonNullable<Settings['quickUpstream']>): ConfigFile {
  return {
    providers: [
      {
        id: QUICK_PROVIDER_ID,
        name: 'Upstream (UPSTREAM_* settings)',
        kind: q.kind,
        base_url: q.baseUrl,
        api_keys: [{ key: q.apiKey, weight: 1 }],
        weight: 1,
        priority: 0,
        enabled: true,
        headers: {},
        ...(q.model ? { models: [q.model] } : {}),
        ...(q.apiVersion ? { api_version: q.apiVersion } : {}),
      },
    ],
    logical_models: [],
    api_keys: [],
  };
}
