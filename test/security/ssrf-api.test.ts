/**
 * The SSRF policy where it applies: providers created through the API are refused on private
 * targets unless ALLOW_PRIVATE_UPSTREAMS=true; providers from the YAML config are the operator's
 * own and are never checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../admin/helpers.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const ADMIN = 'ssrf-admin-token-0123456789ab';
const KEY = 'ssrf-client-key-000000000001';
let em: Emulator;
let strict: TestGateway;
let open: TestGateway;

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'] });
  const config = `
providers:
  - {id: local, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [up-key], models: [gpt-4o]}
api_keys:
  - {name: k, key: ${KEY}}
`;
  strict = await startGateway({ config, env: { ADMIN_API_KEY: ADMIN, ALLOW_PRIVATE_UPSTREAMS: 'false' } });
  open = await startGateway({ config, env: { ADMIN_API_KEY: ADMIN, ALLOW_PRIVATE_UPSTREAMS: 'true' } });
});
afterAll(async () => {
  await strict?.close();
  await open?.close();
  await em?.close();
});

const create = (g: TestGateway, id: string, baseUrl: string) =>
  call<{ error?: { code: string; param: string; message: string } }>(g.url, 'POST', '/providers', {
    token: ADMIN,
    body: { id, kind: 'openai-compatible', base_url: baseUrl, models: ['m'] },
  });

describe('SSRF policy on providers', () => {
  it('a provider from the YAML config on 127.0.0.1 is served (operator-written, not checked)', async () => {
    const r = await fetch(`${strict.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.status).toBe(200);
  });

  it.each([
    ['metadata', 'http://169.254.169.254/latest/'],
    ['loopback', 'http://127.0.0.1:11434/v1'],
    ['private', 'http://10.0.0.8/v1'],
    ['ipv6-loopback', 'http://[::1]:8000/v1'],
    ['mapped', 'http://[::ffff:192.168.0.1]/v1'],
    ['localhost', 'http://localhost:11434/v1'],
  ])('refuses a provider created through the API on %s', async (id, url) => {
    const r = await create(strict, `p-${id}`, url);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'ssrf_refused', param: 'base_url' });
    expect(r.json.error?.message).toContain('ALLOW_PRIVATE_UPSTREAMS');
  });

  it('accepts the same with ALLOW_PRIVATE_UPSTREAMS=true', async () => {
    const r = await create(open, 'p-local-model', 'http://127.0.0.1:11434/v1');
    expect(r.status).toBe(201);
  });
});
