/**
 * Settings from the environment (and a `.env` file, which never overrides a variable that is
 * already set). A bad value stops start-up with a message naming the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const PROVIDER_KINDS = ['openai', 'openai-compatible', 'azure-openai', 'anthropic', 'gemini'] as const;

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'expected true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected a number from ${min} to ${max}` });

/** a fraction above 0, at most 1 */
const ratio = () =>
  z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a number between 0 and 1')
    .transform(Number)
    .refine((n) => n > 0 && n <= 1, { message: 'expected a number above 0, at most 1' });

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected a URL (${protocols.join(' or ')})` },
    );

const schema = z.object({
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(8000),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^(postgres|postgresql|sqlite):/.test(v) || v.endsWith('.db') || v.endsWith('.sqlite'), {
      message: 'expected postgres://…, sqlite:<file> or a path ending in .db',
    })
    .optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  APIPROXY_CONFIG: z.string().trim().min(1).optional(),
  MODELS_CACHE_TTL: int(0, 7 * 24 * 3600).default(300),
  MASK_AS_BROWSER: bool.default(false),
  MASK_USER_AGENT: z
    .string()
    .default(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    ),
  MASK_ORIGIN: url(['http:', 'https:']).optional(),
  MASK_REFERER: url(['http:', 'https:']).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_TIMEZONE: z
    .string()
    .trim()
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'expected an IANA time zone such as UTC or Asia/Shanghai' },
    )
    .optional(),
  AUTO_APPLY_DB_MIGRATIONS: bool.default(true),
  UPSTREAM_KIND: z.enum(PROVIDER_KINDS).optional(),
  UPSTREAM_BASE_URL: url(['http:', 'https:']).optional(),
  UPSTREAM_API_KEY: z.string().min(1).optional(),
  UPSTREAM_MODEL: z.string().trim().min(1).optional(),
  UPSTREAM_API_VERSION: z.string().trim().min(1).optional(),
  REQUEST_LOG_FLUSH_MS: int(10, 60_000).default(1000),
  SHUTDOWN_GRACE_MS: int(0, 600_000).default(30_000),
  ALLOW_PRIVATE_UPSTREAMS: bool.default(false),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((v) => /^(true|false|\d+|[0-9a-fA-F.:/, ]+)$/.test(v), {
      message: 'expected true, false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
    })
    .default('false'),

  // Usage, request logs, limits and security (see docs/usage-and-limits.md)
  /** store request and response bodies in request_logs (truncated, secrets scrubbed) */
  LOG_BODIES: bool.default(false),
  /** most bytes kept of each logged body */
  LOG_BODY_MAX_BYTES: int(256, 16 * 1024 * 1024).default(16 * 1024),
  /** request logs older than this many days are deleted by the cleanup job (0 = keep forever) */
  REQUEST_LOG_RETENTION_DAYS: int(0, 36_500).default(30),
  /** how often the cleanup job runs */
  REQUEST_LOG_CLEANUP_MINUTES: int(1, 7 * 24 * 60).default(60),
  /** largest request body accepted (413 above it) */
  MAX_BODY_MB: int(1, 1024).default(20),
  /** deepest JSON nesting accepted in a request body (400 above it) */
  MAX_JSON_DEPTH: int(8, 10_000).default(64),
  /** conversation snippets kept per X-Session-Id (newest first) */
  CONTEXT_MAX_ENTRIES: int(1, 1000).default(50),
  /** how long a session's snippets live after its last write */
  CONTEXT_TTL_HOURS: int(1, 24 * 365).default(7 * 24),
  /** largest stored snippet (the request part is shortened to fit) */
  CONTEXT_MAX_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  /** image URLs fetched for providers that need the bytes (Gemini): size cap and timeout */
  MEDIA_FETCH_MAX_MB: int(1, 200).default(20),
  MEDIA_FETCH_TIMEOUT_MS: int(100, 600_000).default(15_000),

  // Upstream timeouts (defaults for every provider; a provider's own `timeouts` override them)
  UPSTREAM_CONNECT_TIMEOUT_MS: int(100, 600_000).default(10_000),
  UPSTREAM_TTFB_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
  UPSTREAM_IDLE_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  UPSTREAM_TOTAL_TIMEOUT_MS: int(100, 7_200_000).default(600_000),

  // Routing (see src/routing/planner.ts for the scoring formula)
  ROUTING_MAX_ATTEMPTS: int(1, 20).default(5),
  ROUTING_BUDGET_MS: int(100, 7_200_000).default(600_000),
  ROUTING_HEALTH_WINDOW_S: int(6, 3600).default(60),
  ROUTING_LATENCY_ALPHA: ratio().default(0.2),
  ROUTING_STATE_REFRESH_MS: int(20, 60_000).default(1000),
  ROUTING_STICKY_TTL_S: int(1, 30 * 24 * 3600).default(7200),
  ROUTING_BREAKER_ERROR_RATIO: ratio().default(0.5),
  ROUTING_BREAKER_MIN_SAMPLES: int(1, 1_000_000).default(10),
  ROUTING_BREAKER_COOLDOWN_MS: int(10, 3_600_000).default(30_000),
  ROUTING_BREAKER_MAX_COOLDOWN_MS: int(10, 24 * 3_600_000).default(300_000),
  KEY_BACKOFF_AFTER_FAILURES: int(1, 1000).default(3),
  KEY_BACKOFF_BASE_MS: int(10, 3_600_000).default(1000),
  KEY_BACKOFF_MAX_MS: int(10, 24 * 3_600_000).default(60_000),
  PROBE_INTERVAL_S: int(5, 24 * 3600).default(60),
  METRICS_ENABLED: bool.default(true),
  METRICS_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),

  // Console sign-in (src/admin/sessions.ts)
  /** lifetime of a console access token, seconds (default 15 minutes) */
  ACCESS_TOKEN_TTL: int(60, 24 * 3600).default(900),
  /** lifetime of a console refresh token, seconds (default 7 days; every refresh renews it) */
  REFRESH_TOKEN_TTL: int(300, 90 * 24 * 3600).default(7 * 24 * 3600),
});

type Env = z.infer<typeof schema>;

/** Every environment variable the gateway reads (documented in README.md and .env.example). */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  /** "sqlite:<absolute file>" or a postgres:// URL */
  databaseUrl: string;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  adminApiKey: string | undefined;
  /** Absolute path of the YAML file to import, if any. */
  configFile: string | undefined;
  /** true when APIPROXY_CONFIG named the file (then it must exist) */
  configFileExplicit: boolean;
  modelsCacheTtlSeconds: number;
  mask: { enabled: boolean; userAgent: string; origin: string | undefined; referer: string | undefined };
  logLevel: (typeof LOG_LEVELS)[number];
  logTimezone: string | undefined;
  autoApplyMigrations: boolean;
  quickUpstream:
    | { kind: (typeof PROVIDER_KINDS)[number]; baseUrl: string; apiKey: string; model?: string; apiVersion?: string }
    | undefined;
  requestLogFlushMs: number;
  shutdownGraceMs: number;
  /**
   * ALLOW_PRIVATE_UPSTREAMS: provider base URLs created through the API, and image URLs the
   * gateway fetches, may point at private, loopback, link-local or metadata addresses (refused by
   * default: SSRF, see src/security/ssrf.ts). Providers from the YAML config or UPSTREAM_* are
   * written by the operator and are never checked.
   */
  allowPrivateUpstreams: boolean;
  /**
   * TRUST_PROXY: read the client address from X-Forwarded-For when behind a load balancer:
   * false (default), true (any), a number of hops, or proxy addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** LOG_BODIES: keep request/response bodies in request_logs (truncated, secrets scrubbed) */
  logBodies: boolean;
  /** LOG_BODY_MAX_BYTES (default 16 KiB) */
  logBodyMaxBytes: number;
  /** REQUEST_LOG_RETENTION_DAYS (default 30; 0 = keep forever) */
  requestLogRetentionDays: number;
  /** REQUEST_LOG_CLEANUP_MINUTES (default 60), in ms */
  requestLogCleanupIntervalMs: number;
  /** MAX_BODY_MB (default 20), in bytes */
  maxBodyBytes: number;
  /** MAX_JSON_DEPTH (default 64) */
  maxJsonDepth: number;
  /** CONTEXT_MAX_ENTRIES (50), CONTEXT_TTL_HOURS (168, here in ms), CONTEXT_MAX_BYTES (64 KiB) */
  context: { maxEntries: number; ttlMs: number; maxBytes: number };
  /** MEDIA_FETCH_MAX_MB (20, here in bytes), MEDIA_FETCH_TIMEOUT_MS (15 000) */
  mediaFetch: { maxBytes: number; timeoutMs: number };
  /** default upstream timeouts (UPSTREAM_*_TIMEOUT_MS); a provider's own `timeouts` override them */
  timeouts: { connectMs: number; ttfbMs: number; idleMs: number; totalMs: number };
  routing: RoutingSettings;
  /** GET /metrics (Prometheus): on unless METRICS_ENABLED=false; Bearer METRICS_TOKEN when set */
  metrics: { enabled: boolean; token: string | undefined };
  /** console sign-in: ACCESS_TOKEN_TTL (900) and REFRESH_TOKEN_TTL (604 800), seconds */
  sessions: { accessTtlSeconds: number; refreshTtlSeconds: number };
}

/** How requests are routed, failed over, and how upstream health is judged (src/routing). */
export interface RoutingSettings {
  /** most upstream attempts for one request (ROUTING_MAX_ATTEMPTS, default 5) */
  maxAttempts: number;
  /**
   * time budget of one request's attempts (ROUTING_BUDGET_MS, default 600 000): no attempt starts
   * after it, and an attempt's wait for its first byte is cut to what is left of it
   */
  budgetMs: number;
  /** the rolling window of the error ratio (ROUTING_HEALTH_WINDOW_S, default 60), counted in 6 buckets */
  healthWindowMs: number;
  /** weight of the newest sample in the latency EWMA (ROUTING_LATENCY_ALPHA, default 0.2) */
  latencyAlpha: number;
  /** how often the local picture of shared health is written and re-read (ROUTING_STATE_REFRESH_MS, default 1000) */
  stateRefreshMs: number;
  /** session stickiness lifetime, refreshed on use (ROUTING_STICKY_TTL_S, default 7200) */
  stickyTtlMs: number;
  breaker: {
    /** opens at this error ratio over the window (ROUTING_BREAKER_ERROR_RATIO, default 0.5) */
    errorRatio: number;
    /** ... once the window holds at least this many samples (ROUTING_BREAKER_MIN_SAMPLES, default 10) */
    minSamples: number;
    /** first cool-down before a half-open trial (ROUTING_BREAKER_COOLDOWN_MS, default 30 000) */
    cooldownMs: number;
    /** the cool-down doubles on each failed trial, up to this (ROUTING_BREAKER_MAX_COOLDOWN_MS, default 300 000) */
    maxCooldownMs: number;
  };
  keyBackoff: {
    /** consecutive retryable failures of a key before it backs off (KEY_BACKOFF_AFTER_FAILURES, default 3; 429 backs off at once) */
    afterFailures: number;
    /** first back-off, doubled per further failure (KEY_BACKOFF_BASE_MS, default 1000) */
    baseMs: number;
    /** longest back-off (KEY_BACKOFF_MAX_MS, default 60 000) */
    maxMs: number;
  };
  /** background probe interval for providers with probes enabled and no interval of their own (PROBE_INTERVAL_S, default 60) */
  probeIntervalMs: number;
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Read `.env` from `cwd` into a plain object (variables already in `env` are not overridden). */
export function readDotEnv(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return env;
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  return { ...parsed, ...env };
}

export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Settings {
  // empty strings count as unset (a `.env` line like `REDIS_URL=`)
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new SettingsError(`Invalid settings:\n${lines.join('\n')}`);
  }
  const e: Env = parsed.data;
  const dataDir = resolve(cwd, e.DATA_DIR);

  let databaseUrl: string;
  if (!e.DATABASE_URL) databaseUrl = `sqlite:${resolve(dataDir, 'apiproxy.db')}`;
  else if (/^postgres(ql)?:/.test(e.DATABASE_URL)) databaseUrl = e.DATABASE_URL;
  else {
    const file = e.DATABASE_URL.replace(/^sqlite:(\/\/)?/, '');
    databaseUrl = `sqlite:${file === ':memory:' ? file : resolve(cwd, file)}`;
  }

  let configFile: string | undefined;
  let configFileExplicit = false;
  if (e.APIPROXY_CONFIG) {
    configFile = resolve(cwd, e.APIPROXY_CONFIG);
    configFileExplicit = true;
  } else if (existsSync(resolve(cwd, 'apiproxy.yaml'))) {
    configFile = resolve(cwd, 'apiproxy.yaml');
  }

  let quickUpstream: Settings['quickUpstream'];
  const quickVars = [e.UPSTREAM_KIND, e.UPSTREAM_BASE_URL, e.UPSTREAM_API_KEY];
  if (quickVars.some((v) => v !== undefined)) {
    const missing = (['UPSTREAM_KIND', 'UPSTREAM_BASE_URL', 'UPSTREAM_API_KEY'] as const).filter(
      (name) => e[name] === undefined,
    );
    if (missing.length > 0) {
      throw new SettingsError(
        `Invalid settings:\n  ${missing.join(', ')}: required when any UPSTREAM_* variable is set (quick mode)`,
      );
    }
    quickUpstream = {
      kind: e.UPSTREAM_KIND!,
      baseUrl: e.UPSTREAM_BASE_URL!,
      apiKey: e.UPSTREAM_API_KEY!,
      ...(e.UPSTREAM_MODEL !== undefined ? { model: e.UPSTREAM_MODEL } : {}),
      ...(e.UPSTREAM_API_VERSION !== undefined ? { apiVersion: e.UPSTREAM_API_VERSION } : {}),
    };
    if (quickUpstream.kind === 'azure-openai' && !quickUpstream.apiVersion) {
      throw new SettingsError('Invalid settings:\n  UPSTREAM_API_VERSION: required when UPSTREAM_KIND=azure-openai');
    }
  }

  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl,
    redisUrl: e.REDIS_URL,
    secretKey: e.SECRET_KEY,
    adminApiKey: e.ADMIN_API_KEY,
    configFile,
    configFileExplicit,
    modelsCacheTtlSeconds: e.MODELS_CACHE_TTL,
    mask: {
      enabled: e.MASK_AS_BROWSER,
      userAgent: e.MASK_USER_AGENT,
      origin: e.MASK_ORIGIN,
      referer: e.MASK_REFERER,
    },
    logLevel: e.LOG_LEVEL,
    logTimezone: e.LOG_TIMEZONE,
    autoApplyMigrations: e.AUTO_APPLY_DB_MIGRATIONS,
    quickUpstream,
    requestLogFlushMs: e.REQUEST_LOG_FLUSH_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    allowPrivateUpstreams: e.ALLOW_PRIVATE_UPSTREAMS,
    trustProxy:
      e.TRUST_PROXY === 'true'
        ? true
        : e.TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY.split(',').map((x) => x.trim()).filter(Boolean),
    logBodies: e.LOG_BODIES,
    logBodyMaxBytes: e.LOG_BODY_MAX_BYTES,
    requestLogRetentionDays: e.REQUEST_LOG_RETENTION_DAYS,
    requestLogCleanupIntervalMs: e.REQUEST_LOG_CLEANUP_MINUTES * 60_000,
    maxBodyBytes: e.MAX_BODY_MB * 1024 * 1024,
    maxJsonDepth: e.MAX_JSON_DEPTH,
    context: { maxEntries: e.CONTEXT_MAX_ENTRIES, ttlMs: e.CONTEXT_TTL_HOURS * 3_600_000, maxBytes: e.CONTEXT_MAX_BYTES },
    mediaFetch: { maxBytes: e.MEDIA_FETCH_MAX_MB * 1024 * 1024, timeoutMs: e.MEDIA_FETCH_TIMEOUT_MS },
    timeouts: {
      connectMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      ttfbMs: e.UPSTREAM_TTFB_TIMEOUT_MS,
      idleMs: e.UPSTREAM_IDLE_TIMEOUT_MS,
      totalMs: e.UPSTREAM_TOTAL_TIMEOUT_MS,
    },
    routing: {
      maxAttempts: e.ROUTING_MAX_ATTEMPTS,
      budgetMs: e.ROUTING_BUDGET_MS,
      healthWindowMs: e.ROUTING_HEALTH_WINDOW_S * 1000,
      latencyAlpha: e.ROUTING_LATENCY_ALPHA,
      stateRefreshMs: e.ROUTING_STATE_REFRESH_MS,
      stickyTtlMs: e.ROUTING_STICKY_TTL_S * 1000,
      breaker: {
        errorRatio: e.ROUTING_BREAKER_ERROR_RATIO,
        minSamples: e.ROUTING_BREAKER_MIN_SAMPLES,
        cooldownMs: e.ROUTING_BREAKER_COOLDOWN_MS,
        maxCooldownMs: Math.max(e.ROUTING_BREAKER_MAX_COOLDOWN_MS, e.ROUTING_BREAKER_COOLDOWN_MS),
      },
      keyBackoff: {
        afterFailures: e.KEY_BACKOFF_AFTER_FAILURES,
        baseMs: e.KEY_BACKOFF_BASE_MS,
        maxMs: Math.max(e.KEY_BACKOFF_MAX_MS, e.KEY_BACKOFF_BASE_MS),
      },
      probeIntervalMs: e.PROBE_INTERVAL_S * 1000,
    },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
    sessions: { accessTtlSeconds: e.ACCESS_TOKEN_TTL, refreshTtlSeconds: e.REFRESH_TOKEN_TTL },
  };
}
