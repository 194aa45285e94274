import { describe, expect, it } from 'vitest';
import { loggedRequestBody, loggedResponseBody, truncateUtf8 } from '../../src/usage/body-log.js';

describe('logged bodies', () => {
  it('cut at the byte limit on a character boundary, saying how long the body was', () => {
    const text = 'é'.repeat(100); // 200 bytes
    const cut = truncateUtf8(text, 100);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^é+…\[truncated, 200 bytes in all\]$/);
    expect(truncateUtf8('short', 100)).toBe('short');
  });

  it('scrub key-like strings, the provider keys and secret-named fields, and drop media payloads', () => {
    const body = {
      model: 'm',
      messages: [{ role: 'user', content: 'my key is sk-proj-abcdefghijklmnop and AIzaSyA1234567890abcdef' }],
      api_key: 'plain-secret-value',
      image: `data:image/png;base64,${'A'.repeat(5000)}`,
    };
    const out = loggedRequestBody(body, 16 * 1024, ['provider-secret-123'])!;
    expect(out).not.toContain('sk-proj-abcdefghijklmnop');
    expect(out).not.toContain('AIzaSyA1234567890abcdef');
    expect(out).not.toContain('plain-secret-value');
    expect(out).not.toContain('AAAAAAAAAA');
    expect(out).toContain('data:image/png;base64,[');
    const res = loggedResponseBody('{"echo":"provider-secret-123"}', 16 * 1024, ['provider-secret-123'])!;
    expect(res).toBe('{"echo":"[redacted]"}');
  });
});
