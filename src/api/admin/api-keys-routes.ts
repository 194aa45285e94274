/**
 * Client API keys.
 * Owners (and administrators) at /users/{id}/api-keys:
 *   GET  POST  GET|PATCH|DELETE /users/{id}/api-keys/{keyId}
 * Administrators, every key including those without an owner (config file, quick mode):
 *   GET|POST /api-keys   GET|PATCH|DELETE /api-keys/{keyId}
 * DELETE revokes the key (it is refused at once, by every instance) and answers with the revoked key.
 * Another user's key ids answer 404, the same as ids that do not exist.
 */
import { createKey, getKey, revokeKey, updateKey } from '../../admin/api-keys.js';
import { getUser } from '../../admin/users.js';
import type { Gateway } from '../../server/gateway.js';
import { assertSelfOrAdmin, type AdminApp } from './access.js';
import {
  AdminApiKeyListQuery,
  AdminCreateApiKeyBody,
  ApiKey,
  ApiKeyListQuery,
  CreateApiKeyBody,
  CreatedApiKey,
  KeyParams,
  UpdateApiKeyBody,
  UserKeyParams,
  presentApiKey,
} from './schemas/api-keys.js';
import { IdParams, PageOf, pageParams } from './schemas/common.js';

const tags = ['API keys'];
const CREATE_TEXT =
  'The answer carries the key itself in "token" (sk-apx-…): it is shown only this once; the gateway stores only a hash. ' +
  'expiry: week | month | year | never (case-insensitive), or an exact expires_at.';

export function registerApiKeyRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/users/:id/api-keys',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "List a user's API keys (by prefix; never the key itself)",
        params: IdParams,
        querystring: ApiKeyListQuery,
        response: { 200: PageOf(ApiKey) },
      },
    },
    async (request) => {
      assertSelfOrAdmin(request, request.params.id);
      await getUser(gw, request.params.id);
      const page = pageParams(request.query);
      const { rows, total } = await gw.store.apiKeys.page({
        userId: request.params.id,
        ...(request.query.include_revoked === false ? { includeRevoked: false } : {}),
        ...page,
      });
      const now = Date.now();
      return { data: rows.map((r) => presentApiKey(r, now)), total, ...page };
    },
  );

  app.post(
    '/users/:id/api-keys',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Create an API key for a user',
        description: CREATE_TEXT,
        params: IdParams,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      assertSelfOrAdmin(request, request.params.id);
      const { row, token } = await createKey(gw, request.params.id, request.body);
      return reply.code(201).send({ ...presentApiKey(row), token });
    },
  );

  app.get(
    '/users/:id/api-keys/:keyId',
    {
      config: { access: 'user' },
      schema: { tags, summary: "Get one of a user's API keys", params: UserKeyParams, response: { 200: ApiKey } },
    },
    async (request) => {
      assertSelfOrAdmin(request, request.params.id);
      return presentApiKey(await getKey(gw, request.params.keyId, request.params.id));
    },
  );

  app.patch(
    '/users/:id/api-keys/:keyId',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "Edit one of a user's API keys",
        description: 'A new expiry counts from now. Revoked keys cannot be edited (409).',
        params: UserKeyParams,
        body: UpdateApiKeyBody,
        response: { 200: ApiKey },
      },
    },
    async (request) => {
      assertSelfOrAdmin(request, request.params.id);
      return presentApiKey(await updateKey(gw, request.params.keyId, request.params.id, request.body));
    },
  );

  app.delete(
    '/users/:id/api-keys/:keyId',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "Revoke one of a user's API keys",
        description: 'The key is refused from now on by every instance. The answer is the revoked key.',
        params: UserKeyParams,
        response: { 200: ApiKey },
      },
    },
    async (request) => {
      assertSelfOrAdmin(request, request.params.id);
      return presentApiKey(await revokeKey(gw, request.params.keyId, request.params.id));
    },
  );

  // administrators: every key

  app.get(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'List every API key', querystring: AdminApiKeyListQuery, response: { 200: PageOf(ApiKey) } },
    },
    async (request) => {
      const q = request.query;
      const page = pageParams(q);
      const { rows, total } = await gw.store.apiKeys.page({
        ...(q.unowned === true ? { userId: null } : q.user_id !== undefined ? { userId: q.user_id } : {}),
        ...(q.source !== undefined ? { source: q.source } : {}),
        ...(q.include_revoked === false ? { includeRevoked: false } : {}),
        ...page,
      });
      const now = Date.now();
      return { data: rows.map((r) => presentApiKey(r, now)), total, ...page };
    },
  );

  app.post(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create an API key, for a user or without an owner',
        description: CREATE_TEXT,
        body: AdminCreateApiKeyBody,
        response: { 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      const { user_id: userId, ...fields } = request.body;
      const { row, token } = await createKey(gw, userId ?? null, fields);
      return reply.code(201).send({ ...presentApiKey(row), token });
    },
  );

  app.get(
    '/api-keys/:keyId',
    { config: { access: 'admin' }, schema: { tags, summary: 'Get any API key', params: KeyParams, response: { 200: ApiKey } } },
    async (request) => presentApiKey(await getKey(gw, request.params.keyId)),
  );

  app.patch(
    '/api-keys/:keyId',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Edit any API key', params: KeyParams, body: UpdateApiKeyBody, response: { 200: ApiKey } },
    },
    async (request) => presentApiKey(await updateKey(gw, request.params.keyId, undefined, request.body)),
  );

  app.delete(
    '/api-keys/:keyId',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Revoke any API key', params: KeyParams, response: { 200: ApiKey } },
    },
    async (request) => presentApiKey(await revokeKey(gw, request.params.keyId, undefined)),
  );
}
