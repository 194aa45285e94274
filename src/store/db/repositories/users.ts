import { sql, type Kysely } from 'kysely';
import type { Database, UserRow } from '../schema.js';

export type NewUser = Omit<UserRow, 'created_at' | 'updated_at'>;

export interface UserPageQuery {
  /** substring of username, e-mail or display name (case-insensitive) */
  search?: string;
  role?: string;
  limit: number;
  offset: number;
}

export class UsersRepo {
  constructor(private readonly db: Kysely<Database>) {}

  get(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** By username or e-mail (case-insensitive for e-mail). */
  findByLogin(login: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', login), eb('email', '=', login.toLowerCase())]))
      .executeTakeFirst();
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /** One page of users (oldest first) and the total that match. */
  async page(q: UserPageQuery): Promise<{ rows: UserRow[]; total: number }> {
    let base = this.db.selectFrom('users');
    if (q.role !== undefined) base = base.where('role', '=', q.role);
    if (q.search !== undefined && q.search !== '') {
      // portable substring match: LIKE with an explicit escape character (SQLite has no default)
      const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where(
        sql<boolean>`(lower(username) like ${like} escape '\\' or lower(coalesce(email, '')) like ${like} escape '\\' or lower(coalesce(display_name, '')) like ${like} escape '\\')`,
      );
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at').orderBy('id').limit(q.limit).offset(q.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** Administrators that can still sign in. */
  async countEnabledAdmins(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .where('role', '=', 'admin')
      .where('enabled', '=', 1)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insert(row: NewUser): Promise<void> {
    const now = Date.now();
    await this.db.insertInto('users').values({ ...row, created_at: now, updated_at: now }).execute();
  }

  async update(id: string, patch: Partial<Omit<UserRow, 'id' | 'created_at'>>): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set({ ...patch, updated_at: Date.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
