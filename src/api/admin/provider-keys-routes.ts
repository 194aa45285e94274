/**
 * A provider's upstream API keys (administrators only):
 *   GET|POST /providers/{id}/keys   GET|PATCH|DELETE /providers/{id}/keys/{keyId}
 * The key is accepted on create (or replaced by PATCH "key") and never returned; answers show a hint.
 */
import { addProviderKey, deleteProviderKey, getProviderKey, listProviderKeys, updateProviderKey } from '../../admin/provider-keys.js';
import type { Gateway } from '../../server/gateway.js';
import type { AdminApp } from './access.js';
import { ListOf, NoContent } from './schemas/common.js';
import { NewProviderKeyBody, ProviderKey, ProviderKeyParams, ProviderParams, UpdateProviderKeyBody, presentProviderKey } from './schemas/providers.js';

const tags = ['Provider keys'];

export function registerProviderKeyRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/providers/:id/keys',
    {
      config: { access: 'admin' },
      schema: { tags, summary: "List a provider's keys (masked)", params: ProviderParams, response: { 200: ListOf(ProviderKey) } },
    },
    async (request) => {
      const rows = await listProviderKeys(gw, request.params.id);
      return { data: rows.map(presentProviderKey), total: rows.length };
    },
  );

  app.post(
    '/providers/:id/keys',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add a key to a provider',
        description: 'Encrypted at once; only a hint ("sk-…WXYZ") is ever shown. The same key twice is refused (409).',
        params: ProviderParams,
        body: NewProviderKeyBody,
        response: { 201: ProviderKey },
      },
    },
    async (request, reply) => reply.code(201).send(presentProviderKey(await addProviderKey(gw, request.params.id, request.body))),
  );

  app.get(
    '/providers/:id/keys/:keyId',
    { config: { access: 'admin' }, schema: { tags, summary: 'Get one provider key (masked)', params: ProviderKeyParams, response: { 200: ProviderKey } } },
    async (request) => presentProviderKey(await getProviderKey(gw, request.params.id, request.params.keyId)),
  );

  app.patch(
    '/providers/:id/keys/:keyId',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Edit a provider key: label, weight, QPS cap, status, or replace the key',
        description: 'Revive a key the gateway marked dead with {"status": "active"}.',
        params: ProviderKeyParams,
        body: UpdateProviderKeyBody,
        response: { 200: ProviderKey },
      },
    },
    async (request) => presentProviderKey(await updateProviderKey(gw, request.params.id, request.params.keyId, request.body)),
  );

  app.delete(
    '/providers/:id/keys/:keyId',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete a provider key', params: ProviderKeyParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteProviderKey(gw, request.params.id, request.params.keyId);
      return reply.code(204).send(null);
    },
  );
}
