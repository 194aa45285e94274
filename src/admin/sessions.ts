/**
 * Console sign-in: password login, JWT access tokens, rotating refresh tokens with reuse
 * detection, logout. Everything a second instance needs to agree lives in the database
 * (auth_sessions, refresh_tokens), so a logout or a revoked family is refused by every instance at
 * once; the failed-login counters live in SharedState.
 *
 * A session is one refresh-token family. Every refresh exchanges the presented refresh token for
 * a new one (the old one is marked used); presenting a used refresh token again means it was
 * copied, so the whole family is revoked and both holders must sign in again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { GatewayError } from '../canonical/errors.js';
import { equalHex } from '../security/crypto.js';
import { signToken, TokenError, verifyToken } from '../security/jwt.js';
import { dummyVerify, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../security/passwords.js';
import type { Operator } from '../server/admin-auth.js';
import type { Gateway } from '../server/gateway.js';
import type { UserRow } from '../store/db/schema.js';
import { badRequest, forbidden, unauthorized } from './errors.js';
import { assertLoginAllowed, recordLoginFailure } from './login-limits.js';

export interface SessionTokens {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  /** seconds until the access token expires */
  expires_in: number;
  /** seconds until the refresh token expires */
  refresh_expires_in: number;
}

export interface SignedIn {
  tokens: SessionTokens;
  user: UserRow;
}

export interface ClientMeta {
  ip: string;
  userAgent: string | null;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Sessions and refresh tokens are kept this long after they expire or are revoked (then deleted). */
const HOUSEKEEPING_GRACE_MS = 24 * 3600_000;

async function issue(gw: Gateway, sessionId: string, userId: string, now: number): Promise<SessionTokens> {
  const { accessTtlSeconds, refreshTtlSeconds } = gw.settings.sessions;
  const refreshJti = randomUUID();
  const [access, refresh] = await Promise.all([
    signToken(gw.keyring.jwtKey, 'access', { sub: userId, sid: sessionId, jti: randomUUID(), ttlSeconds: accessTtlSeconds, now }),
    signToken(gw.keyring.jwtKey, 'refresh', { sub: userId, sid: sessionId, jti: refreshJti, ttlSeconds: refreshTtlSeconds, now }),
  ]);
  const expiresAt = now + refreshTtlSeconds * 1000;
  await gw.store.sessions.insertRefreshToken({
    id: refreshJti,
    session_id: sessionId,
    token_hash: sha256(refresh),
    created_at: now,
    expires_at: expiresAt,
    used_at: null,
  });
  await gw.store.sessions.touch(sessionId, now, expiresAt);
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: 'bearer',
    expires_in: accessTtlSeconds,
    refresh_expires_in: refreshTtlSeconds,
  };
}

/** Username or e-mail + password -> a new session. */
export async function login(gw: Gateway, loginName: string, password: string, meta: ClientMeta): Promise<SignedIn> {
  const name = loginName.trim().toLowerCase();
  if (name === '') throw badRequest("'username' is required (your user name or e-mail address).", 'username');
  await assertLoginAllowed(gw.shared, name, meta.ip);
  const user = await gw.store.users.findByLogin(name);
  let ok = false;
  if (user) ok = await verifyPassword(password, user.password_hash);
  else await dummyVerify(password);
  if (!user || !ok) {
    await recordLoginFailure(gw.shared, name, meta.ip);
    throw unauthorized('Wrong user name, e-mail or password.', 'invalid_credentials');
  }
  if (user.enabled !== 1) throw forbidden('This account is disabled; ask an administrator.');
  if (user.password_hash && needsRehash(user.password_hash)) {
    await gw.store.users.update(user.id, { password_hash: await hashPassword(password) });
  }
  const now = Date.now();
  const sessionId = randomUUID();
  await gw.store.sessions.create({
    id: sessionId,
    user_id: user.id,
    created_at: now,
    last_used_at: now,
    expires_at: now,
    revoked_at: null,
    revoked_reason: null,
    user_agent: meta.userAgent === null ? null : meta.userAgent.slice(0, 256),
    ip: meta.ip,
  });
  const tokens = await issue(gw, sessionId, user.id, now);
  // housekeeping, off the answer's path
  void gw.store.sessions.deleteExpired(now - HOUSEKEEPING_GRACE_MS).catch(() => undefined);
  return { tokens, user };
}

function refreshRefused(message: string, code: string): GatewayError {
  return unauthorized(message, code);
}

/** Exchange a refresh token for a new pair (rotation); a reused token revokes its whole session. */
export async function refresh(gw: Gateway, token: string): Promise<SignedIn> {
  let claims;
  try {
    claims = await verifyToken(gw.keyring.jwtKey, 'refresh', token);
  } catch (err) {
    if (err instanceof TokenError && err.reason === 'expired') {
      throw refreshRefused('The refresh token has expired; sign in again.', 'refresh_token_expired');
    }
    throw refreshRefused('The refresh token is not valid; sign in again.', 'invalid_refresh_token');
  }
  const sessions = gw.store.sessions;
  const row = await sessions.getRefreshToken(claims.jti);
  if (!row || row.session_id !== claims.sid || !equalHex(row.token_hash, sha256(token))) {
    throw refreshRefused('The refresh token is not valid; sign in again.', 'invalid_refresh_token');
  }
  const session = await sessions.get(claims.sid);
  if (!session || session.revoked_at !== null) {
    throw refreshRefused('This session has ended (signed out or revoked); sign in again.', 'session_revoked');
  }
  const now = Date.now();
  if (row.used_at !== null || !(await sessions.markRefreshTokenUsed(row.id, now))) {
    await sessions.revoke(session.id, 'refresh_token_reuse', now);
    gw.logger.warn({ user: session.user_id, session: session.id }, 'a refresh token was used twice: the session was revoked');
    throw refreshRefused(
      'This refresh token was already used. For safety the whole session has been signed out; sign in again.',
      'refresh_token_reused',
    );
  }
  const user = await gw.store.users.get(claims.sub);
  if (!user || user.id !== session.user_id) {
    await sessions.revoke(session.id, 'user_deleted', now);
    throw refreshRefused('This account no longer exists.', 'session_revoked');
  }
  if (user.enabled !== 1) {
    await sessions.revoke(session.id, 'user_disabled', now);
    throw forbidden('This account is disabled; ask an administrator.');
  }
  return { tokens: await issue(gw, session.id, user.id, now), user };
}

/** The operator behind an access token (checked against the database on every call). */
export async function operatorFromAccessToken(gw: Gateway, token: string): Promise<Operator> {
  let claims;
  try {
    claims = await verifyToken(gw.keyring.jwtKey, 'access', token);
  } catch (err) {
    if (err instanceof TokenError && err.reason === 'expired') {
      throw unauthorized('The access token has expired; refresh it at POST /auth/refresh or sign in again.', 'token_expired');
    }
    throw unauthorized('Invalid or expired token.', 'invalid_token');
  }
  const [session, user] = await Promise.all([gw.store.sessions.get(claims.sid), gw.store.users.get(claims.sub)]);
  if (!session || session.revoked_at !== null || session.user_id !== claims.sub) {
    throw unauthorized('This session has ended (signed out or revoked); sign in again.', 'session_revoked');
  }
  if (!user) throw unauthorized('This account no longer exists.', 'session_revoked');
  if (user.enabled !== 1) throw forbidden('This account is disabled; ask an administrator.');
  return {
    userId: user.id,
    role: user.role === 'admin' ? 'admin' : 'user',
    via: 'session',
    name: user.username,
    sessionId: session.id,
  };
}

function sessionOf(op: Operator): { userId: string; sessionId: string } {
  if (op.via !== 'session' || op.userId === null || !op.sessionId) {
    throw badRequest('The ADMIN_API_KEY is not a signed-in session; there is nothing to sign out or change.', undefined, 'not_a_session');
  }
  return { userId: op.userId, sessionId: op.sessionId };
}

/** End this session (or every session of the user with `all`). */
export async function logout(gw: Gateway, op: Operator, all: boolean): Promise<number> {
  const s = sessionOf(op);
  if (all) return gw.store.sessions.revokeForUser(s.userId, 'logout_all');
  return (await gw.store.sessions.revoke(s.sessionId, 'logout')) ? 1 : 0;
}

/** A signed-in user changes their own password; their other sessions are signed out. */
export async function changeOwnPassword(gw: Gateway, op: Operator, current: string, next: string): Promise<void> {
  const s = sessionOf(op);
  const user = await gw.store.users.get(s.userId);
  if (!user) throw unauthorized('This account no longer exists.', 'session_revoked');
  if (!(await verifyPassword(current, user.password_hash))) {
    throw badRequest("'current_password' is not your current password.", 'current_password', 'wrong_password');
  }
  const problem = passwordProblem(next);
  if (problem) throw badRequest(`'new_password' ${problem}.`, 'new_password');
  await gw.store.users.update(user.id, { password_hash: await hashPassword(next) });
  await gw.store.sessions.revokeForUser(user.id, 'password_changed', s.sessionId);
}
