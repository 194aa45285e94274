/**
 * Request logs are written in batches, off the hot path: a request only pushes a row into a
 * queue; a timer (REQUEST_LOG_FLUSH_MS) or a full batch writes them with one multi-row insert.
 * A failing database delays the rows (kept up to a cap, oldest dropped first and counted), it
 * never delays a response. `flush()` on shutdown writes what is left.
 */
import type { NewRequestLogRow } from '../store/db/schema.js';

export interface RequestLogWriter {
  insertMany(rows: NewRequestLogRow[]): Promise<void>;
}

export interface SinkOptions {
  flushMs: number;
  batchSize?: number;
  maxQueued?: number;
  onError?: (err: unknown, pending: number) => void;
  /** called after each successful write with the rows written */
  onWritten?: (rows: NewRequestLogRow[]) => void;
}

export class RequestLogSink {
  private queue: NewRequestLogRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private droppedCount = 0;
  private readonly batchSize: number;
  private readonly maxQueued: number;

  constructor(
    private readonly writer: RequestLogWriter,
    private readonly opts: SinkOptions,
  ) {
    this.batchSize = opts.batchSize ?? 500;
    this.maxQueued = opts.maxQueued ?? 100_000;
  }

  /** rows lost because the database stayed unavailable past the cap */
  get dropped(): number {
    return this.droppedCount;
  }

  get pending(): number {
    return this.queue.length;
  }

  push(row: NewRequestLogRow): void {
    this.queue.push(row);
    if (this.queue.length > this.maxQueued) {
      const over = this.queue.length - this.maxQueued;
      this.queue.splice(0, over);
      this.droppedCount += over;
    }
    if (this.queue.length >= this.batchSize) void this.drain();
    else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.drain();
      }, this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** Write everything queued now (waits for a write already running). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing) await this.writing;
    while (this.queue.length > 0) {
      const before = this.queue.length;
      await this.drain();
      if (this.queue.length >= before) break; // the database refuses: give up for now
    }
  }

  private drain(): Promise<void> {
    if (this.writing) return this.writing;
    const batch = this.queue.splice(0, this.batchSize);
    if (batch.length === 0) return Promise.resolve();
    this.writing = this.writer
      .insertMany(batch)
      .then(() => this.opts.onWritten?.(batch))
      .catch((err: unknown) => {
        this.queue.unshift(...batch);
        this.opts.onError?.(err, this.queue.length);
        if (this.timer === null) {
          this.timer = setTimeout(() => {
            this.timer = null;
            void this.drain();
          }, Math.max(this.opts.flushMs, 1000));
          this.timer.unref();
        }
      })
      .finally(() => {
        this.writing = null;
        if (this.queue.length >= this.batchSize) void this.drain();
      });
    return this.writing;
  }
}
