/**
 * An OpenAPI 3.1 description built from the routes the app actually registered: their JSON
 * schemas (TypeBox) for parameters, bodies and answers; a table of descriptions for the routes
 * that have no schema (inference). Each operation carries `x-apiproxy-access` (public, user,
 * admin, client-key or unspecified) and the matching security requirement.
 */
import type { RouteEntry } from './route-table.js';
import { knownRoute } from './known-routes.js';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A plain JSON copy (drops TypeBox's non-enumerable markers). */
function plain(v: unknown): Json | undefined {
  return isObj(v) ? (JSON.parse(JSON.stringify(v)) as Json) : undefined;
}

/** "/users/:id/api-keys/:keyId" -> "/users/{id}/api-keys/{keyId}"; a trailing "*" -> "{<wildcard>}" */
export function openApiPath(url: string, wildcard = 'path'): string {
  return url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? `{${seg.slice(1)}}` : seg === '*' ? `{${wildcard}}` : seg))
    .join('/');
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith('{') ? `by-${seg.slice(1, -1)}` : seg))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** A schema that also accepts null (the body may be left out). */
function acceptsNull(schema: Json): boolean {
  return Array.isArray(schema.anyOf) && schema.anyOf.some((s) => isObj(s) && s.type === 'null');
}

function parameters(schema: unknown, where: 'path' | 'query', wildcard: string): Json[] {
  const s = plain(schema);
  if (!s || !isObj(s.properties)) return [];
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  return Object.entries(s.properties).map(([name, prop]) => {
    const p = isObj(prop) ? { ...prop } : {};
    const description = typeof p.description === 'string' ? p.description : undefined;
    delete p.description;
    return {
      name: name === '*' ? wildcard : name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description !== undefined ? { description } : {}),
      schema: p,
    };
  });
}

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'No content',
};

function responses(schema: unknown): Json {
  const out: Json = {};
  if (isObj(schema)) {
    for (const [code, s] of Object.entries(schema)) {
      const body = plain(s);
      const description = STATUS_TEXT[code] ?? `HTTP ${code}`;
      if (code === '204' || !body || body.type === 'null') out[code] = { description };
      else out[code] = { description, content: { 'application/json': { schema: body } } };
    }
  }
  if (Object.keys(out).length === 0) out['200'] = { description: 'OK' };
  out.default = { description: 'An error (see the Error schema)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return out;
}

function security(access: string): Json[] | undefined {
  if (access === 'user' || access === 'admin') return [{ consoleToken: [] }];
  if (access === 'client-key') return [{ clientKey: [] }, { clientKeyHeader: [] }];
  if (access === 'public') return [];
  return undefined;
}

export function buildOpenApi(routes: readonly RouteEntry[], info: OpenApiInfo, errorSchema: unknown): Json {
  const paths: Record<string, Json> = {};
  const tags = new Set<string>();
  const ids = new Set<string>();
  // "/ui" and "/ui/" read the same: number repeats so every operationId stays unique
  const uniqueId = (id: string): string => {
    let candidate = id;
    for (let n = 2; ids.has(candidate); n++) candidate = `${id}${n}`;
    ids.add(candidate);
    return candidate;
  };
  for (const r of routes) {
    const known = knownRoute(r.method, r.url);
    const wildcard = r.wildcard ?? known?.wildcard ?? 'path';
    const path = openApiPath(r.url, wildcard);
    const schema = r.schema;
    const access = r.access ?? known?.access ?? 'unspecified';
    const op: Json = {
      operationId: uniqueId(operationId(r.method, path)),
      summary: schema?.summary ?? known?.summary ?? `${r.method} ${path}`,
    };
    const description = schema?.description ?? known?.description;
    if (description !== undefined) op.description = description;
    const opTags = schema?.tags ? [...schema.tags] : (known?.tags ?? ['Other']);
    opTags.forEach((t) => tags.add(t));
    op.tags = opTags;
    const params = [...parameters(schema?.params, 'path', wildcard), ...parameters(schema?.querystring, 'query', wildcard)];
    // path parameters the schema does not describe
    for (const m of path.matchAll(/\{([^}]+)\}/g)) {
      if (!params.some((p) => p.in === 'path' && p.name === m[1])) params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    }
    if (params.length > 0) op.parameters = params;
    const body = plain(schema?.body) ?? known?.body;
    if (body) op.requestBody = { required: !acceptsNull(body), content: { 'application/json': { schema: body } } };
    op.responses = responses(schema?.response);
    const sec = security(access);
    if (sec !== undefined) op.security = sec;
    op['x-apiproxy-access'] = access;
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    tags: [...tags].sort().map((name) => ({ name })),
    components: {
      schemas: { Error: plain(errorSchema) ?? {} },
      securitySchemes: {
        consoleToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A console access token from POST /auth/login (or the ADMIN_API_KEY).',
        },
        clientKey: { type: 'http', scheme: 'bearer', description: 'A client API key (sk-apx-…).' },
        clientKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A client API key in X-API-Key.' },
      },
    },
  };
}
