/**
 * The `apiproxy rotate-secret` command: reads the current secret (SECRET_KEY, or DATA_DIR/secret.key)
 * and the new one (`--new-secret-file <file>` or NEW_SECRET_KEY), re-encrypts the database
 * (rotate-secret.ts), then says what to do next. When the current secret came from
 * DATA_DIR/secret.key, that file is rewritten with the new secret (atomically, mode 0600).
 * The new secret is never printed.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { Store } from '../store/db/store.js';
import { rotateSecret, RotationError } from './rotate-secret.js';

export const ROTATE_HELP = `Usage: apiproxy rotate-secret [--new-secret-file <file>]

Re-encrypts every provider key and system secret with a new SECRET_KEY, in one transaction.
Client API keys keep working. Console users are signed out. Stop every instance first.

  The current secret: SECRET_KEY, or DATA_DIR/secret.key.
  The new secret:     --new-secret-file <file> (its first line), or NEW_SECRET_KEY. 16+ characters.
`;

export interface RotateIo {
  out(text: string): void;
  env: NodeJS.ProcessEnv;
}

function readNewSecret(args: string[], env: NodeJS.ProcessEnv): string {
  const i = args.indexOf('--new-secret-file');
  if (i >= 0) {
    const file = args[i + 1];
    if (!file) throw new RotationError('--new-secret-file needs a file name');
    return readFileSync(file, 'utf8').split(/\r?\n/)[0]!.trim();
  }
  const fromEnv = env.NEW_SECRET_KEY?.trim();
  if (!fromEnv) throw new RotationError('give the new secret: --new-secret-file <file>, or NEW_SECRET_KEY in the environment');
  return fromEnv;
}

/** Returns the exit code. */
export async function runRotateSecret(args: string[], settings: Settings, io: RotateIo): Promise<number> {
  const newSecret = readNewSecret(args, io.env);
  let oldSecret: string;
  let secretFile: string | null = null;
  if (settings.secretKey) {
    oldSecret = settings.secretKey;
  } else {
    const file = join(settings.dataDir, 'secret.key');
    if (!existsSync(file)) throw new RotationError(`there is no current secret: SECRET_KEY is not set and ${file} does not exist`);
    oldSecret = readFileSync(file, 'utf8').trim();
    secretFile = file;
  }
  const store = Store.open(settings.databaseUrl);
  try {
    const pending = await store.pending();
    if (pending.length > 0) throw new RotationError(`the database needs migrations first (${pending.join(', ')}): run \`apiproxy migrate\``);
    const s = await rotateSecret(store, oldSecret, newSecret);
    io.out(
      `Re-encrypted ${s.providerKeys} provider key(s) and ${s.systemSecrets} system secret(s): key version ${s.fromVersion} -> ${s.toVersion}.\n`,
    );
  } finally {
    await store.close();
  }
  if (secretFile !== null) {
    const tmp = `${secretFile}.new`;
    writeFileSync(tmp, `${newSecret}\n`, { mode: 0o600 });
    renameSync(tmp, secretFile);
    io.out(`${secretFile} now holds the new secret. Start the gateway as before.\n`);
  } else {
    io.out(
      'Next: set SECRET_KEY to the new secret on every instance (the old one no longer opens this database), then start them.\n',
    );
  }
  io.out('Console users must sign in again. Client API keys and provider keys keep working.\n');
  return 0;
}
