/**
 * Request-log retention: rows older than REQUEST_LOG_RETENTION_DAYS are deleted by a job that
 * runs every REQUEST_LOG_CLEANUP_MINUTES (an unref'd timer; the first run a minute after start).
 * With several instances only one runs it per interval: the run takes a SharedState lock
 * (set-if-absent with a TTL a little under the interval). Deletes go in batches. The hourly usage
 * rollups are kept (they are small and budgets are recounted from them).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RequestLogMaintenance } from '../store/db/repositories/request-log-maintenance.js';
import type { Database } from '../store/db/schema.js';
import type { SharedState } from '../store/shared/shared-state.js';
import type { Kysely } from 'kysely';

const DAY_MS = 86_400_000;
const LOCK_KEY = 'lock:request-log-retention';
const BATCH = 5000;

export interface RetentionOptions {
  /** 0 = keep forever (the job does nothing) */
  retentionDays: number;
  intervalMs: number;
  /** delay of the first run after start() (default one minute, at most the interval) */
  firstRunMs?: number;
}

export interface RetentionRun {
  /** another instance holds the lock, or retention is off */
  skipped: boolean;
  deleted: number;
  cutoff: number;
}

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;
  private readonly owner = randomUUID();
  private readonly repo: RequestLogMaintenance;

  constructor(
    db: Kysely<Database>,
    private readonly shared: SharedState,
    private readonly opts: RetentionOptions,
    private readonly logger: Logger,
  ) {
    this.repo = new RequestLogMaintenance(db);
  }

  start(): void {
    if (this.timer || this.opts.retentionDays <= 0) return;
    const tick = (): void => {
      void this.runOnce().catch((err: unknown) =>
        this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'request-log clean-up failed; will retry'),
      );
    };
    const first = Math.min(this.opts.firstRunMs ?? 60_000, this.opts.intervalMs);
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.opts.intervalMs);
      this.timer.unref();
    }, first);
    this.timer.unref();
  }

  /** Stop the timer and wait for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
      this.timer = null;
    }
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One clean-up now (if this instance gets the lock). */
  runOnce(now: number = Date.now()): Promise<RetentionRun> {
    if (this.running) return this.running;
    this.running = this.run(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(now: number): Promise<RetentionRun> {
    const cutoff = now - this.opts.retentionDays * DAY_MS;
    if (this.opts.retentionDays <= 0) return { skipped: true, deleted: 0, cutoff };
    const lockTtl = Math.max(1000, Math.floor(this.opts.intervalMs * 0.9));
    if (!(await this.shared.setIfAbsent(LOCK_KEY, this.owner, lockTtl))) return { skipped: true, deleted: 0, cutoff };
    let deleted = 0;
    for (;;) {
      const n = await this.repo.deleteBatchOlderThan(cutoff, BATCH);
      deleted += n;
      if (n < BATCH) break;
      // let requests in between batches
      await new Promise((r) => setImmediate(r));
    }
    if (deleted > 0) this.logger.info({ deleted, olderThan: new Date(cutoff).toISOString() }, 'request logs deleted (retention)');
    return { skipped: false, deleted, cutoff };
  }
}
