import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  generatePassword,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  passwordProblem,
  verifyPassword,
} from '../../src/security/passwords.js';

describe('password hashing (scrypt)', () => {
  it('stores the scheme, the parameters, a salt and the hash, never the password', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(h).not.toContain('correct horse battery');
    expect(parsePasswordHash(h)?.params).toEqual(DEFAULT_SCRYPT);
  });

  it('salts every hash (the same password hashes differently)', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password'), hashPassword('same-password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password', a)).toBe(true);
    expect(await verifyPassword('same-password', b)).toBe(true);
  });

  it('verifies the right password only', async () => {
    const h = await hashPassword('s3cret-Pässword');
    expect(await verifyPassword('s3cret-Pässword', h)).toBe(true);
    expect(await verifyPassword('s3cret-Password', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
    // Unicode forms of the same text are the same password
    expect(await verifyPassword('s3cret-Pa\u0308ssword', h)).toBe(true);
  });

  it('uses the parameters stored in the hash (older, cheaper hashes still verify, and ask for a rehash)', async () => {
    const cheap = await hashPassword('old-password', { logN: 12, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$ln=12,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('old-password', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('x-new-password'))).toBe(false);
  });

  it('refuses unreadable or tampered hashes instead of throwing', async () => {
    const h = await hashPassword('tamper-me-please');
    const parts = h.split('$');
    for (const bad of [
      null,
      '',
      'plain-text-password',
      `bcrypt$${parts.slice(1).join('$')}`,
      h.replace('ln=15', 'ln=30'), // a memory bomb
      h.replace('ln=15', 'ln=14'), // other parameters: a different hash
      `${parts.slice(0, 3).join('$')}$${'A'.repeat(43)}`,
      `${parts.slice(0, 3).join('$')}$short`,
    ]) {
      expect(await verifyPassword('tamper-me-please', bad), String(bad)).toBe(false);
    }
  });

  it('says what is wrong with a new password', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('        ')).toMatch(/blank/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('long enough')).toBeNull();
  });

  it('generates random passwords of 144 bits', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
