/**
 * Fetching media URLs for providers that need the bytes (Gemini cannot read http(s) URLs; see
 * src/dialects/gemini/media.ts `collectRemoteImages` and `inlineMedia`), under the SSRF policy:
 * - only http(s); an IP-literal host is judged before connecting, a host name at connect time by
 *   the lookup of the connection itself (ssrf.ts `connectLookup`), so the address checked is the
 *   address connected to — a name re-pointed to 127.0.0.1 after a check (DNS rebinding) is
 *   refused; TLS still verifies the certificate against the host name;
 * - redirects are followed (at most 3), each hop checked the same way;
 * - a size cap (MEDIA_FETCH_MAX_MB, Content-Length and the bytes actually read), a timeout
 *   (MEDIA_FETCH_TIMEOUT_MS, whole fetch), and an allow-list of image content types.
 * Every refusal is a 400 GatewayError naming the URL without its query (which may be signed).
 * Uses undici (never the global fetch).
 */
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { GatewayError } from '../canonical/errors.js';
import { connectLookup, hostOf, publicAddresses, SsrfRefusal, systemResolver, type Resolver } from './ssrf.js';

export const DEFAULT_MEDIA_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/heic', 'image/heif'];
const MAX_REDIRECTS = 3;

export interface MediaFetchOptions {
  /** ALLOW_PRIVATE_UPSTREAMS */
  allowPrivate: boolean;
  /** per URL */
  maxBytes: number;
  timeoutMs: number;
  /** accepted content types (default: png, jpeg, webp, gif, heic, heif) */
  allowedTypes?: readonly string[];
  /** DNS resolution (tests inject one) */
  resolve?: Resolver;
  /** most URLs fetched at once by fetchAll (default 4) */
  concurrency?: number;
}

export interface FetchedMedia {
  mediaType: string;
  /** base64 */
  data: string;
}

/** A URL as it may be shown: origin and path, no query (signed URLs carry credentials there). */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    const s = `${u.origin}${u.pathname}`;
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return 'the URL';
  }
}

function mediaError(url: string, what: string, code = 'media_fetch_failed'): GatewayError {
  return new GatewayError(400, 'invalid_request', `Cannot use the image at ${shownUrl(url)}: ${what}`, { code });
}

type Answer = Awaited<ReturnType<typeof request>>;

/** Drop an answer's body (undici reports the abort as an error event: keep it handled). */
function discard(res: Answer): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

export class MediaFetcher {
  private readonly agent: Agent;
  private readonly resolve: Resolver;
  private readonly types: ReadonlySet<string>;

  constructor(private readonly opts: MediaFetchOptions) {
    this.resolve = opts.resolve ?? systemResolver;
    this.types = new Set((opts.allowedTypes ?? DEFAULT_MEDIA_TYPES).map((t) => t.toLowerCase()));
    this.agent = new Agent({
      // resolution at connect time: the address connected to is the address checked
      connect: { timeout: Math.min(opts.timeoutMs, 10_000), lookup: connectLookup({ allowPrivate: opts.allowPrivate, resolve: this.resolve }) },
      keepAliveTimeout: 10_000,
      connections: 16,
    });
  }

  /** Fetch one media URL (throws a 400 GatewayError when refused or unusable). */
  async fetch(url: string, signal?: AbortSignal): Promise<FetchedMedia> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let current = url;
    for (let hop = 0; ; hop++) {
      const target = this.checkSyntax(current, url);
      const host = hostOf(target);
      if (!this.opts.allowPrivate && isIP(host) !== 0) {
        try {
          await publicAddresses(host);
        } catch (err) {
          if (err instanceof SsrfRefusal) throw this.refused(url, err);
          throw err;
        }
      }
      let res: Answer;
      try {
        res = await request(target, {
          method: 'GET',
          dispatcher: this.agent,
          signal: sig,
          headersTimeout: this.opts.timeoutMs,
          bodyTimeout: this.opts.timeoutMs,
          headers: { accept: [...this.types].join(', ') },
        });
      } catch (err) {
        throw this.failure(url, err, sig);
      }
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof res.headers.location === 'string') {
        discard(res);
        if (hop >= MAX_REDIRECTS) throw mediaError(url, `more than ${MAX_REDIRECTS} redirects`);
        current = new URL(res.headers.location, target).toString();
        continue;
      }
      return this.read(url, res, sig);
    }
  }

  /** Fetch several URLs (a few at a time); the map Gemini's encoder takes as `inlineMedia`. */
  async fetchAll(urls: readonly string[], signal?: AbortSignal): Promise<Map<string, FetchedMedia>> {
    const out = new Map<string, FetchedMedia>();
    const queue = [...new Set(urls)];
    const workers = Array.from({ length: Math.min(this.opts.concurrency ?? 4, queue.length) }, async () => {
      for (let u = queue.shift(); u !== undefined; u = queue.shift()) out.set(u, await this.fetch(u, signal));
    });
    await Promise.all(workers);
    return out;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private checkSyntax(current: string, original: string): URL {
    let u: URL;
    try {
      u = new URL(current);
    } catch {
      throw mediaError(original, 'not an absolute URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw mediaError(original, `only http(s) URLs can be fetched (got ${u.protocol.replace(':', '')})`);
    if (u.username !== '' || u.password !== '') throw mediaError(original, 'URLs with credentials are not fetched');
    return u;
  }

  private refused(url: string, e: SsrfRefusal): GatewayError {
    return mediaError(url, `${e.message}; the gateway does not fetch from private, loopback, link-local or metadata addresses unless ALLOW_PRIVATE_UPSTREAMS=true`, 'ssrf_refused');
  }

  private failure(url: string, err: unknown, sig: AbortSignal): GatewayError {
    if (err instanceof GatewayError) return err;
    // undici wraps the lookup's error as the cause
    let e: unknown = err;
    for (let i = 0; i < 4 && e instanceof Error; i++) {
      if (e instanceof SsrfRefusal) return this.refused(url, e);
      e = e.cause;
    }
    if (sig.aborted) return mediaError(url, `no complete answer within ${this.opts.timeoutMs} ms`, 'media_fetch_timeout');
    const msg = err instanceof Error ? err.message : String(err);
    return mediaError(url, `the fetch failed (${msg})`);
  }

  private async read(url: string, res: Answer, sig: AbortSignal): Promise<FetchedMedia> {
    if (res.statusCode !== 200) {
      discard(res);
      throw mediaError(url, `the server answered HTTP ${res.statusCode}`);
    }
    const ct = res.headers['content-type'];
    const mediaType = (typeof ct === 'string' ? ct : '').split(';')[0]!.trim().toLowerCase();
    if (!this.types.has(mediaType)) {
      discard(res);
      throw mediaError(url, `its content type is ${mediaType === '' ? 'missing' : mediaType}; accepted: ${[...this.types].join(', ')}`, 'media_type_refused');
    }
    const max = this.opts.maxBytes;
    const tooBig = (): GatewayError => mediaError(url, `it is larger than ${Math.round(max / (1024 * 1024)) || 1} MB (MEDIA_FETCH_MAX_MB)`, 'media_too_large');
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      discard(res);
      throw tooBig();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        size += b.length;
        if (size > max) {
          discard(res);
          throw tooBig();
        }
        chunks.push(b);
      }
    } catch (err) {
      throw this.failure(url, err, sig);
    }
    return { mediaType, data: Buffer.concat(chunks).toString('base64') };
  }
}
