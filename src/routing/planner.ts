/**
 * The order in which a request's candidates are tried.
 *
 * 1. Duplicates (the same provider + model listed twice) are merged: no upstream is tried twice.
 * 2. Candidates are grouped:
 *    - ready: breaker closed or half-open (a half-open one is a trial, claimed by the executor),
 *      and a provider key that can be used now;
 *    - last resort: breaker open, or every key in a soft back-off after failures. Tried only
 *      after every ready candidate, so an unhealthy upstream still serves when nothing else can;
 *    - skipped: no usable key at all (dead, disabled, or every key rate limited by Retry-After).
 * 3. Ready candidates go by priority tier (lower number first); within a tier, weighted random
 *    without replacement by
 *
 *        score  = weight × health × speed
 *        health = max(0.05, (1 − ê)²)          ê = errors / (samples + 5)
 *        speed  = √((L_best + 250 ms) / (L + 250 ms))
 *
 *    where errors and samples are the upstream's outcomes over the rolling window (all
 *    instances), the +5 pseudo-samples keep one early failure from swinging the weight, L is the
 *    upstream's EWMA latency for this kind of request (time to first content for streams, the
 *    whole answer otherwise), L_best the lowest L in the tier, and the 250 ms floor keeps
 *    loopback-scale differences from mattering. An upstream without a latency figure gets
 *    speed 1 (new upstreams are explored). The floor of 0.05 keeps a sick upstream reachable, so
 *    it can show that it recovered; the breaker takes it out of the ready group when it is
 *    really broken. A weight of 0 means "only when the rest of its tier failed".
 * 4. A session binding (X-Session-Id) moves its upstream to the very front while it is ready
 *    with a closed breaker; otherwise it is ignored (and the session is re-bound to whoever
 *    answers).
 * 5. Last-resort candidates follow, by tier and score.
 */
import type { BreakerView, Breakers } from './breaker.js';
import type { Candidate } from './catalog.js';
import { upstreamId, type HealthBook, type HealthFigures } from './health.js';
import type { KeyAvailability, KeyPool } from './key-pool.js';
import type { SessionBinding } from './stickiness.js';

export const HEALTH_FLOOR = 0.05;
export const PRIOR_SAMPLES = 5;
export const LATENCY_FLOOR_MS = 250;

export interface ScoredCandidate {
  candidate: Candidate;
  /** provider/model */
  upstream: string;
  tier: number;
  weight: number;
  health: number;
  speed: number;
  score: number;
  figures: HealthFigures;
  /** the latency figure the speed factor used (TTFB for streams) */
  latencyMs: number | null;
  breaker: BreakerView;
  keys: KeyAvailability;
  group: 'ready' | 'last_resort' | 'skipped';
  /** a half-open breaker: this attempt would be its trial */
  trial: boolean;
  sticky: boolean;
  /** why it is not ready */
  reason?: string;
}

export interface StickyDecision {
  binding: SessionBinding;
  honoured: boolean;
  why: string;
}

export interface RoutePlan {
  /** ready candidates in try order, then the last-resort ones */
  order: ScoredCandidate[];
  skipped: ScoredCandidate[];
  sticky: StickyDecision | null;
}

export interface PlanInput {
  candidates: readonly Candidate[];
  stream: boolean;
  binding?: SessionBinding | null;
}

/** health and speed factors (exported for tests and the decide route) */
export function healthFactor(f: Pick<HealthFigures, 'samples' | 'errors'>): number {
  const e = f.errors / (f.samples + PRIOR_SAMPLES);
  return Math.max(HEALTH_FLOOR, (1 - e) ** 2);
}

export function speedFactor(latencyMs: number | null, bestMs: number | null): number {
  if (latencyMs === null || bestMs === null) return 1;
  return Math.sqrt((bestMs + LATENCY_FLOOR_MS) / (latencyMs + LATENCY_FLOOR_MS));
}

/** Weighted random order without replacement (weight 0 goes last, in the given order). */
export function weightedOrder<T>(items: readonly T[], weightOf: (t: T) => number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    let total = 0;
    for (const t of pool) total += Math.max(weightOf(t), 0);
    let idx = 0;
    if (total > 0) {
      let r = random() * total;
      idx = pool.length - 1;
      for (let i = 0; i < pool.length; i++) {
        const w = Math.max(weightOf(pool[i]!), 0);
        if (w <= 0) continue;
        r -= w;
        if (r <= 0) {
          idx = i;
          break;
        }
      }
    }
    out.push(pool.splice(idx, 1)[0]!);
  }
  return out;
}

const scoreOf = (s: ScoredCandidate): number => s.score;

export class Planner {
  constructor(
    private readonly health: HealthBook,
    private readonly breakers: Breakers,
    private readonly keys: KeyPool,
    private readonly random: () => number = Math.random,
  ) {}

  plan(input: PlanInput): RoutePlan {
    // 1. one entry per upstream (a request rarely has more than a handful of candidates)
    const list: Candidate[] = [];
    const ids: string[] = [];
    for (const c of input.candidates) {
      const id = upstreamId(c.provider.id, c.model);
      const at = ids.indexOf(id);
      if (at < 0) {
        list.push(c);
        ids.push(id);
      } else {
        const seen = list[at]!;
        if (c.priority < seen.priority || (c.priority === seen.priority && c.weight > seen.weight)) list[at] = c;
      }
    }

    // 2. figures and groups
    const scored: ScoredCandidate[] = [];
    let best: Map<number, number> | null = null;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const id = ids[i]!;
      this.health.watch(id);
      this.breakers.watch(id);
      this.keys.watch(c.provider);
      const figures = this.health.figures(id);
      const breaker = this.breakers.view(id);
      const keys = this.keys.availability(c.provider);
      let group: ScoredCandidate['group'] = 'ready';
      let reason: string | undefined;
      if (keys.level === 'blocked') {
        group = 'skipped';
        reason = keys.why;
      } else if (breaker.state === 'open') {
        group = 'last_resort';
        reason = 'circuit breaker open';
      } else if (keys.level === 'soft') {
        group = 'last_resort';
        reason = 'every key is backing off after failures';
      }
      const latencyMs = input.stream ? figures.ttfbMs : figures.latencyMs;
      if (latencyMs !== null) {
        best ??= new Map();
        const b = best.get(c.priority);
        if (b === undefined || latencyMs < b) best.set(c.priority, latencyMs);
      }
      const s: ScoredCandidate = {
        candidate: c,
        upstream: id,
        tier: c.priority,
        weight: c.weight,
        health: healthFactor(figures),
        speed: 1,
        score: 0,
        figures,
        latencyMs,
        breaker,
        keys,
        group,
        trial: breaker.state === 'half_open',
        sticky: false,
      };
      if (reason !== undefined) s.reason = reason;
      scored.push(s);
    }

    // 3. speed relative to the best of the tier, then the score; ready ones by tier
    const ready: ScoredCandidate[] = [];
    for (const s of scored) {
      s.speed = speedFactor(s.latencyMs, best?.get(s.tier) ?? null);
      s.score = Math.max(0, s.weight) * s.health * s.speed;
      if (s.group === 'ready') ready.push(s);
    }
    let order: ScoredCandidate[];
    if (ready.length <= 1) order = ready;
    else {
      ready.sort((x, y) => x.tier - y.tier);
      order = [];
      for (let i = 0; i < ready.length; ) {
        let j = i + 1;
        while (j < ready.length && ready[j]!.tier === ready[i]!.tier) j++;
        if (j - i === 1) order.push(ready[i]!);
        else order.push(...weightedOrder(ready.slice(i, j), scoreOf, this.random));
        i = j;
      }
    }

    // 4. stickiness
    let sticky: StickyDecision | null = null;
    if (input.binding) {
      const b = input.binding;
      const id = upstreamId(b.provider, b.model);
      const hit = scored.find((s) => s.upstream === id);
      let why: string;
      if (!hit) why = 'the bound upstream is no longer a candidate';
      else if (hit.group !== 'ready') why = `the bound upstream is not usable now (${hit.reason ?? hit.group})`;
      else if (hit.breaker.state !== 'closed') why = 'the bound upstream is on trial after failures (breaker half-open)';
      else why = 'bound upstream first';
      const honoured = hit !== undefined && why === 'bound upstream first';
      if (honoured) {
        hit.sticky = true;
        order.splice(order.indexOf(hit), 1);
        order.unshift(hit);
      }
      sticky = { binding: b, honoured, why };
    }

    // 5. last resort
    if (ready.length < scored.length) {
      const last = scored.filter((s) => s.group === 'last_resort').sort((a, b) => a.tier - b.tier || b.score - a.score);
      order.push(...last);
      return { order, skipped: scored.filter((s) => s.group === 'skipped'), sticky };
    }
    return { order, skipped: [], sticky };
  }
}
