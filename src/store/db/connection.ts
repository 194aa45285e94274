/** Opens the database named by a URL: `sqlite:<file>` (better-sqlite3) or `postgres://…` (pg). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DbKind = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  kind: DbKind;
  /** the better-sqlite3 connection behind `db` (SQLite only), for prepared hot statements */
  sqlite?: SQLite.Database;
  /** A description safe to print (no password). */
  label: string;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function redactDatabaseUrl(url: string): string {
  if (!/^postgres(ql)?:/.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * SQLite in WAL mode with a second connection (the request-log writer thread): a deferred
 * transaction that reads and then writes fails at once with SQLITE_BUSY when the other connection
 * committed in between (busy_timeout does not apply to that case). Write transactions therefore
 * start with BEGIN IMMEDIATE, which takes the write lock up front and waits for it with busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const inner = super.createDriver();
    return {
      init: () => inner.init(),
      acquireConnection: () => inner.acquireConnection(),
      beginTransaction: async (conn: DatabaseConnection) => {
        await conn.executeQuery(CompiledQuery.raw('begin immediate'));
      },
      commitTransaction: (conn: DatabaseConnection) => inner.commitTransaction(conn),
      rollbackTransaction: (conn: DatabaseConnection) => inner.rollbackTransaction(conn),
      ...(inner.savepoint ? { savepoint: inner.savepoint.bind(inner) } : {}),
      ...(inner.rollbackToSavepoint ? { rollbackToSavepoint: inner.rollbackToSavepoint.bind(inner) } : {}),
      ...(inner.releaseSavepoint ? { releaseSavepoint: inner.releaseSavepoint.bind(inner) } : {}),
      releaseConnection: (conn: DatabaseConnection) => inner.releaseConnection(conn),
      destroy: () => inner.destroy(),
    };
  }
}

export function openDatabase(url: string, opts: { poolSize?: number } = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, kind: 'sqlite', sqlite, label: `sqlite:${file}`, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
        return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // a dropped connection in the idle pool must not crash the process
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', label: redactDatabaseUrl(url), close: () => db.destroy() };
}
