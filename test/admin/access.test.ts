/**
 * Every administrator route refuses a plain user (403) and an anonymous caller (401), walked from
 * the routes the gateway actually registered (/openapi.json, x-apiproxy-access), plus a fixed list
 * so a route cannot silently lose its "admin" declaration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Session } from './helpers.js';

type Spec = { paths: Record<string, Record<string, { 'x-apiproxy-access'?: string }>> };

/** Routes of this module that only administrators may call. */
const ADMIN_ROUTES = [
  'GET /users',
  'POST /users',
  'PATCH /users/{id}',
  'DELETE /users/{id}',
  'GET /api-keys',
  'POST /api-keys',
  'GET /api-keys/{keyId}',
  'PATCH /api-keys/{keyId}',
  'DELETE /api-keys/{keyId}',
  'GET /providers',
  'POST /providers',
  'GET /providers/{id}',
  'PATCH /providers/{id}',
  'DELETE /providers/{id}',
  'GET /providers/{id}/keys',
  'POST /providers/{id}/keys',
  'GET /providers/{id}/keys/{keyId}',
  'PATCH /providers/{id}/keys/{keyId}',
  'DELETE /providers/{id}/keys/{keyId}',
  'GET /providers/{id}/models',
  'GET /providers/{id}/models/{model_id}',
  'PUT /providers/{id}/models/{model_id}',
  'PATCH /providers/{id}/models/{model_id}',
  'DELETE /providers/{id}/models/{model_id}',
  'GET /logical-models',
  'POST /logical-models',
  'GET /logical-models/{id}',
  'PATCH /logical-models/{id}',
  'DELETE /logical-models/{id}',
  'GET /logical-models/{id}/upstreams',
  'PUT /logical-models/{id}/upstreams',
  'POST /logical-models/{id}/upstreams',
  'DELETE /logical-models/{id}/upstreams/{provider}/{model}',
];

/** Routes any signed-in user may call (ownership is checked inside). */
const USER_ROUTES = [
  'GET /auth/me',
  'PATCH /auth/me',
  'POST /auth/logout',
  'POST /auth/password',
  'GET /users/{id}',
  'GET /users/{id}/api-keys',
  'POST /users/{id}/api-keys',
  'GET /users/{id}/api-keys/{keyId}',
  'PATCH /users/{id}/api-keys/{keyId}',
  'DELETE /users/{id}/api-keys/{keyId}',
];

const PUBLIC_ROUTES = ['POST /auth/login', 'POST /auth/refresh', 'POST /system/admin/init', 'GET /openapi.json', 'GET /docs'];

let g: AdminGateway;
let admin: Session;
let user: Session;
let spec: Spec;

beforeAll(async () => {
  g = await startAdminGateway();
  admin = await signIn(g, 'admin', g.adminPassword!);
  user = await newUser(g, admin, 'plain-user');
  spec = (await g.call<Spec>('GET', '/openapi.json')).json;
});
afterAll(async () => g?.close());

function operations(access: string): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) if (op['x-apiproxy-access'] === access) out.push({ method: method.toUpperCase(), path });
  }
  return out;
}

/** A concrete URL for a documented path (any value: the guard answers before the route looks). */
function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, 'some-id');
}

describe('declared access', () => {
  it('documents every route of the management API with the intended access', () => {
    const declared = (access: string) => new Set(operations(access).map((o) => `${o.method} ${o.path}`));
    const admins = declared('admin');
    for (const r of ADMIN_ROUTES) expect(admins.has(r), r).toBe(true);
    const users = declared('user');
    for (const r of USER_ROUTES) expect(users.has(r), r).toBe(true);
    const open = declared('public');
    for (const r of PUBLIC_ROUTES) expect(open.has(r), r).toBe(true);
  });
});

describe('every administrator route', () => {
  it('refuses a plain user with 403, before reading the body', async () => {
    const ops = operations('admin');
    expect(ops.length).toBeGreaterThanOrEqual(ADMIN_ROUTES.length);
    for (const { method, path } of ops) {
      const r = await g.call<ErrorJson>(method, concrete(path), { token: user.access, body: method === 'GET' || method === 'DELETE' ? undefined : { not: 'valid' } });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error.type, `${method} ${path}`).toBe('permission_error');
      expect(r.json.error.message).toBe('This needs an administrator.');
    }
  });

  it('refuses an anonymous caller with 401', async () => {
    for (const { method, path } of operations('admin')) {
      const r = await g.call<ErrorJson>(method, concrete(path), { body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.json.error.type).toBe('authentication_error');
    }
  });

  it('refuses HEAD from a plain user too', async () => {
    for (const { method, path } of operations('admin')) {
      if (method !== 'GET') continue;
      const res = await fetch(`${g.url}${concrete(path)}`, { method: 'HEAD', headers: { authorization: `Bearer ${user.access}` } });
      expect(res.status, `HEAD ${path}`).toBe(403);
    }
  });

  it('lets an administrator through (the same routes answer something other than 401/403)', async () => {
    for (const { method, path } of operations('admin')) {
      const r = await g.call(method, concrete(path), { token: admin.access, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect([401, 403], `${method} ${path}`).not.toContain(r.status);
    }
  });
});

describe('routes for any signed-in user', () => {
  it('refuse an anonymous caller with 401', async () => {
    for (const { method, path } of operations('user')) {
      const r = await g.call(method, concrete(path), { body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });

  it("answer 404 for another user's id under /users/{id}, never 403", async () => {
    for (const { method, path } of operations('user')) {
      if (!path.startsWith('/users/{id}')) continue;
      const url = path.replace('{id}', admin.userId).replace(/\{[^}]+\}/g, 'some-id');
      const r = await g.call<ErrorJson>(method, url, { token: user.access, body: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' } });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json.error.code).toBe('not_found');
    }
  });
});
