/**
 * The web console: the single-page app built by Vite into dist/ui, served at /ui.
 *
 *   /ui            -> 301 /ui/
 *   /ui/           index.html (cache-control: no-cache, a strict CSP)
 *   /ui/assets/*   hashed files: cache-control: public, max-age=31536000, immutable
 *   /ui/<other>    a file of dist/ui, else index.html for deep links (paths without an
 *                  extension); a missing asset is a 404, never the page
 *   /              -> 302 /ui/ for browsers (Accept: text/html); anything else keeps the 404
 *
 * Everything lives in its own encapsulated plugin (reply.sendFile is not decorated for the other
 * routes) and nothing runs on the inference path. Pre-compressed .br/.gz siblings written by the
 * build are served to clients that accept them. The file list is read on the first console request.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface ConsoleOptions {
  /** the built console (default: dist/ui of this package) */
  root?: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/ui of the package this file belongs to (src/server or dist/server alike). */
export function defaultConsoleRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'ui');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'ui');
}

function listFiles(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.br') && !name.endsWith('.gz')) out.add(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /\btext\/html\b/i.test(accept);
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>APIProxy console</title>
<body style="font-family:system-ui,sans-serif;max-width:640px;margin:60px auto;padding:0 20px;line-height:1.5">
<h1>The console is not built</h1>
<p>This copy of APIProxy has no <code>dist/ui</code>. Run <code>npm run build</code> (it builds the gateway and the console), then reload.</p>
<p>The management API works without it: see <a href="/docs">/docs</a>.</p></body></html>`;

const doc = (summary: string) => ({ config: { access: 'public' as const }, schema: { tags: ['Console'], summary } });

export function registerConsole(app: FastifyInstance, opts: ConsoleOptions = {}): void {
  const root = opts.root ?? defaultConsoleRoot();

  // browsers that open the gateway's address land on the console
  app.get('/', doc('Browsers are sent to the web console (/ui/)'), async (request, reply) => {
    if (acceptsHtml(request)) return reply.redirect('/ui/', 302);
    return reply.callNotFound();
  });

  void app.register(async (scope) => {
    if (!existsSync(join(root, 'index.html'))) {
      const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
        reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT);
      scope.get('/ui', doc('The web console'), async (_request, reply) => reply.redirect('/ui/', 301));
      scope.get('/ui/', doc('The web console'), notBuilt);
      scope.get('/ui/*', doc('The web console: its files, and its pages for deep links'), notBuilt);
      return;
    }

    await scope.register(fastifyStatic, {
      root,
      serve: false,
      decorateReply: true,
      preCompressed: true,
      cacheControl: false,
      index: false,
      dotfiles: 'deny',
      setHeaders: (reply, path) => {
        const rel = relative(root, path).split(sep).join('/');
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'same-origin');
        if (rel.startsWith('assets/')) {
          reply.header('cache-control', IMMUTABLE);
        } else {
          reply.header('cache-control', 'no-cache');
        }
        if (/^index\.html(\.br|\.gz)?$/.test(rel)) {
          reply.header('content-security-policy', CSP);
          reply.header('x-frame-options', 'DENY');
        }
      },
    });

    // read on first use; a name not seen is looked for again (at most every 2 s), so a console
    // rebuilt while the gateway runs is served without a restart
    let files: Set<string> | null = null;
    let scannedAt = 0;
    const known = (rel: string): boolean => {
      if (files?.has(rel)) return true;
      if (files === null || Date.now() - scannedAt > 2000) {
        files = listFiles(root);
        scannedAt = Date.now();
      }
      return files.has(rel);
    };
    const page = (reply: FastifyReply) => reply.sendFile('index.html');

    scope.get('/ui', doc('The web console'), async (_request, reply) => reply.redirect('/ui/', 301));
    scope.get('/ui/', doc('The web console'), async (_request, reply) => page(reply));
    scope.get('/ui/*', doc('The web console: its files, and its pages for deep links'), async (request, reply) => {
      const rel = (request.params as { '*': string })['*'];
      if (known(rel)) return reply.sendFile(rel);
      // a file that is not there (an old asset hash, a typo) is a 404; a route is the page
      if (rel.startsWith('assets/') || /\.[A-Za-z0-9]{1,8}$/.test(rel)) return reply.callNotFound();
      return page(reply);
    });
  });
}
