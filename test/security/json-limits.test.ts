import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/canonical/errors.js';
import { jsonDepthExceeds, parseJsonBody } from '../../src/security/json-limits.js';

describe('jsonDepthExceeds', () => {
  it('counts nesting of objects and arrays', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(65) + ']'.repeat(65), 64)).toBe(true);
    expect(jsonDepthExceeds('['.repeat(64) + ']'.repeat(64), 64)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[[[[[[[{{{{{{{{' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ text: 'say \\"[[[[[[[\\" and "{{{{{{"' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: 'ends with a backslash \\', b: [[[[]]]] }), 3)).toBe(true);
  });
});

describe('parseJsonBody', () => {
  it('parses, and answers 400 for too deep or invalid bodies', () => {
    expect(parseJsonBody('{"model":"m"}', 64)).toEqual({ model: 'm' });
    expect(parseJsonBody('  ', 64)).toBeUndefined();
    const deep = (() => {
      try {
        parseJsonBody('{"a":' + '['.repeat(100_000), 64);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(deep).toBeInstanceOf(GatewayError);
    expect((deep as GatewayError).status).toBe(400);
    expect((deep as GatewayError).message).toContain('64 levels');
    expect(() => parseJsonBody('{"a":', 64)).toThrow(/not valid JSON/);
  });
});
