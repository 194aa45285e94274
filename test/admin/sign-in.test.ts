/**
 * The first administrator and console sign-in: the password printed once at first start, login by
 * user name or e-mail, refresh-token rotation and reuse detection, logout, and what a session
 * token is worth after the account changes. Runs on every configured backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Session } from './helpers.js';

interface TokensJson {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  refresh_expires_in: number;
  user: { id: string; username: string; role: string };
}

describe.each(BACKENDS)('sign-in on %s', (backendName) => {
  let backend: Backend;
  let g: AdminGateway;
  let admin: Session;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    g = await startAdminGateway({ backend });
    admin = await signIn(g, 'admin', g.adminPassword!);
  });
  afterAll(async () => {
    await g?.close();
    await backend?.dispose();
  });

  it('prints the first administrator once, on stderr, and never in the log', () => {
    expect(g.stderr).toMatch(/created the first administrator/);
    expect(g.stderr).toMatch(/user name:\s+admin/);
    expect(g.adminPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(g.logs.join('\n')).not.toContain(g.adminPassword!);
    expect(g.logs.join('\n')).toMatch(/created the first administrator/);
  });

  it('does not create or print anything on a second start with the same database', async () => {
    const again = await startAdminGateway({ backend, dataDir: g.dataDir });
    try {
      expect(again.adminPassword).toBeNull();
      expect(again.stderr).not.toMatch(/first administrator/);
      const users = await again.call<{ total: number }>('GET', '/users', { token: admin.access });
      expect(users.status).toBe(200);
      expect(users.json.total).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('refuses POST /system/admin/init once a user exists', async () => {
    const r = await g.call<ErrorJson>('POST', '/system/admin/init', { body: { username: 'root' } });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/already has users/);
  });

  it('signs in with the user name or the e-mail address, case-insensitively', async () => {
    const created = await g.call('POST', '/users', {
      token: admin.access,
      body: { username: 'Carol', email: 'Carol@Example.com', password: 'carol-password-1' },
    });
    expect(created.status).toBe(201);
    expect(created.json.username).toBe('carol');
    for (const body of [
      { username: 'carol', password: 'carol-password-1' },
      { username: 'CAROL', password: 'carol-password-1' },
      { email: 'carol@example.com', password: 'carol-password-1' },
      { username: 'CAROL@example.COM', password: 'carol-password-1' },
    ]) {
      const r = await g.call<TokensJson>('POST', '/auth/login', { body });
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(r.json.token_type).toBe('bearer');
      expect(r.json.expires_in).toBe(900);
      expect(r.json.refresh_expires_in).toBe(7 * 24 * 3600);
      expect(r.json.user.username).toBe('carol');
      expect(r.json.user.role).toBe('user');
      expect(r.json.access_token.split('.')).toHaveLength(3);
    }
  });

  it('answers a wrong password and an unknown user the same way (401)', async () => {
    const wrong = await g.call<ErrorJson>('POST', '/auth/login', { body: { username: 'carol', password: 'nope-nope' } });
    const unknown = await g.call<ErrorJson>('POST', '/auth/login', { body: { username: 'nobody-here', password: 'nope-nope' } });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('invalid_credentials');
      expect(r.json.error.message).toBe('Wrong user name, e-mail or password.');
    }
  });

  it('tells who is signed in at GET /auth/me, and refuses a missing or forged token', async () => {
    const me = await g.call<{ user: { username: string }; role: string; via: string }>('GET', '/auth/me', { token: admin.access });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { username: 'admin' }, role: 'admin', via: 'session' });
    expect((await g.call('GET', '/auth/me')).status).toBe(401);
    const [h, p] = admin.access.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    const r = await g.call<ErrorJson>('GET', '/auth/me', { token: forged });
    expect(r.status).toBe(401);
    expect((await g.call('GET', '/auth/me', { token: admin.refresh })).status).toBe(401);
  });

  it('rotates refresh tokens, and a reused one signs the whole session out', async () => {
    const first = await signIn(g, 'carol', 'carol-password-1');
    const r1 = await g.call<TokensJson>('POST', '/auth/refresh', { body: { refresh_token: first.refresh } });
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token).not.toBe(first.refresh);
    const r2 = await g.call<TokensJson>('POST', '/auth/refresh', { body: { refresh_token: r1.json.refresh_token } });
    expect(r2.status).toBe(200);
    expect((await g.call('GET', '/auth/me', { token: r2.json.access_token })).status).toBe(200);

    // someone replays the first refresh token
    const replay = await g.call<ErrorJson>('POST', '/auth/refresh', { body: { refresh_token: first.refresh } });
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('refresh_token_reused');
    // the legitimate holder is signed out too: the newest refresh and access tokens stop working
    const after = await g.call<ErrorJson>('POST', '/auth/refresh', { body: { refresh_token: r2.json.refresh_token } });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('session_revoked');
    const me = await g.call<ErrorJson>('GET', '/auth/me', { token: r2.json.access_token });
    expect(me.status).toBe(401);
    expect(me.json.error.code).toBe('session_revoked');
    // other sessions of the same user are not affected
    const other = await signIn(g, 'carol', 'carol-password-1');
    expect((await g.call('GET', '/auth/me', { token: other.access })).status).toBe(200);
  });

  it('refuses a refresh token that is not one', async () => {
    for (const refresh_token of ['garbage', admin.access]) {
      const r = await g.call<ErrorJson>('POST', '/auth/refresh', { body: { refresh_token } });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('invalid_refresh_token');
    }
  });

  it('logs out: the access token and the refresh token stop working at once', async () => {
    const s = await signIn(g, 'carol', 'carol-password-1');
    const out = await g.call<{ revoked_sessions: number }>('POST', '/auth/logout', { token: s.access });
    expect(out.status).toBe(200);
    expect(out.json.revoked_sessions).toBe(1);
    expect((await g.call('GET', '/auth/me', { token: s.access })).status).toBe(401);
    expect((await g.call('POST', '/auth/refresh', { body: { refresh_token: s.refresh } })).status).toBe(401);
  });

  it('logs out everywhere with {"all": true}', async () => {
    const a = await signIn(g, 'carol', 'carol-password-1');
    const b = await signIn(g, 'carol', 'carol-password-1');
    const out = await g.call<{ revoked_sessions: number }>('POST', '/auth/logout', { token: a.access, body: { all: true } });
    expect(out.status).toBe(200);
    expect(out.json.revoked_sessions).toBeGreaterThanOrEqual(2);
    expect((await g.call('GET', '/auth/me', { token: a.access })).status).toBe(401);
    expect((await g.call('GET', '/auth/me', { token: b.access })).status).toBe(401);
  });

  it('changing one\'s password needs the old one and signs out the other sessions', async () => {
    const keep = await signIn(g, 'carol', 'carol-password-1');
    const other = await signIn(g, 'carol', 'carol-password-1');
    const wrong = await g.call<ErrorJson>('POST', '/auth/password', {
      token: keep.access,
      body: { current_password: 'not-it-at-all', new_password: 'carol-password-2' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.param).toBe('current_password');
    const short = await g.call<ErrorJson>('POST', '/auth/password', {
      token: keep.access,
      body: { current_password: 'carol-password-1', new_password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.json.error.param).toBe('new_password');
    const ok = await g.call('POST', '/auth/password', {
      token: keep.access,
      body: { current_password: 'carol-password-1', new_password: 'carol-password-2' },
    });
    expect(ok.status).toBe(204);
    expect((await g.call('GET', '/auth/me', { token: keep.access })).status).toBe(200);
    expect((await g.call('GET', '/auth/me', { token: other.access })).status).toBe(401);
    expect((await g.call('POST', '/auth/login', { body: { username: 'carol', password: 'carol-password-1' } })).status).toBe(401);
    await signIn(g, 'carol', 'carol-password-2');
  });

  it('a disabled account is refused at once, with its sessions', async () => {
    const dave = await g.call<{ id: string }>('POST', '/users', { token: admin.access, body: { username: 'dave', password: 'dave-password-1' } });
    const s = await signIn(g, 'dave', 'dave-password-1');
    const off = await g.call('PATCH', `/users/${dave.json.id}`, { token: admin.access, body: { enabled: false } });
    expect(off.status).toBe(200);
    expect((await g.call('GET', '/auth/me', { token: s.access })).status).toBe(401);
    const login = await g.call<ErrorJson>('POST', '/auth/login', { body: { username: 'dave', password: 'dave-password-1' } });
    expect(login.status).toBe(403);
    expect(login.json.error.message).toMatch(/disabled/);
  });

  it('a role change counts at the next call (no need to sign in again)', async () => {
    const erin = await g.call<{ id: string }>('POST', '/users', { token: admin.access, body: { username: 'erin', password: 'erin-password-1' } });
    const s = await signIn(g, 'erin', 'erin-password-1');
    expect((await g.call('GET', '/providers', { token: s.access })).status).toBe(403);
    await g.call('PATCH', `/users/${erin.json.id}`, { token: admin.access, body: { role: 'admin' } });
    expect((await g.call('GET', '/providers', { token: s.access })).status).toBe(200);
    await g.call('PATCH', `/users/${erin.json.id}`, { token: admin.access, body: { role: 'user' } });
    expect((await g.call('GET', '/providers', { token: s.access })).status).toBe(403);
  });

  it('keeps the ADMIN_API_KEY out of the session routes', async () => {
    const withKey = await startAdminGateway({ backend, dataDir: g.dataDir, env: { ADMIN_API_KEY: 'admin-api-key-0123456789' } });
    try {
      const me = await withKey.call<{ user: null; role: string; via: string }>('GET', '/auth/me', { token: 'admin-api-key-0123456789' });
      expect(me.status).toBe(200);
      expect(me.json).toEqual({ user: null, role: 'admin', via: 'admin-token' });
      const out = await withKey.call<ErrorJson>('POST', '/auth/logout', { token: 'admin-api-key-0123456789' });
      expect(out.status).toBe(400);
      expect(out.json.error.code).toBe('not_a_session');
    } finally {
      await withKey.close();
    }
  });
});

describe('POST /system/admin/init on a database without users', () => {
  let g: AdminGateway;
  beforeAll(async () => {
    g = await startAdminGateway();
    // as if every user had been removed
    await g.gw.store.db.deleteFrom('users').execute();
  });
  afterAll(async () => g?.close());

  it('creates the first administrator once, with a generated password shown once', async () => {
    const r = await g.call<{ username: string; role: string; password: string }>('POST', '/system/admin/init', {
      body: { username: 'Root', email: 'root@example.com' },
    });
    expect(r.status).toBe(201);
    expect(r.json.username).toBe('root');
    expect(r.json.role).toBe('admin');
    expect(r.json.password.length).toBeGreaterThanOrEqual(20);
    await signIn(g, 'root@example.com', r.json.password);
    const again = await g.call('POST', '/system/admin/init', { body: {} });
    expect(again.status).toBe(409);
  });
});

describe('sign-in rate limits', () => {
  let g: AdminGateway;
  let admin: Session;
  beforeAll(async () => {
    g = await startAdminGateway();
    admin = await signIn(g, 'admin', g.adminPassword!);
    await g.call('POST', '/users', { token: admin.access, body: { username: 'frank', password: 'frank-password-1' } });
  });
  afterAll(async () => g?.close());

  it('locks a user name after 5 failures (429 with Retry-After), even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await g.call('POST', '/auth/login', { body: { username: 'frank', password: `wrong-${i}` } });
      expect(r.status).toBe(401);
    }
    const locked = await g.call<ErrorJson>('POST', '/auth/login', { body: { username: 'frank', password: 'frank-password-1' } });
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('too_many_login_attempts');
    const retry = Number(locked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);
    // another user from the same address is not locked by frank's failures (5 < the per-address 10)
    expect((await g.call('POST', '/auth/login', { body: { username: 'admin', password: g.adminPassword } })).status).toBe(200);
  });

  it('locks a client address after 10 failures across user names', async () => {
    // frank's 5 failures already count against this address
    for (let i = 0; i < 5; i++) {
      const r = await g.call('POST', '/auth/login', { body: { username: `ghost-${i}`, password: 'wrong-password' } });
      expect(r.status).toBe(401);
    }
    const locked = await g.call('POST', '/auth/login', { body: { username: 'admin', password: g.adminPassword } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
