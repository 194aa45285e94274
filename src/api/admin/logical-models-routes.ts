/**
 * Logical models (administrators only):
 *   GET|POST /logical-models   GET|PATCH|DELETE /logical-models/{id}
 *   GET|PUT|POST /logical-models/{id}/upstreams   DELETE /logical-models/{id}/upstreams/{provider_id}/{model}
 * An id containing "/" is URL-encoded in the path (%2F).
 */
import {
  addUpstream,
  createLogicalModel,
  deleteLogicalModel,
  getLogicalModel,
  listLogicalModels,
  removeUpstream,
  replaceUpstreams,
  updateLogicalModel,
} from '../../admin/logical-models.js';
import type { Gateway } from '../../server/gateway.js';
import type { AdminApp } from './access.js';
import { ListOf, NoContent } from './schemas/common.js';
import {
  CreateLogicalModelBody,
  LogicalModel,
  LogicalModelParams,
  ReplaceUpstreamsBody,
  UpdateLogicalModelBody,
  UpstreamBody,
  UpstreamList,
  UpstreamParams,
  presentLogicalModel,
  presentUpstream,
} from './schemas/logical-models.js';
import type { LogicalModelView } from '../../admin/logical-models.js';

const tags = ['Logical models'];

function upstreamList(v: LogicalModelView) {
  return { data: v.upstreams.map(presentUpstream), total: v.upstreams.length };
}

export function registerLogicalModelRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/logical-models',
    { config: { access: 'admin' }, schema: { tags, summary: 'List logical models', response: { 200: ListOf(LogicalModel) } } },
    async () => {
      const all = await listLogicalModels(gw);
      return { data: all.map(presentLogicalModel), total: all.length };
    },
  );

  app.post(
    '/logical-models',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create a logical model',
        description: 'Clients ask for it by id; the router picks among its upstreams by priority, then weight.',
        body: CreateLogicalModelBody,
        response: { 201: LogicalModel },
      },
    },
    async (request, reply) => {
      const { id, ...fields } = request.body;
      return reply.code(201).send(presentLogicalModel(await createLogicalModel(gw, id, fields)));
    },
  );

  app.get(
    '/logical-models/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Get a logical model', params: LogicalModelParams, response: { 200: LogicalModel } } },
    async (request) => presentLogicalModel(await getLogicalModel(gw, request.params.id)),
  );

  app.patch(
    '/logical-models/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Edit a logical model (an "upstreams" list replaces the whole list)',
        params: LogicalModelParams,
        body: UpdateLogicalModelBody,
        response: { 200: LogicalModel },
      },
    },
    async (request) => presentLogicalModel(await updateLogicalModel(gw, request.params.id, request.body)),
  );

  app.delete(
    '/logical-models/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete a logical model', params: LogicalModelParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteLogicalModel(gw, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/logical-models/:id/upstreams',
    {
      config: { access: 'admin' },
      schema: { tags, summary: "A logical model's upstreams", params: LogicalModelParams, response: { 200: UpstreamList } },
    },
    async (request) => upstreamList(await getLogicalModel(gw, request.params.id)),
  );

  app.put(
    '/logical-models/:id/upstreams',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Replace a logical model's upstreams",
        params: LogicalModelParams,
        body: ReplaceUpstreamsBody,
        response: { 200: UpstreamList },
      },
    },
    async (request) => upstreamList(await replaceUpstreams(gw, request.params.id, request.body.upstreams)),
  );

  app.post(
    '/logical-models/:id/upstreams',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add one upstream to a logical model',
        description: 'The same provider and model twice is refused (409).',
        params: LogicalModelParams,
        body: UpstreamBody,
        response: { 201: UpstreamList },
      },
    },
    async (request, reply) => reply.code(201).send(upstreamList(await addUpstream(gw, request.params.id, request.body))),
  );

  app.delete(
    '/logical-models/:id/upstreams/:provider/*',
    {
      config: { access: 'admin', wildcard: 'model' },
      schema: {
        tags,
        summary: 'Remove one upstream from a logical model',
        params: UpstreamParams,
        response: { 200: UpstreamList },
      },
    },
    async (request) => upstreamList(await removeUpstream(gw, request.params.id, request.params.provider, request.params['*'])),
  );
}
