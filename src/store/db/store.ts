/** The SQL store: one object giving the repositories over one connection. */
import { openDatabase, type DbHandle, type DbKind } from './connection.js';
import { migrateToLatest, pendingMigrations, type MigrationOutcome } from './migrate.js';
import { ApiKeysRepo } from './repositories/api-keys.js';
import { LogicalModelsRepo } from './repositories/logical-models.js';
import { ProvidersRepo } from './repositories/providers.js';
import { RequestLogsRepo } from './repositories/request-logs.js';
import { SessionsRepo } from './repositories/sessions.js';
import { SystemSecretsRepo } from './repositories/system-secrets.js';
import { UsersRepo } from './repositories/users.js';
import { sql } from 'kysely';

export class Store {
  readonly providers: ProvidersRepo;
  readonly apiKeys: ApiKeysRepo;
  readonly users: UsersRepo;
  readonly logicalModels: LogicalModelsRepo;
  readonly requestLogs: RequestLogsRepo;
  readonly secrets: SystemSecretsRepo;
  readonly sessions: SessionsRepo;

  constructor(readonly handle: DbHandle) {
    const db = handle.db;
    this.providers = new ProvidersRepo(db);
    this.apiKeys = new ApiKeysRepo(db);
    this.users = new UsersRepo(db);
    this.logicalModels = new LogicalModelsRepo(db);
    this.requestLogs = new RequestLogsRepo(db, handle.kind, handle.sqlite);
    this.secrets = new SystemSecretsRepo(db);
    this.sessions = new SessionsRepo(db);
  }

  static open(url: string, opts: { poolSize?: number } = {}): Store {
    return new Store(openDatabase(url, opts));
  }

  get kind(): DbKind {
    return this.handle.kind;
  }

  get db(): DbHandle['db'] {
    return this.handle.db;
  }

  migrate(): Promise<MigrationOutcome> {
    return migrateToLatest(this.handle.db);
  }

  pending(): Promise<string[]> {
    return pendingMigrations(this.handle.db);
  }

  /** Readiness: the database answers a trivial query. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.handle.db);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
