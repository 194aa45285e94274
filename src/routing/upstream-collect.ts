/**
 * A whole upstream answer collected with undici's dispatch API: no Readable, no async iterator,
 * no AbortSignal per attempt — the buffers go straight into an array and the attempt can be
 * aborted through the dispatch controller (client gone, time over).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface Collected {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class BodyTooLarge extends Error {
  constructor(max: number) {
    super(`upstream response larger than ${max} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** Aborts a running collection with a reason. */
export type Abort = (reason: Error) => void;

export class CollectHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private pendingAbort: Error | null = null;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly resolve: (c: Collected) => void,
    private readonly reject: (e: Error) => void,
    private readonly maxBytes: number,
    /** bodies of error answers are only read up to this many bytes */
    private readonly maxErrorBytes: number,
  ) {}

  readonly abort: Abort = (reason) => {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    const max = this.status >= 400 ? this.maxErrorBytes : this.maxBytes;
    if (this.size > max) {
      if (this.status >= 400) return; // keep the start of an oversized error body
      c.abort(new BodyTooLarge(max));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.reject(error);
  }
}
