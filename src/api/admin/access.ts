/**
 * Who may call each management route. Every route in the management scope declares
 * `config: { access }`; the guard is attached here, so a route cannot be registered without one
 * (start-up fails instead). The same declaration is published in /openapi.json as
 * `x-apiproxy-access`, and the tests walk it to prove every admin route refuses a plain user.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  onRequestHookHandler,
} from 'fastify';
import { requireRole, type Operator } from '../../server/admin-auth.js';
import type { Gateway } from '../../server/gateway.js';
import { notFound } from '../../admin/errors.js';

/** public: no sign-in; user: any signed-in user (ownership checked by the route); admin: administrators; client-key: inference routes */
export type Access = 'public' | 'user' | 'admin' | 'client-key';

declare module 'fastify' {
  /** documentation keys read by /openapi.json (the same names @fastify/swagger uses) */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    operationId?: string;
  }
  interface FastifyContextConfig {
    /** who may call the route (see src/api/admin/access.ts) */
    access?: Access;
    /** the OpenAPI name of a trailing "*" path segment, e.g. "model_id" */
    wildcard?: string;
  }
}

export type AdminApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export function enforceAccess(scope: FastifyInstance, gw: Gateway): void {
  scope.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`management route ${String(route.method)} ${route.url} must declare config.access (public, user, admin or client-key)`);
    }
    // 'public' and 'client-key' routes get no guard here (client-key routes authenticate the key themselves)
    if (access === 'user' || access === 'admin') {
      // onRequest: before the body is read or validated, so a caller without the right gets
      // 401/403 and learns nothing about the route's input
      const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
      route.onRequest = [requireRole(gw, access) as onRequestHookHandler, ...existing];
    }
  });
}

/** The signed-in operator (set by the guard). */
export function operatorOf(request: FastifyRequest): Operator {
  const op = request.operator;
  if (!op) throw new Error('route without an access guard asked for the operator');
  return op;
}

/**
 * /users/{id}/…: the operator may act there for themselves, or for anyone as an administrator.
 * For another user's id a plain user gets 404, the same answer as for an id that does not exist.
 */
export function assertSelfOrAdmin(request: FastifyRequest, userId: string): Operator {
  const op = operatorOf(request);
  if (op.role !== 'admin' && op.userId !== userId) throw notFound(`user '${userId}'`);
  return op;
}
