/**
 * A second floor, opt-in (`--target fastify`): what Fastify itself costs on this path. A Fastify
 * app that checks the client key (a string compare), lets Fastify parse the JSON body, rewrites
 * the model, forwards it with undici `Pool.request` and hands the upstream body to `reply.send`
 * (Fastify pipes it). No logging, no routing, no usage accounting. The distance from here to
 * the gateway is the gateway's own per-request work; from the bare proxy to here, the framework's.
 *
 *   node --import tsx bench/fastify-floor.ts --upstream <origin> --key <provider key> --client-key <key> [--port 0]
 * prints its URL on the first line of stdout; SIGINT / SIGTERM stop it.
 */
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { Pool } from 'undici';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      upstream: { type: 'string' },
      key: { type: 'string' },
      'client-key': { type: 'string' },
    },
  });
  if (!values.upstream || !values.key || !values['client-key']) {
    process.stderr.write('usage: fastify-floor --upstream <origin> --key <provider key> --client-key <key> [--port N]\n');
    process.exit(2);
  }
  const expected = `Bearer ${values['client-key']}`;
  const upstreamAuth = `Bearer ${values.key}`;
  const pool = new Pool(values.upstream, { keepAliveTimeout: 60_000 });
  const app = Fastify({ logger: false });
  app.post('/v1/chat/completions', async (request, reply) => {
    if (request.headers.authorization !== expected) return reply.code(401).send({ error: { message: 'Invalid API key.' } });
    const body = request.body as Record<string, unknown>;
    body.model = String(body.model);
    const res = await pool.request({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: upstreamAuth },
      body: JSON.stringify(body),
    });
    const type = res.headers['content-type'];
    reply.code(res.statusCode);
    if (typeof type === 'string') reply.header('content-type', type);
    return reply.send(res.body);
  });
  await app.listen({ host: '127.0.0.1', port: Number(values.port) });
  const addr = app.server.address();
  process.stdout.write(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  const stop = (): void => {
    app.close().finally(() => {
      pool.close().finally(() => process.exit(0));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fastify floor failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
