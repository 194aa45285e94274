/**
 * Users (administrators only, except reading one's own record):
 *   GET /users  POST /users  GET|PATCH|DELETE /users/{id}
 */
import { createUser, deleteUser, getUser, updateUser } from '../../admin/users.js';
import type { Gateway } from '../../server/gateway.js';
import { assertSelfOrAdmin, operatorOf, type AdminApp } from './access.js';
import { IdParams, NoContent, PageOf, pageParams } from './schemas/common.js';
import { CreatedUser, CreateUserBody, UpdateUserBody, User, UserListQuery, presentUser } from './schemas/users.js';

const tags = ['Users'];

export function registerUserRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/users',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'List users', querystring: UserListQuery, response: { 200: PageOf(User) } },
    },
    async (request) => {
      const page = pageParams(request.query);
      const { rows, total } = await gw.store.users.page({
        ...page,
        ...(request.query.q !== undefined ? { search: request.query.q } : {}),
        ...(request.query.role !== undefined ? { role: request.query.role } : {}),
      });
      return { data: rows.map(presentUser), total, ...page };
    },
  );

  app.post(
    '/users',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create a user',
        description: 'Without "password" a random one is generated and returned once in "password".',
        body: CreateUserBody,
        response: { 201: CreatedUser },
      },
    },
    async (request, reply) => {
      const { user, generatedPassword } = await createUser(gw, request.body);
      return reply.code(201).send({ ...presentUser(user), ...(generatedPassword !== null ? { password: generatedPassword } : {}) });
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Get a user (administrators: anyone; users: themselves)',
        params: IdParams,
        response: { 200: User },
      },
    },
    async (request) => {
      assertSelfOrAdmin(request, request.params.id);
      return presentUser(await getUser(gw, request.params.id));
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Edit a user: name, e-mail, display name, role, enabled, or reset the password',
        description:
          'Disabling a user or resetting the password signs them out everywhere; disabling also stops their API keys. The last enabled administrator cannot be demoted or disabled (409).',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
    },
    async (request) => presentUser(await updateUser(gw, request.params.id, request.body)),
  );

  app.delete(
    '/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Delete a user with their API keys and sessions',
        description: 'You cannot delete yourself, nor the last enabled administrator (409).',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteUser(gw, operatorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
