/**
 * Session stickiness: `X-Session-Id` binds a conversation to the upstream that first answered
 * it, per requested model (one session may use a main model and a small one side by side), so
 * follow-up turns reuse its prompt cache and keep one voice. A binding is a preference, never a
 * pin: the planner honours it only while that upstream is still a candidate, ready (a usable
 * key, not cooling down after a 429) and with a closed breaker (the breaker is what reacts to a
 * rising error ratio); otherwise the request is routed normally
 * and the session is re-bound to whoever answers (counted in `rebinds`).
 *
 * Stored in SharedState as `rt:sess:<session id>` (JSON), TTL refreshed on every use. Reading it
 * is the one SharedState round trip a request with X-Session-Id pays before routing; writes are
 * fire-and-forget.
 */
import type { SharedState } from '../store/shared/shared-state.js';

export interface SessionBinding {
  provider: string;
  /** the provider's model id */
  model: string;
  boundAt: number;
  lastUsedAt: number;
  /** requests answered under this binding */
  uses: number;
  /** how many times the session moved to another upstream */
  rebinds: number;
  /** the upstream it moved away from last, and why */
  previous?: { provider: string; model: string; at: number };
}

export interface SessionRecord {
  id: string;
  createdAt: number;
  /** requested model name -> binding */
  bindings: Record<string, SessionBinding>;
}

const MAX_MODELS_PER_SESSION = 16;

export class SessionBook {
  constructor(
    private readonly shared: SharedState,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  private key(id: string): string {
    return `rt:sess:${id}`;
  }

  async get(id: string): Promise<SessionRecord | null> {
    const text = await this.shared.get(this.key(id));
    if (text === null) return null;
    try {
      const v = JSON.parse(text) as SessionRecord;
      if (typeof v === 'object' && v !== null && typeof v.bindings === 'object' && v.bindings !== null) return v;
    } catch {
      // damaged: treated as unbound
    }
    return null;
  }

  /**
   * Record that `provider/model` answered this session's request for `requested`. Returns true
   * when the session moved from another upstream.
   */
  bind(id: string, record: SessionRecord | null, requested: string, provider: string, model: string): boolean {
    const now = this.clock();
    const rec: SessionRecord = record ?? { id, createdAt: now, bindings: {} };
    const old = rec.bindings[requested];
    let moved = false;
    if (old && old.provider === provider && old.model === model) {
      old.lastUsedAt = now;
      old.uses++;
    } else {
      moved = old !== undefined;
      rec.bindings[requested] = {
        provider,
        model,
        boundAt: now,
        lastUsedAt: now,
        uses: 1,
        rebinds: old ? old.rebinds + 1 : 0,
        ...(old ? { previous: { provider: old.provider, model: old.model, at: now } } : {}),
      };
      const names = Object.keys(rec.bindings);
      if (names.length > MAX_MODELS_PER_SESSION) {
        names.sort((a, b) => rec.bindings[a]!.lastUsedAt - rec.bindings[b]!.lastUsedAt);
        for (const n of names.slice(0, names.length - MAX_MODELS_PER_SESSION)) delete rec.bindings[n];
      }
    }
    void this.shared.set(this.key(id), JSON.stringify(rec), this.ttlMs).catch(() => undefined);
    return moved;
  }

  async ttl(id: string): Promise<number> {
    return this.shared.ttl(this.key(id));
  }

  async delete(id: string): Promise<boolean> {
    const existed = (await this.shared.get(this.key(id))) !== null;
    await this.shared.delete(this.key(id));
    return existed;
  }
}
