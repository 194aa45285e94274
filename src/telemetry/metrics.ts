/**
 * Prometheus metrics (served at GET /metrics, src/api/system/metrics.ts), in a registry of the
 * gateway's own (several gateways in one process keep separate figures).
 *
 * Labels are bounded on purpose: provider id, the provider's model id (never the name a client
 * typed, which could be anything), route, status class, and small fixed sets (outcome, token
 * kind). No label ever carries a key, a user or a session. Counters and histograms touched per
 * request are plain numbers in Maps (one lookup and an addition per figure; measured, prom-client's
 * own counters cost several times that, since they hash the label object on every call) and are
 * written out at scrape time.
 *
 * Per upstream gauges (breaker state, error ratio, latency EWMAs) are read from the live routing
 * state at scrape time, not on the request path.
 */
import { Gauge, Registry } from 'prom-client';
import type { CallContext } from '../routing/call.js';

export type AttemptOutcomeLabel = 'ok' | 'error' | 'timeout' | 'rate_limited' | 'credential' | 'rejected' | 'broken';

export interface UpstreamGauge {
  provider: string;
  model: string;
  /** 0 closed, 1 half-open, 2 open */
  breaker: number;
  errorRatio: number;
  samples: number;
  latencyMs: number | null;
  ttfbMs: number | null;
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFB_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const TOKEN_KINDS = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;
const SEP = '\u0001';

function statusClass(status: number): string {
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 200) return '2xx';
  return 'none';
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/**
 * A counter kept in plain numbers: the request path does one Map lookup and an addition (prom-client
 * hashes the label object on every call); the text is written at scrape time.
 */
class FastCounter {
  private readonly series = new Map<string, { values: string[]; value: number }>();
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
  ) {}

  inc(values: string[], by = 1): void {
    this.seriesFor(values).value += by;
  }

  /** The series of these label values (keep it to add to it without a lookup). */
  seriesFor(values: string[]): { value: number } {
    const key = values.join(SEP);
    let s = this.series.get(key);
    if (!s) {
      s = { values, value: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const s of this.series.values()) if (s.value > 0) lines.push(`${this.name}${labelText(this.labelNames, s.values)} ${s.value}`);
    return lines.join('\n');
  }
}

class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly values: string[],
    private readonly buckets: readonly number[],
  ) {
    this.counts = new Float64Array(buckets.length);
  }

  observe(v: number): void {
    const b = this.buckets;
    for (let i = 0; i < b.length; i++) {
      if (v <= b[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.sum += v;
    this.count++;
  }
}

/** A histogram kept in plain numbers (see FastCounter). */
class FastHistogram {
  private readonly series = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {}

  observe(values: string[], v: number): void {
    this.seriesFor(values).observe(v);
  }

  seriesFor(values: string[]): HistogramSeries {
    const key = values.join(SEP);
    let s = this.series.get(key);
    if (!s) {
      s = new HistogramSeries(values, this.buckets);
      this.series.set(key, s);
    }
    return s;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      if (s.count === 0) continue;
      let acc = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        acc += s.counts[i]!;
        lines.push(`${this.name}_bucket${labelText(this.labelNames, s.values, `le="${this.buckets[i]}"`)} ${acc}`);
      }
      lines.push(`${this.name}_bucket${labelText(this.labelNames, s.values, 'le="+Inf"')} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(this.labelNames, s.values)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(this.labelNames, s.values)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

interface CallSeries {
  route: string;
  provider: string;
  model: string;
  requests: Map<string, { value: number }>;
  errors: Map<string, { value: number }>;
  duration: HistogramSeries;
  ttfb: HistogramSeries;
  attempts: HistogramSeries;
  /** input, cache_read, cache_write, output, reasoning (none without a provider) */
  tokens: Array<{ value: number }>;
}

export class Metrics {
  /** prom-client registry: the gauges read from live routing state at scrape time */
  readonly registry = new Registry();
  private readonly requests = new FastCounter(
    'apiproxy_requests_total',
    'Inference requests answered, by route, the provider and model that answered (empty when none did) and status class.',
    ['route', 'provider', 'model', 'status_class'],
  );
  private readonly errors = new FastCounter(
    'apiproxy_request_errors_total',
    'Inference requests that ended in an error (status >= 400, or a stream ended by an error event).',
    ['route', 'provider', 'model', 'status_class'],
  );
  private readonly duration = new FastHistogram(
    'apiproxy_request_duration_seconds',
    'Time from arrival to the end of the answer (streams: to the last byte).',
    ['route', 'provider', 'model'],
    LATENCY_BUCKETS,
  );
  private readonly ttfb = new FastHistogram(
    'apiproxy_time_to_first_byte_seconds',
    'Time from arrival to the first content the client received (streams) or the whole answer (non-stream).',
    ['route', 'provider', 'model'],
    TTFB_BUCKETS,
  );
  private readonly tokens = new FastCounter(
    'apiproxy_tokens_total',
    'Tokens by provider, model and kind (input excludes cache reads and writes; output excludes reasoning).',
    ['provider', 'model', 'kind'],
  );
  private readonly attempts = new FastCounter(
    'apiproxy_upstream_attempts_total',
    'Upstream attempts by outcome: ok, error (retryable), timeout, rate_limited (429), credential (401/402/403), rejected (other 4xx), broken (stream failed after content).',
    ['provider', 'model', 'outcome'],
  );
  private readonly attemptsPerRequest = new FastHistogram('apiproxy_attempts_per_request', 'Upstream attempts one request needed.', ['route'], [1, 2, 3, 4, 5, 8]);
  private readonly rebinds = new FastCounter(
    'apiproxy_session_rebinds_total',
    'Sessions (X-Session-Id) moved to another upstream because their bound one could not serve.',
    [],
  );
  private readonly continuations = new FastCounter(
    'apiproxy_stream_continuations_total',
    'Committed streams that broke and were handed to the next upstream to finish (on_stream_failure: continue), by the upstream that broke.',
    ['provider', 'model'],
  );
  private readonly deadKeys = new FastCounter(
    'apiproxy_provider_keys_marked_dead_total',
    'Provider keys taken out of use after the provider refused them (401/402/403).',
    ['provider'],
  );
  /**
   * route -> provider -> model: the series one request touches. Nested maps keyed by the very
   * strings the catalog holds (their hashes are cached), not by a joined key built per request.
   */
  private readonly bundles = new Map<string, Map<string, Map<string, CallSeries>>>();
  /** provider -> model -> outcome -> attempts counter */
  private readonly attemptSeries = new Map<string, Map<string, Map<string, { value: number }>>>();
  private readonly fast = [this.requests, this.errors, this.duration, this.ttfb, this.tokens, this.attempts, this.attemptsPerRequest, this.rebinds, this.continuations, this.deadKeys];

  constructor(upstreams: () => UpstreamGauge[] = () => []) {
    const registers = [this.registry];
    let snapshot: UpstreamGauge[] = [];
    const take = (): UpstreamGauge[] => (snapshot = upstreams());
    new Gauge({
      name: 'apiproxy_circuit_breaker_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider', 'model'],
      registers,
      collect() {
        this.reset();
        for (const u of take()) this.set({ provider: u.provider, model: u.model }, u.breaker);
      },
    });
    new Gauge({
      name: 'apiproxy_upstream_error_ratio',
      help: 'Failed share of attempts per upstream over the rolling health window (all instances).',
      labelNames: ['provider', 'model'],
      registers,
      collect() {
        this.reset();
        for (const u of snapshot) if (u.samples > 0) this.set({ provider: u.provider, model: u.model }, u.errorRatio);
      },
    });
    new Gauge({
      name: 'apiproxy_upstream_latency_ewma_seconds',
      help: 'EWMA of upstream latency the planner uses: kind=total for non-stream answers, kind=ttfb for time to first content of streams.',
      labelNames: ['provider', 'model', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const u of snapshot) {
          if (u.latencyMs !== null) this.set({ provider: u.provider, model: u.model, kind: 'total' }, u.latencyMs / 1000);
          if (u.ttfbMs !== null) this.set({ provider: u.provider, model: u.model, kind: 'ttfb' }, u.ttfbMs / 1000);
        }
      },
    });
  }

  private bundle(route: string, provider: string, model: string): CallSeries {
    let byProvider = this.bundles.get(route);
    if (!byProvider) {
      byProvider = new Map();
      this.bundles.set(route, byProvider);
    }
    let byModel = byProvider.get(provider);
    if (!byModel) {
      byModel = new Map();
      byProvider.set(provider, byModel);
    }
    let b = byModel.get(model);
    if (!b) {
      b = {
        requests: new Map(),
        errors: new Map(),
        duration: this.duration.seriesFor([route, provider, model]),
        ttfb: this.ttfb.seriesFor([route, provider, model]),
        attempts: this.attemptsPerRequest.seriesFor([route]),
        tokens: provider ? TOKEN_KINDS.map((k) => this.tokens.seriesFor([provider, model, k])) : [],
        route,
        provider,
        model,
      };
      byModel.set(model, b);
    }
    return b;
  }

  /** A finished inference request (called once, when it is recorded). */
  observeCall(call: CallContext): void {
    const provider = call.providerId ?? '';
    const model = call.providerId ? (call.upstreamModel ?? '') : '';
    const b = this.bundle(call.route, provider, model);
    const cls = statusClass(call.status);
    let r = b.requests.get(cls);
    if (!r) {
      r = this.requests.seriesFor([b.route, provider, model, cls]);
      b.requests.set(cls, r);
    }
    r.value++;
    if (call.status >= 400 || call.error !== null) {
      let e = b.errors.get(cls);
      if (!e) {
        e = this.errors.seriesFor([b.route, provider, model, cls]);
        b.errors.set(cls, e);
      }
      e.value++;
    }
    b.duration.observe((performance.now() - call.t0) / 1000);
    if (call.ttfbMs !== null) b.ttfb.observe(call.ttfbMs / 1000);
    if (call.attempts.length > 0) b.attempts.observe(call.attempts.length);
    if (b.tokens.length > 0) {
      const u = call.usage;
      if (u.input > 0) b.tokens[0]!.value += u.input;
      if (u.cacheRead > 0) b.tokens[1]!.value += u.cacheRead;
      if (u.cacheWrite > 0) b.tokens[2]!.value += u.cacheWrite;
      if (u.output > 0) b.tokens[3]!.value += u.output;
      if (u.reasoning > 0) b.tokens[4]!.value += u.reasoning;
    }
  }

  attempt(provider: string, model: string, outcome: AttemptOutcomeLabel): void {
    let byModel = this.attemptSeries.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.attemptSeries.set(provider, byModel);
    }
    let byOutcome = byModel.get(model);
    if (!byOutcome) {
      byOutcome = new Map();
      byModel.set(model, byOutcome);
    }
    let series = byOutcome.get(outcome);
    if (!series) {
      series = this.attempts.seriesFor([provider, model, outcome]);
      byOutcome.set(outcome, series);
    }
    series.value++;
  }

  sessionRebound(): void {
    this.rebinds.inc([]);
  }

  continued(provider: string, model: string): void {
    this.continuations.inc([provider, model]);
  }

  keyDead(provider: string): void {
    this.deadKeys.inc([provider]);
  }

  async render(): Promise<string> {
    const gauges = await this.registry.metrics();
    return `${this.fast.map((m) => m.render()).join('\n\n')}\n\n${gauges}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
