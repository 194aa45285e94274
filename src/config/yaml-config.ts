/**
 * The declarative YAML config (APIPROXY_CONFIG, default ./apiproxy.yaml): parsed, `${ENV}`
 * interpolated and validated. Any problem is reported with the path of the offending field,
 * e.g. `providers[0].api_keys[1].key: environment variable OPENAI_API_KEY is not set`.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { PROVIDER_KINDS } from './settings.js';

const DIALECTS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const;
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a slug: lower-case letters, digits, "-" or "_" (max 64)');

const providerKey = z.union([
  z.string().min(1),
  z
    .object({
      key: z.string().min(1, 'must not be empty'),
      label: z.string().min(1).max(64).optional(),
      weight: z.number().positive().default(1),
      max_qps: z.number().int().positive().optional(),
    })
    .strict(),
]);

const price = z
  .object({
    input: z.number().nonnegative().optional(),
    cached_input: z.number().nonnegative().optional(),
    cache_write: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
  })
  .strict();

const provider = z
  .object({
    id: slug,
    name: z.string().min(1).optional(),
    kind: z.enum(PROVIDER_KINDS),
    base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    api_keys: z.array(providerKey).default([]),
    weight: z.number().nonnegative().default(1),
    priority: z.number().int().min(0).default(0),
    enabled: z.boolean().default(true),
    retryable_status_codes: z.array(z.number().int().min(400).max(599)).optional(),
    models: z.array(z.string().min(1)).optional(),
    aliases: z.record(z.string().min(1), z.string().min(1)).optional(),
    prices: z.record(z.string().min(1), price).optional(),
    headers: z.record(z.string().min(1), z.string()).default({}),
    api_version: z.string().min(1).optional(),
    dialects: z.array(z.enum(DIALECTS)).min(1).optional(),
    timeouts: z
      .object({
        connect_ms: z.number().int().positive().optional(),
        ttfb_ms: z.number().int().positive().optional(),
        idle_ms: z.number().int().positive().optional(),
        total_ms: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    probe: z
      .object({
        enabled: z.boolean().default(false),
        interval_seconds: z.number().int().min(10).optional(),
        model: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === 'azure-openai' && !p.api_version) {
      ctx.addIssue({ code: 'custom', path: ['api_version'], message: 'required for kind azure-openai' });
    }
    if ((p.kind === 'azure-openai' || p.kind === 'openai-compatible') && !p.base_url) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: `required for kind ${p.kind}` });
    }
  });

const upstream = z
  .object({
    provider: slug,
    model: z.string().min(1),
    weight: z.number().nonnegative().default(1),
    priority: z.number().int().min(0).default(0),
  })
  .strict();

const logicalModel = z
  .object({
    id: z.string().min(1).max(128),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    on_stream_failure: z.enum(['error', 'continue']).default('error'),
    upstreams: z.array(upstream).min(1, 'a logical model needs at least one upstream'),
  })
  .strict();

const clientKey = z
  .object({
    name: z.string().min(1).max(128),
    key: z.string().min(16, 'must be at least 16 characters'),
    allowed_providers: z.array(slug).optional(),
    allowed_models: z.array(z.string().min(1)).optional(),
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const configFileSchema = z
  .object({
    providers: z.array(provider).default([]),
    logical_models: z.array(logicalModel).default([]),
    api_keys: z.array(clientKey).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.providers.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id "${p.id}"` });
      ids.add(p.id);
    });
    cfg.logical_models.forEach((m, i) => {
      m.upstreams.forEach((u, j) => {
        if (!ids.has(u.provider)) {
          ctx.addIssue({
            code: 'custom',
            path: ['logical_models', i, 'upstreams', j, 'provider'],
            message: `unknown provider "${u.provider}" (define it under providers)`,
          });
        }
      });
    });
  });

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ConfigProvider = ConfigFile['providers'][number];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out || '(top level)';
}

/** Replace `${NAME}` and `${NAME:-default}` in every string; collect what is missing. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: Array<string | number>, missing: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, def: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (def !== undefined) return def;
      missing.push(`${formatPath(path)}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, i], missing));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, [...path, k], missing);
    return out;
  }
  return value;
}

export function parseConfigText(text: string, source: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${source}: not valid YAML: ${doc.errors[0]?.message ?? 'parse error'}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const missing: string[] = [];
  const interpolated = interpolate(raw, env, [], missing);
  if (missing.length > 0) throw new ConfigError(`${source}:\n  ${missing.join('\n  ')}`);
  const parsed = configFileSchema.safeParse(interpolated);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`${source}: invalid config:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

export function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfigText(text, file, env);
}
