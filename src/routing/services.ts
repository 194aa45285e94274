/**
 * The routing services of one gateway instance, wired together: live health, breakers, the key
 * pool, session stickiness, the planner, the background sync of shared state and the probes.
 */
import type { Logger } from 'pino';
import type { RoutingSettings } from '../config/settings.js';
import type { Provider } from '../providers/types.js';
import type { SharedState } from '../store/shared/shared-state.js';
import type { Store } from '../store/db/store.js';
import type { Metrics, UpstreamGauge } from '../telemetry/metrics.js';
import { Breakers } from './breaker.js';
import { HealthBook } from './health.js';
import { KeyPool } from './key-pool.js';
import { LiveSync } from './live-sync.js';
import { Planner } from './planner.js';
import { Prober } from './probe.js';
import { SessionBook } from './stickiness.js';
import type { UpstreamClient } from './upstream-client.js';

export interface RoutingDeps {
  settings: RoutingSettings;
  shared: SharedState;
  store: Store;
  client: UpstreamClient;
  logger: Logger;
  metrics: Metrics;
  /** the providers as the catalog has them now */
  providers(): Iterable<Provider>;
  /** tell every instance that configuration changed (they reload their catalogs) */
  announce(): Promise<void>;
}

export class RoutingServices {
  readonly health: HealthBook;
  readonly breakers: Breakers;
  readonly keys: KeyPool;
  readonly sessions: SessionBook;
  readonly planner: Planner;
  readonly sync: LiveSync;
  readonly prober: Prober;
  readonly settings: RoutingSettings;

  constructor(d: RoutingDeps) {
    const s = d.settings;
    this.settings = s;
    this.health = new HealthBook(d.shared, { windowMs: s.healthWindowMs, alpha: s.latencyAlpha });
    this.breakers = new Breakers(d.shared, this.health, { ...s.breaker, windowMs: s.healthWindowMs }, (upstream, view, reason) => {
      const level = view.state === 'closed' ? 'info' : 'warn';
      d.logger[level]({ upstream, breaker: view.state, cooldownMs: view.state === 'closed' ? undefined : view.cooldownMs, reason }, `circuit breaker ${view.state.replace('_', '-')}`);
    });
    this.keys = new KeyPool(d.shared, s.keyBackoff, {
      persistDead: async (providerId, keyId, reason) => {
        await d.store.providers.updateKey(providerId, keyId, { status: 'dead', status_reason: reason.slice(0, 500) });
        await d.announce();
      },
      persistRevived: async (providerId, keyId) => {
        await d.store.providers.updateKey(providerId, keyId, { status: 'active', status_reason: null });
        await d.announce();
      },
      onDead: (providerId, key, reason) => {
        d.metrics.keyDead(providerId);
        d.logger.warn({ provider: providerId, key: key.label, reason }, 'provider key marked dead (the provider refused it); a successful probe or an operator revives it');
      },
    });
    this.sessions = new SessionBook(d.shared, s.stickyTtlMs);
    this.planner = new Planner(this.health, this.breakers, this.keys);
    this.sync = new LiveSync(d.shared, s.stateRefreshMs, (message) => d.logger.warn({ err: message }, 'routing state sync with shared state failed; using the local picture'));
    this.sync.add(this.health);
    this.sync.add(this.breakers);
    this.sync.add(this.keys);
    this.prober = new Prober({
      client: d.client,
      shared: d.shared,
      keys: this.keys,
      breakers: this.breakers,
      logger: d.logger,
      providers: d.providers,
      defaultIntervalMs: s.probeIntervalMs,
    });
  }

  start(): void {
    this.sync.start();
    this.prober.start();
  }

  async stop(): Promise<void> {
    this.prober.stop();
    await this.sync.stop();
  }

  /** After a catalog reload. */
  onCatalog(providers: Iterable<Provider>): void {
    this.keys.reconcile(providers);
  }

  /** Per upstream figures for the Prometheus gauges. */
  gauges(): UpstreamGauge[] {
    const ids = new Set([...this.health.watched(), ...this.breakers.known()]);
    const out: UpstreamGauge[] = [];
    for (const id of ids) {
      const slash = id.indexOf('/');
      const f = this.health.figures(id);
      const b = this.breakers.view(id).state;
      out.push({
        provider: id.slice(0, slash),
        model: id.slice(slash + 1),
        breaker: b === 'closed' ? 0 : b === 'half_open' ? 1 : 2,
        errorRatio: f.errorRatio,
        samples: f.samples,
        latencyMs: f.latencyMs,
        ttfbMs: f.ttfbMs,
      });
    }
    return out;
  }
}
