import type { Kysely } from 'kysely';
import type { Database, LogicalModelRow, LogicalModelUpstreamRow } from '../schema.js';

export type LogicalModelInput = Omit<LogicalModelRow, 'created_at' | 'updated_at'>;
export type UpstreamInput = Omit<LogicalModelUpstreamRow, 'id' | 'logical_model_id'>;

export class LogicalModelsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<LogicalModelRow[]> {
    return this.db.selectFrom('logical_models').selectAll().orderBy('id').execute();
  }

  get(id: string): Promise<LogicalModelRow | undefined> {
    return this.db.selectFrom('logical_models').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listUpstreams(logicalModelId?: string): Promise<LogicalModelUpstreamRow[]> {
    let q = this.db.selectFrom('logical_model_upstreams').selectAll();
    if (logicalModelId !== undefined) q = q.where('logical_model_id', '=', logicalModelId);
    return q.orderBy('logical_model_id').orderBy('priority').orderBy('provider_id').orderBy('model').execute();
  }

  /** Create or replace a logical model and its whole upstream list, atomically. */
  async upsertWithUpstreams(model: LogicalModelInput, upstreams: UpstreamInput[]): Promise<'created' | 'updated'> {
    return this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const existing = await trx.selectFrom('logical_models').select('id').where('id', '=', model.id).executeTakeFirst();
      if (existing) {
        const { id: _id, ...rest } = model;
        await trx.updateTable('logical_models').set({ ...rest, updated_at: now }).where('id', '=', model.id).execute();
        await trx.deleteFrom('logical_model_upstreams').where('logical_model_id', '=', model.id).execute();
      } else {
        await trx.insertInto('logical_models').values({ ...model, created_at: now, updated_at: now }).execute();
      }
      for (const u of upstreams) {
        await trx
          .insertInto('logical_model_upstreams')
          .values({ ...u, id: crypto.randomUUID(), logical_model_id: model.id })
          .execute();
      }
      return existing ? 'updated' : 'created';
    });
  }

  /** Add one upstream; false when the model already has it (same provider and model). */
  async addUpstream(logicalModelId: string, u: UpstreamInput): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('logical_model_upstreams')
        .select('id')
        .where('logical_model_id', '=', logicalModelId)
        .where('provider_id', '=', u.provider_id)
        .where('model', '=', u.model)
        .executeTakeFirst();
      if (existing) return false;
      await trx
        .insertInto('logical_model_upstreams')
        .values({ ...u, id: crypto.randomUUID(), logical_model_id: logicalModelId })
        .execute();
      await trx.updateTable('logical_models').set({ updated_at: Date.now() }).where('id', '=', logicalModelId).execute();
      return true;
    });
  }

  async removeUpstream(logicalModelId: string, providerId: string, model: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('logical_model_upstreams')
      .where('logical_model_id', '=', logicalModelId)
      .where('provider_id', '=', providerId)
      .where('model', '=', model)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await this.db.updateTable('logical_models').set({ updated_at: Date.now() }).where('id', '=', logicalModelId).execute();
    return true;
  }

  /** Ids of the logical models that route to a provider. */
  async idsUsingProvider(providerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('logical_model_upstreams')
      .select('logical_model_id')
      .distinct()
      .where('provider_id', '=', providerId)
      .orderBy('logical_model_id')
      .execute();
    return rows.map((r) => r.logical_model_id);
  }

  async update(id: string, patch: Partial<Omit<LogicalModelRow, 'id' | 'created_at'>>): Promise<boolean> {
    const r = await this.db
      .updateTable('logical_models')
      .set({ ...patch, updated_at: Date.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('logical_models').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
