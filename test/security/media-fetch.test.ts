/**
 * Fetching image URLs for Gemini-bound requests: SSRF policy at connect time (the address
 * connected to is the address checked), size cap, timeout, content types, redirects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/canonical/errors.js';
import { MediaFetcher, shownUrl } from '../../src/security/media-fetch.js';
import type { Resolver } from '../../src/security/ssrf.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0c00000000049454e44ae426082', 'hex');

let server: Server;
let port = 0;
const seen: Array<{ path: string; host: string | undefined }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ path: req.url ?? '', host: req.headers.host });
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/cat.png':
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PNG.length) });
      res.end(PNG);
      return;
    case '/page.html':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
      return;
    case '/big.png':
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(3000) });
      res.end(Buffer.alloc(3000));
      return;
    case '/chunked-big.png':
      // no content-length: the cap must hold on the bytes read
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(1500));
      res.end(Buffer.alloc(1500));
      return;
    case '/slow.png':
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(10));
      return; // never ends
    case '/redirect':
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/cat.png' });
      res.end();
      return;
    case '/missing.png':
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no');
      return;
    default:
      res.writeHead(500);
      res.end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const fetchers: MediaFetcher[] = [];
function fetcher(opts: Partial<ConstructorParameters<typeof MediaFetcher>[0]> = {}): MediaFetcher {
  const f = new MediaFetcher({ allowPrivate: true, maxBytes: 2048, timeoutMs: 2000, ...opts });
  fetchers.push(f);
  return f;
}
afterEach(async () => {
  for (const f of fetchers.splice(0)) await f.close();
  seen.length = 0;
});

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GatewayError);
  return e as GatewayError;
}

/** every name resolves to the test server's address */
const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

describe('MediaFetcher', () => {
  it('fetches an image as base64 with its media type', async () => {
    const got = await fetcher().fetch(`http://127.0.0.1:${port}/cat.png`);
    expect(got.mediaType).toBe('image/png');
    expect(Buffer.from(got.data, 'base64').equals(PNG)).toBe(true);
  });

  it('refuses private and loopback targets without ALLOW_PRIVATE_UPSTREAMS, before any request', async () => {
    const f = fetcher({ allowPrivate: false });
    for (const url of [`http://127.0.0.1:${port}/cat.png`, `http://[::1]:${port}/cat.png`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/x.png']) {
      const e = await failure(f.fetch(url));
      expect(e.code).toBe('ssrf_refused');
    }
    expect(seen).toHaveLength(0);
  });

  it('checks the address it connects to: a public-looking name resolving to 127.0.0.1 is refused (DNS rebinding)', async () => {
    const e = await failure(fetcher({ allowPrivate: false, resolve: toLoopback }).fetch(`http://images.example.com:${port}/cat.png`));
    expect(e.code).toBe('ssrf_refused');
    expect(e.message).toContain('images.example.com resolves to 127.0.0.1');
    expect(seen).toHaveLength(0);
  });

  it('connects to the resolved address and keeps the Host header of the URL', async () => {
    const got = await fetcher({ resolve: toLoopback }).fetch(`http://images.example.com:${port}/cat.png`);
    expect(got.mediaType).toBe('image/png');
    expect(seen[0]?.host).toBe(`images.example.com:${port}`);
  });

  it('follows a redirect, checking the new target too', async () => {
    const ok = await fetcher().fetch(`http://127.0.0.1:${port}/redirect?to=/cat.png`);
    expect(ok.mediaType).toBe('image/png');
    // a public host redirecting to a private one: refused at the second hop
    const resolve: Resolver = async (host) => (host === 'cdn.example' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }]);
    const strict = fetcher({ allowPrivate: false, resolve });
    const e = await failure(strict.fetch(`http://127.0.0.1:${port}/redirect?to=http://169.254.169.254/`));
    expect(e.code).toBe('ssrf_refused');
  });

  it('refuses other content types, oversized images (declared or read) and error answers', async () => {
    const f = fetcher();
    expect((await failure(f.fetch(`http://127.0.0.1:${port}/page.html`))).code).toBe('media_type_refused');
    expect((await failure(f.fetch(`http://127.0.0.1:${port}/big.png`))).code).toBe('media_too_large');
    expect((await failure(f.fetch(`http://127.0.0.1:${port}/chunked-big.png`))).code).toBe('media_too_large');
    expect((await failure(f.fetch(`http://127.0.0.1:${port}/missing.png`))).message).toContain('HTTP 404');
    expect((await failure(f.fetch('file:///etc/passwd'))).message).toContain('only http(s)');
  });

  it('gives up after the timeout', async () => {
    const e = await failure(fetcher({ timeoutMs: 300 }).fetch(`http://127.0.0.1:${port}/slow.png`));
    expect(e.code).toBe('media_fetch_timeout');
  });

  it('fetches several URLs into the map the Gemini encoder takes', async () => {
    const a = `http://127.0.0.1:${port}/cat.png`;
    const b = `http://127.0.0.1:${port}/redirect?to=/cat.png`;
    const m = await fetcher().fetchAll([a, b, a]);
    expect([...m.keys()].sort()).toEqual([a, b].sort());
  });

  it('never shows the query of a URL (signed URLs carry credentials there)', () => {
    expect(shownUrl('https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=secret')).toBe('https://bucket.s3.amazonaws.com/a.png');
  });
});
