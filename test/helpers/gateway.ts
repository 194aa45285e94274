/**
 * Starts a real gateway in-process for a test: its own temporary DATA_DIR (SQLite) unless the
 * environment given says otherwise, listening on 127.0.0.1 at a random port, with its log lines
 * captured so tests can assert on them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadSettings } from '../../src/config/settings.js';
import { buildApp } from '../../src/server/app.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import type { SharedState } from '../../src/store/shared/shared-state.js';
import { createLogger } from '../../src/telemetry/logger.js';

export interface TestGateway {
  url: string;
  gw: Gateway;
  app: FastifyInstance;
  dataDir: string;
  /** every log line written so far (JSON text) */
  logs: string[];
  /** write pending request-log rows now */
  flushLogs(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** YAML text for APIPROXY_CONFIG */
  config?: string;
  env?: Record<string, string>;
  /** reuse a data dir (restart tests) */
  dataDir?: string;
  shared?: SharedState;
}

export async function startGateway(opts: StartOptions = {}): Promise<TestGateway> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'apiproxy-test-'));
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    REQUEST_LOG_FLUSH_MS: '50',
    ALLOW_PRIVATE_UPSTREAMS: 'true',
    SECRET_KEY: 'test-secret-key-0123456789abcdef',
    ...opts.env,
  };
  if (opts.config !== undefined) {
    const file = join(dataDir, 'apiproxy.yaml');
    writeFileSync(file, opts.config);
    env.APIPROXY_CONFIG = file;
  }
  const settings = loadSettings(env, dataDir);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(line);
      cb();
    },
  });
  const logger = createLogger({ level: settings.logLevel, destination });
  const gw = await createGateway(settings, { logger, ...(opts.shared ? { shared: opts.shared } : {}) });
  const app = await buildApp(gw);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    gw,
    app,
    dataDir,
    logs,
    flushLogs: () => gw.logSink.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await gw.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
