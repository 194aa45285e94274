/**
 * `apiproxy rotate-secret`: after it, the gateway starts with the new SECRET_KEY, the old client
 * key still authenticates, the provider keys still decrypt, and the old secret no longer opens
 * the database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { SecretMismatchError } from '../../src/security/keyring.js';
import { rotateSecret, RotationError } from '../../src/security/rotate-secret.js';
import { runRotateSecret } from '../../src/security/rotate-secret-command.js';
import { createGateway } from '../../src/server/gateway.js';
import { Store } from '../../src/store/db/store.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway } from '../helpers/gateway.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli.ts');
const TSX_LOADER = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

const OLD = 'old-secret-key-0123456789abcdef';
const NEW = 'new-secret-key-fedcba9876543210';
const CLIENT = 'rotate-client-key-000000001';

function cli(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ keys: ['provider-secret-key-1'] });
});
afterAll(async () => {
  await em?.close();
});

const config = () => `
providers:
  - {id: p1, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [provider-secret-key-1], models: [gpt-4o]}
api_keys:
  - {name: k, key: ${CLIENT}}
`;

async function ask(url: string): Promise<number> {
  const r = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return r.status;
}

describe('apiproxy rotate-secret', () => {
  it('re-encrypts with the new SECRET_KEY: old client key works, provider key decrypts, old secret refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-rotate-'));
    try {
      const first = await startGateway({ dataDir, config: config(), env: { SECRET_KEY: OLD } });
      expect(await ask(first.url)).toBe(200);
      await first.close();

      const secretFile = join(dataDir, 'new.secret');
      writeFileSync(secretFile, `${NEW}\n`);
      const out = await cli(['rotate-secret', '--new-secret-file', secretFile], { DATA_DIR: dataDir, SECRET_KEY: OLD }, dataDir);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('Re-encrypted 1 provider key(s) and 2 system secret(s): key version 1 -> 2');
      expect(out.stdout).toContain('set SECRET_KEY to the new secret');
      expect(out.stdout).not.toContain(NEW);

      // no config this time: the provider key must come out of the database, decrypted with the new secret
      em.clearReceived();
      const second = await startGateway({ dataDir, env: { SECRET_KEY: NEW } });
      try {
        expect(await ask(second.url)).toBe(200);
        expect(em.received.at(-1)?.key).toBe('provider-secret-key-1');
      } finally {
        await second.close();
      }

      const settings = loadSettings({ DATA_DIR: dataDir, SECRET_KEY: OLD }, dataDir);
      await expect(createGateway(settings, { logger: pino({ level: 'silent' }) })).rejects.toBeInstanceOf(SecretMismatchError);

      const store = Store.open(settings.databaseUrl);
      try {
        const keys = await store.db.selectFrom('provider_keys').select(['key_version', 'ciphertext']).execute();
        expect(keys.every((k) => k.key_version === 2 && k.ciphertext.startsWith('v2.'))).toBe(true);
        // a second rotation with the old secret is refused, and changes nothing
        await expect(rotateSecret(store, OLD, 'yet-another-secret-0000000')).rejects.toBeInstanceOf(SecretMismatchError);
        await expect(rotateSecret(store, NEW, NEW)).rejects.toBeInstanceOf(RotationError);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000); // starts the CLI in a child process (tsx compiles the tree)

  it('rewrites DATA_DIR/secret.key when the secret came from it (NEW_SECRET_KEY)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-rotate-'));
    try {
      writeFileSync(join(dataDir, 'secret.key'), `${OLD}\n`, { mode: 0o600 });
      // startGateway's default SECRET_KEY is replaced by the file: pass an empty one
      const first = await startGateway({ dataDir, config: config(), env: { SECRET_KEY: '' } });
      expect(await ask(first.url)).toBe(200);
      await first.close();

      // the command in-process (the CLI path is covered above)
      let printed = '';
      const code = await runRotateSecret([], loadSettings({ DATA_DIR: dataDir }, dataDir), { out: (t) => (printed += t), env: { NEW_SECRET_KEY: NEW } });
      expect(code).toBe(0);
      expect(printed).toContain('secret.key now holds the new secret');
      expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toBe(NEW);
      expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

      const second = await startGateway({ dataDir, env: { SECRET_KEY: '' } });
      try {
        expect(await ask(second.url)).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says what is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-rotate-'));
    const io = (env: Record<string, string>) => ({ out: () => undefined, env });
    try {
      await expect(runRotateSecret([], loadSettings({ DATA_DIR: dataDir, SECRET_KEY: OLD }, dataDir), io({}))).rejects.toThrow(/NEW_SECRET_KEY/);
      await expect(runRotateSecret([], loadSettings({ DATA_DIR: dataDir }, dataDir), io({ NEW_SECRET_KEY: NEW }))).rejects.toThrow(/there is no current secret/);
      await expect(runRotateSecret(['--new-secret-file'], loadSettings({ DATA_DIR: dataDir, SECRET_KEY: OLD }, dataDir), io({}))).rejects.toThrow(/needs a file/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
