/**
 * The first administrator. On a start with an empty users table the gateway creates `admin` with
 * a random password and prints it once to stderr (never to the log). POST /system/admin/init
 * does the same on demand, and only while no user exists. Creation is atomic across instances
 * starting at the same time (PostgreSQL: an advisory lock; SQLite: a single conditional insert),
 * so exactly one of them creates the user and prints the password.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { generatePassword, hashPassword } from '../security/passwords.js';
import type { Store } from '../store/db/store.js';
import type { UserRow } from '../store/db/schema.js';

export const BOOTSTRAP_USERNAME = 'admin';

/** pg_advisory_xact_lock key for "create the first user" (any fixed 64-bit number). */
const FIRST_USER_LOCK = 0x61707870_00000001n;

export interface FirstUserInput {
  username: string;
  email: string | null;
  display_name: string | null;
  password: string;
}

/** Insert the first user as an administrator; null when a user already exists. */
export async function createFirstAdmin(store: Store, input: FirstUserInput): Promise<UserRow | null> {
  const hash = await hashPassword(input.password);
  const id = randomUUID();
  const now = Date.now();
  let created: boolean;
  if (store.kind === 'postgres') {
    // serialise the check and the insert across instances with an advisory lock
    created = await store.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${FIRST_USER_LOCK.toString()}::bigint)`.execute(trx);
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (existing) return false;
      await trx
        .insertInto('users')
        .values({ id, username: input.username, email: input.email, display_name: input.display_name, password_hash: hash, role: 'admin', enabled: 1, created_at: now, updated_at: now })
        .execute();
      return true;
    });
  } else {
    // SQLite: one statement is atomic (it takes the write lock for its whole run)
    const r = await sql`insert into users (id, username, email, display_name, password_hash, role, enabled, created_at, updated_at)
      select ${id}, ${input.username}, ${input.email}, ${input.display_name}, ${hash}, 'admin', 1, ${now}, ${now}
      where not exists (select 1 from users)`.execute(store.db);
    created = Number(r.numAffectedRows ?? 0n) > 0;
  }
  return created ? ((await store.users.get(id)) ?? null) : null;
}

export function firstAdminBanner(username: string, password: string, baseUrl = 'http://localhost:8000'): string {
  const line = '='.repeat(72);
  return [
    '',
    line,
    ' APIProxy: created the first administrator. The password is shown only this once.',
    '',
    `     user name:  ${username}`,
    `     password:   ${password}`,
    '',
    ` Open the web console at ${baseUrl}/ui, sign in and change the password on its Account page.`,
    ' Or use the API: POST /auth/login, then POST /auth/password:',
    `   curl -s -X POST ${baseUrl}/auth/login -H 'content-type: application/json' \\`,
    `        -d '{"username": "${username}", "password": "<the password above>"}'`,
    line,
    '',
    '',
  ].join('\n');
}

/**
 * At start-up: create `admin` when there is no user yet and print its password once. Returns the
 * created user, or null when users already exist (or another instance created the first one).
 */
export async function bootstrapAdmin(
  store: Store,
  logger: Logger,
  write: (text: string) => void = (text) => void process.stderr.write(text),
  baseUrl?: string,
): Promise<UserRow | null> {
  if ((await store.users.count()) > 0) return null;
  const password = generatePassword();
  const user = await createFirstAdmin(store, { username: BOOTSTRAP_USERNAME, email: null, display_name: 'Administrator', password });
  if (!user) return null;
  // printed once, on purpose: this is the only time the password can be seen
  write(firstAdminBanner(user.username, password, baseUrl));
  logger.warn(
    { username: user.username },
    'created the first administrator; its password was printed once on stderr (sign in at POST /auth/login and change it)',
  );
  return user;
}
