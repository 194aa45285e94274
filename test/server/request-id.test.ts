import { describe, expect, it } from 'vitest';
import { requestIdSource } from '../../src/server/request-id.js';

describe('request ids', () => {
  it('are req_ and 32 hex digits, all different, in the order they were made', () => {
    const next = requestIdSource();
    const ids = Array.from({ length: 5000 }, () => next());
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('start with the millisecond clock, so ids of later requests sort after earlier ones', () => {
    const start = 1_700_000_000_000;
    let t = start;
    const next = requestIdSource(() => t);
    const a = next();
    t += 1;
    const b = next();
    expect(a.slice(4, 16)).toBe(start.toString(16).padStart(12, '0'));
    expect(b.slice(4, 16)).toBe((start + 1).toString(16).padStart(12, '0'));
    expect(b > a).toBe(true);
  });

  it('differ between two gateway processes started in the same millisecond', () => {
    const clock = () => 1_700_000_000_000;
    const one = requestIdSource(clock);
    const two = requestIdSource(clock);
    const a = Array.from({ length: 100 }, () => one());
    const b = new Set(Array.from({ length: 100 }, () => two()));
    expect(a.some((id) => b.has(id))).toBe(false);
  });

  it('count on across the 24-bit halves of the counter and wrap at 2^48', () => {
    const clock = () => 1_700_000_000_000;
    const counterOf = (id: string) => Number.parseInt(id.slice(24), 16);
    for (const start of [2 ** 24 - 2, 5 * 2 ** 24 - 1, 2 ** 48 - 2]) {
      const next = requestIdSource(clock, start);
      const got = Array.from({ length: 4 }, () => counterOf(next()));
      expect(got).toEqual([1, 2, 3, 4].map((k) => (start + k) % 2 ** 48));
    }
  });
});

