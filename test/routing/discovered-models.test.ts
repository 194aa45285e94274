/**
 * A model no configuration names is found in the providers' own model lists, and the gateway's
 * answer follows those lists as they change: a model a provider starts serving is found once its
 * cached list expires (MODELS_CACHE_TTL), one it stops serving is no longer routed there, and a
 * provider switched off through the API stops being a candidate at once.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { admin, ADMIN_KEY } from './gateway-helpers.js';

const CLIENT_KEY = 'client-key-discovery-0001';
const openaiModels = ['gpt-4o-mini'];
let emu: Emulator;
let emu2: Emulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  emu = await startEmulator({ keys: ['test-key'], models: { openai: openaiModels } });
  emu2 = await startEmulator({ keys: ['test-key'], models: { openai: ['acme/gpt-4o-mini'] } });
  gw = await startGateway({
    env: { MODELS_CACHE_TTL: '1', ADMIN_API_KEY: ADMIN_KEY },
    config: `
providers:
  - id: local
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["test-key"]
  - id: wide
    kind: openai-compatible
    base_url: ${emu2.url}/v1
    api_keys: ["test-key"]
    models: [acme/gpt-4o-mini]
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await emu?.close();
  await emu2?.close();
});

async function status(model: string): Promise<number> {
  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    return 200;
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) return err.status;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('models found in the providers own lists', () => {
  it('follow the lists as they change, after the cache time', async () => {
    expect(await status('gpt-4o-mini')).toBe(200);
    expect(await status('gpt-late')).toBe(404);

    openaiModels.push('gpt-late');
    // the list the gateway read is still cached: same answer as before, twice
    expect(await status('gpt-late')).toBe(404);
    await sleep(1200);
    expect(await status('gpt-late')).toBe(200);
    expect(await status('gpt-late')).toBe(200);

    openaiModels.splice(openaiModels.indexOf('gpt-late'), 1);
    await sleep(1200);
    expect(await status('gpt-late')).toBe(404);
    expect(await status('gpt-4o-mini')).toBe(200);
  });

  it('for a key limited to some providers, fall back to the name after the slash among those', async () => {
    // 'acme/gpt-4o-mini' is a model of 'wide' only; a key that may only use 'local' gets 'local' for 'gpt-4o-mini'
    const res = await admin<{ token: string }>(gw.url, 'POST', '/api-keys', { name: 'local-only', allowed_providers: ['local'] });
    expect(res.status).toBe(201);
    const token = res.json.token;
    const limited = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: token, maxRetries: 0 });
    const r = await limited.chat.completions.create({ model: 'acme/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(r.response.headers.get('x-apiproxy-provider')).toBe('local');
    expect(emu.received.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('stop at once at a provider switched off through the API', async () => {
    expect(await status('gpt-4o-mini')).toBe(200);
    const res = await admin(gw.url, 'PATCH', '/providers/local', { enabled: false });
    expect(res.status).toBe(200);
    // 'wide' serves it too, as 'acme/gpt-4o-mini'; 'local' is no longer asked
    for (let i = 0; i < 4; i++) {
      const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(r.response.headers.get('x-apiproxy-provider')).toBe('wide');
    }
  });
});
