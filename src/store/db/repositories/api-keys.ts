import type { Kysely } from 'kysely';
import type { ApiKeyRow, Database } from '../schema.js';

export type NewApiKey = Omit<ApiKeyRow, 'created_at' | 'updated_at' | 'last_used_at'>;
export type ApiKeyUpdate = Partial<Omit<ApiKeyRow, 'id' | 'key_hash' | 'created_at'>>;

export interface ApiKeyPageQuery {
  /** a user's keys; null = keys without an owner (config file, quick mode); undefined = all */
  userId?: string | null;
  source?: string;
  /** false = only keys that are not revoked */
  includeRevoked?: boolean;
  limit: number;
  offset: number;
}

export class ApiKeysRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }

  get(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(filter: { userId?: string | null } = {}): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').selectAll();
    if (filter.userId === null) q = q.where('user_id', 'is', null);
    else if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** One page of keys (oldest first) and the total that match. */
  async page(q: ApiKeyPageQuery): Promise<{ rows: ApiKeyRow[]; total: number }> {
    let base = this.db.selectFrom('api_keys');
    if (q.userId === null) base = base.where('user_id', 'is', null);
    else if (q.userId !== undefined) base = base.where('user_id', '=', q.userId);
    if (q.source !== undefined) base = base.where('source', '=', q.source);
    if (q.includeRevoked === false) base = base.where('revoked_at', 'is', null);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at').orderBy('id').limit(q.limit).offset(q.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** A user's live (not revoked) key with this name. */
  findLiveByName(userId: string, name: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  async insert(row: NewApiKey): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('api_keys')
      .values({ ...row, last_used_at: null, created_at: now, updated_at: now })
      .execute();
  }

  async update(id: string, patch: ApiKeyUpdate): Promise<boolean> {
    const r = await this.db
      .updateTable('api_keys')
      .set({ ...patch, updated_at: Date.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Batched "last used" stamps, written off the hot path. */
  async touch(ids: Iterable<string>, at: number): Promise<void> {
    const list = [...ids];
    if (list.length === 0) return;
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', 'in', list).execute();
  }
}
