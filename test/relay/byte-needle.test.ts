import { describe, expect, it } from 'vitest';
import { ByteNeedle, rareAnchor } from '../../src/relay/byte-needle.js';

/** a deterministic pseudo-random buffer over a small alphabet, so needles occur and nearly occur */
function noise(seed: number, length: number, alphabet: string): Buffer {
  let x = seed;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = alphabet.charCodeAt(x % alphabet.length);
  }
  return out;
}

describe('ByteNeedle', () => {
  it('finds the same positions as Buffer.indexOf, whichever byte anchors the search', () => {
    const text = '"usage":{';
    const hay = Buffer.concat([noise(1, 3000, '"usage:{} '), Buffer.from('"usage":{'), noise(2, 500, 'usage"')]);
    for (const anchor of [...new Set(text)]) {
      const needle = new ByteNeedle(text, anchor);
      for (let from = 0; from <= hay.length; from += 7) {
        expect(needle.indexIn(hay, from), `anchor ${anchor} from ${from}`).toBe(hay.indexOf(text, from));
      }
    }
  });

  it('finds the same last positions as Buffer.lastIndexOf, from every start', () => {
    const text = '"usage":{';
    const hay = Buffer.concat([Buffer.from('"usage":{'), noise(3, 2000, '"usage:{} '), Buffer.from('"usage":{')]);
    for (const anchor of [...new Set(text)]) {
      const needle = new ByteNeedle(text, anchor);
      expect(needle.lastIndexIn(hay)).toBe(hay.lastIndexOf(text));
      for (let from = 0; from <= hay.length + 3; from += 5) {
        expect(needle.lastIndexIn(hay, from), `anchor ${anchor} from ${from}`).toBe(hay.lastIndexOf(text, from));
      }
    }
    expect(new ByteNeedle('abc', 'a').lastIndexIn(Buffer.from('ab'))).toBe(-1);
  });

  it('anchors on the rarest character it holds', () => {
    expect(rareAnchor('usage')).toBe('g');
    expect(rareAnchor('usageMetadata')).toBe('M');
    expect(rareAnchor('...')).toBeUndefined();
  });

  it('handles needles at the very start and end, overlapping candidates, and misses', () => {
    const n = new ByteNeedle('aab', 'b');
    expect(n.indexIn(Buffer.from('aab'))).toBe(0);
    expect(n.indexIn(Buffer.from('aaab'))).toBe(1);
    expect(n.indexIn(Buffer.from('xxaab'), 3)).toBe(-1);
    expect(n.indexIn(Buffer.from('ab'))).toBe(-1);
    expect(n.indexIn(Buffer.from(''))).toBe(-1);
    const first = new ByteNeedle('[DONE]', '[');
    expect(first.indexIn(Buffer.from('data: [DONE]\n\n'))).toBe(6);
    expect(first.indexIn(Buffer.from('data: [DONE'))).toBe(-1);
    expect(new ByteNeedle('é!').indexIn(Buffer.from('café!'))).toBe(3);
  });

  it('refuses an anchor that is not one byte of the needle', () => {
    expect(() => new ByteNeedle('abc', 'z')).toThrow(/anchor/);
    expect(() => new ByteNeedle('abé', 'é')).toThrow(/anchor/);
    expect(() => new ByteNeedle('')).toThrow(/empty/);
  });
});
