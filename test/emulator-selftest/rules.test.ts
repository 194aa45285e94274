import { describe, expect, it } from 'vitest';
import { KEY, post, useEmulator } from './helpers.js';

const emulator = useEmulator({ keys: [KEY, 'key-b'] });

async function chat(model = 'gpt-4o', key = KEY): Promise<{ status: number; content: string | null }> {
  const res = await post(`${emulator().url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] }, {
    authorization: `Bearer ${key}`,
  });
  const body = JSON.parse(res.text) as { choices?: { message: { content: string | null } }[] };
  return { status: res.status, content: body.choices?.[0]?.message.content ?? null };
}

async function gemini(method: 'generateContent' | 'streamGenerateContent'): Promise<number> {
  const q = method === 'streamGenerateContent' ? '?alt=sse' : '';
  const res = await post(`${emulator().url}/v1beta/models/gemini-2.5-flash:${method}${q}`, { contents: [{ parts: [{ text: 'x' }] }] }, {
    'x-goog-api-key': KEY,
  });
  return res.status;
}

describe('rule matching', () => {
  it('by model glob', async () => {
    emulator().script({ model: 'gpt-4o*', text: 'scripted' });
    expect((await chat('gpt-4o-mini')).content).toBe('scripted');
    expect((await chat('gpt-5')).content).toBe('Echo: hi');
  });

  it('by key', async () => {
    emulator().fault({ key: 'key-b', status: 429 });
    expect((await chat('gpt-4o', 'key-b')).status).toBe(429);
    expect((await chat('gpt-4o', KEY)).status).toBe(200);
  });

  it('by path glob and by stream flag', async () => {
    emulator().fault({ path: '*:streamGenerateContent', status: 500, times: 1 });
    expect(await gemini('generateContent')).toBe(200);
    expect(await gemini('streamGenerateContent')).toBe(500);
    emulator().fault({ stream: false, status: 503, times: 1 });
    expect(await gemini('streamGenerateContent')).toBe(200);
    expect(await gemini('generateContent')).toBe(503);
  });

  it('by provider', async () => {
    emulator().fault({ provider: 'gemini', status: 500 });
    expect((await chat()).status).toBe(200);
    expect(await gemini('generateContent')).toBe(500);
  });
});

describe('rule order and lifetime', () => {
  it('uses rules first-added first, each for its number of times', async () => {
    emulator().script({ text: 'first', times: 1 });
    emulator().script({ text: 'second', times: 2 });
    const got: (string | null)[] = [];
    for (let i = 0; i < 4; i++) got.push((await chat()).content);
    expect(got).toEqual(['first', 'second', 'second', 'Echo: hi']);
  });

  it('a rule without times applies until reset', async () => {
    emulator().fault({ status: 500 });
    expect((await chat()).status).toBe(500);
    expect((await chat()).status).toBe(500);
    emulator().reset();
    expect((await chat()).status).toBe(200);
  });

  it('handles report the uses left and can cancel', async () => {
    const handle = emulator().script({ text: 'x', times: 3 });
    expect(handle.remaining()).toBe(3);
    await chat();
    expect(handle.remaining()).toBe(2);
    handle.cancel();
    expect((await chat()).content).toBe('Echo: hi');
    expect(emulator().fault({ status: 500 }).remaining()).toBe(Infinity);
  });

  it('a fault and a script combine: the script shapes the reply, the fault its delivery', async () => {
    emulator().script({ text: 'scripted reply' });
    emulator().fault({ headers: { 'x-fault': 'yes' } });
    const res = await post(`${emulator().url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, {
      authorization: `Bearer ${KEY}`,
    });
    expect(res.headers.get('x-fault')).toBe('yes');
    expect(JSON.parse(res.text)).toMatchObject({ choices: [{ message: { content: 'scripted reply' } }] });
  });
});

describe('rule validation', () => {
  it('rejects unknown fields and wrong types with a message naming them', () => {
    expect(() => emulator().script({ texxt: 'x' } as never)).toThrow(/unknown field "texxt"/);
    expect(() => emulator().fault({ status: '500' } as never)).toThrow(/"status" must be a number/);
    expect(() => emulator().fault({ probability: 2 })).toThrow(/probability/);
    expect(() => emulator().script({ toolCalls: [{ arguments: {} }] } as never)).toThrow(/"name" is required/);
    expect(() => emulator().fault({ inBandError: { afterChunk: 1 } } as never)).toThrow(/unknown field "afterChunk"/);
  });
});
