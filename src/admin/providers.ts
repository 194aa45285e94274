/**
 * Providers through the management API: validated, written to the database, and made live on
 * every instance at once (configChanged). Header values that look like credentials are only ever
 * shown masked; sending the masked value back in an edit keeps the stored one.
 */
import { randomUUID } from 'node:crypto';
import type { Dialect } from '../canonical/types.js';
import { PROVIDER_KINDS } from '../config/settings.js';
import { kindSpec } from '../providers/registry.js';
import type { ProviderKind } from '../providers/types.js';
import { secretHint } from '../security/mask.js';
import { checkUpstreamUrl } from '../security/ssrf.js';
import type { Gateway } from '../server/gateway.js';
import { parseJson, toJson } from '../store/db/json.js';
import type { ProviderRow, ProviderUpdate } from '../store/db/schema.js';
import { configChanged } from './config-change.js';
import { badRequest, conflict, isUniqueViolation, notFound } from './errors.js';
import { newProviderKeyRow, type ProviderKeyInput } from './provider-keys.js';

export const DIALECTS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const;
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface TimeoutsInput {
  connect_ms?: number | null | undefined;
  ttfb_ms?: number | null | undefined;
  idle_ms?: number | null | undefined;
  total_ms?: number | null | undefined;
}

export interface ProbeInput {
  enabled?: boolean | undefined;
  interval_seconds?: number | null | undefined;
  model?: string | null | undefined;
}

export interface ProviderFields {
  name?: string | undefined;
  kind?: ProviderKind | undefined;
  base_url?: string | null | undefined;
  api_version?: string | null | undefined;
  weight?: number | undefined;
  priority?: number | undefined;
  enabled?: boolean | undefined;
  retryable_status_codes?: number[] | null | undefined;
  headers?: Record<string, string> | undefined;
  dialects?: Dialect[] | null | undefined;
  timeouts?: TimeoutsInput | null | undefined;
  probe?: ProbeInput | undefined;
  models?: string[] | null | undefined;
}

const SENSITIVE_HEADER = /authorization|api[-_]?key|token|secret|password|cookie|signature|credential/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** Header values as shown by the API: credential-like ones masked ("sk-…WXYZ"). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSensitiveHeader(k) ? secretHint(v) : v;
  return out;
}

/** Stored timeouts JSON (camelCase) <-> API shape (snake_case, null = the default). */
export interface StoredTimeouts {
  connectMs?: number;
  ttfbMs?: number;
  idleMs?: number;
  totalMs?: number;
}

export function timeoutsOf(row: ProviderRow): { connect_ms: number | null; ttfb_ms: number | null; idle_ms: number | null; total_ms: number | null } {
  const t = parseJson<StoredTimeouts>(row.timeouts, {});
  return { connect_ms: t.connectMs ?? null, ttfb_ms: t.ttfbMs ?? null, idle_ms: t.idleMs ?? null, total_ms: t.totalMs ?? null };
}

function storedTimeouts(t: TimeoutsInput | null, current: StoredTimeouts): string | null {
  if (t === null) return null;
  const next: StoredTimeouts = { ...current };
  const set = (k: keyof StoredTimeouts, v: number | null | undefined): void => {
    if (v === undefined) return;
    if (v === null) delete next[k];
    else next[k] = v;
  };
  set('connectMs', t.connect_ms);
  set('ttfbMs', t.ttfb_ms);
  set('idleMs', t.idle_ms);
  set('totalMs', t.total_ms);
  return Object.keys(next).length === 0 ? null : JSON.stringify(next);
}

function cleanHeaders(headers: Record<string, string>, current: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.trim();
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw badRequest(`'headers': '${rawName}' is not a valid header name.`, 'headers');
    if (/[\r\n\0]/.test(value)) throw badRequest(`'headers.${name}' must not contain line breaks.`, `headers.${name}`);
    const lower = name.toLowerCase();
    if (['host', 'content-length', 'transfer-encoding', 'connection'].includes(lower)) {
      throw badRequest(`'headers': '${name}' is set by the gateway and cannot be configured.`, 'headers');
    }
    // the masked value shown by GET means "keep what is stored"
    const stored = Object.entries(current).find(([k]) => k.toLowerCase() === lower)?.[1];
    out[name] = stored !== undefined && isSensitiveHeader(name) && value === secretHint(stored) ? stored : value;
  }
  return out;
}

function cleanList(list: string[] | null | undefined, field: string): string[] | null | undefined {
  if (list === undefined || list === null) return list;
  const out = [...new Set(list.map((v) => v.trim()))];
  if (out.some((v) => v === '')) throw badRequest(`'${field}' must not contain blank names.`, field);
  return out;
}

/** Checks that need the whole record (after an edit is merged). */
/**
 * `checkUrl`: the base URL is new or changed through the API and must pass the SSRF policy. A URL
 * that came from the operator's config file (and is not being changed) is not re-judged, so a
 * YAML provider on 127.0.0.1 stays editable.
 */
async function validateMerged(
  gw: Gateway,
  row: { kind: string; base_url: string; api_version: string | null },
  checkUrl = true,
): Promise<void> {
  if (!(PROVIDER_KINDS as readonly string[]).includes(row.kind)) throw badRequest(`'kind' must be one of ${PROVIDER_KINDS.join(', ')}.`, 'kind');
  if (row.kind === 'azure-openai' && !row.api_version) {
    throw badRequest("'api_version' is required for kind azure-openai (e.g. 2024-10-21).", 'api_version');
  }
  if (checkUrl) await checkUpstreamUrl(gw, row.base_url, 'base_url');
}

function baseUrlFor(kind: ProviderKind, given: string | null | undefined): string {
  const url = given?.trim() || kindSpec(kind).defaultBaseUrl;
  if (!url) throw badRequest(`'base_url' is required for kind ${kind}.`, 'base_url');
  return url;
}

export async function getProvider(gw: Gateway, id: string): Promise<ProviderRow> {
  const row = await gw.store.providers.get(id);
  if (!row) throw notFound(`provider '${id}'`);
  return row;
}

export async function createProvider(gw: Gateway, id: string, f: ProviderFields & { kind: ProviderKind }, keys: ProviderKeyInput[] = []): Promise<ProviderRow> {
  if (!SLUG.test(id)) throw badRequest("'id' must be a slug: lower-case letters, digits, '-' or '_' (at most 64).", 'id');
  if (await gw.store.providers.get(id)) throw conflict(`A provider with id '${id}' already exists.`, 'id');
  const base_url = baseUrlFor(f.kind, f.base_url);
  const api_version = f.api_version?.trim() || null;
  await validateMerged(gw, { kind: f.kind, base_url, api_version });
  // keys are checked (and encrypted) before anything is written
  const seen = new Set<string>();
  const labels = new Set<string>();
  const keyRows = keys.map((k, i) => {
    if (seen.has(k.key)) throw badRequest(`'keys[${i}]' repeats an earlier key.`, `keys[${i}].key`);
    seen.add(k.key);
    const keyRow = newProviderKeyRow(gw, id, k, k.label?.trim() || `key-${i + 1}`, randomUUID());
    if (labels.has(keyRow.label)) throw badRequest(`'keys[${i}].label' repeats '${keyRow.label}'.`, `keys[${i}].label`);
    labels.add(keyRow.label);
    return keyRow;
  });
  try {
    await gw.store.providers.insert({
      id,
      name: f.name?.trim() || id,
      kind: f.kind,
      base_url,
      api_version,
      weight: f.weight ?? 1,
      priority: f.priority ?? 0,
      enabled: f.enabled === false ? 0 : 1,
      retryable_status_codes: toJson(f.retryable_status_codes ?? null),
      headers: JSON.stringify(cleanHeaders(f.headers ?? {}, {})),
      static_models: toJson(cleanList(f.models, 'models') ?? null),
      dialects: toJson(f.dialects && f.dialects.length > 0 ? [...new Set(f.dialects)] : null),
      timeouts: storedTimeouts(f.timeouts ?? null, {}),
      probe_enabled: f.probe?.enabled ? 1 : 0,
      probe_interval_seconds: f.probe?.interval_seconds ?? null,
      probe_model: f.probe?.model ?? null,
      source: 'api',
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A provider with id '${id}' already exists.`, 'id');
    throw err;
  }
  for (const keyRow of keyRows) await gw.store.providers.insertKey(keyRow);
  await configChanged(gw, { providerIds: [id] });
  return getProvider(gw, id);
}

export async function updateProvider(gw: Gateway, id: string, f: ProviderFields): Promise<ProviderRow> {
  const row = await getProvider(gw, id);
  const patch: Omit<ProviderUpdate, 'id' | 'created_at'> = {};
  const kind = (f.kind ?? row.kind) as ProviderKind;
  if (f.kind !== undefined) patch.kind = f.kind;
  if (f.name !== undefined) patch.name = f.name.trim() || id;
  if (f.base_url !== undefined) patch.base_url = baseUrlFor(kind, f.base_url);
  if (f.api_version !== undefined) patch.api_version = f.api_version?.trim() || null;
  if (f.weight !== undefined) patch.weight = f.weight;
  if (f.priority !== undefined) patch.priority = f.priority;
  if (f.enabled !== undefined) patch.enabled = f.enabled ? 1 : 0;
  if (f.retryable_status_codes !== undefined) patch.retryable_status_codes = toJson(f.retryable_status_codes);
  if (f.headers !== undefined) patch.headers = JSON.stringify(cleanHeaders(f.headers, parseJson<Record<string, string>>(row.headers, {})));
  if (f.dialects !== undefined) patch.dialects = toJson(f.dialects && f.dialects.length > 0 ? [...new Set(f.dialects)] : null);
  if (f.models !== undefined) patch.static_models = toJson(cleanList(f.models, 'models') ?? null);
  if (f.timeouts !== undefined) patch.timeouts = storedTimeouts(f.timeouts, parseJson<StoredTimeouts>(row.timeouts, {}));
  if (f.probe !== undefined) {
    if (f.probe.enabled !== undefined) patch.probe_enabled = f.probe.enabled ? 1 : 0;
    if (f.probe.interval_seconds !== undefined) patch.probe_interval_seconds = f.probe.interval_seconds;
    if (f.probe.model !== undefined) patch.probe_model = f.probe.model;
  }
  await validateMerged(
    gw,
    {
      kind,
      base_url: patch.base_url ?? row.base_url,
      api_version: patch.api_version !== undefined ? patch.api_version : row.api_version,
    },
    row.source !== 'config' || (patch.base_url !== undefined && patch.base_url !== row.base_url),
  );
  await gw.store.providers.update(id, patch);
  await configChanged(gw, { providerIds: [id] });
  return getProvider(gw, id);
}

/** Delete a provider with its keys and model settings; refused (409) while logical models use it, unless `force`. */
export async function deleteProvider(gw: Gateway, id: string, force: boolean): Promise<void> {
  await getProvider(gw, id);
  const users = await gw.store.logicalModels.idsUsingProvider(id);
  if (users.length > 0 && !force) {
    throw conflict(
      `Logical models route to this provider: ${users.join(', ')}. Remove it from their upstreams first, or delete with ?force=true (their upstreams on this provider go too).`,
    );
  }
  await gw.store.providers.delete(id);
  await configChanged(gw, { providerIds: [id] });
}
