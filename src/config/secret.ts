/**
 * SECRET_KEY resolution: the environment wins; otherwise DATA_DIR/secret.key is read, or created
 * once (random, mode 0600) with a warning, so a newcomer's `npm start` just works while a
 * deployment with several instances sets SECRET_KEY explicitly.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../security/crypto.js';

export interface ResolvedSecret {
  secret: string;
  source: 'env' | 'file' | 'generated';
  file?: string;
}

export function resolveSecret(secretFromEnv: string | undefined, dataDir: string): ResolvedSecret {
  if (secretFromEnv) return { secret: secretFromEnv, source: 'env' };
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 16) throw new Error(`${file} holds no usable secret (expected 16+ characters)`);
    return { secret, source: 'file', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomToken(48);
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { secret, source: 'generated', file };
}
