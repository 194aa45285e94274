/**
 * The conversation context of a session (X-Session-Id), newest first:
 *   GET /context/{session_id}     console: a user sees the snippets written with their own keys,
 *                                 an administrator all of them
 *   GET /v1/context/{session_id}  with a client key: the snippets that key wrote
 * A session nobody may see here answers an empty list (the same as an unknown session).
 */
import Type from 'typebox';
import type { Gateway } from '../../server/gateway.js';
import type { ContextSnippet } from '../../usage/context-store.js';
import { bearerSources } from '../inference/handle.js';
import { operatorOf, type AdminApp } from './access.js';
import { Nullable } from './schemas/common.js';
import { iso } from './usage-scope.js';

const tags = ['Context'];

const Params = Type.Object({ session_id: Type.String({ minLength: 1, maxLength: 256 }) });

const Snippet = Type.Object({
  request_id: Type.String(),
  ts: Type.String(),
  api_key_id: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  route: Type.String(),
  model: Type.String(),
  provider_id: Nullable(Type.String()),
  status: Type.Integer(),
  partial: Type.Boolean(),
  request: Type.Unknown({ description: "the client's request body (media replaced by a note; null when too large, see request_truncated)" }),
  request_truncated: Type.Optional(Type.String()),
  response: Nullable(
    Type.Object({
      text: Type.String(),
      tool_calls: Type.Optional(Type.Array(Type.Object({ name: Type.String(), arguments: Type.String() }))),
      error: Type.Optional(Type.String()),
    }),
  ),
});

const SessionContext = Type.Object({
  session_id: Type.String(),
  data: Type.Array(Snippet, { description: 'newest first' }),
});

function present(sessionId: string, snippets: ContextSnippet[]) {
  return {
    session_id: sessionId,
    data: snippets.map((s) => ({ ...s, ts: iso(s.ts) })),
  };
}

export function registerContextRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/context/:session_id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'The stored request/response snippets of a session (X-Session-Id), newest first',
        description: `Kept for requests that carry X-Session-Id: at most CONTEXT_MAX_ENTRIES per session, for CONTEXT_TTL_HOURS after the last one. A user sees the snippets of their own keys.`,
        params: Params,
        response: { 200: SessionContext },
      },
    },
    async (request) => {
      const op = operatorOf(request);
      const snippets = await gw.context.read(request.params.session_id, { admin: op.role === 'admin', userId: op.userId });
      return present(request.params.session_id, snippets);
    },
  );

  app.get(
    '/v1/context/:session_id',
    {
      config: { access: 'client-key' },
      schema: {
        tags,
        summary: 'The snippets a client API key stored for a session (X-Session-Id), newest first',
        params: Params,
        response: { 200: SessionContext },
      },
    },
    async (request) => {
      const p = await gw.auth.authenticate(bearerSources(request));
      const snippets = await gw.context.read(request.params.session_id, { admin: p.kind === 'admin-token', apiKeyId: p.keyId });
      return present(request.params.session_id, snippets);
    },
  );
}
