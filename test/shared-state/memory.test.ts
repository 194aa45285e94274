import { afterEach, describe, expect, it } from 'vitest';
import { createSharedState } from '../../src/store/shared/index.js';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import { sharedStateContract } from './contract.js';
import { runStandalone } from './standalone.js';
import { sleep, waitFor } from './helpers.js';

sharedStateContract('memory', 'memory', (opts) => createSharedState(opts));

describe('MemorySharedState specifics', () => {
  const open: MemorySharedState[] = [];
  const make = (options: ConstructorParameters<typeof MemorySharedState>[0] = {}): MemorySharedState => {
    const state = new MemorySharedState(options);
    open.push(state);
    return state;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('createSharedState without a URL gives the in-memory store', async () => {
    const state = await createSharedState({});
    expect(state).toBeInstanceOf(MemorySharedState);
    await state.close();
    const blank = await createSharedState({ redisUrl: '  ' });
    expect(blank.kind).toBe('memory');
    await blank.close();
  });

  it('the sweep removes expired keys that nobody reads again', async () => {
    const state = make({ sweepIntervalMs: 20, sweepBatch: 100 });
    for (let i = 0; i < 1000; i++) await state.set(`k${i}`, 'v', 50);
    await state.listPush('list', 'v', 5, 50);
    await state.rateLimit('rl', 10, 25);
    await state.set('kept', 'v');
    expect(state.size).toBe(1003);
    await waitFor(() => state.size === 1, 5000, 'the sweep to drop expired keys');
    expect(await state.get('kept')).toBe('v');
  });

  it('keeps no timer per key', async () => {
    const state = make();
    await state.set('warm-up', 'v', 60_000);
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 500; i++) await state.set(`t${i}`, 'v', 60_000 + i);
    for (let i = 0; i < 500; i++) await state.incr(`c${i}`, 1, 60_000);
    expect(timers()).toBe(before);
  });

  it('a list trimmed many times over still reads correctly (head compaction)', async () => {
    const state = make();
    for (let i = 0; i < 1000; i++) await state.listPush('l', String(i), 3);
    expect(await state.listRange('l', 0, -1)).toEqual(['999', '998', '997']);
    await state.listPush('l', 'x', 2);
    expect(await state.listRange('l', 0, -1)).toEqual(['x', '999']);
  });

  it('two in-memory stores share nothing', async () => {
    const a = make();
    const b = make();
    await a.set('k', 'a');
    const got: string[] = [];
    await b.subscribe('ch', (m) => got.push(m));
    await a.publish('ch', 'from a');
    await b.publish('ch', 'from b');
    await waitFor(() => got.length === 1);
    await sleep(20);
    expect(got).toEqual(['from b']);
    expect(await b.get('k')).toBeNull();
  });

  it('an open store does not keep the process alive', async () => {
    const result = await runStandalone(['memory']);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stdout).toContain('memory store ready');
  });
});
