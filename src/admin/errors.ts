/**
 * The management API's errors, in plain words. They are GatewayErrors, so the app's error
 * handler renders them as {"error": {"message", "type", "param", "code"}}.
 */
import { GatewayError } from '../canonical/errors.js';

export function badRequest(message: string, param?: string, code = 'invalid_value'): GatewayError {
  return new GatewayError(400, 'invalid_request', message, { code, ...(param !== undefined ? { param } : {}) });
}

/** 404; `what` reads like "provider 'openai'". */
export function notFound(what: string): GatewayError {
  return new GatewayError(404, 'not_found', `There is no ${what}.`, { code: 'not_found' });
}

export function conflict(message: string, param?: string): GatewayError {
  return new GatewayError(409, 'invalid_request', message, { code: 'conflict', ...(param !== undefined ? { param } : {}) });
}

export function forbidden(message: string): GatewayError {
  return new GatewayError(403, 'permission', message, { code: 'forbidden' });
}

export function unauthorized(message: string, code = 'unauthorized'): GatewayError {
  return new GatewayError(401, 'authentication', message, { code });
}

/** Unique-constraint violations from SQLite or PostgreSQL (a concurrent writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|duplicate key value/.test(e.message);
}
