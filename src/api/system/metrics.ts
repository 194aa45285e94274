/**
 * GET /metrics: Prometheus text format (src/telemetry/metrics.ts). Off with METRICS_ENABLED=false;
 * with METRICS_TOKEN set, the scraper must send `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../canonical/errors.js';
import type { Gateway } from '../../server/gateway.js';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerMetricsRoute(app: FastifyInstance, gw: Gateway): void {
  const { enabled, token } = gw.settings.metrics;
  if (!enabled) return;
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['System'],
        summary: 'Prometheus metrics',
        description: 'Requests, errors, latency and time-to-first-byte histograms, tokens, upstream attempts and circuit breaker state per provider and model. Bearer METRICS_TOKEN when that is set.',
      },
    },
    async (request, reply) => {
    if (token) {
      const m = /^Bearer\s+(.+)$/i.exec(request.headers.authorization?.trim() ?? '');
      if (!m || !sameToken(m[1]!.trim(), token)) {
        throw new GatewayError(401, 'authentication', 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".');
      }
    }
    const text = await gw.metrics.render();
    return reply.type(gw.metrics.contentType).send(text);
    },
  );
}
