/**
 * The first administrator is created exactly once, even when several instances try at the same
 * moment, and its password is printed once (the writer), never logged.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAdmin, createFirstAdmin } from '../../src/admin/bootstrap.js';
import { verifyPassword } from '../../src/security/passwords.js';
import { Store } from '../../src/store/db/store.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { DATABASE_KINDS, testDatabase, type TestDatabase } from '../helpers/databases.js';

describe.each(DATABASE_KINDS)('first administrator on %s', (kind) => {
  let db: TestDatabase;
  let stores: Store[];
  beforeEach(async () => {
    db = await testDatabase(kind);
    stores = [Store.open(db.url), Store.open(db.url), Store.open(db.url)];
    await stores[0]!.migrate();
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    await db.drop();
  });

  it('is created once when several instances race', async () => {
    const results = await Promise.all(
      stores.map((s, i) => createFirstAdmin(s, { username: `admin${i}`, email: null, display_name: null, password: `password-number-${i}` })),
    );
    const created = results.filter((r) => r !== null);
    expect(created).toHaveLength(1);
    expect(await stores[0]!.users.count()).toBe(1);
    expect(created[0]!.role).toBe('admin');
    expect(created[0]!.password_hash).toMatch(/^scrypt\$/);
  });

  it('prints the password once, to the writer only, and a usable one', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString('utf8'));
          cb();
        },
      }),
    });
    const printed: string[] = [];
    const user = await bootstrapAdmin(stores[0]!, logger, (t) => printed.push(t), 'http://localhost:8123');
    expect(user?.username).toBe('admin');
    expect(printed).toHaveLength(1);
    // the banner sends a newcomer to the console on the gateway's own address
    expect(printed[0]).toContain('http://localhost:8123/ui');
    const password = /password:\s+(\S+)/.exec(printed[0]!)![1]!;
    expect(await verifyPassword(password, user!.password_hash)).toBe(true);
    expect(lines.join('')).not.toContain(password);
    expect(lines.join('')).toContain('created the first administrator');
    // a second start (or a second instance) prints nothing
    expect(await bootstrapAdmin(stores[1]!, logger, (t) => printed.push(t))).toBeNull();
    expect(printed).toHaveLength(1);
  });
});
