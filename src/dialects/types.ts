import type {
  CanonicalError,
  CanonicalRequest,
  CanonicalResponse,
  Dialect,
  StreamEvent,
} from '../canonical/types.js';
import type { SseEvent } from './sse.js';

/** What the route knows besides the body (Gemini puts model and stream mode in the URL). */
export interface RequestDecodeContext {
  model?: string;
  stream?: boolean;
}

export interface RequestEncodeOptions {
  /** The provider's model id to put in the body (ignored by dialects that carry it in the URL). */
  upstreamModel: string;
  /**
   * Remote media already fetched by the caller, keyed by URL, as base64. Targets that cannot take
   * an http(s) URL (Gemini accepts only its own file URIs) inline the bytes from here; a URL that
   * is missing from the map is a 400. Gemini exports `collectRemoteImages(req)` listing the URLs
   * to fetch.
   */
  inlineMedia?: ReadonlyMap<string, { mediaType: string; data: string }>;
}

export interface EncodedRequest {
  body: Record<string, unknown>;
  /** Names of request parameters the target could not express and that were left out. */
  dropped: string[];
}

export interface ResponseEncodeContext {
  /** The model name to show the client (the name it asked for). */
  model: string;
  /** The client's request, decoded (to echo parameters, honour include_usage, …). */
  request: CanonicalRequest;
}

export interface StreamEncodeContext extends ResponseEncodeContext {
  /** Gemini only: `?alt=sse` (sse) or the default JSON-array stream. */
  framing?: 'sse' | 'json-array';
}

/** Turns one upstream stream (already split into SSE events) into canonical events. */
export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** The upstream stream ended; flush what is pending. */
  end(): StreamEvent[];
}

/** Turns canonical events into the client's wire bytes. */
export interface StreamEncoder {
  /** The bytes to send for this event ('' when nothing is due yet). */
  write(event: StreamEvent): string;
  /** The stream is over (after finish or error): closing bytes, e.g. `data: [DONE]`. */
  end(): string;
}

export interface DialectModule {
  readonly dialect: Dialect;
  /** Wire request -> canonical. Throws GatewayError(400) on bad input. */
  decodeRequest(body: unknown, ctx?: RequestDecodeContext): CanonicalRequest;
  /** Canonical -> wire request for an upstream. Throws GatewayError(400) if inexpressible. */
  encodeRequest(req: CanonicalRequest, opts: RequestEncodeOptions): EncodedRequest;
  /** Upstream wire response -> canonical. */
  decodeResponse(body: unknown): CanonicalResponse;
  /** Canonical -> client wire response body. */
  encodeResponse(res: CanonicalResponse, ctx: ResponseEncodeContext): unknown;
  createStreamDecoder(): StreamDecoder;
  createStreamEncoder(ctx: StreamEncodeContext): StreamEncoder;
  /** An upstream error response in this dialect -> canonical (status kept). */
  decodeError(status: number, body: unknown): CanonicalError;
  /** A canonical error -> this dialect's error body. */
  encodeError(error: CanonicalError): unknown;
}
