/**
 * `apiproxy reset-password <user>`: the way back in when the first administrator's password is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResetPassword } from '../../src/admin/reset-password-command.js';
import { signIn, startAdminGateway, type AdminGateway, type Session } from './helpers.js';

describe('apiproxy reset-password', () => {
  let dataDir: string;
  let g: AdminGateway;
  let before: Session;
  const databaseUrl = () => `sqlite:${join(dataDir, 'apiproxy.db')}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-reset-'));
    g = await startAdminGateway({ dataDir });
    before = await signIn(g, 'admin', g.adminPassword!);
  });
  afterAll(async () => {
    await g?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a new password once; the old one and the old sessions stop working', async () => {
    let out = '';
    let err = '';
    const code = await runResetPassword({ databaseUrl: databaseUrl() }, 'ADMIN', { out: (t) => (out += t), err: (t) => (err += t) });
    expect(code).toBe(0);
    expect(err).toBe('');
    const password = /^\s{4}(\S+)$/m.exec(out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(out).toMatch(/1 session\(s\) signed out/);
    expect((await g.call('GET', '/auth/me', { token: before.access })).status).toBe(401);
    expect((await g.call('POST', '/auth/login', { body: { username: 'admin', password: g.adminPassword } })).status).toBe(401);
    await signIn(g, 'admin', password!);
  });

  it('names what is missing', async () => {
    let err = '';
    const io = { out: () => undefined, err: (t: string) => (err += t) };
    expect(await runResetPassword({ databaseUrl: databaseUrl() }, undefined, io)).toBe(1);
    expect(err).toMatch(/needs a user/);
    expect(await runResetPassword({ databaseUrl: databaseUrl() }, 'nobody', io)).toBe(1);
    expect(err).toMatch(/no user 'nobody'/);
  });
});
