/**
 * Console sign-in:
 *   POST /auth/login      {username | email, password} -> tokens + user   (public, rate-limited)
 *   POST /auth/refresh    {refresh_token} -> a new pair (the old refresh token stops working)
 *   POST /auth/logout     {all?} -> ends this session (or all of the user's sessions)
 *   GET  /auth/me         who am I
 *   PATCH /auth/me        change my display name / e-mail
 *   POST /auth/password   {current_password, new_password}
 */
import type { FastifyRequest } from 'fastify';
import { changeOwnPassword, login, logout, refresh, type SignedIn } from '../../admin/sessions.js';
import { getUser, updateOwnProfile } from '../../admin/users.js';
import { badRequest } from '../../admin/errors.js';
import type { Gateway } from '../../server/gateway.js';
import { operatorOf, type AdminApp } from './access.js';
import { NoContent } from './schemas/common.js';
import { LoginBody, LogoutBody, LogoutResult, Me, PasswordBody, ProfileBody, RefreshBody, Tokens, User, presentUser } from './schemas/users.js';

const tags = ['Sign-in'];

function signedIn(s: SignedIn) {
  return { ...s.tokens, user: presentUser(s.user) };
}

function userAgent(request: FastifyRequest): string | null {
  const ua = request.headers['user-agent'];
  return typeof ua === 'string' ? ua : null;
}

export function registerAuthRoutes(app: AdminApp, gw: Gateway): void {
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with a user name (or e-mail) and password',
        description:
          'Returns a short-lived access token (send it as "Authorization: Bearer …") and a refresh token. Failed attempts are limited per client address and per user name (429 with Retry-After).',
        body: LoginBody,
        response: { 200: Tokens },
      },
    },
    async (request) => {
      const b = request.body;
      if (b.username !== undefined && b.email !== undefined) throw badRequest("Give either 'username' or 'email', not both.", 'email');
      const name = b.username ?? b.email;
      if (name === undefined) throw badRequest("'username' is required (your user name or e-mail address).", 'username');
      return signedIn(await login(gw, name, b.password, { ip: request.ip, userAgent: userAgent(request) }));
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new access and refresh token',
        description:
          'Each refresh token works once. Presenting one that was already exchanged signs out the whole session (both holders must sign in again).',
        body: RefreshBody,
        response: { 200: Tokens },
      },
    },
    async (request) => signedIn(await refresh(gw, request.body.refresh_token)),
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Sign out this session (or every session of this user with {"all": true})',
        body: LogoutBody,
        response: { 200: LogoutResult },
      },
    },
    async (request) => ({ revoked_sessions: await logout(gw, operatorOf(request), request.body?.all === true) }),
  );

  app.get(
    '/auth/me',
    { config: { access: 'user' }, schema: { tags, summary: 'Who is signed in', response: { 200: Me } } },
    async (request) => {
      const op = operatorOf(request);
      if (op.userId === null) return { user: null, role: op.role, via: op.via };
      return { user: presentUser(await getUser(gw, op.userId)), role: op.role, via: op.via };
    },
  );

  app.patch(
    '/auth/me',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Change my display name or e-mail address', body: ProfileBody, response: { 200: User } },
    },
    async (request) => presentUser(await updateOwnProfile(gw, operatorOf(request), request.body)),
  );

  app.post(
    '/auth/password',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Change my password',
        description: 'Needs the current password. Every other session of this user is signed out.',
        body: PasswordBody,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(gw, operatorOf(request), request.body.current_password, request.body.new_password);
      return reply.code(204).send(null);
    },
  );
}
