/**
 * Outbound HTTP to providers: undici (never the global fetch on this path), one keep-alive
 * connection pool per provider so each provider's connect timeout applies, and the browser-mask
 * headers when MASK_AS_BROWSER is on.
 */
import { Agent, type Dispatcher } from 'undici';
import type { Settings } from '../config/settings.js';
import type { Provider } from '../providers/types.js';
import { connectLookup } from '../security/ssrf.js';
import { CollectHandler, type Abort, type Collected } from './upstream-collect.js';

export interface UpstreamRequest {
  url: string;
  /** `url` already split (saves parsing it on every request) */
  origin?: string;
  path?: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** time allowed until the response headers arrive */
  headersTimeoutMs: number;
  /** longest silence allowed between body chunks */
  bodyTimeoutMs: number;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** What the client needs to know of a provider to reach it. */
export type UpstreamTargetProvider = Pick<Provider, 'id' | 'timeouts'> & { source?: Provider['source'] };

export class UpstreamClient {
  private readonly agents = new Map<string, { agent: Agent; connectMs: number; guarded: boolean }>();
  private readonly maskHeaders: Record<string, string>;

  /**
   * `allowPrivate` (ALLOW_PRIVATE_UPSTREAMS): when false, connections to providers created through
   * the API are checked at connect time, so a host name re-pointed to a private address after the
   * provider was accepted (DNS rebinding) is refused. Providers from the operator's config are trusted.
   */
  constructor(
    mask: Settings['mask'],
    private readonly allowPrivate = true,
  ) {
    const h: Record<string, string> = {};
    if (mask.enabled) {
      h['user-agent'] = mask.userAgent;
      if (mask.origin) h.origin = mask.origin;
      if (mask.referer) h.referer = mask.referer;
    }
    this.maskHeaders = h;
  }

  /** Headers every upstream call carries, before auth and the provider's own headers. */
  baseHeaders(): Record<string, string> {
    return this.maskHeaders;
  }

  private agentFor(provider: UpstreamTargetProvider): Agent {
    const guarded = !this.allowPrivate && provider.source === 'api';
    const existing = this.agents.get(provider.id);
    if (existing && existing.connectMs === provider.timeouts.connectMs && existing.guarded === guarded) return existing.agent;
    if (existing) void existing.agent.close();
    const agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connect: {
        timeout: provider.timeouts.connectMs,
        ...(guarded ? { lookup: connectLookup({ allowPrivate: false }) } : {}),
      },
      pipelining: 1,
    });
    this.agents.set(provider.id, { agent, connectMs: provider.timeouts.connectMs, guarded });
    return agent;
  }

  request(provider: UpstreamTargetProvider, req: UpstreamRequest): Promise<UpstreamResponse> {
    let origin = req.origin;
    let path = req.path;
    if (origin === undefined || path === undefined) {
      const url = new URL(req.url);
      origin = url.origin;
      path = url.pathname + url.search;
    }
    return this.agentFor(provider).request({
      origin,
      path,
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal ?? null,
      headersTimeout: req.headersTimeoutMs,
      bodyTimeout: req.bodyTimeoutMs,
    });
  }

  /**
   * Send a request and collect the whole answer (non-stream calls). `onStart` receives the
   * function that aborts it (client gone, time over).
   */
  collect(
    provider: UpstreamTargetProvider,
    req: Omit<UpstreamRequest, 'signal'> & { maxBytes: number; maxErrorBytes: number },
    onStart?: (abort: Abort) => void,
  ): Promise<Collected> {
    let origin = req.origin;
    let path = req.path;
    if (origin === undefined || path === undefined) {
      const url = new URL(req.url);
      origin = url.origin;
      path = url.pathname + url.search;
    }
    return new Promise<Collected>((resolve, reject) => {
      const handler = new CollectHandler(resolve, reject, req.maxBytes, req.maxErrorBytes);
      onStart?.(handler.abort);
      this.agentFor(provider).dispatch(
        {
          origin,
          path,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          headersTimeout: req.headersTimeoutMs,
          bodyTimeout: req.bodyTimeoutMs,
        },
        handler,
      );
    });
  }

  /** Low level: dispatch a request to a provider's pool with a handler of undici's dispatch API. */
  dispatch(provider: UpstreamTargetProvider, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    this.agentFor(provider).dispatch(opts, handler);
  }

  /** Drop a provider's pool (after it was deleted or its URL changed). */
  forget(providerId: string): void {
    const a = this.agents.get(providerId);
    if (a) {
      this.agents.delete(providerId);
      void a.agent.close();
    }
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.allSettled(all.map((a) => a.agent.close()));
  }
}

/** Read a whole body into a Buffer, refusing more than `maxBytes`. */
export async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBytes) {
      body.destroy();
      throw new Error(`upstream response larger than ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
