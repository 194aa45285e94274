import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSharedState } from '../../src/store/shared/index.js';
import { RedisSharedState } from '../../src/store/shared/redis.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';
import { sharedStateContract } from './contract.js';
import { eventually, sleep, waitFor } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';
import { runStandalone } from './standalone.js';

const redisUrl = process.env.TEST_REDIS_URL;
/** Every key and channel of this run lives under this prefix; afterAll deletes them. */
const runPrefix = `apiproxy-test:${randomUUID()}:`;

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createSharedState with an unreachable Redis', () => {
  it('fails with a message naming REDIS_URL, without the password', async () => {
    const port = await closedPort();
    const errors: Error[] = [];
    const attempt = createSharedState({
      redisUrl: `redis://user:s3cret-pass@127.0.0.1:${port}/0?password=s3cret-query`,
      onError: (err) => errors.push(err),
    });
    await expect(attempt).rejects.toThrow(/REDIS_URL/);
    const message = await attempt.then(
      () => '',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('s3cret');
    // The failure is reported once, through the rejection; nothing keeps retrying in the background.
    await sleep(300);
    expect(errors).toEqual([]);
  });

  it('does not leave the process hanging', async () => {
    const port = await closedPort();
    const result = await runStandalone([`redis://127.0.0.1:${port}`]);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('REDIS_URL');
  });

  it('refuses a value that is not a Redis URL', async () => {
    await expect(createSharedState({ redisUrl: 'http://localhost:6379' })).rejects.toThrow(/REDIS_URL/);
  });
});

describe.skipIf(!redisUrl)('RedisSharedState (TEST_REDIS_URL)', () => {
  const url = redisUrl ?? '';
  const admin = new Redis(url, { lazyConnect: true });
  const open: SharedState[] = [];
  const connect = async (
    extra: { prefix?: string; onError?: (err: Error) => void; commandTimeoutMs?: number; url?: string } = {},
  ): Promise<RedisSharedState> => {
    const state = new RedisSharedState(extra.url ?? url, {
      prefix: extra.prefix ?? runPrefix,
      onError: extra.onError ?? (() => undefined),
      ...(extra.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: extra.commandTimeoutMs }),
    });
    open.push(state);
    await state.connect();
    return state;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    if (admin.status === 'wait') await admin.connect();
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  sharedStateContract('redis', 'redis', (opts) =>
    createSharedState({ redisUrl: url, prefix: runPrefix, ...opts }),
  );

  it('stores keys under the prefix, so deployments with other prefixes do not see them', async () => {
    const a = await connect();
    const b = await connect({ prefix: `${runPrefix}other:` });
    await a.set('shared-name', 'from a');
    if (admin.status === 'wait') await admin.connect();
    expect(await admin.get(`${runPrefix}shared-name`)).toBe('from a');
    expect(await b.get('shared-name')).toBeNull();
    await b.set('shared-name', 'from b');
    expect(await a.get('shared-name')).toBe('from a');
  });

  it('carries a notice published by one instance to a subscriber on another', async () => {
    const publisher = await connect();
    const peer = await connect();
    const foreign = await connect({ prefix: `${runPrefix}foreign:` });
    const atPeer: string[] = [];
    const atPublisher: string[] = [];
    const atForeign: string[] = [];
    await peer.subscribe('config', (m) => atPeer.push(m));
    await publisher.subscribe('config', (m) => atPublisher.push(m));
    await foreign.subscribe('config', (m) => atForeign.push(m));

    await publisher.publish('config', 'providers changed');
    await waitFor(() => atPeer.length === 1 && atPublisher.length === 1);
    expect(atPeer).toEqual(['providers changed']);
    expect(atPublisher).toEqual(['providers changed']);

    // Redis delivers in order, so once the foreign deployment has its own notice it would
    // already have had ours, had the channel names not been prefixed.
    await foreign.publish('config', 'foreign notice');
    await waitFor(() => atForeign.length === 1);
    expect(atForeign).toEqual(['foreign notice']);
  });

  it('a closed instance receives nothing more', async () => {
    const closing = await connect();
    const live = await connect();
    const atClosed: string[] = [];
    const atLive: string[] = [];
    await closing.subscribe('after-close', (m) => atClosed.push(m));
    await live.subscribe('after-close', (m) => atLive.push(m));
    await closing.close();
    await live.publish('after-close', 'late');
    await waitFor(() => atLive.length === 1);
    await sleep(50);
    expect(atClosed).toEqual([]);
  });

  it('rejects calls while Redis is unreachable, logs it, and recovers on its own', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    try {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const errors: Error[] = [];
      const state = await connect({ url: proxied.toString(), onError: (e) => errors.push(e), commandTimeoutMs: 500 });
      const notices: string[] = [];
      await state.subscribe('outage', (m) => notices.push(m));
      await state.set('survives', 'yes');

      // A server that stops answering: the pending call is rejected, not left waiting.
      proxy.blackhole = true;
      await expect(state.get('survives')).rejects.toThrow(/timed out/i);
      proxy.blackhole = false;

      // A server that is gone: calls (and ping) reject at once; the error reaches onError.
      await proxy.stop();
      // Rejected because the link is down, not after waiting out the command timeout.
      await expect(state.ping()).rejects.toThrow(/unreachable/);
      await expect(state.incr('during-outage')).rejects.toThrow(/unreachable/);
      await waitFor(() => errors.length > 0, 10_000, 'a connection error to be reported');

      // Back again: the same instance reconnects and renews its subscription.
      await proxy.start();
      await eventually(() => state.ping(), 15_000);
      expect(await state.get('survives')).toBe('yes');
      const direct = await connect();
      await eventually(async () => {
        await direct.publish('outage', 'after recovery');
        await waitFor(() => notices.length > 0, 500, 'the renewed subscription');
      }, 15_000);
      expect(notices[0]).toBe('after recovery');
    } finally {
      await proxy.stop();
    }
  });
});
