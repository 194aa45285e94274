import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { embeddingVector } from '../emulator/index.js';
import { KEY, cassette, post, shapeGaps, useEmulator } from './helpers.js';

const emulator = useEmulator({ models: { openai: ['gpt-4o', 'text-embedding-3-small', 'text-embedding-3-large'] } });
const client = (): OpenAI => new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });

describe('OpenAI embeddings', () => {
  it('serves base64 by default, which the SDK decodes to the expected vector', async () => {
    const text = 'How do I reset my password?';
    const res = await client().embeddings.create({ model: 'text-embedding-3-small', input: text });
    expect(emulator().received.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    const got = res.data[0]?.embedding ?? [];
    expect(got).toHaveLength(1536);
    expect(got).toEqual(Array.from(embeddingVector(text, 1536)));
    expect(res.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
  });

  it('base64 is little-endian float32', async () => {
    const res = await post(
      `${emulator().url}/v1/embeddings`,
      { model: 'text-embedding-3-small', input: 'abc', encoding_format: 'base64', dimensions: 8 },
      { authorization: `Bearer ${KEY}` },
    );
    const b64 = (JSON.parse(res.text) as { data: { embedding: string }[] }).data[0]?.embedding ?? '';
    const bytes = Buffer.from(b64, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(Array.from(embeddingVector('abc', 8)));
  });

  it('serves floats on request, deterministic per text, unit length', async () => {
    const res = await client().embeddings.create({
      model: 'text-embedding-3-large',
      input: ['first', 'second', 'first'],
      encoding_format: 'float',
    });
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(a).toHaveLength(3072);
    expect(a).toEqual(c);
    expect(a).not.toEqual(b);
    expect(a?.map((v) => Math.fround(v))).toEqual(Array.from(embeddingVector('first', 3072)));
    const norm = Math.sqrt((a ?? []).reduce((n, v) => n + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('honours dimensions', async () => {
    const res = await client().embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 256 });
    expect(res.data[0]?.embedding).toHaveLength(256);
  });

  it('has every field of the real base64 capture', async () => {
    const real = cassette('emu-embeddings-base64.yaml');
    const res = await post(`${emulator().url}/v1/embeddings`, real.requestBody, { authorization: `Bearer ${KEY}` });
    expect(shapeGaps(JSON.parse(res.text), JSON.parse(real.responseBody))).toEqual([]);
  });
});

describe('OpenAI models', () => {
  it('lists the configured models', async () => {
    const ids: string[] = [];
    for await (const m of client().models.list()) {
      expect(m.object).toBe('model');
      ids.push(m.id);
    }
    expect(ids).toEqual(['gpt-4o', 'text-embedding-3-small', 'text-embedding-3-large']);
  });

  it('retrieves one model, 404 for another', async () => {
    expect((await client().models.retrieve('gpt-4o')).id).toBe('gpt-4o');
    await expect(client().models.retrieve('gpt-unknown')).rejects.toMatchObject({ status: 404 });
  });
});
