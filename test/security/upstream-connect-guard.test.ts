/**
 * Providers created through the API are checked again at connect time (not only when they were
 * accepted), so a host that later points to a private address is refused; providers from the
 * operator's own config are trusted, and ALLOW_PRIVATE_UPSTREAMS=true lifts the check.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../src/routing/upstream-client.js';

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  // a host name (resolved at connect time), not an IP literal
  url = `http://localhost:${typeof a === 'object' && a ? a.port : 0}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const timeouts = { connectMs: 2000, ttfbMs: 2000, idleMs: 2000, totalMs: 2000 };
const req = { method: 'GET' as const, headers: {}, headersTimeoutMs: 2000, bodyTimeoutMs: 2000 };
const mask = { enabled: false, userAgent: '', origin: undefined, referer: undefined };

describe('connect-time address check for API-created providers', () => {
  it('refuses an API-created provider whose host resolves to a private address', async () => {
    const client = new UpstreamClient(mask, false);
    const err = await client.request({ id: 'p-api', timeouts, source: 'api' }, { ...req, url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message) + String((err as { code?: string }).code)).toMatch(/ESSRF|private|loopback|not allowed|refus/i);
    await client.close();
  });

  it('lets config providers and ALLOW_PRIVATE_UPSTREAMS=true through', async () => {
    const strict = new UpstreamClient(mask, false);
    const res = await strict.request({ id: 'p-config', timeouts, source: 'config' }, { ...req, url });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    await strict.close();
    const open = new UpstreamClient(mask, true);
    const res2 = await open.request({ id: 'p-api', timeouts, source: 'api' }, { ...req, url });
    expect(await res2.body.text()).toBe('ok');
    await open.close();
  });
});
