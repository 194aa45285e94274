import type { Kysely } from 'kysely';
import type { Database, SystemSecretsTable } from '../schema.js';

export class SystemSecretsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  get(name: string): Promise<SystemSecretsTable | undefined> {
    return this.db.selectFrom('system_secrets').selectAll().where('name', '=', name).executeTakeFirst();
  }

  list(): Promise<SystemSecretsTable[]> {
    return this.db.selectFrom('system_secrets').selectAll().execute();
  }

  /** Insert unless present; returns the row that is stored afterwards (first writer wins). */
  async insertIfAbsent(name: string, ciphertext: string, keyVersion: number): Promise<SystemSecretsTable> {
    await this.db
      .insertInto('system_secrets')
      .values({ name, ciphertext, key_version: keyVersion, updated_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.get(name);
    if (!row) throw new Error(`system secret ${name} vanished`);
    return row;
  }

  async replace(name: string, ciphertext: string, keyVersion: number): Promise<void> {
    await this.db
      .updateTable('system_secrets')
      .set({ ciphertext, key_version: keyVersion, updated_at: Date.now() })
      .where('name', '=', name)
      .execute();
  }
}
