import type { CanonicalError } from '../canonical/types.js';
import type { FailureClass } from './retry-policy.js';
import type { StreamResume } from './stream-relay.js';

/** Why an attempt did not produce an answer the client got. */
export interface AttemptFailure {
  class: FailureClass;
  /** the upstream's HTTP status; null when there was no answer (connection, timeout) */
  status: number | null;
  error: CanonicalError;
  retryAfterMs?: number;
  /** the attempt ran out of time (connect, first byte or idle) */
  timeout?: boolean;
}

/** A non-stream answer ready to send. */
export interface JsonAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export type AttemptOutcome =
  | { kind: 'failed'; failure: AttemptFailure }
  | { kind: 'json'; answer: JsonAnswer }
  /**
   * a stream was committed and has been written to the client, completely or ended by an error
   * event (`failure`: what broke it after the commit); `ttfbMs`: attempt start to first content
   */
  | { kind: 'streamed'; ttfbMs: number; failure?: AttemptFailure }
  /** continue mode: a committed text-only stream broke; the answer goes on with the next upstream */
  | { kind: 'broken'; ttfbMs: number; failure: AttemptFailure; resume: StreamResume }
  /** the client went away before anything was committed */
  | { kind: 'client-gone' };

export class AttemptTimeout extends Error {
  constructor(readonly phase: 'first-byte' | 'total') {
    super(phase === 'first-byte' ? 'no answer from the upstream in time (time to first byte)' : 'the upstream took too long (total timeout)');
    this.name = 'AttemptTimeout';
  }
}

export class ClientGone extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGone';
  }
}

/** A failure from an exception raised while calling or reading the upstream. */
export function failureFromException(err: unknown): AttemptFailure {
  if (err instanceof AttemptTimeout) {
    return { class: 'retryable', status: null, timeout: true, error: { status: 504, type: 'timeout', message: err.message } };
  }
  const code = (err as { code?: unknown }).code;
  const name = (err as { name?: unknown }).name;
  const timeout =
    code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || name === 'TimeoutError';
  const what =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
        ? 'connection reset'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'host not found'
          : code === 'UND_ERR_HEADERS_TIMEOUT'
            ? 'no response headers in time'
            : code === 'UND_ERR_BODY_TIMEOUT'
              ? 'the stream went silent for too long'
              : code === 'UND_ERR_CONNECT_TIMEOUT'
                ? 'connect timeout'
                : err instanceof Error
                  ? err.message
                  : String(err);
  return {
    class: 'retryable',
    status: null,
    timeout,
    error: { status: timeout ? 504 : 502, type: timeout ? 'timeout' : 'upstream', message: `upstream unreachable: ${what}` },
  };
}
