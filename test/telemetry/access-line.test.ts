import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeAccessLine, type AccessFields } from '../../src/telemetry/access-line.js';
import { createLogger } from '../../src/telemetry/logger.js';

function capture(level = 'info', timezone?: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(l);
      cb();
    },
  });
  return { logger: createLogger({ level, destination, ...(timezone ? { timezone } : {}) }), lines };
}

const flush = () => new Promise((r) => setImmediate(r));

const full: AccessFields = {
  reqId: 'req_0123',
  route: '/v1/chat/completions',
  key: 'key-1',
  model: 'fast "model"',
  provider: 'oa',
  upstreamModel: 'gpt-4o-mini',
  status: 200,
  ms: 12,
  ttfbMs: 7,
  stream: true,
  attempts: 2,
  tokens: { in: 20, out: 12 },
  partial: true,
  estimated: true,
  costUsd: 0.00042,
  error: 'line one\nline "two" \u2028 ünïcode',
};

const bare: AccessFields = {
  reqId: 'req_0456',
  route: '/v1/messages',
  key: null,
  model: 'm',
  provider: null,
  upstreamModel: null,
  status: 401,
  ms: 1,
  ttfbMs: null,
  stream: false,
  attempts: 0,
};

describe('the per-request access line', () => {
  it.each([
    ['every field', full],
    ['a refused call without optional fields', bare],
  ])('is the line pino writes for the same fields (%s)', async (_name, fields) => {
    const ours = capture();
    const pinos = capture();
    writeAccessLine(ours.logger, fields);
    pinos.logger.info(fields, 'request');
    await flush();
    expect(ours.lines).toHaveLength(1);
    const a = JSON.parse(ours.lines[0]!) as Record<string, unknown>;
    const b = JSON.parse(pinos.lines[0]!) as Record<string, unknown>;
    // written a moment apart: the times differ, everything else is the same, in the same order
    expect(typeof a.time).toBe('string');
    delete a.time;
    delete b.time;
    expect(a).toEqual(b);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a).toMatchObject({ level: 30, service: 'apiproxy', msg: 'request', reqId: fields.reqId, status: fields.status });
  });

  it.each([
    ['Asia/Shanghai', '\\+08:00'],
    ['America/New_York', '-0[45]:00'],
    ['UTC', '\\+00:00'],
  ])('writes ISO 8601 times in LOG_TIMEZONE %s, the same moment as the clock', async (zone, offset) => {
    const tz = capture('info', zone);
    const before = Date.now();
    writeAccessLine(tz.logger, bare);
    await flush();
    const time = (JSON.parse(tz.lines[0]!) as { time: string }).time;
    expect(time).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}${offset}$`));
    expect(Math.abs(Date.parse(time) - before)).toBeLessThan(5000);
  });

  it('writes nothing above level info', async () => {
    const quiet = capture('warn');
    writeAccessLine(quiet.logger, bare);
    await flush();
    expect(quiet.lines).toEqual([]);
  });
});

describe('strings in the access line', () => {
  it.each([
    ['plain', 'gpt-4o-mini'],
    ['a quote and a backslash', 'a "b" \\ c'],
    ['control characters', 'tab\there\u0001'],
    ['a surrogate pair', 'emoji 😀 ok'],
    ['a lone surrogate', 'broken \ud800 pair'],
    ['a long one', 'x'.repeat(100) + '"'],
    ['CJK', '模型名称'],
  ])('come out as JSON.stringify writes them (%s)', async (_name, model) => {
    const ours = capture();
    writeAccessLine(ours.logger, { ...bare, model, error: model });
    await flush();
    const line = ours.lines[0]!;
    expect(line).toContain(`"model":${JSON.stringify(model)}`);
    expect(line).toContain(`"error":${JSON.stringify(model)}`);
    expect((JSON.parse(line) as { model: string }).model).toBe(model);
  });
});
