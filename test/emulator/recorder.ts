/** The log of received requests: a live array, trimmed in batches so recording stays O(1) per request under load. */
import type { RecordedRequest } from './types.js';

export class Recorder {
  readonly list: RecordedRequest[] = [];
  private count = 0;

  /** Keeps the newest `limit` requests; trims once the array holds twice that many. */
  constructor(private readonly limit: number) {}

  get total(): number {
    return this.count;
  }

  /** Stores the entry, giving it the next `seq`. */
  add(rec: RecordedRequest): RecordedRequest {
    this.count += 1;
    rec.seq = this.count;
    this.list.push(rec);
    if (this.list.length >= this.limit * 2) this.list.splice(0, this.list.length - this.limit);
    return rec;
  }

  /** Empties the log; `reset` also restarts the numbering. */
  clear(restartNumbering: boolean): void {
    this.list.length = 0;
    if (restartNumbering) this.count = 0;
  }
}
