/** Small builders for routing unit tests: providers, candidates and a clock the test moves. */
import type { Candidate } from '../../src/routing/catalog.js';
import type { Provider, ProviderKey } from '../../src/providers/types.js';

export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export function key(id: string, extra: Partial<ProviderKey> = {}): ProviderKey {
  return { id, label: id, secret: `secret-${id}`, weight: 1, maxQps: null, status: 'active', ...extra };
}

export function provider(id: string, extra: Partial<Provider> = {}): Provider {
  return {
    id,
    name: id,
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
    apiVersion: null,
    weight: 1,
    priority: 0,
    enabled: true,
    retryableStatusCodes: null,
    headers: {},
    staticModels: ['m'],
    dialects: ['openai-chat'],
    timeouts: { connectMs: 1000, ttfbMs: 1000, idleMs: 1000, totalMs: 1000 },
    probe: { enabled: false, intervalSeconds: null, model: null },
    keys: [key(`${id}-k1`)],
    models: new Map(),
    aliases: new Map(),
    source: 'config',
    ...extra,
  };
}

export function candidate(p: Provider, model = 'm', weight = 1, priority = 0): Candidate {
  return { provider: p, model, weight, priority };
}

/** A deterministic sequence of "random" numbers in [0, 1). */
export function seeded(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
