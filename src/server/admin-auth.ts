/**
 * Who may call the management API:
 * - the ADMIN_API_KEY (a superuser token, when set), and
 * - signed-in console users: a JWT access token from POST /auth/login or /auth/refresh, checked
 *   against the database on every call (so a logout, a disabled account or a role change counts
 *   at once, on every instance).
 * Both are sent as `Authorization: Bearer <token>` (or `X-API-Key: <token>`). Route guards:
 * `requireRole(gw, 'user' | 'admin')` sets `request.operator`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operatorFromAccessToken } from '../admin/sessions.js';
import { GatewayError } from '../canonical/errors.js';
import { looksLikeJwt } from '../security/jwt.js';
import type { Gateway } from './gateway.js';

export type Role = 'admin' | 'user';

export interface Operator {
  /** users.id; null for the ADMIN_API_KEY */
  userId: string | null;
  role: Role;
  via: 'admin-token' | 'session';
  name: string;
  /** auth_sessions.id for a signed-in user; absent for the ADMIN_API_KEY */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    operator: Operator | null;
  }
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(h.trim());
    return m ? m[1]!.trim() : null;
  }
  const x = request.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : null;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The operator behind a request, or a 401 (403 for a disabled account). */
export async function authenticateOperator(gw: Gateway, request: FastifyRequest): Promise<Operator> {
  const token = bearer(request);
  if (!token) throw new GatewayError(401, 'authentication', 'Sign in first: send "Authorization: Bearer <token>".', { code: 'unauthorized' });
  if (gw.settings.adminApiKey && sameToken(token, gw.settings.adminApiKey)) {
    return { userId: null, role: 'admin', via: 'admin-token', name: 'ADMIN_API_KEY' };
  }
  if (looksLikeJwt(token)) return operatorFromAccessToken(gw, token);
  throw new GatewayError(401, 'authentication', 'Invalid or expired token.', { code: 'invalid_token' });
}

/** A preHandler: the caller must be signed in, and an administrator when `role` is 'admin'. */
export function requireRole(gw: Gateway, role: Role) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const op = await authenticateOperator(gw, request);
    if (role === 'admin' && op.role !== 'admin') {
      throw new GatewayError(403, 'permission', 'This needs an administrator.', { code: 'forbidden' });
    }
    request.operator = op;
  };
}
