/**
 * GET /openapi.json (built once, from the routes the app registered) and GET /docs (a readable
 * page of it). Call `collectRoutes(app)` before registering any route, `registerDocsRoutes` after.
 */
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../schemas/common.js';
import { buildOpenApi } from './build.js';
import { DOCS_PAGE } from './docs-page.js';
import type { RouteTable } from './route-table.js';

export { collectRoutes, RouteTable, type RouteEntry } from './route-table.js';
export { buildOpenApi, openApiPath } from './build.js';

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const DESCRIPTION =
  'One endpoint in front of many LLM providers. Inference routes speak the OpenAI, Anthropic and Gemini wire formats with a client API key; ' +
  'management routes (users, API keys, providers, models, logical models) take a console access token from POST /auth/login, or the ADMIN_API_KEY. ' +
  'JSON fields are snake_case, times ISO 8601 (UTC), lists {"data": [...], "total": n} (with limit and offset where they can grow).';

export function registerDocsRoutes(app: FastifyInstance, table: RouteTable): void {
  let doc: unknown = null;
  app.get('/openapi.json', { config: { access: 'public' } }, async (_request, reply) => {
    doc ??= buildOpenApi(table.entries, { title: 'APIProxy', version: packageVersion(), description: DESCRIPTION }, ErrorBody);
    return reply.header('cache-control', 'no-cache').send(doc);
  });
  app.get('/docs', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(DOCS_PAGE),
  );
}
