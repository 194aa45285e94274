import type { Kysely } from 'kysely';
import type { AuthSessionRow, Database, RefreshTokenRow } from '../schema.js';

/** Console sessions (refresh-token families) and their refresh tokens. */
export class SessionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: AuthSessionRow): Promise<void> {
    await this.db.insertInto('auth_sessions').values(row).execute();
  }

  get(id: string): Promise<AuthSessionRow | undefined> {
    return this.db.selectFrom('auth_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listForUser(userId: string): Promise<AuthSessionRow[]> {
    return this.db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  async touch(id: string, lastUsedAt: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('auth_sessions').set({ last_used_at: lastUsedAt, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  /** Revoke one session; false when it was already revoked or does not exist. */
  async revoke(id: string, reason: string, at = Date.now()): Promise<boolean> {
    const r = await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revoke every live session of a user (optionally keeping one); returns how many. */
  async revokeForUser(userId: string, reason: string, exceptSessionId?: string, at = Date.now()): Promise<number> {
    let q = this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId !== undefined) q = q.where('id', '!=', exceptSessionId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async insertRefreshToken(row: RefreshTokenRow): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(row).execute();
  }

  getRefreshToken(id: string): Promise<RefreshTokenRow | undefined> {
    return this.db.selectFrom('refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Mark a refresh token exchanged; false when it already was (a reuse, or a concurrent exchange). */
  async markRefreshTokenUsed(id: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Housekeeping: refresh tokens and sessions that expired (or were revoked) before `before`. */
  async deleteExpired(before: number): Promise<void> {
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
    await this.db
      .deleteFrom('auth_sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .execute();
  }
}
