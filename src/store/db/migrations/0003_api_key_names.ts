import { sql, type Kysely } from 'kysely';

/**
 * A user's live (not revoked) API keys have distinct names; a revoked key's name can be reused.
 * Keys without an owner (from the config file) are not constrained (NULLs are distinct).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('api_keys_user_name_live_uq')
    .on('api_keys')
    .columns(['user_id', 'name'])
    .unique()
    .where(sql<boolean>`revoked_at is null`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_keys_user_name_live_uq').ifExists().execute();
}
