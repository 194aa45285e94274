/**
 * Every route the app registers, as Fastify reports it (onRoute): method, URL, schema and access.
 * Install before any route is registered; read after the app is ready.
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Access } from '../access.js';

export interface RouteEntry {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  access: Access | undefined;
  /** OpenAPI name of a trailing "*" segment */
  wildcard: string | undefined;
}

export class RouteTable {
  readonly entries: RouteEntry[] = [];
}

export function collectRoutes(app: FastifyInstance): RouteTable {
  const table = new RouteTable();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      table.entries.push({
        method: String(method).toUpperCase(),
        url: route.url,
        schema: route.schema,
        access: route.config?.access,
        wildcard: route.config?.wildcard,
      });
    }
  });
  return table;
}
