/**
 * Which models each provider serves: its static list when it has one, otherwise its own model
 * list endpoint, cached for MODELS_CACHE_TTL (in memory, and in SharedState so every instance
 * shares one discovery). A failed discovery is remembered briefly and skips that provider
 * instead of failing requests.
 */
import { kindSpec } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import type { SharedState } from '../store/shared/shared-state.js';
import { readBody, type UpstreamClient } from './upstream-client.js';

interface Entry {
  ids: ReadonlySet<string> | null;
  list: readonly string[] | null;
  expiresAt: number;
  error?: string;
}

const FAILURE_TTL_MS = 30_000;
const DISCOVERY_TIMEOUT_MS = 15_000;

export class ModelDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private gen = 0;

  constructor(
    private readonly client: UpstreamClient,
    private readonly shared: SharedState,
    private readonly ttlMs: number,
    private readonly onError: (providerId: string, message: string) => void = () => undefined,
  ) {}

  private sharedKey(providerId: string): string {
    return `models:provider:${providerId}`;
  }

  /** The provider's model ids, or null when they cannot be known right now. */
  async list(p: Provider): Promise<readonly string[] | null> {
    return (await this.entry(p)).list;
  }

  /** true / false when known, null when the list cannot be had. */
  async serves(p: Provider, model: string): Promise<boolean | null> {
    const e = await this.entry(p);
    return e.ids === null ? null : e.ids.has(model);
  }

  /** Changes whenever a cached list is set or dropped (a memo of what the lists said is stale then). */
  get generation(): number {
    return this.gen;
  }

  /** When the provider's cached list stops being fresh (ms epoch), or null when it is not cached now. */
  freshUntil(p: Provider, now: number): number | null {
    const e = this.cache.get(p.id);
    if (!e || e.expiresAt <= now || (p.staticModels && e.list !== p.staticModels)) return null;
    return e.expiresAt;
  }

  private put(providerId: string, e: Entry): void {
    this.cache.set(providerId, e);
    this.gen++;
  }

  /** Last discovery error for a provider, if its list is unknown. */
  lastError(providerId: string): string | undefined {
    return this.cache.get(providerId)?.error;
  }

  invalidate(providerId?: string): void {
    if (providerId === undefined) this.cache.clear();
    else this.cache.delete(providerId);
    this.gen++;
  }

  private entry(p: Provider): Promise<Entry> | Entry {
    if (p.staticModels) {
      const cached = this.cache.get(p.id);
      if (cached && cached.list === p.staticModels) return cached;
      const e: Entry = { ids: new Set(p.staticModels), list: p.staticModels, expiresAt: Number.POSITIVE_INFINITY };
      this.put(p.id, e);
      return e;
    }
    const now = Date.now();
    const cached = this.cache.get(p.id);
    if (cached && cached.expiresAt > now) return cached;
    const running = this.inflight.get(p.id);
    if (running) return running;
    const job = this.load(p).finally(() => this.inflight.delete(p.id));
    this.inflight.set(p.id, job);
    return job;
  }

  private async load(p: Provider): Promise<Entry> {
    const key = this.sharedKey(p.id);
    try {
      const shared = await this.shared.get(key);
      if (shared !== null) {
        const list = JSON.parse(shared) as string[];
        const ttl = await this.shared.ttl(key);
        const e: Entry = { ids: new Set(list), list, expiresAt: Date.now() + (ttl > 0 ? ttl : this.ttlMs) };
        this.put(p.id, e);
        return e;
      }
    } catch {
      // shared cache unavailable or damaged: discover directly
    }
    try {
      const list = await this.discover(p);
      const e: Entry = { ids: new Set(list), list, expiresAt: Date.now() + this.ttlMs };
      this.put(p.id, e);
      if (this.ttlMs > 0) await this.shared.set(key, JSON.stringify(list), this.ttlMs).catch(() => undefined);
      return e;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.onError(p.id, message);
      const e: Entry = { ids: null, list: null, expiresAt: Date.now() + FAILURE_TTL_MS, error: message };
      this.put(p.id, e);
      return e;
    }
  }

  /** Ask the provider for its model list (first active key). */
  async discover(p: Provider): Promise<string[]> {
    const key = p.keys.find((k) => k.status === 'active');
    if (!key) throw new Error('no active key');
    const spec = kindSpec(p.kind);
    const res = await this.client.request(p, {
      url: spec.modelsUrl(p),
      method: 'GET',
      headers: { accept: 'application/json', ...spec.authHeaders(p, key.secret), ...p.headers },
      headersTimeoutMs: Math.min(DISCOVERY_TIMEOUT_MS, p.timeouts.totalMs),
      bodyTimeoutMs: DISCOVERY_TIMEOUT_MS,
    });
    const body = await readBody(res.body, 16 * 1024 * 1024);
    if (res.statusCode >= 400) throw new Error(`model list answered HTTP ${res.statusCode}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new Error('model list is not JSON');
    }
    return spec.parseModelList(parsed);
  }
}
