/**
 * What a call said, kept only when something needs it afterwards (the context store for an
 * X-Session-Id, or LOG_BODIES): the non-stream answer as sent, or the bytes of a stream as the
 * client received them (in its own dialect, whatever the upstream spoke), up to a cap. Nothing
 * here runs for a call that needs none of it.
 */
import type { ServerResponse } from 'node:http';

export interface ExchangeCapture {
  /** the non-stream answer body as sent to the client */
  response: Buffer | null;
  /** stream bytes as sent to the client, in order, up to `maxBytes` */
  streamed: Array<Buffer | string>;
  streamedBytes: number;
  /** the stream went on past `maxBytes` */
  truncated: boolean;
  maxBytes: number;
}

export function newCapture(maxBytes: number): ExchangeCapture {
  return { response: null, streamed: [], streamedBytes: 0, truncated: false, maxBytes };
}

function take(cap: ExchangeCapture, chunk: unknown): void {
  if (cap.truncated) return;
  if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return;
  const n = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  if (cap.streamedBytes + n > cap.maxBytes) {
    cap.truncated = true;
    return;
  }
  cap.streamed.push(chunk);
  cap.streamedBytes += n;
}

/**
 * Copy what is written to this one response (a stream the relay writes on the raw response) into
 * the capture. The response keeps working exactly as before.
 */
export function captureWrites(res: ServerResponse, cap: ExchangeCapture): void {
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    take(cap, chunk);
    return Reflect.apply(write, this, [chunk, ...rest]) as boolean;
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
    if (typeof chunk !== 'function') take(cap, chunk);
    return Reflect.apply(end, this, [chunk, ...rest]) as ServerResponse;
  } as ServerResponse['end'];
}

/** The streamed bytes as one buffer. */
export function streamedBytes(cap: ExchangeCapture): Buffer {
  return Buffer.concat(cap.streamed.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}
