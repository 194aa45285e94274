/**
 * The web console: built into dist/ui and served by the gateway at /ui (src/server/console.ts).
 * `npm run dev:ui` serves it with hot reload at http://localhost:5173/ui/ and forwards the API
 * calls to a gateway at APIPROXY_URL (default http://127.0.0.1:8000).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = new URL('.', import.meta.url).pathname;
const gateway = process.env.APIPROXY_URL ?? 'http://127.0.0.1:8000';
/** first path segments of the gateway's routes the console calls */
const apiPrefixes = [
  '/auth', '/users', '/api-keys', '/providers', '/logical-models', '/routing', '/usage', '/request-logs',
  '/context', '/system', '/v1', '/openapi.json', '/health', '/ready',
];

/** Writes .br and .gz beside each text file of the bundle; the gateway serves them as they are. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'apiproxy-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const [name, item] of Object.entries(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(name)) continue;
        const body = Buffer.from(item.type === 'chunk' ? item.code : item.source);
        if (body.length < 1024) continue;
        const file = join(outDir, name);
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [precompress()],
  root,
  base: '/ui/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: new URL('../dist/ui', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPrefixes.map((p) => [p, { target: gateway, changeOrigin: false }])),
  },
});
