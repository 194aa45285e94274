/**
 * Password hashing for console users: scrypt (node:crypto) with a random 16-byte salt per
 * password. The parameters travel inside the stored string, so they can be raised later without
 * breaking existing hashes:
 *
 *     scrypt$ln=15,r=8,p=1$<salt, base64url>$<32-byte hash, base64url>
 *
 * Verification recomputes with the stored parameters and compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { randomToken } from './crypto.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N */
  logN: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8, p = 1: about 32 MiB and a few tens of milliseconds per hash. */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = { logN: 15, r: 8, p: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const SCHEME = 'scrypt';

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function encode(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `${SCHEME}$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/** Reads a stored hash; null when it is not one of ours or its parameters are out of bounds. */
export function parsePasswordHash(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== SCHEME) return null;
  const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1]!);
  if (!m) return null;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // bounds keep a tampered row from turning a login into a memory bomb
  if (params.logN < 10 || params.logN > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return null;
  const salt = Buffer.from(parts[2]!, 'base64url');
  const hash = Buffer.from(parts[3]!, 'base64url');
  if (salt.length < 8 || hash.length !== KEY_LENGTH) return null;
  return { params, salt, hash };
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return encode(params, salt, await derive(password, salt, params));
}

/** true when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored === null ? null : parsePasswordHash(stored);
  if (!parsed) {
    await dummyVerify(password);
    return false;
  }
  const candidate = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

let dummy: Parsed | null = null;

/** Spend the same work as a real check (unknown user names must not answer faster). */
export async function dummyVerify(password: string): Promise<void> {
  dummy ??= parsePasswordHash(await hashPassword('not-a-real-password'));
  if (dummy) await derive(password, dummy.salt, dummy.params);
}

/** true when the stored hash uses weaker parameters than today's default. */
export function needsRehash(stored: string): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return true;
  const { logN, r, p } = parsed.params;
  return logN < DEFAULT_SCRYPT.logN || r < DEFAULT_SCRYPT.r || p < DEFAULT_SCRYPT.p;
}

/** What is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim() === '') return 'must not be blank';
  return null;
}

/** A random password for a new account (24 URL-safe characters, 144 bits). */
export function generatePassword(): string {
  return randomToken(18);
}
