/**
 * A provider's models: what it serves (its static list, or what its own model-list endpoint
 * reports, as the router sees it) merged with the settings stored per model (alias and prices
 * per million tokens: input, cached input, cache write, output).
 */
import type { Gateway } from '../server/gateway.js';
import type { ProviderModelRow } from '../store/db/schema.js';
import { configChanged, discoveredModelsKey } from './config-change.js';
import { badRequest, conflict, notFound } from './errors.js';
import { getProvider } from './providers.js';

export interface ModelSettings {
  alias?: string | null | undefined;
  price_input?: number | null | undefined;
  price_cached_input?: number | null | undefined;
  price_cache_write?: number | null | undefined;
  price_output?: number | null | undefined;
}

export interface ProviderModelView {
  model_id: string;
  alias: string | null;
  price_input: number | null;
  price_cached_input: number | null;
  price_cache_write: number | null;
  price_output: number | null;
  /** true when the provider's list has it; null when the list is unknown right now */
  served: boolean | null;
  /** true when settings are stored for it */
  configured: boolean;
  /** where the stored settings came from: 'static' (config file), 'manual' (API), 'discovered'; null when none */
  source: string | null;
}

export interface ProviderModelsView {
  data: ProviderModelView[];
  discovery: {
    /** 'static': the provider has a fixed model list; 'discovered': asked from the provider */
    mode: 'static' | 'discovered';
    ok: boolean;
    error: string | null;
  };
}

function view(modelId: string, row: ProviderModelRow | undefined, served: ReadonlySet<string> | null): ProviderModelView {
  return {
    model_id: modelId,
    alias: row?.alias ?? null,
    price_input: row?.price_input ?? null,
    price_cached_input: row?.price_cached_input ?? null,
    price_cache_write: row?.price_cache_write ?? null,
    price_output: row?.price_output ?? null,
    served: served === null ? null : served.has(modelId),
    configured: row !== undefined,
    source: row?.source ?? null,
  };
}

export async function listProviderModels(gw: Gateway, providerId: string, refresh: boolean): Promise<ProviderModelsView> {
  const row = await getProvider(gw, providerId);
  if (refresh) {
    await gw.shared.delete(discoveredModelsKey(providerId)).catch(() => undefined);
    gw.catalog.models.invalidate(providerId);
  }
  const runtime = gw.catalog.snapshot.providers.get(providerId);
  const list = runtime ? await gw.catalog.models.list(runtime) : null;
  const error = list === null ? (gw.catalog.models.lastError(providerId) ?? 'the model list is not available') : null;
  const served = list === null ? null : new Set(list);
  const rows = await gw.store.providers.listModels(providerId);
  const byId = new Map(rows.map((r) => [r.model_id, r]));
  const ids = [...new Set([...(list ?? []), ...byId.keys()])].sort((a, b) => a.localeCompare(b));
  return {
    data: ids.map((id) => view(id, byId.get(id), served)),
    discovery: { mode: row.static_models !== null ? 'static' : 'discovered', ok: list !== null, error },
  };
}

export async function getProviderModel(gw: Gateway, providerId: string, modelId: string): Promise<ProviderModelView> {
  const all = await listProviderModels(gw, providerId, false);
  const found = all.data.find((m) => m.model_id === modelId);
  if (!found) throw notFound(`model '${modelId}' on provider '${providerId}'`);
  return found;
}

function cleanModelId(raw: string): string {
  const id = raw.trim();
  if (id === '' || id.length > 256) throw badRequest('The model id must be 1-256 characters.', 'model_id');
  return id;
}

/**
 * Store a model's alias and prices. `replace` (PUT): fields not given are cleared; otherwise
 * (PATCH) they are kept.
 */
export async function setProviderModel(gw: Gateway, providerId: string, rawModelId: string, s: ModelSettings, replace: boolean): Promise<ProviderModelView> {
  await getProvider(gw, providerId);
  const modelId = cleanModelId(rawModelId);
  const rows = await gw.store.providers.listModels(providerId);
  const current = rows.find((r) => r.model_id === modelId);
  const val = <T>(given: T | null | undefined, stored: T | null): T | null => (given !== undefined ? given : replace ? null : stored);
  let alias = val(s.alias, current?.alias ?? null);
  if (alias !== null) alias = alias.trim() === '' ? null : alias.trim();
  if (alias !== null) {
    if (alias === modelId) alias = null;
    else {
      const clash = rows.find((r) => r.model_id !== modelId && r.alias === alias);
      if (clash) throw conflict(`The alias '${alias}' is already used by the model '${clash.model_id}' of this provider.`, 'alias');
    }
  }
  await gw.store.providers.upsertModel({
    provider_id: providerId,
    model_id: modelId,
    alias,
    price_input: val(s.price_input, current?.price_input ?? null),
    price_cached_input: val(s.price_cached_input, current?.price_cached_input ?? null),
    price_cache_write: val(s.price_cache_write, current?.price_cache_write ?? null),
    price_output: val(s.price_output, current?.price_output ?? null),
    // a row from the config file stays the config file's (the next import re-applies it)
    source: current?.source ?? 'manual',
  });
  await configChanged(gw);
  return getProviderModel(gw, providerId, modelId);
}

/** Forget a model's stored alias and prices. */
export async function deleteProviderModel(gw: Gateway, providerId: string, modelId: string): Promise<void> {
  await getProvider(gw, providerId);
  if (!(await gw.store.providers.deleteModel(providerId, modelId))) {
    throw notFound(`stored settings for model '${modelId}' on provider '${providerId}'`);
  }
  await configChanged(gw);
}
