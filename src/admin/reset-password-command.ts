/**
 * `apiproxy reset-password <user name or e-mail>`: recovery when nobody can sign in (the first
 * administrator's password was lost, say). Sets a new random password, signs the user out
 * everywhere, re-enables the account, and prints the password once on stdout.
 */
import type { Settings } from '../config/settings.js';
import { generatePassword, hashPassword } from '../security/passwords.js';
import { Store } from '../store/db/store.js';

export interface ResetPasswordIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Returns the process exit code. */
export async function runResetPassword(settings: Pick<Settings, 'databaseUrl'>, login: string | undefined, io: ResetPasswordIo): Promise<number> {
  if (!login) {
    io.err('apiproxy: reset-password needs a user: apiproxy reset-password <user name or e-mail>\n');
    return 1;
  }
  const store = Store.open(settings.databaseUrl);
  try {
    await store.migrate();
    const user = await store.users.findByLogin(login.trim().toLowerCase());
    if (!user) {
      io.err(`apiproxy: there is no user '${login}'\n`);
      return 1;
    }
    const password = generatePassword();
    await store.users.update(user.id, { password_hash: await hashPassword(password), enabled: 1 });
    const revoked = await store.sessions.revokeForUser(user.id, 'password_reset');
    io.out(
      `New password for '${user.username}' (${user.role}), shown only this once:\n\n    ${password}\n\n` +
        `${revoked} session(s) signed out. Sign in with POST /auth/login, then choose a password with POST /auth/password.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
