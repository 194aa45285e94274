/**
 * /openapi.json is built from the routes the gateway registered; /docs shows it without any
 * outside resource.
 */
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi, openApiPath, type RouteEntry } from '../../src/api/admin/openapi/index.js';
import { startAdminGateway, type AdminGateway } from './helpers.js';

type Json = Record<string, unknown>;
type Op = {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Json }>;
  requestBody?: { required: boolean; content: { 'application/json': { schema: Json } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: Json } } }>;
  security?: Array<Record<string, string[]>>;
  'x-apiproxy-access': string;
};
type Doc = { openapi: string; info: Json; paths: Record<string, Record<string, Op>>; components: { schemas: Json; securitySchemes: Json } };

const route = (r: Partial<RouteEntry> & Pick<RouteEntry, 'method' | 'url'>): RouteEntry => ({ schema: undefined, access: undefined, wildcard: undefined, ...r });

describe('building the description', () => {
  it('writes Fastify paths as OpenAPI paths', () => {
    expect(openApiPath('/users/:id/api-keys/:keyId')).toBe('/users/{id}/api-keys/{keyId}');
    expect(openApiPath('/providers/:id/models/*', 'model_id')).toBe('/providers/{id}/models/{model_id}');
    expect(openApiPath('/health')).toBe('/health');
  });

  it('turns route schemas into parameters, a body and answers, with access and security', () => {
    const doc = buildOpenApi(
      [
        route({
          method: 'PATCH',
          url: '/things/:id',
          access: 'admin',
          schema: {
            summary: 'Edit a thing',
            tags: ['Things'],
            params: Type.Object({ id: Type.String({ description: 'the thing' }) }),
            querystring: Type.Object({ dry: Type.Optional(Type.Boolean()) }),
            body: Type.Object({ name: Type.String() }),
            response: { 200: Type.Object({ id: Type.String() }), 204: Type.Null() },
          },
        }),
        route({ method: 'POST', url: '/things/:id/close', access: 'user', schema: { body: Type.Union([Type.Object({}), Type.Null()]) } }),
        route({ method: 'GET', url: '/files/*', access: 'public', wildcard: 'file' }),
        route({ method: 'POST', url: '/v1/chat/completions' }),
        route({ method: 'GET', url: '/mystery' }),
        route({ method: 'GET', url: '/mystery/' }),
      ],
      { title: 't', version: '1' },
      Type.Object({ error: Type.Object({ message: Type.String() }) }),
    ) as unknown as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const op = doc.paths['/things/{id}']!.patch!;
    expect(op).toMatchObject({ summary: 'Edit a thing', tags: ['Things'], 'x-apiproxy-access': 'admin', security: [{ consoleToken: [] }] });
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, description: 'the thing', schema: { type: 'string' } },
      { name: 'dry', in: 'query', required: false, schema: { type: 'boolean' } },
    ]);
    expect(op.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
    });
    expect(op.responses['200']!.content!['application/json'].schema).toEqual({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
    expect(op.responses['204']).toEqual({ description: 'No content' });
    expect(op.responses.default!.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/things/{id}/close']!.post!.requestBody!.required).toBe(false);
    expect(doc.paths['/files/{file}']!.get).toMatchObject({ security: [], parameters: [{ name: 'file', in: 'path', required: true }] });
    expect(doc.paths['/v1/chat/completions']!.post).toMatchObject({
      summary: 'OpenAI Chat Completions',
      'x-apiproxy-access': 'client-key',
      security: [{ clientKey: [] }, { clientKeyHeader: [] }],
    });
    expect(doc.paths['/v1/chat/completions']!.post!.requestBody!.content['application/json'].schema.required).toEqual(['model', 'messages']);
    expect(doc.paths['/mystery']!.get!['x-apiproxy-access']).toBe('unspecified');
    expect(doc.paths['/mystery']!.get!.operationId).toBe('getMystery');
    expect(doc.paths['/mystery/']!.get!.operationId).toBe('getMystery2');
    expect(doc.components.schemas.Error).toBeDefined();
  });
});

describe('the running gateway', () => {
  let g: AdminGateway;
  let doc: Doc;
  beforeAll(async () => {
    g = await startAdminGateway();
    const r = await g.call<Doc>('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    doc = r.json;
  });
  afterAll(async () => g?.close());

  const ops = (): Array<[string, string, Op]> =>
    Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([m, op]) => [path, m, op] as [string, string, Op]));

  it('describes the management and inference routes, needing no sign-in to read', () => {
    for (const [path, method] of [
      ['/auth/login', 'post'],
      ['/users/{id}/api-keys', 'post'],
      ['/providers/{id}/models/{model_id}', 'put'],
      ['/logical-models/{id}/upstreams', 'put'],
      ['/v1/chat/completions', 'post'],
      ['/v1/models', 'get'],
      ['/health', 'get'],
    ]) {
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    }
    const create = doc.paths['/users/{id}/api-keys']!.post!;
    expect(create.requestBody!.content['application/json'].schema.properties).toHaveProperty('expiry');
    expect(create.responses['201']!.content!['application/json'].schema.properties).toHaveProperty('token');
  });

  it('gives every operation a unique id, a summary, answers, and declares its path parameters', () => {
    const ids = new Set<string>();
    for (const [path, method, op] of ops()) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
      expect(ids.has(op.operationId), op.operationId).toBe(false);
      ids.add(op.operationId);
      expect(op.summary.length).toBeGreaterThan(0);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const m of path.matchAll(/\{([^}]+)\}/g)) {
        expect(op.parameters?.some((p) => p.in === 'path' && p.name === m[1]), `${method} ${path} declares ${m[1]}`).toBe(true);
      }
    }
  });

  it('carries no TypeBox internals and resolves every reference', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('~kind');
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas).toHaveProperty(m[1]!);
  });

  it('serves /docs as one page that needs nothing from outside', async () => {
    const r = await g.call('GET', '/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.text).toContain("fetch('openapi.json')");
    expect(r.text).not.toMatch(/(src|href)="https?:/);
    expect(r.text).not.toMatch(/@import|https?:\/\/[^"'\s]*\.(js|css)/);
  });
});
