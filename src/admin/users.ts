/**
 * Console users: created, listed, edited and deleted by administrators. Safety rules: user names
 * are case-insensitive (stored lower-case), e-mails unique; the last enabled administrator cannot
 * be demoted, disabled or deleted; disabling a user, resetting their password or deleting them
 * signs out their sessions, and every instance drops its cached client keys of that user.
 */
import { randomUUID } from 'node:crypto';
import { generatePassword, hashPassword, passwordProblem } from '../security/passwords.js';
import type { Operator, Role } from '../server/admin-auth.js';
import { APIKEYS_CHANNEL } from '../server/client-auth.js';
import type { Gateway } from '../server/gateway.js';
import type { UserRow } from '../store/db/schema.js';
import { badRequest, conflict, isUniqueViolation, notFound } from './errors.js';

/** no '@': a user name can never be mistaken for an e-mail address at sign-in */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{2,63}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface UserInput {
  username: string;
  email?: string | null | undefined;
  display_name?: string | null | undefined;
  password?: string | undefined;
  role?: Role | undefined;
  enabled?: boolean | undefined;
}

export interface UserPatch {
  username?: string | undefined;
  email?: string | null | undefined;
  display_name?: string | null | undefined;
  password?: string | undefined;
  role?: Role | undefined;
  enabled?: boolean | undefined;
}

export function normalizeUsername(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(name)) {
    throw badRequest(
      "'username' must be 3-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.",
      'username',
    );
  }
  return name;
}

export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const email = raw.trim().toLowerCase();
  if (email === '') return null;
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) throw badRequest("'email' is not a valid e-mail address.", 'email');
  return email;
}

function normalizeDisplayName(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const v = raw.trim();
  return v === '' ? null : v.slice(0, 128);
}

async function assertFree(gw: Gateway, username: string | null, email: string | null, exceptId?: string): Promise<void> {
  if (username !== null) {
    const u = await gw.store.users.findByLogin(username);
    if (u && u.id !== exceptId && u.username === username) throw conflict(`The user name '${username}' is taken.`, 'username');
  }
  if (email !== null) {
    const u = await gw.store.users.findByLogin(email);
    if (u && u.id !== exceptId && u.email === email) throw conflict(`The e-mail address '${email}' is already used by another user.`, 'email');
  }
}

export interface CreatedUser {
  user: UserRow;
  /** set when the server generated the password (shown once) */
  generatedPassword: string | null;
}

export async function createUser(gw: Gateway, input: UserInput): Promise<CreatedUser> {
  const username = normalizeUsername(input.username);
  const email = normalizeEmail(input.email);
  let password = input.password;
  let generated: string | null = null;
  if (password === undefined) {
    password = generatePassword();
    generated = password;
  } else {
    const problem = passwordProblem(password);
    if (problem) throw badRequest(`'password' ${problem}.`, 'password');
  }
  await assertFree(gw, username, email);
  const id = randomUUID();
  try {
    await gw.store.users.insert({
      id,
      username,
      email,
      display_name: normalizeDisplayName(input.display_name),
      password_hash: await hashPassword(password),
      role: input.role ?? 'user',
      enabled: input.enabled === false ? 0 : 1,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('That user name or e-mail address was just taken; choose another.', 'username');
    throw err;
  }
  const user = await gw.store.users.get(id);
  if (!user) throw new Error('user vanished after insert');
  return { user, generatedPassword: generated };
}

export async function getUser(gw: Gateway, id: string): Promise<UserRow> {
  const user = await gw.store.users.get(id);
  if (!user) throw notFound(`user '${id}'`);
  return user;
}

async function assertAnotherAdminRemains(gw: Gateway, user: UserRow, what: string): Promise<void> {
  if (user.role !== 'admin' || user.enabled !== 1) return;
  if ((await gw.store.users.countEnabledAdmins()) <= 1) {
    throw conflict(`'${user.username}' is the last enabled administrator and cannot be ${what}; make another user an administrator first.`);
  }
}

async function dropCachedKeys(gw: Gateway): Promise<void> {
  gw.auth.invalidate();
  await gw.shared.publish(APIKEYS_CHANNEL, 'users');
}

export async function updateUser(gw: Gateway, id: string, patch: UserPatch): Promise<UserRow> {
  const user = await getUser(gw, id);
  const update: Partial<Omit<UserRow, 'id' | 'created_at'>> = {};
  if (patch.username !== undefined) {
    const username = normalizeUsername(patch.username);
    if (username !== user.username) {
      await assertFree(gw, username, null, id);
      update.username = username;
    }
  }
  if (patch.email !== undefined) {
    const email = normalizeEmail(patch.email);
    if (email !== user.email) {
      await assertFree(gw, null, email, id);
      update.email = email;
    }
  }
  if (patch.display_name !== undefined) update.display_name = normalizeDisplayName(patch.display_name);
  if (patch.role !== undefined && patch.role !== user.role) {
    if (patch.role !== 'admin') await assertAnotherAdminRemains(gw, user, 'demoted');
    update.role = patch.role;
  }
  if (patch.enabled !== undefined && (patch.enabled ? 1 : 0) !== user.enabled) {
    if (!patch.enabled) await assertAnotherAdminRemains(gw, user, 'disabled');
    update.enabled = patch.enabled ? 1 : 0;
  }
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw badRequest(`'password' ${problem}.`, 'password');
    update.password_hash = await hashPassword(patch.password);
  }
  try {
    await gw.store.users.update(id, update);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('That user name or e-mail address was just taken; choose another.', 'username');
    throw err;
  }
  if (update.enabled === 0) await gw.store.sessions.revokeForUser(id, 'user_disabled');
  else if (update.password_hash !== undefined) await gw.store.sessions.revokeForUser(id, 'password_reset');
  if (update.enabled !== undefined) await dropCachedKeys(gw);
  return getUser(gw, id);
}

/** Update one's own profile (display name, e-mail). */
export async function updateOwnProfile(gw: Gateway, op: Operator, patch: { display_name?: string | null | undefined; email?: string | null | undefined }): Promise<UserRow> {
  if (op.userId === null) throw badRequest('The ADMIN_API_KEY has no profile to change.', undefined, 'not_a_session');
  return updateUser(gw, op.userId, { display_name: patch.display_name, email: patch.email });
}

export async function deleteUser(gw: Gateway, op: Operator, id: string): Promise<void> {
  const user = await getUser(gw, id);
  if (op.userId === id) throw conflict('You cannot delete your own account; ask another administrator.');
  await assertAnotherAdminRemains(gw, user, 'deleted');
  // the user's sessions and API keys go with them (foreign keys, on delete cascade)
  await gw.store.users.delete(id);
  await dropCachedKeys(gw);
}
