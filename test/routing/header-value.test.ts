import { describe, expect, it } from 'vitest';
import { headerValue } from '../../src/routing/header-value.js';

describe('header values made of names someone else chose', () => {
  it('keeps printable ASCII as it is', () => {
    expect(headerValue('gpt-4o-mini,50%')).toBe('gpt-4o-mini,50%');
  });

  it('percent-encodes anything else as UTF-8, which decodeURIComponent reads back', () => {
    expect(headerValue('模型-1')).toBe('%E6%A8%A1%E5%9E%8B-1');
    expect(decodeURIComponent(headerValue('é\u0000x'))).toBe('é\u0000x');
    // a lone surrogate (which encodeURIComponent refuses) becomes U+FFFD
    expect(headerValue('a\ud800b')).toBe('a%EF%BF%BDb');
  });

  it('encodes the separator and the escape in a list item, and cuts without splitting an escape', () => {
    expect(headerValue('x,y%', { listItem: true })).toBe('x%2Cy%25');
    expect(headerValue('ab模', { maxChars: 5 })).toBe('ab');
    expect(headerValue('z'.repeat(300), { maxChars: 100 })).toBe('z'.repeat(100));
  });
});
