import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LazyRequestLogger } from '../../src/server/lazy-request-logger.js';

function capture(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = pino({ level: 'info', base: null }, dest);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the per-request logger Fastify hands out', () => {
  it('writes lines bound to the request id, at the parent logger level', async () => {
    const { logger, lines } = capture();
    const log = new LazyRequestLogger(logger, { reqId: 'req_1' }, {});
    expect(log.level).toBe('info');
    log.debug('not written: below the level');
    log.info({ route: '/v1/chat/completions' }, 'hello');
    log.error(new Error('boom'));
    log.child({ part: 'x' }).warn('from a grandchild');
    await new Promise((r) => setImmediate(r));
    const got = lines();
    expect(got).toHaveLength(3);
    expect(got[0]).toMatchObject({ level: 30, reqId: 'req_1', route: '/v1/chat/completions', msg: 'hello' });
    expect(got[1]).toMatchObject({ level: 50, reqId: 'req_1', msg: 'boom' });
    expect(got[2]).toMatchObject({ level: 40, reqId: 'req_1', part: 'x', msg: 'from a grandchild' });
  });

  it('changes its own level without touching the parent', () => {
    const { logger } = capture();
    const log = new LazyRequestLogger(logger, { reqId: 'req_2' }, {});
    log.level = 'error';
    expect(log.level).toBe('error');
    expect(logger.level).toBe('info');
  });
});
