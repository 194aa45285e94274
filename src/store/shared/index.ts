import { MemorySharedState } from './memory.js';
import { DEFAULT_PREFIX, RedisSharedState, describeRedisUrl, isRedisUrl } from './redis.js';
import type { SharedState } from './shared-state.js';

export type { RateLimitResult, SharedState, Unsubscribe } from './shared-state.js';
export { MemorySharedState } from './memory.js';
export type { MemorySharedStateOptions } from './memory.js';
export { RedisSharedState, DEFAULT_PREFIX } from './redis.js';
export type { RedisSharedStateOptions } from './redis.js';

export interface CreateSharedStateOptions {
  /** REDIS_URL; when empty or missing, state stays in this process. */
  redisUrl?: string;
  /** Key and channel prefix in Redis (default "apiproxy:"). */
  prefix?: string;
  /** Receives connection errors and errors thrown by subscription handlers. */
  onError?: (err: Error) => void;
}

/**
 * Redis when a URL is given (connected and answering PING before this resolves), the in-process
 * store otherwise. A Redis that cannot be reached fails here, with a message naming REDIS_URL,
 * and leaves no connection or timer behind.
 */
export async function createSharedState(opts: CreateSharedStateOptions = {}): Promise<SharedState> {
  const url = opts.redisUrl?.trim();
  if (url === undefined || url === '') {
    return new MemorySharedState(opts.onError === undefined ? {} : { onError: opts.onError });
  }
  if (!isRedisUrl(url)) {
    // Not echoed: a malformed value may still carry a password.
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL or a unix socket path.');
  }
  const state = new RedisSharedState(url, {
    prefix: opts.prefix ?? DEFAULT_PREFIX,
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  try {
    await state.connect(); // closes itself on failure
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Cannot connect to Redis at ${describeRedisUrl(url)} (REDIS_URL): ${reason}. ` +
        'Check that Redis is running and REDIS_URL is right, or unset REDIS_URL to keep shared state in memory (single instance only).',
      { cause: err },
    );
  }
  return state;
}
