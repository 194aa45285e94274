/**
 * The request log, for the console:
 *   GET /request-logs       newest first, filtered (time, key, user, model, provider, status or
 *                           outcome), keyset pagination: pass `next_cursor` back as `cursor`
 *   GET /request-logs/{id}  one request with its attempts, and its bodies when LOG_BODIES was on
 * Administrators see every row; a user sees the rows of their own keys (another user's row is a
 * 404, like one that does not exist).
 */
import Type, { type Static } from 'typebox';
import { badRequest, notFound } from '../../admin/errors.js';
import type { Gateway } from '../../server/gateway.js';
import { parseJson } from '../../store/db/json.js';
import type { RequestLogQuery } from '../../store/db/repositories/request-logs.js';
import type { RequestLogRow } from '../../store/db/schema.js';
import type { AdminApp } from './access.js';
import { Nullable } from './schemas/common.js';
import { iso, parseTime, rowScope } from './usage-scope.js';

const tags = ['Request logs'];

const RequestLog = Type.Object({
  id: Type.String({ description: 'the request id (X-Request-Id)' }),
  ts: Type.String(),
  api_key_id: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  route: Type.String(),
  model: Nullable(Type.String({ description: 'the model the client asked for' })),
  provider_id: Nullable(Type.String({ description: 'the provider that answered' })),
  upstream_model: Nullable(Type.String()),
  status: Type.Integer(),
  latency_ms: Type.Integer(),
  ttfb_ms: Nullable(Type.Integer()),
  stream: Type.Boolean(),
  partial: Type.Boolean({ description: 'the answer was cut short (a stream that ended early); usage is what was produced' }),
  estimated: Type.Boolean({ description: 'some token counts are the gateway\'s estimate (the upstream never reported them)' }),
  attempts: Type.Integer(),
  usage: Type.Object({
    input_tokens: Type.Integer(),
    cache_read_tokens: Type.Integer(),
    cache_write_tokens: Type.Integer(),
    output_tokens: Type.Integer(),
    reasoning_tokens: Type.Integer(),
  }),
  cost_usd: Nullable(Type.Number()),
  error: Nullable(Type.String()),
  session_id: Nullable(Type.String()),
  client_ip: Nullable(Type.String()),
});

const Attempt = Type.Object({
  provider_id: Type.String(),
  model: Type.String(),
  key_id: Nullable(Type.String({ description: 'the provider key used (its id, never the key)' })),
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  ms: Type.Integer(),
  ttfb_ms: Type.Optional(Nullable(Type.Integer())),
  usage: Type.Optional(
    Type.Object({ input: Type.Integer(), cache_read: Type.Integer(), cache_write: Type.Integer(), output: Type.Integer(), reasoning: Type.Integer() }),
  ),
  cost_usd: Type.Optional(Nullable(Type.Number())),
});

const RequestLogDetail = Type.Object({
  ...RequestLog.properties,
  attempt_records: Type.Array(Attempt),
  request_body: Nullable(Type.String({ description: 'only with LOG_BODIES=true: truncated, secrets scrubbed' })),
  response_body: Nullable(Type.String({ description: 'only with LOG_BODIES=true: truncated, secrets scrubbed' })),
});

const ListQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO 8601 or epoch ms (inclusive)' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601 or epoch ms (exclusive)' })),
  key_id: Type.Optional(Type.String({ minLength: 1 })),
  user_id: Type.Optional(Type.String({ minLength: 1, description: 'administrators only' })),
  model: Type.Optional(Type.String({ minLength: 1 })),
  provider_id: Type.Optional(Type.String({ minLength: 1 })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  outcome: Type.Optional(Type.Enum(['ok', 'error'], { description: 'ok: status < 400; error: status >= 400' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, description: 'next_cursor of the previous page' })),
});

const Page = Type.Object({
  data: Type.Array(RequestLog),
  next_cursor: Nullable(Type.String({ description: 'pass as cursor for the next (older) page; null at the end' })),
});

function cursorOf(row: RequestLogRow): string {
  return Buffer.from(`${row.ts}:${row.id}`, 'utf8').toString('base64url');
}

function parseCursor(c: string): { ts: number; id: string } {
  const text = Buffer.from(c, 'base64url').toString('utf8');
  const m = /^(\d{1,15}):(.+)$/s.exec(text);
  if (!m) throw badRequest("Invalid query parameter: 'cursor' is not a cursor this API gave out.", 'cursor');
  return { ts: Number(m[1]), id: m[2]! };
}

function present(r: RequestLogRow) {
  return {
    id: r.id,
    ts: iso(r.ts),
    api_key_id: r.api_key_id,
    user_id: r.user_id,
    route: r.route,
    model: r.model,
    provider_id: r.provider_id,
    upstream_model: r.upstream_model,
    status: r.status,
    latency_ms: r.latency_ms,
    ttfb_ms: r.ttfb_ms,
    stream: r.stream === 1,
    partial: r.partial === 1,
    estimated: r.estimated === 1,
    attempts: r.attempts,
    usage: {
      input_tokens: r.input_tokens,
      cache_read_tokens: r.cache_read_tokens,
      cache_write_tokens: r.cache_write_tokens,
      output_tokens: r.output_tokens,
      reasoning_tokens: r.reasoning_tokens,
    },
    cost_usd: r.cost_usd,
    error: r.error,
    session_id: r.session_id,
    client_ip: r.client_ip,
  };
}

export function registerRequestLogRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/request-logs',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Request logs, newest first (filters; keyset pagination with cursor)',
        querystring: ListQuery,
        response: { 200: Page },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = rowScope(request, q.user_id);
      const from = parseTime(q.from, 'from');
      const to = parseTime(q.to, 'to');
      const limit = q.limit ?? 50;
      const query: RequestLogQuery = {
        limit: limit + 1,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(scope.userId !== undefined ? { userId: scope.userId } : {}),
        ...(q.key_id !== undefined ? { apiKeyId: q.key_id } : {}),
        ...(q.model !== undefined ? { model: q.model } : {}),
        ...(q.provider_id !== undefined ? { providerId: q.provider_id } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
        ...(q.cursor !== undefined ? { before: parseCursor(q.cursor) } : {}),
      };
      const rows = await gw.store.requestLogs.query(query);
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      return { data: page.map(present), next_cursor: more && page.length > 0 ? cursorOf(page[page.length - 1]!) : null };
    },
  );

  app.get(
    '/request-logs/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'One request with its attempts (and its bodies when LOG_BODIES was on)',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: { 200: RequestLogDetail },
      },
    },
    async (request) => {
      const scope = rowScope(request, undefined);
      const row = await gw.store.requestLogs.get(request.params.id);
      if (!row || (scope.userId !== undefined && row.user_id !== scope.userId)) throw notFound(`request log '${request.params.id}'`);
      return {
        ...present(row),
        attempt_records: parseJson<Array<Static<typeof Attempt>>>(row.attempt_records, []),
        request_body: row.request_body,
        response_body: row.response_body,
      };
    },
  );
}
