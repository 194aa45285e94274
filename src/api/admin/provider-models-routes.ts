/**
 * A provider's models (administrators only):
 *   GET /providers/{id}/models                       served models merged with stored alias and prices
 *   GET|PUT|PATCH|DELETE /providers/{id}/models/{model_id}   (model ids may contain "/")
 * Prices are USD per million tokens: input, cached input, cache write, output.
 */
import { deleteProviderModel, getProviderModel, listProviderModels, setProviderModel } from '../../admin/provider-models.js';
import type { Gateway } from '../../server/gateway.js';
import type { AdminApp } from './access.js';
import { NoContent } from './schemas/common.js';
import { ModelSettingsBody, ProviderModel, ProviderModelList, ProviderModelParams, ProviderModelsQuery, ProviderParams } from './schemas/providers.js';

const tags = ['Provider models'];

export function registerProviderModelRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/providers/:id/models',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "A provider's models with aliases and prices",
        description:
          'The static list or what the provider reports (cached for MODELS_CACHE_TTL; ?refresh=true asks again), merged with the stored settings.',
        params: ProviderParams,
        querystring: ProviderModelsQuery,
        response: { 200: ProviderModelList },
      },
    },
    async (request) => {
      const v = await listProviderModels(gw, request.params.id, request.query.refresh === true);
      return { data: v.data, total: v.data.length, discovery: v.discovery };
    },
  );

  const one = { config: { access: 'admin' as const, wildcard: 'model_id' } };

  app.get(
    '/providers/:id/models/*',
    { ...one, schema: { tags, summary: "One of a provider's models", params: ProviderModelParams, response: { 200: ProviderModel } } },
    async (request) => getProviderModel(gw, request.params.id, request.params['*']),
  );

  app.put(
    '/providers/:id/models/*',
    {
      ...one,
      schema: {
        tags,
        summary: "Set a model's alias and prices (fields left out are cleared)",
        params: ProviderModelParams,
        body: ModelSettingsBody,
        response: { 200: ProviderModel },
      },
    },
    async (request) => setProviderModel(gw, request.params.id, request.params['*'], request.body, true),
  );

  app.patch(
    '/providers/:id/models/*',
    {
      ...one,
      schema: {
        tags,
        summary: "Change some of a model's alias and prices (fields left out are kept)",
        params: ProviderModelParams,
        body: ModelSettingsBody,
        response: { 200: ProviderModel },
      },
    },
    async (request) => setProviderModel(gw, request.params.id, request.params['*'], request.body, false),
  );

  app.delete(
    '/providers/:id/models/*',
    {
      ...one,
      schema: { tags, summary: "Forget a model's stored alias and prices", params: ProviderModelParams, response: { 204: NoContent } },
    },
    async (request, reply) => {
      await deleteProviderModel(gw, request.params.id, request.params['*']);
      return reply.code(204).send(null);
    },
  );
}
