import type { Dialect } from '../canonical/types.js';
import type { PROVIDER_KINDS } from '../config/settings.js';

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface Timeouts {
  /** TCP/TLS connect */
  connectMs: number;
  /** request sent -> response headers (for streams: and the first event, see executor) */
  ttfbMs: number;
  /** longest silence between two body chunks */
  idleMs: number;
  /** whole attempt, body included */
  totalMs: number;
}

export interface ProviderKey {
  id: string;
  label: string;
  /** decrypted; lives only in memory */
  secret: string;
  weight: number;
  maxQps: number | null;
  status: 'active' | 'disabled' | 'dead';
}

export interface ModelInfo {
  alias: string | null;
  priceInput: number | null;
  priceCachedInput: number | null;
  priceCacheWrite: number | null;
  priceOutput: number | null;
}

/** A provider as the request path sees it (built from the store, secrets decrypted). */
export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  /** without a trailing slash */
  baseUrl: string;
  apiVersion: string | null;
  weight: number;
  priority: number;
  enabled: boolean;
  /** null = the default retryable set (see routing/retry-policy) */
  retryableStatusCodes: ReadonlySet<number> | null;
  headers: Readonly<Record<string, string>>;
  /** null = discover from the provider */
  staticModels: readonly string[] | null;
  /** dialects the provider serves natively, in order of preference */
  dialects: readonly Dialect[];
  timeouts: Timeouts;
  probe: { enabled: boolean; intervalSeconds: number | null; model: string | null };
  keys: ProviderKey[];
  /** per-model metadata: alias, prices (keyed by the provider's model id) */
  models: ReadonlyMap<string, ModelInfo>;
  /** alias -> the provider's model id */
  aliases: ReadonlyMap<string, string>;
  /** where the provider was defined: the operator's config file / env, or the admin API */
  source: 'config' | 'api';
}

export interface UpstreamTarget {
  /** absolute URL */
  url: string;
  /** true when the model goes in the body (false: in the URL, e.g. Gemini, Azure deployments) */
  modelInBody: boolean;
}

/** What differs between provider kinds. A new OpenAI-compatible vendor needs none of this: it is data. */
export interface ProviderKindSpec {
  kind: ProviderKind;
  defaultBaseUrl: string | null;
  /** dialects served natively by default (a provider may override) */
  defaultDialects: readonly Dialect[];
  /** where to send an inference call in `dialect` for `model` */
  inferenceTarget(p: Provider, dialect: Dialect, model: string, stream: boolean): UpstreamTarget;
  /** where to send an embeddings call, or null when the kind has no OpenAI-style embeddings */
  embeddingsTarget(p: Provider, model: string): UpstreamTarget | null;
  /** authentication (and version) headers for a key */
  authHeaders(p: Provider, key: string): Record<string, string>;
  /** the model-list URL */
  modelsUrl(p: Provider): string;
  /** model ids out of the provider's model-list response */
  parseModelList(body: unknown): string[];
}
