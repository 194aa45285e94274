/**
 * Building blocks of the management API's JSON shapes. Conventions (for the console and any
 * client): snake_case fields; times are ISO 8601 strings in UTC (null when unset); lists are
 * {"data": [...], "total": n}, and lists that can grow also take ?limit=&offset= and echo them.
 */
import Type, { type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const NullableTimestamp = Nullable(Timestamp);

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const Slug = Type.String({
  pattern: SLUG_PATTERN,
  description: 'lower-case letters, digits, "-" or "_"; starts with a letter or digit; at most 64',
  'x-error': 'a slug: lower-case letters, digits, "-" or "_", starting with a letter or digit (at most 64 characters)',
});

export const NonEmpty = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, ...(description !== undefined ? { description } : {}) });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'page size (1-500, default 50)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'rows to skip (default 0)' })),
});

export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), total: Type.Integer() });
}

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    total: Type.Integer({ description: 'rows matching the filters' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
}

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      message: Type.String({ description: 'what went wrong and what to do about it' }),
      type: Type.String({ description: 'invalid_request_error, authentication_error, permission_error, rate_limit_error, …' }),
      param: Nullable(Type.String({ description: 'the field at fault, when there is one' })),
      code: Nullable(Type.String({ description: 'invalid_value, not_found, conflict, forbidden, …' })),
    }),
  },
  { description: 'Every error of the management API has this shape (OpenAI style).' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const NoContent = Type.Null({ description: 'no body' });

/** epoch ms -> ISO string (null stays null) */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export interface PageParams {
  limit: number;
  offset: number;
}

export function pageParams(q: { limit?: number | undefined; offset?: number | undefined }): PageParams {
  return { limit: q.limit ?? 50, offset: q.offset ?? 0 };
}
