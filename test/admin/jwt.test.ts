import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { looksLikeJwt, signToken, TokenError, verifyToken } from '../../src/security/jwt.js';

const key = randomBytes(32);
const input = { sub: 'user-1', sid: 'session-1', jti: 'jti-1', ttlSeconds: 900 };

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('session tokens (JWT, HS256)', () => {
  it('round-trips the claims', async () => {
    const t = await signToken(key, 'access', input);
    expect(looksLikeJwt(t)).toBe(true);
    expect(decodeProtectedHeader(t)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const c = await verifyToken(key, 'access', t);
    expect(c).toMatchObject({ sub: 'user-1', sid: 'session-1', jti: 'jti-1' });
    expect(c.exp - c.iat).toBe(900);
  });

  it('never takes a refresh token for an access token, nor the reverse', async () => {
    const refresh = await signToken(key, 'refresh', input);
    const access = await signToken(key, 'access', input);
    await expect(verifyToken(key, 'access', refresh)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(verifyToken(key, 'refresh', access)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('tells an expired token from an invalid one', async () => {
    const t = await signToken(key, 'access', { ...input, ttlSeconds: 60, now: Date.now() - 3600_000 });
    const err = await verifyToken(key, 'access', t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect((err as TokenError).reason).toBe('expired');
  });

  it('refuses another key, a changed payload, and an unsigned token', async () => {
    const t = await signToken(key, 'access', input);
    await expect(verifyToken(randomBytes(32), 'access', t)).rejects.toMatchObject({ reason: 'invalid' });
    const [h, , s] = t.split('.');
    const changed = `${h}.${b64({ sub: 'admin', sid: 'session-1', jti: 'x', typ: 'access', iss: 'apiproxy', aud: 'apiproxy-console', iat: 1, exp: 9_999_999_999 })}.${s}`;
    await expect(verifyToken(key, 'access', changed)).rejects.toMatchObject({ reason: 'invalid' });
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin', sid: 's', jti: 'x', typ: 'access', iss: 'apiproxy', aud: 'apiproxy-console', iat: 1, exp: 9_999_999_999 })}.`;
    await expect(verifyToken(key, 'access', none)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('recognises the shape of a JWT without verifying it', () => {
    expect(looksLikeJwt('sk-apx-abc')).toBe(false);
    expect(looksLikeJwt('a.b.c')).toBe(true);
    expect(looksLikeJwt('a.b')).toBe(false);
  });
});
