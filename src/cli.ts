#!/usr/bin/env node
/**
 * apiproxy — the command line.
 *   apiproxy [serve]          start the gateway (default)
 *   apiproxy migrate          apply database migrations and exit
 *   apiproxy import <file>    import a YAML config into the database and exit
 *   apiproxy check-config [file]  validate a YAML config and exit
 *   apiproxy rotate-secret    re-encrypt stored secrets with a new SECRET_KEY
 *   apiproxy reset-password <user>  a new random password for a console user
 */
import { resolve } from 'node:path';
import { importConfig } from './config/import.js';
import { loadSettings, readDotEnv, SettingsError, type Settings } from './config/settings.js';
import { resolveSecret } from './config/secret.js';
import { ConfigError, readConfigFile } from './config/yaml-config.js';
import { Keyring } from './security/keyring.js';
import { runRotateSecret } from './security/rotate-secret-command.js';
import { runResetPassword } from './admin/reset-password-command.js';
import { buildApp } from './server/app.js';
import { createGateway } from './server/gateway.js';
import { Store } from './store/db/store.js';
import { createLogger, flushLogger } from './telemetry/logger.js';

const HELP = `APIProxy — one OpenAI-compatible endpoint in front of many LLM providers.

Usage: apiproxy [command] [options]

Commands:
  serve                 Start the gateway (the default command).
  migrate               Apply pending database migrations, then exit.
  import <file>         Import a YAML config file into the database, then exit.
  check-config [file]   Validate a YAML config (default: APIPROXY_CONFIG or ./apiproxy.yaml), then exit.
  rotate-secret [--new-secret-file <file>]
                        Re-encrypt stored secrets with a new SECRET_KEY (or NEW_SECRET_KEY), then exit.
  reset-password <user>  Give a console user (name or e-mail) a new random password, print it once, then exit.

Options:
  -h, --help            Show this help.
  -v, --version         Show the version.

Settings come from the environment and a .env file in the working directory
(HOST, PORT, DATA_DIR, DATABASE_URL, REDIS_URL, SECRET_KEY, ADMIN_API_KEY, APIPROXY_CONFIG,
MODELS_CACHE_TTL, LOG_LEVEL, …); see README.md and .env.example.
`;

function fail(message: string): never {
  process.stderr.write(`apiproxy: ${message}\n`);
  process.exit(1);
}

function settingsOrExit(): Settings {
  try {
    return loadSettings(readDotEnv(process.cwd(), process.env), process.cwd());
  } catch (err) {
    if (err instanceof SettingsError) fail(err.message);
    throw err;
  }
}

async function serve(): Promise<void> {
  const settings = settingsOrExit();
  const logger = createLogger({ level: settings.logLevel, timezone: settings.logTimezone });
  let gw;
  try {
    gw = await createGateway(settings, { logger });
  } catch (err) {
    flushLogger(logger);
    fail(err instanceof Error ? err.message : String(err));
  }
  const app = await buildApp(gw);
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (err) {
    await gw.close();
    fail(`cannot listen on ${settings.host}:${settings.port}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const addr = app.server.address();
  const where = typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : String(addr);
  logger.info({ address: where, database: gw.store.handle.label, shared: gw.shared.kind }, `APIProxy listening on ${where}`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: settings.shutdownGraceMs }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('grace period over: closing the remaining connections');
      app.server.closeAllConnections();
    }, settings.shutdownGraceMs);
    force.unref();
    // connections that go idle after their last response finishes are closed as they do
    const sweep = setInterval(() => app.server.closeIdleConnections(), 250);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
      clearTimeout(force);
      await gw.close();
      logger.info('stopped');
      flushLogger(logger, () => process.exit(0));
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function migrate(): Promise<void> {
  const settings = settingsOrExit();
  const store = Store.open(settings.databaseUrl);
  try {
    const { applied } = await store.migrate();
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await store.close();
  }
}

async function importFile(file: string | undefined): Promise<void> {
  if (!file) fail('import needs a file: apiproxy import <file.yaml>');
  const settings = settingsOrExit();
  let cfg;
  try {
    cfg = readConfigFile(resolve(file));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const store = Store.open(settings.databaseUrl);
  try {
    await store.migrate();
    const keyring = await Keyring.open(store, resolveSecret(settings.secretKey, settings.dataDir).secret);
    const s = await importConfig(store, keyring, cfg);
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  } finally {
    await store.close();
  }
}

function checkConfig(file: string | undefined): void {
  const settings = settingsOrExit();
  const target = file ? resolve(file) : settings.configFile;
  if (!target) fail('no config file: pass one, or set APIPROXY_CONFIG, or create ./apiproxy.yaml');
  try {
    const cfg = readConfigFile(target);
    process.stdout.write(
      `${target}: ok (${cfg.providers.length} providers, ${cfg.logical_models.length} logical models, ${cfg.api_keys.length} API keys)\n`,
    );
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  if (argv.includes('-h') || argv.includes('--help') || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return migrate();
    case 'import':
      return importFile(rest[0]);
    case 'rotate-secret':
      process.exitCode = await runRotateSecret(rest, settingsOrExit(), { out: (t) => process.stdout.write(t), env: readDotEnv(process.cwd(), process.env) });
      return;
    case 'reset-password':
      process.exitCode = await runResetPassword(settingsOrExit(), rest[0], {
        out: (t) => process.stdout.write(t),
        err: (t) => process.stderr.write(t),
      });
      return;
    case 'check-config':
      return checkConfig(rest[0]);
    default:
      fail(`unknown command '${command}' (see apiproxy --help)`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err));
});
