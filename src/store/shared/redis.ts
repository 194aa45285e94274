import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import {
  alphaArg,
  finiteArg,
  integerArg,
  positiveIntArg,
  rateLimitWindowArg,
  requiredTtl,
  ttlArg,
} from './args.js';
import { EWMA, INCR, LIST_PUSH, RATE_LIMIT } from './redis-scripts.js';
import type { LuaScript } from './redis-scripts.js';
import type { RateLimitResult, SharedState, Unsubscribe } from './shared-state.js';

/**
 * SharedState on Redis (ioredis). Keys and channel names carry a prefix so several deployments
 * can share one Redis. Calls fail fast while the server is unreachable (no offline queue, no
 * resend): the caller gets a rejection and decides, the gateway never hangs on Redis. The
 * connections reconnect on their own and subscriptions are renewed after a reconnect.
 * Connection errors go to `onError` (once per distinct message until the link is back).
 */

export interface RedisSharedStateOptions {
  /** Prefix of every key and channel (default "apiproxy:"). */
  prefix?: string;
  /** Receives connection errors and errors thrown by subscription handlers (default: console.error). */
  onError?: (err: Error) => void;
  /** A command without an answer after this long is rejected (default 2000 ms). */
  commandTimeoutMs?: number;
  /** Give up a connection attempt after this long (default 5000 ms). */
  connectTimeoutMs?: number;
}

export const DEFAULT_PREFIX = 'apiproxy:';

interface Channel {
  readonly handlers: Set<{ readonly handler: (message: string) => void }>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  readonly ready: Promise<unknown>;
}

function reportToConsole(err: Error): void {
  console.error('[apiproxy] shared state (redis):', err.message);
}

function ignore(): void {}

/** ioredis messages for "the connection is down right now" (no offline queue, no retries). */
const NOT_CONNECTED = /enableOfflineQueue options is false|max retries per request limit|Command aborted due to connection close/;
const CONNECTION_CLOSED = 'Connection is closed.';

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Reconnect after 100, 200, 400 ... ms, at most every 2 s, forever. */
function retryDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2000);
}

export class RedisSharedState implements SharedState {
  readonly kind = 'redis' as const;
  readonly prefix: string;

  private readonly url: string;
  private readonly options: RedisOptions;
  private readonly client: Redis;
  private readonly onError: (err: Error) => void;
  private readonly channels = new Map<string, Channel>();
  private subscriber: Redis | undefined;
  private subscriberReady: Promise<Redis> | undefined;
  private lastLogged: string | undefined;
  private closed = false;

  /** Does not connect; call `connect()` (createSharedState does). */
  constructor(url: string, options: RedisSharedStateOptions = {}) {
    this.url = url;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.onError = options.onError ?? reportToConsole;
    this.options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      autoResubscribe: true,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      retryStrategy: retryDelay,
      connectionName: 'apiproxy',
    };
    this.client = new Redis(url, this.options);
  }

  /**
   * Open the connection and PING. On failure the instance is closed (no reconnect loop or timer
   * is left behind) and the first connection error is thrown.
   */
  async connect(): Promise<void> {
    this.assertOpen();
    try {
      await this.open(this.client);
      await this.client.ping();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async get(key: string): Promise<string | null> {
    return this.call(this.client.get(this.prefix + key));
  }

  async mget(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    const full = new Array<string>(keys.length);
    for (let i = 0; i < keys.length; i++) full[i] = this.prefix + (keys[i] as string);
    return this.call(this.client.mget(full));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = ttlArg(ttlMs);
    if (ttl === undefined) await this.call(this.client.set(this.prefix + key, value));
    else await this.call(this.client.set(this.prefix + key, value, 'PX', ttl));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = ttlArg(ttlMs);
    const reply =
      ttl === undefined
        ? await this.call(this.client.set(this.prefix + key, value, 'NX'))
        : await this.call(this.client.set(this.prefix + key, value, 'PX', ttl, 'NX'));
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.call(this.client.del(this.prefix + key));
  }

  async ttl(key: string): Promise<number> {
    return this.call(this.client.pttl(this.prefix + key));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ttl = requiredTtl(ttlMs);
    return (await this.call(this.client.pexpire(this.prefix + key, ttl))) === 1;
  }

  async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
    finiteArg('by', by);
    const ttl = ttlArg(ttlMs);
    const reply = await this.run(INCR, key, String(by), ttl === undefined ? '' : String(ttl));
    return Number(reply);
  }

  async ewma(key: string, sample: number, alpha: number, ttlMs?: number): Promise<number> {
    finiteArg('sample', sample);
    alphaArg(alpha);
    const ttl = ttlArg(ttlMs);
    const reply = await this.run(EWMA, key, String(sample), String(alpha), ttl === undefined ? '' : String(ttl));
    return Number(reply);
  }

  async rateLimit(key: string, limit: number, windowMs: number, cost = 1): Promise<RateLimitResult> {
    const win = rateLimitWindowArg(limit, windowMs, cost);
    const reply = await this.run(RATE_LIMIT, key, String(limit), String(win), String(cost));
    if (!Array.isArray(reply) || reply.length !== 3) {
      throw new Error('Unexpected reply from the Redis rate-limit script');
    }
    return {
      allowed: reply[0] === 1,
      remaining: Number(reply[1]),
      retryAfterMs: Number(reply[2]),
    };
  }

  async listPush(key: string, value: string, maxLength: number, ttlMs?: number): Promise<void> {
    positiveIntArg('maxLength', maxLength);
    const ttl = ttlArg(ttlMs);
    await this.run(LIST_PUSH, key, value, String(maxLength), ttl === undefined ? '' : String(ttl));
  }

  async listRange(key: string, start: number, stop: number): Promise<string[]> {
    integerArg('start', start);
    integerArg('stop', stop);
    return this.call(this.client.lrange(this.prefix + key, start, stop));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.call(this.client.publish(this.prefix + channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const sub = await this.subscriberConnection();
    const name = this.prefix + channel;
    let entry = this.channels.get(name);
    if (entry === undefined) {
      entry = { handlers: new Set(), ready: this.call(sub.subscribe(name)) };
      this.channels.set(name, entry);
    }
    const own = { handler };
    const current = entry;
    current.handlers.add(own);
    try {
      await current.ready;
    } catch (err) {
      current.handlers.delete(own);
      if (current.handlers.size === 0 && this.channels.get(name) === current) this.channels.delete(name);
      throw err;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      current.handlers.delete(own);
      if (current.handlers.size > 0 || this.channels.get(name) !== current) return;
      this.channels.delete(name);
      if (this.closed) return;
      // Commands on one connection run in order, so a later SUBSCRIBE to `name` still wins.
      // Delivery to this handler has stopped already; a failed UNSUBSCRIBE (Redis down) only
      // leaves a server-side subscription whose messages are dropped on arrival.
      await sub.unsubscribe(name).catch(ignore);
    };
  }

  async ping(): Promise<void> {
    await this.call(this.client.ping());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    const connections = this.subscriber === undefined ? [this.client] : [this.client, this.subscriber];
    await Promise.all(connections.map(shutdown));
  }

  /** Connect `conn`; route its later errors to onError, or tear it down and throw the cause. */
  private async open(conn: Redis): Promise<void> {
    let firstError: Error | undefined;
    const onConnectError = (err: Error): void => {
      firstError ??= err;
    };
    conn.on('error', onConnectError);
    try {
      await conn.connect();
    } catch (err) {
      conn.on('error', ignore); // late errors of the abandoned socket
      conn.disconnect();
      throw firstError ?? asError(err);
    } finally {
      conn.off('error', onConnectError);
    }
    conn.on('error', this.logError);
    conn.on('ready', this.clearLogged);
  }

  private subscriberConnection(): Promise<Redis> {
    this.assertOpen();
    this.subscriberReady ??= (async () => {
      const sub = new Redis(this.url, this.options);
      this.subscriber = sub;
      sub.on('message', this.deliver);
      try {
        await this.open(sub);
      } catch (err) {
        this.subscriber = undefined;
        this.subscriberReady = undefined;
        throw err;
      }
      if (this.closed) {
        sub.disconnect();
        throw new Error('SharedState is closed');
      }
      return sub;
    })();
    return this.subscriberReady;
  }

  private readonly deliver = (channel: string, message: string): void => {
    const entry = this.channels.get(channel);
    if (entry === undefined) return;
    for (const { handler } of entry.handlers) {
      try {
        handler(message);
      } catch (err) {
        this.onError(asError(err));
      }
    }
  };

  private readonly logError = (err: Error): void => {
    if (this.closed || err.message === this.lastLogged) return;
    this.lastLogged = err.message;
    this.onError(err);
  };

  private readonly clearLogged = (): void => {
    this.lastLogged = undefined;
  };

  private async run(script: LuaScript, key: string, ...args: string[]): Promise<unknown> {
    const full = this.prefix + key;
    try {
      return await this.client.evalsha(script.sha, 1, full, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw this.explain(err);
      return this.call(this.client.eval(script.source, 1, full, ...args));
    }
  }

  /** Await a command, turning ioredis's "not connected" errors into one that says so. */
  private async call<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (err) {
      throw this.explain(err);
    }
  }

  private explain(err: unknown): Error {
    const e = asError(err);
    if (this.closed && e.message === CONNECTION_CLOSED) return new Error('SharedState is closed', { cause: e });
    if (!NOT_CONNECTED.test(e.message)) return e;
    return new Error(`Redis at ${describeRedisUrl(this.url)} is unreachable (reconnecting in the background)`, {
      cause: e,
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SharedState is closed');
  }
}

async function shutdown(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    try {
      await conn.quit();
      return;
    } catch {
      // fall through: drop the socket
    }
  }
  conn.disconnect();
}

/**
 * The URL with any password (and the query string, which may carry one) removed, for messages.
 */
export function describeRedisUrl(url: string): string {
  if (url.startsWith('/')) return url.split('?')[0] ?? url;
  try {
    const u = new URL(url);
    const auth = u.username !== '' || u.password !== '' ? `${u.username}${u.password !== '' ? ':***' : ''}@` : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(an unparseable URL)';
  }
}

/** True for what ioredis accepts as a URL here: redis://, rediss:// or a unix socket path. */
export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//i.test(url) || url.startsWith('/');
}
