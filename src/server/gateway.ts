/**
 * The gateway's parts, assembled from settings: storage, shared state, keys, the catalog of
 * providers and models, the upstream client and executor, authentication and the request log.
 */
import type { Logger } from 'pino';
import { bootstrapAdmin } from '../admin/bootstrap.js';
import { importConfig, quickModeConfig, QUICK_PROVIDER_ID, type ImportSummary } from '../config/import.js';
import { resolveSecret } from '../config/secret.js';
import type { Settings } from '../config/settings.js';
import { readConfigFile } from '../config/yaml-config.js';
import { ClientAuth } from './client-auth.js';
import { Catalog } from '../routing/catalog.js';
import { loadCatalog } from '../routing/catalog-loader.js';
import { Executor } from '../routing/executor.js';
import { RoutingServices } from '../routing/services.js';
import { Metrics } from '../telemetry/metrics.js';
import { ModelDirectory } from '../routing/model-directory.js';
import { UpstreamClient } from '../routing/upstream-client.js';
import { MediaFetcher } from '../security/media-fetch.js';
import type { CallContext } from '../routing/call.js';
import { Keyring } from '../security/keyring.js';
import { randomToken } from '../security/crypto.js';
import { Store } from '../store/db/store.js';
import { createSharedState } from '../store/shared/index.js';
import type { SharedState, Unsubscribe } from '../store/shared/shared-state.js';
import { RequestLogSink } from '../usage/request-log-sink.js';
import { callRecord } from '../usage/call-record.js';
import { ContextStore } from '../usage/context-store.js';
import { UsageLimiter } from '../usage/limits.js';
import { RetentionJob } from '../usage/retention.js';
import { UsageWriter } from '../usage/usage-writer.js';
import { ThreadedLogWriter } from '../usage/log-writer-thread.js';
import { UsageRollupsRepo } from '../store/db/repositories/usage-rollups.js';
import { totalTokens } from '../usage/extract.js';
import { randomUUID } from 'node:crypto';
import { writeAccessLine } from '../telemetry/access-line.js';

export const CONFIG_CHANNEL = 'config';

export interface Gateway {
  settings: Settings;
  logger: Logger;
  store: Store;
  shared: SharedState;
  keyring: Keyring;
  catalog: Catalog;
  client: UpstreamClient;
  executor: Executor;
  /** live routing state: health, breakers, provider keys, sessions, probes (src/routing/services.ts) */
  routing: RoutingServices;
  /** Prometheus metrics (GET /metrics) */
  metrics: Metrics;
  auth: ClientAuth;
  logSink: RequestLogSink;
  /** per-key RPM / TPM / budget (src/usage/limits.ts) */
  limits: UsageLimiter;
  /** conversation snippets per X-Session-Id (src/usage/context-store.ts) */
  context: ContextStore;
  /** request-log retention job (src/usage/retention.ts) */
  retention: RetentionJob;
  /** hourly usage rollups (GET /usage, charts, budget recounts) */
  usageRollups: UsageRollupsRepo;
  /** Re-read providers and models from the database (after a change on any instance). */
  reloadCatalog(): Promise<void>;
  /** Tell every instance that configuration changed. */
  announceConfigChange(): Promise<void>;
  /** Log a finished inference call (pino line + request-log row, batched). */
  recordCall(call: CallContext): void;
  /** Log a request that ended before it became a call (bad auth, unreadable body). */
  recordBare(fields: { requestId: string; route: string; status: number; error: string | null; ms: number; clientIp: string | null }): void;
  close(): Promise<void>;
}

export interface GatewayOptions {
  logger: Logger;
  /** use this shared state instead of creating one (tests) */
  shared?: SharedState;
}

export async function createGateway(settings: Settings, opts: GatewayOptions): Promise<Gateway> {
  const { logger } = opts;
  const secret = resolveSecret(settings.secretKey, settings.dataDir);
  if (secret.source === 'generated') {
    logger.warn(
      { file: secret.file },
      'SECRET_KEY is not set: generated one into DATA_DIR/secret.key (mode 0600). Keep that file: it decrypts the stored provider keys. Set SECRET_KEY explicitly when running several instances.',
    );
  }

  const store = Store.open(settings.databaseUrl);
  const cleanup: Array<() => Promise<unknown>> = [() => store.close()];
  try {
    if (settings.autoApplyMigrations) {
      const { applied } = await store.migrate();
      if (applied.length > 0) logger.info({ applied, database: store.handle.label }, 'database migrations applied');
    } else {
      const pending = await store.pending();
      if (pending.length > 0) {
        throw new Error(`the database needs migrations (${pending.join(', ')}): run \`apiproxy migrate\`, or set AUTO_APPLY_DB_MIGRATIONS=true`);
      }
    }
    const keyring = await Keyring.open(store, secret.secret);

    const shared =
      opts.shared ??
      (await createSharedState({
        ...(settings.redisUrl ? { redisUrl: settings.redisUrl } : {}),
        onError: (err) => logger.warn({ err: err.message }, 'shared state (Redis) error'),
      }));
    if (!opts.shared) cleanup.push(() => shared.close());

    const summaries: ImportSummary[] = [];
    if (settings.quickUpstream) summaries.push(await importConfig(store, keyring, quickModeConfig(settings.quickUpstream)));
    if (settings.configFile) {
      const cfg = readConfigFile(settings.configFile);
      summaries.push(await importConfig(store, keyring, cfg));
      logger.info({ file: settings.configFile }, 'configuration imported');
    }
    // an empty users table: create `admin` and print its password once (src/admin/bootstrap.ts)
    await bootstrapAdmin(store, logger, undefined, consoleBaseUrl(settings.host, settings.port));
    if (settings.quickUpstream && (await store.apiKeys.list()).length === 0 && !settings.adminApiKey) {
      const token = `sk-apx-${randomToken(24)}`;
      await store.apiKeys.insert({
        id: randomUUID(),
        user_id: null,
        name: 'quick-start',
        key_hash: keyring.hashClientKey(token),
        prefix: token.slice(0, 12),
        expires_at: null,
        revoked_at: null,
        enabled: 1,
        allowed_providers: null,
        allowed_models: null,
        rpm_limit: null,
        tpm_limit: null,
        budget_usd: null,
        budget_period: null,
        source: 'generated',
      });
      // printed once, on purpose: this is the only time the key can be seen
      process.stderr.write(`\nAPIProxy quick mode: created a client API key (shown once, keep it):\n\n    ${token}\n\n`);
    }

    const client = new UpstreamClient(settings.mask, settings.allowPrivateUpstreams);
    cleanup.push(() => client.close());
    const directory = new ModelDirectory(client, shared, settings.modelsCacheTtlSeconds * 1000, (providerId, message) =>
      logger.warn({ provider: providerId, reason: message }, 'model discovery failed; provider skipped for now'),
    );
    const snapshot = await loadCatalog(store, keyring, settings.timeouts);
    if (snapshot.undecryptableKeys.length > 0) {
      logger.error({ keys: snapshot.undecryptableKeys }, 'some provider keys cannot be decrypted with this SECRET_KEY; they are not used');
    }
    if (snapshot.providers.size === 0) {
      logger.warn('no providers are configured yet: write apiproxy.yaml (or set APIPROXY_CONFIG), or set UPSTREAM_KIND / UPSTREAM_BASE_URL / UPSTREAM_API_KEY — see the README');
    }
    const forced =
      settings.quickUpstream?.model !== undefined ? { providerId: QUICK_PROVIDER_ID, model: settings.quickUpstream.model } : null;
    const catalog = new Catalog(snapshot, directory, forced);

    const announce = (): Promise<void> => shared.publish(CONFIG_CHANNEL, String(Date.now()));
    let routing: RoutingServices | null = null;
    const metrics = new Metrics(() => routing?.gauges() ?? []);
    routing = new RoutingServices({
      settings: settings.routing,
      shared,
      store,
      client,
      logger,
      metrics,
      providers: () => catalog.snapshot.providers.values(),
      announce,
    });
    const routingServices = routing;
    catalog.onReplace((next) => routingServices.onCatalog(next.providers.values()));
    routingServices.start();
    cleanup.push(() => routingServices.stop());
    const media = new MediaFetcher({
      allowPrivate: settings.allowPrivateUpstreams,
      maxBytes: settings.mediaFetch.maxBytes,
      timeoutMs: settings.mediaFetch.timeoutMs,
    });
    cleanup.push(() => media.close());
    const executor = new Executor(client, routingServices, metrics, logger, {
      media,
      maxAttempts: settings.routing.maxAttempts,
      budgetMs: settings.routing.budgetMs,
    });
    const auth = new ClientAuth(store, keyring, settings.adminApiKey);
    const unsubscribers: Unsubscribe[] = [await auth.listen(shared)];

    const usageRollups = new UsageRollupsRepo(store.db, store.kind);
    const limits = new UsageLimiter(shared, usageRollups, logger);
    const context = new ContextStore(shared, settings.context, logger);
    const retention = new RetentionJob(
      store.db,
      shared,
      { retentionDays: settings.requestLogRetentionDays, intervalMs: settings.requestLogCleanupIntervalMs },
      logger,
    );
    // request logs and their hourly rollups, written together in batches off the hot path; an
    // SQLite file is written from a thread of its own, so its writes take no time from requests
    const threaded = store.kind === 'sqlite' && !settings.databaseUrl.endsWith(':memory:') ? new ThreadedLogWriter(settings.databaseUrl) : null;
    const logSink = new RequestLogSink(threaded ?? new UsageWriter(store.db, store.kind, store.handle.sqlite), {
      flushMs: settings.requestLogFlushMs,
      onError: (err, pending) =>
        logger.error({ err: err instanceof Error ? err.message : String(err), pending }, 'request log write failed; will retry'),
      onWritten: () => {
        const touched = auth.takeTouched();
        if (touched.size > 0) void store.apiKeys.touch(touched, Date.now()).catch(() => undefined);
      },
    });

    let reloading: Promise<void> | null = null;
    let again = false;
    const reloadCatalog = async (): Promise<void> => {
      if (reloading) {
        again = true;
        return reloading;
      }
      reloading = (async () => {
        do {
          again = false;
          catalog.replace(await loadCatalog(store, keyring, settings.timeouts));
          directory.invalidate();
        } while (again);
      })().finally(() => {
        reloading = null;
      });
      return reloading;
    };
    unsubscribers.push(
      await shared.subscribe(CONFIG_CHANNEL, () => {
        reloadCatalog().catch((err: unknown) => logger.error({ err: String(err) }, 'configuration reload failed'));
      }),
    );

    const recordCall = (call: CallContext): void => {
      const ms = Math.round(performance.now() - call.t0);
      metrics.observeCall(call);
      const provider = call.providerId !== null ? catalog.snapshot.providers.get(call.providerId) : undefined;
      // usage completed by estimates where the upstream gave none, cost from the model's prices
      const { row, cost, estimated } = callRecord(call, ms, {
        provider,
        logBodies: settings.logBodies,
        logBodyMaxBytes: settings.logBodyMaxBytes,
      });
      const u = call.usage;
      logSink.push(row);
      if (call.limits !== null) void limits.settle(call.limits, u, cost);
      if (call.sessionId !== null) context.recordLater(call);
      writeAccessLine(logger, {
        reqId: call.requestId,
        route: call.route,
        key: call.principal.keyId,
        model: call.model,
        provider: call.providerId,
        upstreamModel: call.upstreamModel,
        status: call.status,
        ms,
        ttfbMs: call.ttfbMs,
        stream: call.stream,
        attempts: call.attempts.length,
        tokens: totalTokens(u) > 0 ? { in: u.input + u.cacheRead + u.cacheWrite, out: u.output + u.reasoning } : undefined,
        partial: call.partial ? true : undefined,
        estimated: estimated ? true : undefined,
        costUsd: cost ?? undefined,
        error: call.error ?? undefined,
      });
    };

    const recordBare: Gateway['recordBare'] = (f) => {
      logSink.push({
        id: f.requestId,
        ts: Date.now() - f.ms,
        api_key_id: null,
        user_id: null,
        route: f.route,
        model: null,
        provider_id: null,
        upstream_model: null,
        status: f.status,
        latency_ms: f.ms,
        ttfb_ms: null,
        input_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost_usd: null,
        stream: 0,
        attempts: 0,
        partial: 0,
        error: f.error,
        session_id: null,
        client_ip: f.clientIp,
        request_body: null,
        response_body: null,
      });
      logger.info({ reqId: f.requestId, route: f.route, status: f.status, ms: f.ms, error: f.error ?? undefined }, 'request');
    };

    retention.start();
    let closed = false;
    return {
      settings,
      logger,
      store,
      shared,
      keyring,
      catalog,
      client,
      executor,
      routing: routingServices,
      metrics,
      auth,
      logSink,
      limits,
      context,
      retention,
      usageRollups,
      reloadCatalog,
      announceConfigChange: announce,
      recordCall,
      recordBare,
      async close() {
        if (closed) return;
        closed = true;
        for (const u of unsubscribers) await u().catch(() => undefined);
        await retention.stop();
        await logSink.flush().catch(() => undefined);
        await threaded?.close().catch(() => undefined);
        for (const c of cleanup.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

/** The address a person on this machine would open: wildcard hosts become localhost. */
function consoleBaseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return port === 0 ? `http://${h}` : `http://${h}:${port}`;
}
