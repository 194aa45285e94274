/**
 * Users through the management API: created, listed, searched, edited and deleted by
 * administrators, with the safety rules (unique names, the last administrator stays).
 * Runs on every configured backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openBackend, type Backend } from './backends.js';
import { signIn, startAdminGateway, type AdminGateway, type ErrorJson, type Session } from './helpers.js';

interface UserJson {
  id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  role: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  password?: string;
}

describe.each(BACKENDS)('users on %s', (backendName) => {
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

  it('creates a user with a generated password, shown once, that signs in', async () => {
    const r = await g.call<UserJson>('POST', '/users', { token: admin.access, body: { username: 'Grace', email: 'grace@example.com', display_name: ' Grace H ' } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ username: 'grace', email: 'grace@example.com', display_name: 'Grace H', role: 'user', enabled: true });
    expect(r.json.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(Date.parse(r.json.created_at)).not.toBeNaN();
    await signIn(g, 'grace', r.json.password!);
    const read = await g.call<UserJson>('GET', `/users/${r.json.id}`, { token: admin.access });
    expect(read.json).not.toHaveProperty('password');
    expect(read.json).not.toHaveProperty('password_hash');
  });

  it('refuses taken names and addresses (409) and malformed ones (400), naming the field', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ username: 'GRACE' }, 409, 'username'],
      [{ username: 'grace2', email: 'GRACE@example.com' }, 409, 'email'],
      [{ username: 'x' }, 400, 'username'],
      [{ username: 'has space' }, 400, 'username'],
      [{ username: 'me@example.com' }, 400, 'username'],
      [{ username: 'okname', email: 'not-an-address' }, 400, 'email'],
      [{ username: 'okname', password: 'short' }, 400, 'password'],
      [{ username: 'okname', role: 'root' }, 400, 'role'],
    ];
    for (const [body, status, field] of cases) {
      const r = await g.call<ErrorJson>('POST', '/users', { token: admin.access, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.param, JSON.stringify(body)).toBe(field);
    }
  });

  it('lists users a page at a time, and searches', async () => {
    for (const name of ['henry', 'heidi', 'ivan']) {
      await g.call('POST', '/users', { token: admin.access, body: { username: name, password: `${name}-password-1` } });
    }
    const page = await g.call<{ data: UserJson[]; total: number; limit: number; offset: number }>('GET', '/users?limit=2', { token: admin.access });
    expect(page.json.data).toHaveLength(2);
    expect(page.json.limit).toBe(2);
    expect(page.json.total).toBeGreaterThanOrEqual(5);
    expect(page.json.data[0]!.username).toBe('admin'); // oldest first
    const search = await g.call<{ data: UserJson[]; total: number }>('GET', '/users?q=HE', { token: admin.access });
    expect(search.json.data.map((u) => u.username).sort()).toEqual(['heidi', 'henry']);
    expect(search.json.total).toBe(2);
    // LIKE wildcards in the search are literal text
    expect((await g.call<{ total: number }>('GET', '/users?q=%25', { token: admin.access })).json.total).toBe(0);
    const admins = await g.call<{ data: UserJson[] }>('GET', '/users?role=admin', { token: admin.access });
    expect(admins.json.data.every((u) => u.role === 'admin')).toBe(true);
  });

  it('edits a user, and a password reset signs them out everywhere', async () => {
    const ivan = (await g.call<{ data: UserJson[] }>('GET', '/users?q=ivan', { token: admin.access })).json.data[0]!;
    const s = await signIn(g, 'ivan', 'ivan-password-1');
    const r = await g.call<UserJson>('PATCH', `/users/${ivan.id}`, {
      token: admin.access,
      body: { display_name: 'Ivan T', email: 'ivan@example.com', password: 'ivan-password-2' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ display_name: 'Ivan T', email: 'ivan@example.com' });
    expect((await g.call('GET', '/auth/me', { token: s.access })).status).toBe(401);
    await signIn(g, 'ivan@example.com', 'ivan-password-2');
    expect((await g.call('PATCH', `/users/${ivan.id}`, { token: admin.access, body: {} })).status).toBe(400);
    expect((await g.call('PATCH', '/users/no-such-user', { token: admin.access, body: { display_name: 'x' } })).status).toBe(404);
  });

  it('lets a user read and edit their own profile, but not their role', async () => {
    const s = await signIn(g, 'heidi', 'heidi-password-1');
    const self = await g.call<UserJson>('GET', `/users/${s.userId}`, { token: s.access });
    expect(self.status).toBe(200);
    const edited = await g.call<UserJson>('PATCH', '/auth/me', { token: s.access, body: { display_name: 'Heidi K' } });
    expect(edited.status).toBe(200);
    expect(edited.json.display_name).toBe('Heidi K');
    const sneaky = await g.call<ErrorJson>('PATCH', '/auth/me', { token: s.access, body: { role: 'admin' } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.json.error.param).toBe('role');
    expect((await g.call<UserJson>('GET', `/users/${s.userId}`, { token: s.access })).json.role).toBe('user');
  });

  it('keeps the last enabled administrator', async () => {
    for (const body of [{ role: 'user' }, { enabled: false }]) {
      const r = await g.call<ErrorJson>('PATCH', `/users/${admin.userId}`, { token: admin.access, body });
      expect(r.status, JSON.stringify(body)).toBe(409);
      expect(r.json.error.message).toMatch(/last enabled administrator/);
    }
    const self = await g.call<ErrorJson>('DELETE', `/users/${admin.userId}`, { token: admin.access });
    expect(self.status).toBe(409);
    // with a second administrator, the first may step down
    const second = await g.call<UserJson>('POST', '/users', { token: admin.access, body: { username: 'second-admin', password: 'second-admin-pw', role: 'admin' } });
    const other = await signIn(g, 'second-admin', 'second-admin-pw');
    const down = await g.call<UserJson>('PATCH', `/users/${admin.userId}`, { token: other.access, body: { role: 'user' } });
    expect(down.status).toBe(200);
    expect((await g.call('GET', '/providers', { token: admin.access })).status).toBe(403);
    // the demoted user can no longer manage users; second-admin is now the last administrator
    expect((await g.call('DELETE', `/users/${second.json.id}`, { token: admin.access })).status).toBe(403);
    expect((await g.call<ErrorJson>('PATCH', `/users/${second.json.id}`, { token: other.access, body: { enabled: false } })).status).toBe(409);
    await g.call('PATCH', `/users/${admin.userId}`, { token: other.access, body: { role: 'admin' } });
    expect((await g.call('GET', '/providers', { token: admin.access })).status).toBe(200);
  });

  it('deletes a user with their sessions', async () => {
    const henry = (await g.call<{ data: UserJson[] }>('GET', '/users?q=henry', { token: admin.access })).json.data[0]!;
    const s = await signIn(g, 'henry', 'henry-password-1');
    expect((await g.call('DELETE', `/users/${henry.id}`, { token: admin.access })).status).toBe(204);
    expect((await g.call('GET', `/users/${henry.id}`, { token: admin.access })).status).toBe(404);
    expect((await g.call('GET', '/auth/me', { token: s.access })).status).toBe(401);
    expect((await g.call('DELETE', `/users/${henry.id}`, { token: admin.access })).status).toBe(404);
  });
});
