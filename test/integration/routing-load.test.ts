/**
 * The "done when" of routing: with one of two providers failing half of its requests (503s, and
 * in-band errors before content in streams), 1,000 requests through the gateway, 20 at a time,
 * half of them streams, all complete with the right answer and zero client-visible errors.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ask, pool } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-load-00001';
let flaky: Emulator;
let steady: Emulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  flaky = await startEmulator({ keys: ['key-f'], models: { openai: ['*'] }, seed: 4 });
  steady = await startEmulator({ keys: ['key-s'], models: { openai: ['*'] } });
  gw = await startGateway({
    env: { LOG_LEVEL: 'warn' },
    config: `
providers:
  - {id: flaky, kind: openai-compatible, base_url: "${flaky.url}/v1", api_keys: [key-f], models: [m1]}
  - {id: steady, kind: openai-compatible, base_url: "${steady.url}/v1", api_keys: [key-s], models: [m1]}
logical_models:
  - id: load
    upstreams:
      - {provider: flaky, model: m1}
      - {provider: steady, model: m1}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await flaky?.close();
  await steady?.close();
});

describe('load with a provider failing half of its requests', () => {
  it('serves 1,000 requests with zero client-visible errors', async () => {
    flaky.fault({ stream: false, probability: 0.5, status: 503, message: 'flaky' });
    flaky.fault({ stream: true, probability: 0.5, inBandError: { afterChunks: 0, message: 'flaky in band' } });
    const n = 1000;
    const errors: string[] = [];
    const answers = await pool(
      Array.from({ length: n }, (_, i) => i),
      20,
      async (i) => {
        try {
          return await ask(client, 'load', `request ${i}`, i % 2 === 1);
        } catch (err) {
          errors.push(`${i}: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        }
      },
    );
    expect(errors).toEqual([]);
    expect(answers.every((r, i) => r?.text === `Echo: request ${i}`)).toBe(true);
    // the flaky provider was really in the mix, and its failures were absorbed
    const failed = flaky.received.filter((r) => r.fault !== undefined).length;
    expect(failed).toBeGreaterThan(0);
    expect(answers.filter((r) => r !== null && r.attempts > 1).length).toBeGreaterThan(0);
  }, 180_000);
});
