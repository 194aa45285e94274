/**
 * Writing a stream to the client on the raw Node response: headers once at the commit point,
 * backpressure honoured (the caller waits for 'drain' when write returns false), and the
 * client's departure observed.
 */
import type { ServerResponse } from 'node:http';

export class ClientWriter {
  private committedFlag = false;
  private goneFlag = false;

  constructor(private readonly res: ServerResponse, onGone: () => void) {
    res.on('close', () => {
      if (!res.writableFinished) {
        this.goneFlag = true;
        onGone();
      }
    });
  }

  get committed(): boolean {
    return this.committedFlag;
  }

  /** The client closed the connection before the answer was complete. */
  get gone(): boolean {
    return this.goneFlag || this.res.destroyed;
  }

  commit(status: number, headers: Record<string, string>): void {
    if (this.committedFlag) return;
    this.committedFlag = true;
    this.res.writeHead(status, headers);
    // the headers and the frames held back until now leave in one write: cork until the
    // current tick is done (the held frames are written right after the commit)
    this.res.cork();
    process.nextTick(uncork, this.res);
  }

  /** false: the socket buffer is full, wait for drain() before writing more. */
  write(data: Buffer | string): boolean {
    if (this.gone) return true;
    return this.res.write(data);
  }

  drain(): Promise<void> {
    if (this.gone || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(data?: Buffer | string): void {
    if (this.res.writableEnded) return;
    if (data !== undefined && !this.gone) this.res.end(data);
    else this.res.end();
  }
}

function uncork(res: ServerResponse): void {
  res.uncork();
}

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
});
