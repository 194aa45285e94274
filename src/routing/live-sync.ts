/**
 * Keeps a local picture of shared routing state (health counters, breakers, key back-offs) so the
 * request path never waits on SharedState for it. Every `intervalMs` one tick:
 * 1. flushes what the sources gathered locally since the last tick (batched writes; failures
 *    are reported and dropped, never retried into a pile-up);
 * 2. reads every key the sources watch with one `mget` (in chunks) and hands the values back.
 * Writes go out before the read, so a tick's read always includes this instance's own writes.
 * Ticks never overlap; the timer is unref'd and `stop()` flushes once more.
 */
import type { SharedState } from '../store/shared/shared-state.js';

export interface LiveSource {
  /** Write what was gathered locally since the last tick. */
  flush?(now: number): Promise<unknown>;
  /** The keys to read this tick. */
  keys(now: number): string[];
  /** Their values, in the same order (null = missing). */
  accept(keys: readonly string[], values: ReadonlyArray<string | null>, now: number): void;
}

const MGET_CHUNK = 1000;

export class LiveSync {
  private readonly sources: LiveSource[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private lastError: string | undefined;

  constructor(
    private readonly shared: SharedState,
    private readonly intervalMs: number,
    private readonly onError: (message: string) => void = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  add(source: LiveSource): void {
    this.sources.push(source);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.tick();
  }

  /** One flush-and-read round (also used by tests and admin routes that want fresh figures). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private report(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (message === this.lastError) return;
    this.lastError = message;
    this.onError(message);
  }

  private async round(): Promise<void> {
    const now = this.clock();
    const flushes = await Promise.allSettled(this.sources.map((s) => (s.flush ? s.flush(now) : Promise.resolve())));
    for (const f of flushes) if (f.status === 'rejected') this.report(f.reason);

    const perSource = this.sources.map((s) => s.keys(now));
    const all = perSource.flat();
    let values: Array<string | null>;
    try {
      values = [];
      for (let i = 0; i < all.length; i += MGET_CHUNK) {
        values.push(...(await this.shared.mget(all.slice(i, i + MGET_CHUNK))));
      }
    } catch (err) {
      this.report(err);
      return;
    }
    this.lastError = undefined;
    let at = 0;
    const readAt = this.clock();
    this.sources.forEach((s, i) => {
      const keys = perSource[i]!;
      s.accept(keys, values.slice(at, at + keys.length), readAt);
      at += keys.length;
    });
  }
}
