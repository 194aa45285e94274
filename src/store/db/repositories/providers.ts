import type { Kysely } from 'kysely';
import type {
  Database,
  NewProviderRow,
  ProviderKeyRow,
  ProviderModelRow,
  ProviderRow,
  ProviderUpdate,
} from '../schema.js';

export type NewProviderKey = Omit<ProviderKeyRow, 'created_at' | 'updated_at'>;
export type ProviderKeyUpdate = Partial<Omit<ProviderKeyRow, 'id' | 'provider_id' | 'created_at'>>;
export type ProviderModelUpsert = Omit<ProviderModelRow, 'created_at' | 'updated_at'>;

export class ProvidersRepo {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<ProviderRow[]> {
    return this.db.selectFrom('providers').selectAll().orderBy('id').execute();
  }

  get(id: string): Promise<ProviderRow | undefined> {
    return this.db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(row: Omit<NewProviderRow, 'created_at' | 'updated_at'>): Promise<void> {
    const now = Date.now();
    await this.db.insertInto('providers').values({ ...row, created_at: now, updated_at: now }).execute();
  }

  async update(id: string, patch: Omit<ProviderUpdate, 'id' | 'created_at'>): Promise<boolean> {
    const r = await this.db
      .updateTable('providers')
      .set({ ...patch, updated_at: Date.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Insert or replace every column given (idempotent import). */
  async upsert(row: Omit<NewProviderRow, 'created_at' | 'updated_at'>): Promise<'created' | 'updated'> {
    const existing = await this.get(row.id);
    if (!existing) {
      await this.insert(row);
      return 'created';
    }
    const { id: _id, ...rest } = row;
    await this.update(row.id, rest);
    return 'updated';
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('providers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // keys

  listKeys(providerId?: string): Promise<ProviderKeyRow[]> {
    let q = this.db.selectFrom('provider_keys').selectAll();
    if (providerId !== undefined) q = q.where('provider_id', '=', providerId);
    return q.orderBy('provider_id').orderBy('created_at').orderBy('id').execute();
  }

  getKey(providerId: string, keyId: string): Promise<ProviderKeyRow | undefined> {
    return this.db
      .selectFrom('provider_keys')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('id', '=', keyId)
      .executeTakeFirst();
  }

  findKeyByFingerprint(providerId: string, fingerprint: string): Promise<ProviderKeyRow | undefined> {
    return this.db
      .selectFrom('provider_keys')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
  }

  async insertKey(row: NewProviderKey): Promise<void> {
    const now = Date.now();
    await this.db.insertInto('provider_keys').values({ ...row, created_at: now, updated_at: now }).execute();
  }

  async updateKey(providerId: string, keyId: string, patch: ProviderKeyUpdate): Promise<boolean> {
    const r = await this.db
      .updateTable('provider_keys')
      .set({ ...patch, updated_at: Date.now() })
      .where('provider_id', '=', providerId)
      .where('id', '=', keyId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteKey(providerId: string, keyId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('provider_keys')
      .where('provider_id', '=', providerId)
      .where('id', '=', keyId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // models (aliases, prices, static and discovered ids)

  listModels(providerId?: string): Promise<ProviderModelRow[]> {
    let q = this.db.selectFrom('provider_models').selectAll();
    if (providerId !== undefined) q = q.where('provider_id', '=', providerId);
    return q.orderBy('provider_id').orderBy('model_id').execute();
  }

  async upsertModel(row: ProviderModelUpsert): Promise<void> {
    const now = Date.now();
    const { provider_id: _provider, model_id: _model, ...rest } = row;
    await this.db
      .insertInto('provider_models')
      .values({ ...row, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['provider_id', 'model_id']).doUpdateSet({ ...rest, updated_at: now }))
      .execute();
  }

  async deleteModel(providerId: string, modelId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('provider_models')
      .where('provider_id', '=', providerId)
      .where('model_id', '=', modelId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
