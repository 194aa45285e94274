/**
 * Shared by the usage, request-log and context routes: reading time bounds from a query, and who
 * may see which rows (an administrator everything, a user the rows of their own keys).
 */
import type { FastifyRequest } from 'fastify';
import { badRequest } from '../../admin/errors.js';
import { operatorOf } from './access.js';

/** "2025-01-31", "2025-01-31T12:00:00Z" or epoch milliseconds -> epoch ms. */
export function parseTime(value: string | undefined, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw badRequest(`Invalid query parameter: '${param}' must be an ISO 8601 time (2025-01-31 or 2025-01-31T12:00:00Z) or epoch milliseconds.`, param);
  return t;
}

export interface RowScope {
  /** restrict to this user's rows; undefined = every row (administrator) */
  userId: string | undefined;
  admin: boolean;
}

/**
 * An administrator sees every row and may filter by `user_id`; a user sees only their own keys'
 * rows (a `user_id` naming anyone else is refused, not silently replaced).
 */
export function rowScope(request: FastifyRequest, askedUserId: string | undefined): RowScope {
  const op = operatorOf(request);
  if (op.role === 'admin') return { userId: askedUserId, admin: true };
  if (askedUserId !== undefined && askedUserId !== op.userId) {
    throw badRequest("Invalid query parameter: 'user_id' may only name yourself.", 'user_id', 'forbidden');
  }
  return { userId: op.userId ?? '\u0000nobody', admin: false };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
