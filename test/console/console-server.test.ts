/**
 * Serving the built console at /ui (src/server/console.ts): cache headers (hashed assets
 * immutable, the page no-cache), pre-compressed files, deep links, 404 for missing assets, a
 * strict CSP on the page, the redirect of browsers from "/", and the inference routes untouched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../src/server/console.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const PAGE = '<!doctype html><html><head><script type="module" src="/ui/assets/app-3f9a1c.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(3000))});`;

describe('console files at /ui', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apiproxy-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'assets', 'app-3f9a1c.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'app-3f9a1c.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(dir, 'secret.txt.bak'), 'not for the web');
    app = Fastify();
    registerConsole(app, { root: dir });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends /ui to /ui/', async () => {
    const r = await app.inject({ url: '/ui' });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/ui/');
  });

  it('serves the page uncached, with a strict content security policy', async () => {
    const r = await app.inject({ url: '/ui/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.body).toBe(PAGE);
  });

  it('serves hashed assets as immutable, brotli-compressed when the browser accepts it', async () => {
    const br = await app.inject({ url: '/ui/assets/app-3f9a1c.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(SCRIPT);
    const plain = await app.inject({ url: '/ui/assets/app-3f9a1c.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers a repeated request for the page with 304 when it did not change', async () => {
    const first = await app.inject({ url: '/ui/' });
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    const again = await app.inject({ url: '/ui/', headers: { 'if-none-match': String(etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers deep links with the page, but a missing asset with 404', async () => {
    const deep = await app.inject({ url: '/ui/providers/openai' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(PAGE);
    expect((await app.inject({ url: '/ui/assets/app-0000.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/ui/missing.png' })).statusCode).toBe(404);
  });

  it('serves other files of the build uncached, and nothing outside it', async () => {
    const icon = await app.inject({ url: '/ui/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
    for (const url of ['/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/..%2fpackage.json', '/ui/secret.txt.bak/../../etc/passwd']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body, url).not.toContain('"name"');
    }
  });

  it('sends browsers at "/" to the console, and nobody else', async () => {
    const browser = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe('/ui/');
    expect((await app.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/' })).statusCode).toBe(404);
  });
});

describe('console not built', () => {
  it('says how to build it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apiproxy-ui-empty-'));
    const app = Fastify();
    registerConsole(app, { root: dir });
    await app.ready();
    const r = await app.inject({ url: '/ui/keys' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('npm run build');
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('console inside the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('leaves the API routes and their 404s as they were', async () => {
    const root = await fetch(`${gw.url}/`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(root.status).toBe(404);
    expect(((await root.json()) as { error: { message: string } }).error.message).toMatch(/Unknown route GET \//);
    const models = await fetch(`${gw.url}/v1/models`);
    expect(models.status).toBe(401);
    expect(models.headers.get('content-type')).toMatch(/application\/json/);
    const page = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(302);
    const ui = await fetch(`${gw.url}/ui/`);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(ui.headers.get('cache-control')).toBe('no-cache');
  });
});
