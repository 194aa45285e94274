/**
 * Providers (administrators only):
 *   GET|POST /providers   GET|PATCH|DELETE /providers/{id}
 * Every change is live on every instance at once, without a restart.
 */
import { createProvider, deleteProvider, getProvider, updateProvider } from '../../admin/providers.js';
import type { Gateway } from '../../server/gateway.js';
import type { AdminApp } from './access.js';
import { ListOf, NoContent } from './schemas/common.js';
import { CreateProviderBody, DeleteProviderQuery, Provider, ProviderParams, UpdateProviderBody, presentProvider } from './schemas/providers.js';

const tags = ['Providers'];

export function registerProviderRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/providers',
    { config: { access: 'admin' }, schema: { tags, summary: 'List providers', response: { 200: ListOf(Provider) } } },
    async () => {
      const [rows, keys] = await Promise.all([gw.store.providers.list(), gw.store.providers.listKeys()]);
      return { data: rows.map((r) => presentProvider(r, keys)), total: rows.length };
    },
  );

  app.post(
    '/providers',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add a provider (optionally with its API keys)',
        description: 'The id is a slug; clients can pin the provider with model "<id>/<model>". Keys given here are encrypted and never shown again.',
        body: CreateProviderBody,
        response: { 201: Provider },
      },
    },
    async (request, reply) => {
      const { id, keys, ...fields } = request.body;
      const row = await createProvider(gw, id, fields, keys ?? []);
      return reply.code(201).send(presentProvider(row, await gw.store.providers.listKeys(id)));
    },
  );

  app.get(
    '/providers/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Get a provider', params: ProviderParams, response: { 200: Provider } } },
    async (request) => {
      const row = await getProvider(gw, request.params.id);
      return presentProvider(row, await gw.store.providers.listKeys(row.id));
    },
  );

  app.patch(
    '/providers/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Edit a provider',
        description: 'Only the fields given change; null resets a field to its default.',
        params: ProviderParams,
        body: UpdateProviderBody,
        response: { 200: Provider },
      },
    },
    async (request) => {
      const row = await updateProvider(gw, request.params.id, request.body);
      return presentProvider(row, await gw.store.providers.listKeys(row.id));
    },
  );

  app.delete(
    '/providers/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Delete a provider with its keys and model settings',
        description: 'Refused (409) while logical models route to it, unless ?force=true.',
        params: ProviderParams,
        querystring: DeleteProviderQuery,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteProvider(gw, request.params.id, request.query.force === true);
      return reply.code(204).send(null);
    },
  );
}
