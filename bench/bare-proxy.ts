/**
 * The floor: the least a Node reverse proxy can do. A node:http server that streams each request
 * body to the upstream through one keep-alive undici Pool (its `stream()` API writes the upstream
 * response straight into ours), swapping only the Authorization header. No parsing, no auth of
 * the client, no logging, no routing. The gateway's figures are read against this one.
 *
 *   node --import tsx bench/bare-proxy.ts --upstream http://127.0.0.1:8787 --key K [--port 0]
 * prints its URL on the first line of stdout; SIGINT / SIGTERM stop it.
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

/** hop-by-hop headers (RFC 9110 7.6.1) and those the proxy sets itself */
const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'authorization']);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function forwardHeaders(src: IncomingHttpHeaders, authorization: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { authorization };
  for (const [name, value] of Object.entries(src)) {
    if (value !== undefined && !DROP_REQUEST.has(name)) out[name] = value;
  }
  return out;
}

function responseHeaders(src: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(src)) {
    if (value !== undefined && !DROP_RESPONSE.has(name)) out[name] = value;
  }
  return out;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      upstream: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (!values.upstream || !values.key) {
    process.stderr.write('usage: bare-proxy --upstream <origin> --key <provider key> [--port N]\n');
    process.exit(2);
  }
  const authorization = `Bearer ${values.key}`;
  const pool = new Pool(values.upstream, { keepAliveTimeout: 60_000 });

  const server = createServer((req, res) => {
    const method = req.method === 'GET' || req.method === 'HEAD' ? req.method : 'POST';
    pool
      .stream(
        {
          path: req.url ?? '/',
          method,
          headers: forwardHeaders(req.headers, authorization),
          body: method === 'POST' ? req : null,
          opaque: res,
        },
        ({ statusCode, headers, opaque }) => {
          const out = opaque as typeof res;
          out.writeHead(statusCode, responseHeaders(headers));
          return out;
        },
      )
      .catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `bare proxy: ${err instanceof Error ? err.message : String(err)}` } }));
        } else {
          res.destroy();
        }
      });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(values.port), '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    process.stdout.write(`http://127.0.0.1:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    pool.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
