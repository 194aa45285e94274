/**
 * Health probes: a live, cheap call to a provider — its model list, or a one-token completion
 * when the provider has a `probe_model`. Used by `GET /providers/{id}/health` (always live) and
 * in the background for providers with probes enabled (every `probe.interval_seconds`, default
 * PROBE_INTERVAL_S; one instance at a time per provider, through a SharedState lock).
 *
 * A probe runs with the provider's first usable key and with each of its dead keys (a key the
 * provider refused): a dead key that works again is revived. A successful probe also ends the
 * cool-down of the provider's open breakers (they turn half-open, so real traffic tries them at
 * once); a successful completion probe closes the probed model's breaker outright.
 * The result is kept in SharedState (`rt:probe:<provider>`, 24 h) for the health route.
 */
import type { Logger } from 'pino';
import type { CanonicalRequest } from '../canonical/types.js';
import { dialectModule } from '../dialects/registry.js';
import { kindSpec } from '../providers/registry.js';
import type { Provider, ProviderKey } from '../providers/types.js';
import type { SharedState } from '../store/shared/shared-state.js';
import type { Breakers } from './breaker.js';
import { upstreamId } from './health.js';
import type { KeyPool } from './key-pool.js';
import { upstreamHttpError } from './upstream-error.js';
import { readBody, type UpstreamClient } from './upstream-client.js';

export interface KeyProbe {
  id: string;
  label: string;
  ok: boolean;
  status: number | null;
  error: string | null;
  /** this probe brought a dead key back */
  revived: boolean;
}

export interface ProbeResult {
  provider: string;
  ok: boolean;
  method: 'models' | 'completion';
  model: string | null;
  /** HTTP status of the probe with the provider's usable key */
  status: number | null;
  latencyMs: number;
  error: string | null;
  checkedAt: number;
  keys: KeyProbe[];
}

const PROBE_TIMEOUT_MS = 15_000;
const MAX_KEYS_PER_PROBE = 10;
const RESULT_TTL_MS = 24 * 3_600_000;

export interface ProberDeps {
  client: UpstreamClient;
  shared: SharedState;
  keys: KeyPool;
  breakers: Breakers;
  logger: Logger;
  /** the providers as the catalog has them now */
  providers(): Iterable<Provider>;
  defaultIntervalMs: number;
  clock?: () => number;
}

function message(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
  return err instanceof Error ? err.message : String(err);
}

export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private readonly lastRun = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly clock: () => number;

  constructor(private readonly d: ProberDeps) {
    this.clock = d.clock ?? Date.now;
  }

  /** One call with one key: 2xx is healthy. */
  private async call(p: Provider, key: ProviderKey): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const spec = kindSpec(p.kind);
    const timeout = Math.min(PROBE_TIMEOUT_MS, p.timeouts.totalMs);
    const headers: Record<string, string> = { ...this.d.client.baseHeaders(), accept: 'application/json', ...spec.authHeaders(p, key.secret), ...p.headers };
    let url: string;
    let body: string | undefined;
    if (p.probe.model) {
      const dialect = p.dialects[0]!;
      const req: CanonicalRequest = {
        model: p.probe.model,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }],
        maxTokens: 1,
        stream: false,
        sourceDialect: dialect,
      };
      body = JSON.stringify(dialectModule(dialect).encodeRequest(req, { upstreamModel: p.probe.model }).body);
      url = spec.inferenceTarget(p, dialect, p.probe.model, false).url;
      headers['content-type'] = 'application/json';
    } else {
      url = spec.modelsUrl(p);
    }
    try {
      const res = await this.d.client.request(p, {
        url,
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body !== undefined ? { body } : {}),
        headersTimeoutMs: timeout,
        bodyTimeoutMs: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      const text = (await readBody(res.body, 4 * 1024 * 1024)).toString('utf8');
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode, error: null };
      const e = upstreamHttpError(res.statusCode, text, p.keys.map((k) => k.secret));
      return { ok: false, status: res.statusCode, error: `HTTP ${res.statusCode}: ${e.message}` };
    } catch (err) {
      return { ok: false, status: null, error: message(err) };
    }
  }

  /** Probe a provider now, act on the result and store it. */
  async probe(p: Provider): Promise<ProbeResult> {
    const started = performance.now();
    const usable = p.keys.find((k) => this.d.keys.state(k).state !== 'dead' && k.status !== 'disabled');
    const dead = p.keys.filter((k) => k.status !== 'disabled' && this.d.keys.state(k).state === 'dead').slice(0, MAX_KEYS_PER_PROBE);
    const main = usable ? await this.call(p, usable) : { ok: false, status: null, error: 'no usable key to probe with' };
    const latencyMs = Math.round(performance.now() - started);
    const keys: KeyProbe[] = [];
    if (usable) keys.push({ id: usable.id, label: usable.label, ...main, revived: false });
    let anyOk = main.ok;
    for (const k of dead) {
      const r = await this.call(p, k);
      let revived = false;
      if (r.ok) {
        anyOk = true;
        try {
          await this.d.keys.revive(p, k);
          revived = true;
          this.d.logger.info({ provider: p.id, key: k.label }, 'provider key revived by a successful probe');
        } catch (err) {
          this.d.logger.warn({ provider: p.id, key: k.label, err: message(err) }, 'could not revive a provider key');
        }
      }
      keys.push({ id: k.id, label: k.label, ...r, revived });
    }
    if (anyOk) {
      for (const id of this.d.breakers.known()) {
        if (!id.startsWith(`${p.id}/`)) continue;
        if (p.probe.model && id === upstreamId(p.id, p.probe.model)) this.d.breakers.close(id, 'a completion probe succeeded');
        else this.d.breakers.halfOpenNow(id, 'a probe succeeded');
      }
    }
    const result: ProbeResult = {
      provider: p.id,
      ok: anyOk,
      method: p.probe.model ? 'completion' : 'models',
      model: p.probe.model,
      status: main.status,
      latencyMs,
      error: anyOk ? null : main.error,
      checkedAt: this.clock(),
      keys,
    };
    this.lastRun.set(p.id, this.clock());
    await this.d.shared.set(`rt:probe:${p.id}`, JSON.stringify(result), RESULT_TTL_MS).catch(() => undefined);
    return result;
  }

  async lastResult(providerId: string): Promise<ProbeResult | null> {
    const text = await this.d.shared.get(`rt:probe:${providerId}`).catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text) as ProbeResult;
    } catch {
      return null;
    }
  }

  /** Background probes for providers with probes enabled. */
  start(tickMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(): Promise<void> {
    const now = this.clock();
    for (const p of this.d.providers()) {
      if (!p.enabled || !p.probe.enabled || this.running.has(p.id)) continue;
      const interval = p.probe.intervalSeconds ? p.probe.intervalSeconds * 1000 : this.d.defaultIntervalMs;
      if (now - (this.lastRun.get(p.id) ?? 0) < interval) continue;
      this.lastRun.set(p.id, now);
      this.running.add(p.id);
      void (async () => {
        try {
          // one instance probes a provider per interval
          const mine = await this.d.shared.setIfAbsent(`rt:probe-lock:${p.id}`, String(now), Math.max(1000, interval - 500)).catch(() => true);
          if (!mine) return;
          const r = await this.probe(p);
          if (!r.ok) this.d.logger.warn({ provider: p.id, error: r.error }, 'background probe failed');
        } finally {
          this.running.delete(p.id);
        }
      })();
    }
  }
}
