/**
 * The three processes of a run, each its own child so none shares an event loop with autocannon:
 * the provider emulator (upstream), the bare undici proxy (the floor) and the gateway (realistic
 * settings: client-key auth, info-level request logging to stdout -> /dev/null, request-log rows
 * in SQLite).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayEntry } from './gateway-build.js';
import { firstLine, freePort, removeOnExit, REPO_ROOT, spawnNode, TSX_IMPORT, waitHttpOk, type Child } from './processes.js';
import { ANTHROPIC_MODEL, OPENAI_MODEL, REPLY_TEXT } from './scenarios.js';

export const PROVIDER_KEY = 'bench-provider-key';
export const CLIENT_KEY = 'bench-client-key-0000000000000001';

export interface Running {
  child: Child;
  url: string;
}

export async function startEmulatorProcess(): Promise<Running> {
  const child = spawnNode({
    name: 'emulator',
    // a small record buffer: the emulator keeps every request it sees, which is not what we measure
    args: [...TSX_IMPORT, join(REPO_ROOT, 'test/emulator/main.ts'), '--port', '0', '--keys', PROVIDER_KEY, '--record-limit', '200'],
    stdout: 'pipe',
  });
  const url = await firstLine(child);
  await waitHttpOk(child, `${url}/__emulator/health`);
  // one fixed reply for every request and every provider format: same bytes each time, no delays
  const res = await fetch(`${url}/__emulator/script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: REPLY_TEXT }),
  });
  if (!res.ok) throw new Error(`emulator refused the script: ${res.status} ${await res.text()}`);
  return { child, url };
}

/** How many requests the emulator has received so far (its own counter). */
export async function emulatorTotal(emulatorUrl: string): Promise<number> {
  const res = await fetch(`${emulatorUrl}/__emulator/requests?since=999999999`);
  const json = (await res.json()) as { total?: unknown };
  if (typeof json.total !== 'number') throw new Error('emulator: GET /__emulator/requests gave no total');
  return json.total;
}

export async function startBareProxy(emulatorUrl: string): Promise<Running> {
  const child = spawnNode({
    name: 'bare proxy',
    args: [...TSX_IMPORT, join(REPO_ROOT, 'bench/bare-proxy.ts'), '--upstream', emulatorUrl, '--key', PROVIDER_KEY, '--port', '0'],
    stdout: 'pipe',
  });
  const url = await firstLine(child);
  return { child, url };
}

/** The Fastify floor (bench/fastify-floor.ts), opt-in with `--target fastify`. */
export async function startFastifyFloor(emulatorUrl: string): Promise<Running> {
  const child = spawnNode({
    name: 'fastify floor',
    args: [
      ...TSX_IMPORT,
      join(REPO_ROOT, 'bench/fastify-floor.ts'),
      '--upstream',
      emulatorUrl,
      '--key',
      PROVIDER_KEY,
      '--client-key',
      CLIENT_KEY,
      '--port',
      '0',
    ],
    stdout: 'pipe',
  });
  const url = await firstLine(child);
  return { child, url };
}

export function gatewayConfigYaml(emulatorUrl: string): string {
  return `# written by bench/targets.ts
providers:
  - id: emu-openai
    kind: openai-compatible
    base_url: ${emulatorUrl}/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [${OPENAI_MODEL}]
  - id: emu-anthropic
    kind: anthropic
    base_url: ${emulatorUrl}
    api_keys: ["${PROVIDER_KEY}"]
    models: [${ANTHROPIC_MODEL}]
api_keys:
  - {name: bench, key: ${CLIENT_KEY}}
`;
}

export interface GatewayOptions {
  /** the working tree through tsx, or a built cli.js */
  from: GatewayEntry;
  /** process name in messages */
  name?: string;
  /** write a V8 CPU profile of the gateway into this directory (node --cpu-prof) */
  cpuProfDir?: string;
  /** more node flags for the gateway (e.g. --perf-basic-prof for `perf`) */
  nodeFlags?: string[];
  /** environment overrides, applied last */
  env?: Record<string, string>;
}

export interface RunningGateway extends Running {
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function startGatewayProcess(emulatorUrl: string, opts: GatewayOptions): Promise<RunningGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'apiproxy-bench-'));
  const temp = removeOnExit(dataDir);
  const configFile = join(dataDir, 'apiproxy.yaml');
  writeFileSync(configFile, gatewayConfigYaml(emulatorUrl));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // nothing from the caller's shell may point the gateway at another database, cache or config
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_URL|REDIS_URL|UPSTREAM_|APIPROXY_|ADMIN_API_KEY|SECRET_KEY|MASK_|LOG_|REQUEST_LOG_)/.test(name)) delete env[name];
  }
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    APIPROXY_CONFIG: configFile,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    LOG_LEVEL: 'info',
    ALLOW_PRIVATE_UPSTREAMS: 'true',
    SHUTDOWN_GRACE_MS: '2000',
  });
  Object.assign(env, opts.env ?? {});
  const profArgs = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const entry = opts.from.kind === 'src' ? [...TSX_IMPORT, join(REPO_ROOT, 'src/cli.ts')] : [opts.from.cli];
  const child = spawnNode({
    name: opts.name ?? 'gateway',
    args: [...profArgs, ...(opts.nodeFlags ?? []), ...entry, 'serve'],
    env,
    // its own directory as cwd, so no developer .env in the repository is read
    cwd: dataDir,
    stdout: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHttpOk(child, `${url}/health`);
  return {
    child,
    url,
    dataDir,
    async cleanup() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
      temp.forget();
    },
  };
}
