/**
 * Console session tokens: JWTs signed with HS256 by the keyring's `jwtKey` (derived from
 * SECRET_KEY). Two kinds, told apart by the `typ` claim so one can never stand in for the other:
 * - access tokens (short-lived) carry the user (`sub`) and the session (`sid`);
 * - refresh tokens (longer) carry the same plus a unique `jti`; the database keeps a hash of each
 *   one, so rotation and reuse detection work on every instance.
 */
import { SignJWT, errors, jwtVerify } from 'jose';

export type TokenKind = 'access' | 'refresh';

export const JWT_ISSUER = 'apiproxy';
export const JWT_AUDIENCE = 'apiproxy-console';

export interface TokenClaims {
  /** users.id */
  sub: string;
  /** auth_sessions.id (the refresh-token family) */
  sid: string;
  /** unique id (refresh tokens; access tokens get one too) */
  jti: string;
  /** seconds since the epoch */
  exp: number;
  iat: number;
}

export class TokenError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface SignInput {
  sub: string;
  sid: string;
  jti: string;
  ttlSeconds: number;
  /** ms since the epoch (tests) */
  now?: number;
}

export async function signToken(key: Uint8Array, kind: TokenKind, input: SignInput): Promise<string> {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  return new SignJWT({ typ: kind, sid: input.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub)
    .setJti(input.jti)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(key);
}

/** A cheap shape check before any crypto: three base64url parts. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export async function verifyToken(key: Uint8Array, kind: TokenKind, token: string, now?: number): Promise<TokenClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      clockTolerance: 5,
      ...(now !== undefined ? { currentDate: new Date(now) } : {}),
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new TokenError('expired', `The ${kind} token has expired.`);
    throw new TokenError('invalid', `The ${kind} token is not valid.`);
  }
  const { sub, sid, jti, exp, iat, typ } = payload as Record<string, unknown>;
  if (typ !== kind) throw new TokenError('invalid', `This is not ${kind === 'access' ? 'an access' : 'a refresh'} token.`);
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || typeof iat !== 'number') {
    throw new TokenError('invalid', `The ${kind} token is not valid.`);
  }
  return { sub, sid, jti, exp, iat };
}
