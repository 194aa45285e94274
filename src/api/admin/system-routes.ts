/**
 * POST /system/admin/init: create the first administrator, only while no user exists (409
 * afterwards). A first start creates `admin` by itself (src/admin/bootstrap.ts); this route is for
 * a database whose users were all removed, or for installers that want to choose the name.
 */
import { createFirstAdmin } from '../../admin/bootstrap.js';
import { conflict } from '../../admin/errors.js';
import { normalizeEmail, normalizeUsername } from '../../admin/users.js';
import { generatePassword, passwordProblem } from '../../security/passwords.js';
import type { Gateway } from '../../server/gateway.js';
import { badRequest } from '../../admin/errors.js';
import type { AdminApp } from './access.js';
import { CreatedUser, InitBody, presentUser } from './schemas/users.js';

export function registerSystemRoutes(app: AdminApp, gw: Gateway): void {
  app.post(
    '/system/admin/init',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Users'],
        summary: 'Create the first administrator (only while there is no user at all)',
        description:
          'Answers 409 once any user exists. Without "password" a random one is generated and returned once in "password".',
        body: InitBody,
        response: { 201: CreatedUser },
      },
    },
    async (request, reply) => {
      if ((await gw.store.users.count()) > 0) throw conflict('The system already has users; sign in at POST /auth/login instead.');
      const b = request.body ?? {};
      const username = normalizeUsername(b.username ?? 'admin');
      const email = normalizeEmail(b.email);
      let password = b.password;
      if (password !== undefined) {
        const problem = passwordProblem(password);
        if (problem) throw badRequest(`'password' ${problem}.`, 'password');
      }
      const generated = password === undefined ? generatePassword() : null;
      password ??= generated!;
      const user = await createFirstAdmin(gw.store, {
        username,
        email,
        display_name: b.display_name?.trim() || 'Administrator',
        password,
      });
      if (!user) throw conflict('The system already has users; sign in at POST /auth/login instead.');
      gw.logger.warn({ username: user.username }, 'the first administrator was created through POST /system/admin/init');
      return reply.code(201).send({ ...presentUser(user), ...(generated !== null ? { password: generated } : {}) });
    },
  );
}
