import { describe, expect, it } from 'vitest';
import { MAPPED_ID_PREFIX, fromAnthropicId, toAnthropicId } from '../../../src/dialects/anthropic/ids.js';

describe('tool id mapping', () => {
  it.each(['toolu_01A09q90qw90lq917835lq9', 'call_abc-123', 'fc_1__ts_c2ln'])('sends the safe id %s unchanged', (id) => {
    expect(toAnthropicId(id)).toBe(id);
    expect(fromAnthropicId(id)).toBe(id);
  });

  it.each(['call.1', 'call:x/y', 'ид-1', '', `${MAPPED_ID_PREFIX}abc`, 'a b'])('maps %j to a safe id and back', (id) => {
    const mapped = toAnthropicId(id);
    expect(mapped).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(mapped.startsWith(MAPPED_ID_PREFIX)).toBe(true);
    expect(toAnthropicId(id)).toBe(mapped);
    expect(fromAnthropicId(mapped)).toBe(id);
  });

  it('leaves an id that only looks mapped alone', () => {
    expect(fromAnthropicId(`${MAPPED_ID_PREFIX}!!`)).toBe(`${MAPPED_ID_PREFIX}!!`);
  });
});
