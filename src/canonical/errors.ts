import type { CanonicalError, ErrorType } from './types.js';

/**
 * An error with everything needed to answer the client in its own dialect. Throw it anywhere
 * on the request path; the route renders it in its error shape. Never put a secret in `message`.
 */
export class GatewayError extends Error implements CanonicalError {
  readonly status: number;
  readonly type: ErrorType;
  readonly param?: string;
  readonly code?: string;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    type: ErrorType,
    message: string,
    opts: { param?: string; code?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.type = type;
    if (opts.param !== undefined) this.param = opts.param;
    if (opts.code !== undefined) this.code = opts.code;
    if (opts.headers !== undefined) this.headers = opts.headers;
  }

  toCanonical(): CanonicalError {
    const e: CanonicalError = { status: this.status, type: this.type, message: this.message };
    if (this.param !== undefined) e.param = this.param;
    if (this.code !== undefined) e.code = this.code;
    return e;
  }
}

/** 400 for a request body the gateway cannot accept or cannot express for the target. */
export function invalidRequest(message: string, param?: string, code?: string): GatewayError {
  const opts: { param?: string; code?: string } = {};
  if (param !== undefined) opts.param = param;
  if (code !== undefined) opts.code = code;
  return new GatewayError(400, 'invalid_request', message, opts);
}
