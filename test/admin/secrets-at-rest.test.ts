/**
 * After a run that configures everything through the API and sends traffic, neither the SQLite
 * database files nor the captured log hold a provider key, a client key, a password or a session
 * token in plain text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { call, signIn, startAdminGateway, type AdminGateway } from './helpers.js';

const PROVIDER_KEY = 'sk-at-rest-provider-key-0123456789';
const PROVIDER_KEY_2 = 'sk-at-rest-rotated-key-9876543210';
const USER_PASSWORD = 'at-rest-user-password-42';

let emu: Emulator;
let g: AdminGateway;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  emu = await startEmulator({ keys: [PROVIDER_KEY, PROVIDER_KEY_2] });
  g = await startAdminGateway();
  const admin = await signIn(g, 'admin', g.adminPassword!);
  secrets.adminPassword = g.adminPassword!;
  secrets.providerKey = PROVIDER_KEY;
  secrets.rotatedKey = PROVIDER_KEY_2;
  secrets.userPassword = USER_PASSWORD;
  secrets.adminAccess = admin.access;
  secrets.adminRefresh = admin.refresh;

  await g.call('POST', '/providers', {
    token: admin.access,
    body: { id: 'emu', kind: 'openai-compatible', base_url: `${emu.url}/v1`, keys: [{ key: PROVIDER_KEY }] },
  });
  const keys = await g.call<{ data: Array<{ id: string }> }>('GET', '/providers/emu/keys', { token: admin.access });
  // a second key, then the first one replaced by it: both plaintexts went through the API
  await g.call('PATCH', `/providers/emu/keys/${keys.json.data[0]!.id}`, { token: admin.access, body: { key: PROVIDER_KEY_2 } });
  const user = await g.call<{ id: string }>('POST', '/users', { token: admin.access, body: { username: 'rest', password: USER_PASSWORD } });
  const session = await signIn(g, 'rest', USER_PASSWORD);
  secrets.userRefresh = session.refresh;
  const refreshed = await g.call<{ refresh_token: string }>('POST', '/auth/refresh', { body: { refresh_token: session.refresh } });
  secrets.userRefresh2 = refreshed.json.refresh_token;
  const key = await g.call<{ token: string }>('POST', `/users/${user.json.id}/api-keys`, { token: session.access, body: { name: 'app' } });
  secrets.clientKey = key.json.token;
  // traffic: an answer, a stream, an error, a wrong key, a failed sign-in
  await call(g.url, 'POST', '/v1/chat/completions', { token: key.json.token, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } });
  await call(g.url, 'POST', '/v1/chat/completions', { token: key.json.token, body: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] } });
  await call(g.url, 'POST', '/v1/chat/completions', { token: key.json.token, body: { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] } });
  await call(g.url, 'POST', '/v1/chat/completions', { token: `${key.json.token}x`, body: { model: 'gpt-4o-mini', messages: [] } });
  await g.call('POST', '/auth/login', { body: { username: 'rest', password: `${USER_PASSWORD}-wrong` } });
  await g.flushLogs();
});
afterAll(async () => {
  await g?.close();
  await emu?.close();
});

describe('secrets at rest', () => {
  it('the traffic went through (the test is not vacuous)', () => {
    expect(emu.received.some((r) => r.headers.authorization === `Bearer ${PROVIDER_KEY_2}`)).toBe(true);
    expect(secrets.clientKey).toMatch(/^sk-apx-/);
  });

  it('no database file holds a key, a password or a token in plain text', async () => {
    // the main file and its write-ahead log (recent writes live there)
    const dir = g.dataDir;
    const logs = g.logs.join('\n');
    const files = readdirSync(dir).filter((f) => f.startsWith('apiproxy.db'));
    expect(files).toContain('apiproxy.db');
    const blobs = files.map((f) => ({ f, data: readFileSync(join(dir, f)) }));
    for (const [name, secret] of Object.entries(secrets)) {
      for (const { f, data } of blobs) expect(data.includes(Buffer.from(secret, 'utf8')), `${name} in ${f}`).toBe(false);
      expect(logs.includes(secret), `${name} in the log`).toBe(false);
    }
    // the hint is there, as designed
    expect(blobs.some(({ data }) => data.includes(Buffer.from('sk-…3210', 'utf8')))).toBe(true);
  });
});
