import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../server/gateway.js';

/** GET /health (liveness, no auth) and GET /ready (the database and shared state answer). */
export function registerHealthRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await gw.store.ping();
      checks.database = 'ok';
    } catch (err) {
      ok = false;
      checks.database = `unavailable: ${err instanceof Error ? err.message : String(err)}`;
    }
    try {
      await gw.shared.ping();
      checks.shared_state = 'ok';
    } catch (err) {
      ok = false;
      checks.shared_state = `unavailable: ${err instanceof Error ? err.message : String(err)}`;
    }
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
  });
}
