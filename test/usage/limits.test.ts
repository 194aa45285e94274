/**
 * Per-key limits block for real: RPM and TPM answer 429 with Retry-After, an exhausted budget 402,
 * in the route's own dialect, before any upstream call; and the limits hold across two gateway
 * instances sharing the database and the shared state (PostgreSQL + Redis when configured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';
import { BACKENDS, openBackend, type Backend } from '../admin/backends.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postRaw, until } from './helpers.js';

const ADMIN = 'limits-admin-token-0123456789';

function config(em: Emulator): string {
  return `
providers:
  - id: oai
    kind: openai-compatible
    base_url: "${em.url}/v1"
    api_keys: [up-key]
    models: [m1]
    prices: {m1: {input: 2.5, output: 10}}
  - id: ant
    kind: anthropic
    base_url: "${em.url}"
    api_keys: [up-key]
    models: [claude-sonnet-4-5]
    prices: {claude-sonnet-4-5: {input: 3, output: 15}}
`;
}

async function createKey(g: TestGateway, fields: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await fetch(`${g.url}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `k-${Math.random().toString(36).slice(2)}`, ...fields }),
  });
  const json = (await res.json()) as { id: string; token: string };
  if (res.status !== 201) throw new Error(`creating a key failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const chat = (g: TestGateway, token: string, body: Record<string, unknown> = {}) =>
  postRaw(`${g.url}/v1/chat/completions`, { authorization: `Bearer ${token}` }, { model: 'm1', messages: [{ role: 'user', content: 'hi' }], ...body });

const messages = (g: TestGateway, token: string) =>
  postRaw(
    `${g.url}/v1/messages`,
    { 'x-api-key': token, 'anthropic-version': '2023-06-01' },
    { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
  );

for (const name of BACKENDS) {
  describe(`limits (${name})`, () => {
    let backend: Backend;
    let em: Emulator;
    let a: TestGateway;
    let b: TestGateway;
    let dataDir: string;
    const states: SharedState[] = [];

    async function instance(): Promise<TestGateway> {
      let shared = await backend.newShared();
      if (!shared) {
        // SQLite: both instances on one DATA_DIR, sharing one in-process state
        shared = states[0] ?? new MemorySharedState();
        if (states.length === 0) states.push(shared);
      }
      return startGateway({ config: config(em), dataDir, shared, env: { ...backend.env, ADMIN_API_KEY: ADMIN } });
    }

    beforeAll(async () => {
      backend = await openBackend(name);
      em = await startEmulator({ keys: ['up-key'], models: { openai: ['*'], anthropic: ['*'] } });
      dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-limits-'));
      a = await instance();
      b = await instance();
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      for (const s of states) await s.close();
      await em?.close();
      await backend?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('RPM holds across two instances: 429 with Retry-After, and no upstream call', async () => {
      const key = await createKey(a, { rpm_limit: 4 });
      const before = em.totalReceived;
      const statuses = [];
      for (const g of [a, b, a, b]) statuses.push((await chat(g, key.token)).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
      for (const g of [a, b]) {
        const res = await chat(g, key.token);
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        const err = (JSON.parse(res.body) as { error: { type: string; code: string; message: string } }).error;
        expect(err).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
        expect(err.message).toContain('4 requests per minute');
      }
      expect(em.totalReceived - before).toBe(4);
    });

    it('RPM in the Anthropic dialect', async () => {
      const key = await createKey(a, { rpm_limit: 1 });
      expect((await messages(a, key.token)).status).toBe(200);
      const res = await messages(b, key.token);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(res.body)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    });

    it('TPM: the real usage is counted after the call and blocks the next one (on the other instance)', async () => {
      const key = await createKey(a, { tpm_limit: 1000 });
      em.script({ model: 'm1', usage: { inputTokens: 900, outputTokens: 50 }, times: 1 });
      expect((await chat(a, key.token, { max_tokens: 100 })).status).toBe(200);
      await until(async () => (await b.gw.limits.tokens.current(key.id)) >= 950, 'the call to be settled');
      const res = await chat(b, key.token, { max_tokens: 100 });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(res.body)).toMatchObject({ error: { type: 'rate_limit_error', code: 'tokens_rate_limit_exceeded' } });
    });

    it('TPM: a reservation larger than the use is refunded, so the next call fits', async () => {
      const key = await createKey(a, { tpm_limit: 1000 });
      // each call reserves its input estimate + max_tokens 800; without the refund the second would not fit
      expect((await chat(a, key.token, { max_tokens: 800 })).status).toBe(200);
      await until(async () => (await a.gw.limits.tokens.current(key.id)) < 100, 'the refund');
      expect((await chat(b, key.token, { max_tokens: 800 })).status).toBe(200);
    });

    it('TPM in the Anthropic dialect', async () => {
      const key = await createKey(a, { tpm_limit: 100 });
      em.script({ model: 'claude-sonnet-4-5', usage: { inputTokens: 90, outputTokens: 20 }, times: 1 });
      expect((await messages(a, key.token)).status).toBe(200);
      await until(async () => (await a.gw.limits.tokens.current(key.id)) >= 110, 'the call to be settled');
      const res = await messages(b, key.token);
      expect(res.status).toBe(429);
      expect(JSON.parse(res.body)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    });

    it('budget: the call that crosses it is answered, the next one is a 402 (OpenAI and Anthropic shapes), also after a restart', async () => {
      const key = await createKey(a, { budget_usd: 0.001, budget_period: 'month' });
      // 300 x 2.50 + 50 x 10 = 1250 micro-dollars: over the 0.001 budget after one call
      em.script({ model: 'm1', usage: { inputTokens: 300, outputTokens: 50 }, times: 1 });
      expect((await chat(a, key.token)).status).toBe(200);
      await until(async () => (await b.gw.limits.spend.spent(key.id, 'month')) > 0.001, 'the spend to be counted');
      const before = em.totalReceived;
      const res = await chat(b, key.token);
      expect(res.status).toBe(402);
      const err = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
      expect(err.code).toBe('budget_exceeded');
      expect(err.message).toMatch(/monthly .*budget of \$0\.0010 \(spent \$0\.0013\)/);
      const ant = await messages(a, key.token);
      expect(ant.status).toBe(402);
      expect(JSON.parse(ant.body)).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
      expect(em.totalReceived).toBe(before);

      // a fresh instance with its own (empty) shared state recounts the spend from the database
      await a.flushLogs();
      const fresh = await startGateway({ config: config(em), dataDir, shared: new MemorySharedState(), env: { ...backend.env, ADMIN_API_KEY: ADMIN } });
      try {
        expect((await chat(fresh, key.token)).status).toBe(402);
      } finally {
        await fresh.close();
        await fresh.gw.shared.close();
      }
    });

    it('keys without limits are not slowed by any of this', async () => {
      const key = await createKey(a, {});
      for (let i = 0; i < 10; i++) expect((await chat(i % 2 ? a : b, key.token)).status).toBe(200);
    });
  });
}
