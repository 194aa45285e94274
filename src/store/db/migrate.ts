/** Schema migrations, compiled into the package (no files read at run time). */
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_console_sessions.js';
import * as m0003 from './migrations/0003_api_key_names.js';
import * as m0006 from './migrations/0006_request_log_details.js';
import * as m0007 from './migrations/0007_usage_rollups.js';
import type { Database } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_console_sessions': m0002,
  '0003_api_key_names': m0003,
  '0006_request_log_details': m0006,
  '0007_usage_rollups': m0007,
};

class StaticProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableName: 'apiproxy_migrations',
    migrationLockTableName: 'apiproxy_migrations_lock',
  });
}

export interface MigrationOutcome {
  applied: string[];
}

/** Apply every pending migration (safe to run from several instances at once: Kysely locks). */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationOutcome> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const what = failed ? ` (${failed.migrationName})` : '';
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`database migration failed${what}: ${reason}`);
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
