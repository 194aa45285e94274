/**
 * Where the management tests run: SQLite with in-process shared state always; PostgreSQL (with
 * Redis when TEST_REDIS_URL is set) when TEST_DATABASE_URL is set. Each backend gets a fresh
 * database and its own Redis key prefix, so suites running in parallel never meet.
 */
import { randomUUID } from 'node:crypto';
import { postgresUrl, redisUrl, testDatabase, type TestDatabase } from '../helpers/databases.js';
import { createSharedState } from '../../src/store/shared/index.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';

export type BackendName = 'sqlite' | 'postgres';

export const BACKENDS: BackendName[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface Backend {
  name: BackendName;
  /** "postgres + redis", "sqlite + memory", … */
  label: string;
  /** env for startGateway (DATABASE_URL for PostgreSQL; SQLite lives in the gateway's DATA_DIR) */
  env: Record<string, string>;
  /** a SharedState for one more gateway instance (Redis: its own connection, the same prefix); undefined = in-process */
  newShared(): Promise<SharedState | undefined>;
  dispose(): Promise<void>;
}

export async function openBackend(name: BackendName): Promise<Backend> {
  let db: TestDatabase | null = null;
  const env: Record<string, string> = {};
  if (name === 'postgres') {
    db = await testDatabase('postgres');
    env.DATABASE_URL = db.url;
  }
  const useRedis = name === 'postgres' && redisUrl !== undefined;
  const prefix = `apiproxy-test:${randomUUID()}:`;
  const opened: SharedState[] = [];
  return {
    name,
    label: `${name} + ${useRedis ? 'redis' : 'memory'}`,
    env,
    async newShared() {
      if (!useRedis) return undefined;
      const s = await createSharedState({ redisUrl: redisUrl!, prefix });
      opened.push(s);
      return s;
    },
    async dispose() {
      for (const s of opened) await s.close().catch(() => undefined);
      await db?.drop().catch(() => undefined);
    },
  };
}
